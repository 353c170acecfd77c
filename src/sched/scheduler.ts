/**
 * The controlled scheduler, worker side.
 *
 * Under control the agents are still real threads, but only one runs
 * between schedule points. An agent at a point records which point and the
 * access it is about to make (sched/access.ts), then waits for its grant
 * word; the last agent to stop decides who goes next (all others are
 * stopped, so the decision is race-free) by the seeded strategy: a random
 * walk, PCT, or the replay of recorded choices (which is also how the
 * exhaustive searches, dfs and dpor, drive a run: a replay of a prefix).
 *
 * Waiting is never scheduled as work. A spinner (`mem.spin`) is blocked
 * until another agent changes a word its failed attempt read (its wait set,
 * kept here as the agent reads); a futex sleeper (`mem.wait`) until it is
 * woken. Either is then runnable like any other agent, chosen by the
 * strategy. When no agent can go and some are not finished, the run is a
 * deadlock, seen at the step it happens.
 *
 * Handing control over: where agents do not outnumber cores, a waiting agent
 * spins on its grant word (a hand-off is then a cache-line transfer, not a
 * futex wake-up); otherwise, or after a long spin, it sleeps in Atomics.wait
 * and says so, and only then does the granter pay for Atomics.notify.
 */
import {
  type Layout,
  CTL_TICK,
  MASK_AGENTS,
  SC_CHANGES,
  SC_CHOICES,
  SC_DEPTH,
  SC_HASH,
  SC_LAST,
  SC_MAX_STEPS,
  SC_OUTCOME,
  SC_RNG,
  SC_RUNNING,
  SC_SPIN,
  SC_SLEEP,
  SC_SLEEP_FROM,
  SC_SLEEP_INIT,
  SC_SPIN_LOG,
  SC_STEP,
  SC_STOP_AT_VIOLATION,
  SC_STRATEGY,
  SC_SW_NEXT,
  SC_RF_BAD,
  SC_TICK_EVERY,
  SC_VIOLATION_STEP,
  SC_WRITES,
  SK_DEFAULT,
  SK_FORCED,
  SK_PREEMPT,
  SPIN_PAIRS,
  ST_ACCESS,
  ST_AGENT,
  ST_ARG,
  ST_DECLARED,
  ST_ENABLED,
  ST_KIND,
  ST_LEN,
  ST_ORDER,
  ST_POINT,
  ST_RF,
  ST_RFN,
  ST_RF_FROM,
  ST_SLEEP,
  ST_SPIN,
  ST_VALUE,
  SW_ACCESS,
  SW_ARG,
  SW_DID,
  SW_EXPECT,
  SW_GRANT,
  SW_LEN,
  SW_ORDER,
  SW_POINT,
  SW_PRIO,
  SW_PROGRESS,
  SW_RF,
  SW_RFN,
  SW_RF_FROM,
  SW_SLEEPING,
  SW_SPIN_N,
  SW_SPIN_SET,
  SW_SPIN_WRITES,
  SW_STATE,
  SW_VALUE,
  SW_WAIT_ADDR,
  SWP_WORDS,
  schedAgentAt,
  schedStepAt,
} from '../memory/layout.js';
import { xorshift32 } from '../util/prng.js';
import { writeFailure } from '../engine/crash.js';
import { A_CAS, A_NONE, A_READ, A_RMW, A_SPIN, A_WAIT, A_WAKE, O_FULL, O_ONCE, O_PLAIN, writes } from './access.js';
import { dependentOnStep } from './dependence.js';
import { labelHash } from './labels.js';
import { type WordAtomics, atomicsOver } from '../memory/shared.js';
import { type MemoryModel, modelFull } from '../memory/model.js';

/** What the decider runs: the searches' names are in search/strategies.ts. */
export const STRATEGIES = ['random', 'pct', 'replay'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const OUTCOMES = ['running', 'done', 'deadlock', 'step-limit', 'replay-diverged', 'violation', 'crash', 'sleep-blocked'] as const;
export const O_RUNNING = 0;
export const O_DONE = 1;
export const O_DEADLOCK = 2;
export const O_STEP_LIMIT = 3;
export const O_DIVERGED = 4;
export const O_VIOLATION = 5;
export const O_CRASH = 6;
/** dpor: every agent that could go is asleep: the rest of the run would repeat an explored trace. */
export const O_SLEEP_BLOCKED = 7;

/** An agent's scheduling state. */
export const SS_RUN = 0;
/** At a point, runnable. */
export const SS_POINT = 1;
/** Spinning: runnable once a word of its wait set changed (then SS_POINT). */
export const SS_SPIN = 2;
/** Asleep on a futex: runnable once woken (then SS_POINT, at the point `woken`). */
export const SS_SLEEP = 3;
export const SS_DONE = 4;

/** The point a woken sleeper stands at. */
export const P_WOKEN = labelHash('woken');

/** Spins on the grant word before sleeping, when agents do not outnumber cores; when they do. */
const SPIN_LONG = 1 << 22;
const SPIN_SHORT = 64;

/** Thrown in an agent when the decider ended the run (deadlock, limit, violation, another agent's crash). */
export class RunAborted extends Error {
  override readonly name = 'RunAborted';
}

/** FNV-1a over 32-bit words: the trace hash. */
export function fnv(h: number, x: number): number {
  for (let i = 0; i < 4; i++) {
    h ^= (x >>> (i * 8)) & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h;
}
export const FNV_SEED = 0x811c9dc5 | 0;

export class Scheduler {
  private readonly sw: number;
  private readonly sc: number;
  private seen = 0;
  private spins = SPIN_SHORT;
  /** The step this agent passed last (where its access's value and effect are written). */
  private myStep = -1;
  /**
   * The wait set: each word this agent read or wrote since its last spin (or
   * the start of a lock acquisition) and the value it saw there last. A
   * spin waits for one of them to change; past SPIN_PAIRS words, for any
   * write by another agent.
   */
  private readonly setAddr = new Int32Array(SPIN_PAIRS);
  private readonly setValue = new Int32Array(SPIN_PAIRS);
  private setN = 0;
  private overflow = false;
  /** The control words' atomics: WebAssembly's where the memory is a WebAssembly.Memory (a third of Atomics.*'s instructions), a dozen a step. */
  private readonly a: WordAtomics;
  /** The run's memory model under tso or weak (set by the accessors that use it), null under sc. */
  model: MemoryModel | null = null;

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    readonly agent: number,
  ) {
    this.sw = schedAgentAt(L, agent);
    this.sc = L.sched;
    this.a = atomicsOver(m);
  }

  /** A controlled run starts (the main thread set the header up). */
  begin(): void {
    this.seen = this.a.load(this.sw + SW_GRANT);
    this.spins = this.m[this.sc + SC_SPIN] === 1 ? SPIN_LONG : SPIN_SHORT;
    this.myStep = -1;
    this.attempt();
  }

  /** Mark the step a violation happened in, so the decider ends the run there. */
  violation(): void {
    const at = this.sc + SC_VIOLATION_STEP;
    if (this.a.load(at) === 0) this.a.store(at, this.a.load(this.sc + SC_STEP));
  }

  /** The step this agent passed last (the one it is making). */
  stepNow(): number {
    return this.myStep;
  }

  /** The logical clock of controlled runs: the global step. */
  step(): number {
    return this.a.load(this.sc + SC_STEP);
  }

  /** The agent completed an operation or an event: it is not livelocked. */
  progressed(): void {
    this.m[this.sw + SW_PROGRESS] = this.m[this.sc + SC_STEP]!;
  }

  /** Stop at a point that makes `access` to `arg` (an address, or a point's own argument) with memory ordering `order` (sched/access.ts). */
  point(id: number, arg: number, access: number, order: number): void {
    this.park(SS_POINT, id, arg, access, 1, order);
  }

  /** Stop at a bulk access (mem.bulk): `access` (read or write) of the `len` words from `addr`. */
  pointBulk(id: number, addr: number, len: number, access: number, order: number): void {
    this.park(SS_POINT, id, addr, access, len, order);
  }

  /** Stop at a cas of `addr` expecting `expected` (whether it will write depends on the word when it runs). */
  pointCas(id: number, addr: number, expected: number, order: number): void {
    this.m[this.sw + SW_EXPECT] = expected;
    this.park(SS_POINT, id, addr, A_CAS, 1, order);
  }

  /** The cas just granted swapped, or did not: its step was a read-modify-write, or a read (then unordered, as a failed cmpxchg is in the kernel: settle). */
  casDid(swapped: boolean): void {
    this.m[this.sw + SW_DID] = swapped ? A_RMW : A_READ;
  }

  /** The access just granted read `value` (or wrote it): into its step, and into the wait set. */
  saw(addr: number, value: number): void {
    this.m[this.sw + SW_VALUE] = value;
    this.note(addr, value);
  }

  /** A new attempt begins (a lock acquisition): what was read before it is not what it waits on. */
  attempt(): void {
    this.setN = 0;
    this.overflow = false;
  }

  private note(addr: number, value: number): void {
    // Overflowed, a spin waits for any write: the set is no longer looked at.
    if (this.overflow) return;
    const a = this.setAddr;
    const n = this.setN;
    for (let i = 0; i < n; i++) {
      if (a[i] === addr) {
        this.setValue[i] = value;
        return;
      }
    }
    if (n === SPIN_PAIRS) {
      this.overflow = true;
      return;
    }
    a[n] = addr;
    this.setValue[n] = value;
    this.setN = n + 1;
  }

  /** A failed attempt of a wait loop: blocked until another agent changes a word of the wait set, then a step of its own. */
  spin(id: number, arg: number): void {
    const m = this.m;
    const sw = this.sw;
    if (!this.overflow) this.model?.spun(this.setAddr, this.setN);
    if (this.overflow || this.setN === 0) {
      // Nothing known to wait on: wait for any write by another agent.
      m[sw + SW_SPIN_N] = -1;
      m[sw + SW_SPIN_WRITES] = m[this.sc + SC_WRITES]!;
    } else {
      m[sw + SW_SPIN_N] = this.setN;
      for (let i = 0; i < this.setN; i++) {
        m[sw + SW_SPIN_SET + 2 * i] = this.setAddr[i]!;
        m[sw + SW_SPIN_SET + 2 * i + 1] = this.setValue[i]!;
      }
    }
    this.park(SS_SPIN, id, arg, A_SPIN, 1, O_PLAIN);
    this.attempt();
  }

  /** Emulated futex wait: sleep (not chosen) until woken, if the word still holds `val`. */
  wait(addr: number, val: number, id: number): void {
    this.park(SS_POINT, id, addr, A_WAIT, 1, O_FULL);
    const v = this.model === null ? this.a.load(addr) : this.model.read(addr, O_FULL, false);
    this.saw(addr, v);
    if (v !== val) return;
    this.m[this.sw + SW_WAIT_ADDR] = addr;
    this.park(SS_SLEEP, P_WOKEN, addr, A_NONE, 1, O_FULL);
    this.attempt();
  }

  /** Emulated futex wake of up to `n` sleepers on `addr`; how many woke. */
  wake(addr: number, n: number, id: number): number {
    this.park(SS_POINT, id, addr, A_WAKE, 1, O_FULL);
    this.model?.futex();
    const m = this.m;
    let woken = 0;
    for (let v = 0; v < this.L.agents && woken < n; v++) {
      const w = schedAgentAt(this.L, v);
      if (this.a.load(w + SW_STATE) === SS_SLEEP && m[w + SW_WAIT_ADDR] === addr) {
        this.a.store(w + SW_STATE, SS_POINT);
        woken++;
      }
    }
    m[this.sw + SW_VALUE] = woken;
    return woken;
  }

  /**
   * The agent's code threw: the first failure of the run is kept in shared
   * memory (before the agent counts itself done, so the main thread always
   * finds it), and the run ends for every agent.
   */
  fail(text: string): void {
    writeFailure(this.m, this.L, this.agent, this.myStep, text);
    this.a.store(this.sw + SW_STATE, SS_DONE);
    this.end(O_CRASH);
  }

  /** The agent is finished: it leaves the schedule. */
  finish(): void {
    this.model?.finish();
    this.progressed();
    this.a.store(this.sw + SW_STATE, SS_DONE);
    if (this.a.add(this.sc + SC_RUNNING, -1) === 1) this.decide();
  }

  private park(state: number, id: number, arg: number, access: number, len: number, order: number): void {
    const m = this.m;
    const sw = this.sw;
    // A run that ended stays ended: code that caught RunAborted and went on stops again here.
    if (this.a.load(this.sc + SC_OUTCOME) > O_DONE) throw new RunAborted(`run ended: ${OUTCOMES[this.a.load(this.sc + SC_OUTCOME)]}`);
    m[sw + SW_POINT] = id;
    m[sw + SW_ARG] = arg;
    m[sw + SW_ACCESS] = access;
    m[sw + SW_LEN] = len;
    m[sw + SW_ORDER] = order;
    this.a.store(sw + SW_STATE, state);
    if (this.a.add(this.sc + SC_RUNNING, -1) === 1) this.decide();
    let g = this.a.load(sw + SW_GRANT);
    for (let i = 0; g === this.seen && i < this.spins; i++) g = this.a.load(sw + SW_GRANT);
    while (g === this.seen) {
      // Say we sleep before the last look: a granter that bumps the word after it notifies us.
      this.a.store(sw + SW_SLEEPING, 1);
      g = this.a.load(sw + SW_GRANT);
      if (g === this.seen) Atomics.wait(m, sw + SW_GRANT, g);
      this.a.store(sw + SW_SLEEPING, 0);
      g = this.a.load(sw + SW_GRANT);
    }
    this.seen = g;
    if (this.a.load(this.sc + SC_OUTCOME) > O_DONE) throw new RunAborted(`run ended: ${OUTCOMES[this.a.load(this.sc + SC_OUTCOME)]}`);
    this.myStep = m[this.sc + SC_STEP]! - 1;
  }

  private grant(v: number): void {
    const w = schedAgentAt(this.L, v);
    this.a.add(w + SW_GRANT, 1);
    if (this.a.load(w + SW_SLEEPING) !== 0) Atomics.notify(this.m, w + SW_GRANT);
  }

  /** A spinner's wait: has a word of its set changed (or, overflowed, anything been written) since it stopped? */
  private spinOver(w: number): boolean {
    const m = this.m;
    const n = m[w + SW_SPIN_N]!;
    if (n < 0) return m[this.sc + SC_WRITES] !== m[w + SW_SPIN_WRITES];
    for (let i = 0; i < n; i++) if (this.a.load(m[w + SW_SPIN_SET + 2 * i]!) !== m[w + SW_SPIN_SET + 2 * i + 1]) return true;
    return false;
  }

  /** Every other agent is stopped or done: pick who passes its point next. Runs in whichever agent stopped last. */
  private decide(): void {
    const m = this.m;
    const L = this.L;
    const sc = this.sc;
    const step = m[sc + SC_STEP]!;
    if (step > 0) this.settle(step - 1);
    const vstep = this.a.load(sc + SC_VIOLATION_STEP);
    if (vstep !== 0 && m[sc + SC_STOP_AT_VIOLATION] === 1) return this.end(O_VIOLATION);
    if (step >= m[sc + SC_MAX_STEPS]!) return this.end(O_STEP_LIMIT);
    if (L.mm !== 0) {
      // A replayed read choice the read could not take; a run past the memory model's room (memory/model.ts): inconclusive.
      if (m[sc + SC_RF_BAD] !== 0) return this.end(O_DIVERGED);
      if (modelFull(m, L)) return this.end(O_STEP_LIMIT);
    }

    // The enabled agents: at a point, or spinning on a word that changed (which makes it runnable until it goes).
    let count = 0;
    let mask = 0;
    let live = 0;
    for (let v = 0; v < L.agents; v++) {
      const w = schedAgentAt(L, v);
      let st = m[w + SW_STATE]!;
      if (st === SS_SPIN && this.spinOver(w)) {
        st = SS_POINT;
        this.a.store(w + SW_STATE, SS_POINT);
      }
      if (st !== SS_DONE) live++;
      if (st === SS_POINT) {
        count++;
        if (v < MASK_AGENTS) mask |= 1 << v;
      }
    }
    if (count === 0) return this.end(live === 0 ? O_DONE : O_DEADLOCK);

    // dpor's sleep set: agents whose next step was explored here already, not chosen until a dependent step
    // wakes them. The last step wakes them here, once it is done: a cas that did not swap was only a read.
    // The set given for the step after a prefix holds what was tried at its last step; that step's own effect
    // wakes the ones it depends on here too.
    let sleep = step === m[sc + SC_SLEEP_FROM] ? m[sc + SC_SLEEP_INIT]! : m[sc + SC_SLEEP]!;
    if (sleep !== 0 && step > 0) sleep = this.wakeSleepers(sleep, step - 1);
    m[sc + SC_SLEEP] = sleep;

    // The default choice: the last agent again if it can go, else the lowest that can. Schedules
    // record departures from it (`plain`); under dpor's sleep sets the run takes the first awake one.
    const last = m[sc + SC_LAST]!;
    const lastCan = last >= 0 && m[schedAgentAt(L, last) + SW_STATE] === SS_POINT;
    let plain = lastCan ? last : -1;
    for (let v = 0; plain < 0 && v < L.agents; v++) if (m[schedAgentAt(L, v) + SW_STATE] === SS_POINT) plain = v;
    let dflt = plain;
    if (sleep !== 0 && (sleep & (1 << plain)) !== 0) {
      // Agents past MASK_AGENTS are never asleep (the searches that sleep refuse so many agents).
      dflt = -1;
      for (let v = 0; dflt < 0 && v < L.agents; v++) if (m[schedAgentAt(L, v) + SW_STATE] === SS_POINT && (v >= MASK_AGENTS || (sleep & (1 << v)) === 0)) dflt = v;
      if (dflt < 0) return this.end(O_SLEEP_BLOCKED);
    }

    let best = -1;
    const strategy = m[sc + SC_STRATEGY]!;
    if (strategy === 2) {
      // Replay: the default, except at the recorded switch points.
      best = dflt;
      const next = m[sc + SC_SW_NEXT]!;
      if (next < m[sc + SC_CHOICES]! && m[L.schedSwitches + next * SWP_WORDS] === step) {
        best = m[L.schedSwitches + next * SWP_WORDS + 1]!;
        m[sc + SC_SW_NEXT] = next + 1;
        if (best < 0 || best >= L.agents || m[schedAgentAt(L, best) + SW_STATE] !== SS_POINT) return this.end(O_DIVERGED);
      }
    } else if (strategy === 1) {
      // PCT: the highest-priority enabled agent; at a change point its priority drops below all.
      let prio = -Infinity;
      for (let v = 0; v < L.agents; v++) {
        const w = schedAgentAt(L, v);
        if (m[w + SW_STATE] === SS_POINT && m[w + SW_PRIO]! > prio) {
          prio = m[w + SW_PRIO]!;
          best = v;
        }
      }
      // At the i-th change point the chosen agent drops to priority d-1-i,
      // below every initial priority (d .. d+n-1); the point is then used up.
      const depth = m[sc + SC_DEPTH]!;
      for (let i = 0; i < depth - 1; i++) {
        if (m[sc + SC_CHANGES + i] === step) {
          m[sc + SC_CHANGES + i] = -1;
          m[schedAgentAt(L, best) + SW_PRIO] = depth - 1 - i;
          return this.decide();
        }
      }
    } else {
      const r = xorshift32(m[sc + SC_RNG]!);
      m[sc + SC_RNG] = r;
      let k = (r >>> 0) % count;
      for (let v = 0; v < L.agents; v++) {
        if (m[schedAgentAt(L, v) + SW_STATE] === SS_POINT && k-- === 0) {
          best = v;
          break;
        }
      }
    }

    // Record the step, advance the clock, let the chosen agent pass.
    const w = schedAgentAt(L, best);
    const at = schedStepAt(L, step);
    const access = m[w + SW_ACCESS]!;
    m[at + ST_AGENT] = best;
    m[at + ST_POINT] = m[w + SW_POINT]!;
    m[at + ST_ARG] = m[w + SW_ARG]!;
    m[at + ST_KIND] = best === plain ? SK_DEFAULT : lastCan ? SK_PREEMPT : SK_FORCED;
    m[at + ST_ACCESS] = access;
    m[w + SW_DID] = access === A_CAS ? A_READ : access;
    m[w + SW_VALUE] = 0;
    if (L.mm !== 0) {
      m[w + SW_RF] = 0;
      m[w + SW_RFN] = 0;
    }
    m[at + ST_DECLARED] = access;
    m[at + ST_LEN] = m[w + SW_LEN]!;
    m[at + ST_ORDER] = m[w + SW_ORDER]!;
    m[at + ST_ENABLED] = L.agents > MASK_AGENTS ? -1 : mask;
    m[at + ST_SLEEP] = sleep;
    if (access === A_SPIN) m[at + ST_SPIN] = this.logWaitSet(w);
    else if (writes(access)) m[sc + SC_WRITES] = (m[sc + SC_WRITES]! + 1) | 0;

    m[sc + SC_LAST] = best;
    m[sc + SC_HASH] = fnv(fnv(fnv(m[sc + SC_HASH]!, best), m[at + ST_POINT]!), m[at + ST_ARG]!);
    m[sc + SC_STEP] = step + 1;
    const every = m[sc + SC_TICK_EVERY]!;
    if (every > 0 && (step + 1) % every === 0) this.a.add(CTL_TICK, 1);
    this.a.store(w + SW_STATE, SS_RUN);
    this.a.store(sc + SC_RUNNING, 1);
    this.grant(best);
  }

  /** The sleep set after step `s`: those of its sleepers whose next access is dependent with what the step did wake. */
  private wakeSleepers(sleep: number, s: number): number {
    const m = this.m;
    const at = schedStepAt(this.L, s);
    for (let v = 0; v < this.L.agents && v < MASK_AGENTS; v++) {
      if ((sleep & (1 << v)) !== 0 && dependentOnStep(m, this.L, at, schedAgentAt(this.L, v))) sleep &= ~(1 << v);
    }
    return sleep;
  }

  /**
   * A spin step's wait set into the spin log (a count, then the
   * addresses), for the searches' dependencies; its offset, or -1 for a
   * set that overflowed (it read too much to name) or a full log.
   */
  private logWaitSet(w: number): number {
    const m = this.m;
    const n = m[w + SW_SPIN_N]!;
    const used = m[this.sc + SC_SPIN_LOG]!;
    if (n < 0 || used + 1 + n > this.L.spinLogWords) return -1;
    const at = this.L.spinLog + used;
    m[at] = n;
    for (let i = 0; i < n; i++) m[at + 1 + i] = m[w + SW_SPIN_SET + 2 * i]!;
    m[this.sc + SC_SPIN_LOG] = used + 1 + n;
    return used;
  }

  /**
   * What step `s` did, from its agent's own line into the step's record:
   * the agent writes only its line while it runs (the record's cache line
   * is the deciders'), and every agent is stopped when this runs.
   */
  private settle(s: number): void {
    const m = this.m;
    const at = schedStepAt(this.L, s);
    const w = schedAgentAt(this.L, m[at + ST_AGENT]!);
    const did = m[w + SW_DID]!;
    m[at + ST_ACCESS] = did;
    m[at + ST_VALUE] = m[w + SW_VALUE]!;
    if (this.L.mm !== 0) {
      m[at + ST_RF] = m[w + SW_RF]!;
      m[at + ST_RFN] = m[w + SW_RFN]!;
      m[at + ST_RF_FROM] = m[w + SW_RF_FROM]!;
    }
    // A cmpxchg that failed orders nothing, whatever its form (the kernel's rule).
    if (did === A_READ && m[at + ST_DECLARED] === A_CAS) m[at + ST_ORDER] = O_ONCE;
  }

  /** End the run: every stopped agent is let go and throws RunAborted (or, done, returns). */
  private end(outcome: number): void {
    const m = this.m;
    const steps = m[this.sc + SC_STEP]!;
    if (steps > 0) this.settle(steps - 1);
    this.a.store(this.sc + SC_OUTCOME, outcome);
    for (let v = 0; v < this.L.agents; v++) {
      if (m[schedAgentAt(this.L, v) + SW_STATE] === SS_DONE) continue;
      this.grant(v);
    }
  }
}
