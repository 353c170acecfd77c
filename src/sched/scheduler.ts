/**
 * The controlled scheduler, worker side.
 *
 * Under control the agents are still real threads, but only one runs
 * between schedule points. An agent at a point records which point, then
 * waits for its grant word; the last agent to stop decides who goes next (all
 * others are stopped, so the decision is race-free) by the seeded strategy:
 * a random walk, PCT, or the replay of recorded choices. Spinning waiters
 * yield (they are chosen only when no one else can go); futex waits are
 * emulated (a sleeper is not chosen until woken), so a lost wake-up is a
 * deadlock the decider sees at once.
 *
 * Handing control over: where agents do not outnumber cores, a waiting agent
 * spins on its grant word (a hand-off is then a cache-line transfer, not a
 * futex wake-up); otherwise, or after a long spin, it sleeps in Atomics.wait
 * and says so, and only then does the granter pay for Atomics.notify.
 */
import {
  type Layout,
  CTL_TICK,
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
  SC_STEP,
  SC_STOP_AT_VIOLATION,
  SC_STRATEGY,
  SC_SW_NEXT,
  SC_TICK_EVERY,
  SC_VIOLATION_STEP,
  SK_DEFAULT,
  SK_FORCED,
  SK_PREEMPT,
  ST_KIND,
  SW_ARG,
  SW_GRANT,
  SW_POINT,
  SW_PRIO,
  SW_SLEEPING,
  SW_STATE,
  SW_WAIT_ADDR,
  SWP_WORDS,
  schedAgentAt,
  schedStepAt,
} from '../memory/layout.js';
import { xorshift32 } from '../util/prng.js';
import { labelHash } from './labels.js';

export const STRATEGIES = ['random', 'pct', 'replay'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const OUTCOMES = ['running', 'done', 'deadlock', 'step-limit', 'replay-diverged', 'violation', 'failed'] as const;
export const O_RUNNING = 0;
export const O_DONE = 1;
export const O_DEADLOCK = 2;
export const O_STEP_LIMIT = 3;
export const O_DIVERGED = 4;
export const O_VIOLATION = 5;
export const O_FAILED = 6;

/** An agent's scheduling state. */
export const SS_RUN = 0;
export const SS_POINT = 1;
export const SS_YIELD = 2;
export const SS_SLEEP = 3;
export const SS_DONE = 4;

/** The point a woken sleeper stands at. */
export const P_WOKEN = labelHash('woken');

/** Spins on the grant word before sleeping, when agents do not outnumber cores; when they do. */
const SPIN_LONG = 1 << 22;
const SPIN_SHORT = 64;

/** Thrown in an agent when the decider ended the run (deadlock, limit, violation). */
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

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    readonly agent: number,
  ) {
    this.sw = schedAgentAt(L, agent);
    this.sc = L.sched;
  }

  /** A controlled run starts (the main thread set the header up). */
  begin(): void {
    this.seen = Atomics.load(this.m, this.sw + SW_GRANT);
    this.spins = this.m[this.sc + SC_SPIN] === 1 ? SPIN_LONG : SPIN_SHORT;
  }

  /** Mark the step a violation happened in, so the decider ends the run there. */
  violation(): void {
    const at = this.sc + SC_VIOLATION_STEP;
    if (Atomics.load(this.m, at) === 0) Atomics.store(this.m, at, Atomics.load(this.m, this.sc + SC_STEP));
  }

  /** The logical clock of controlled runs: the global step. */
  step(): number {
    return Atomics.load(this.m, this.sc + SC_STEP);
  }

  point(id: number, arg: number): void {
    this.park(SS_POINT, id, arg);
  }

  /** A failed try of a spinning wait: run others first. */
  yieldSpin(id: number, arg: number): void {
    this.park(SS_YIELD, id, arg);
  }

  /** Emulated futex wait: sleep (not chosen) until woken, if the word still holds `val`. */
  wait(addr: number, val: number, id: number): void {
    this.park(SS_POINT, id, addr);
    if (Atomics.load(this.m, addr) !== val) return;
    this.m[this.sw + SW_WAIT_ADDR] = addr;
    this.park(SS_SLEEP, id, addr);
  }

  /** Emulated futex wake of up to `n` sleepers on `addr`; how many woke. */
  wake(addr: number, n: number, id: number): number {
    this.park(SS_POINT, id, addr);
    const m = this.m;
    let woken = 0;
    for (let v = 0; v < this.L.agents && woken < n; v++) {
      const w = schedAgentAt(this.L, v);
      if (Atomics.load(m, w + SW_STATE) === SS_SLEEP && m[w + SW_WAIT_ADDR] === addr) {
        m[w + SW_POINT] = P_WOKEN;
        Atomics.store(m, w + SW_STATE, SS_POINT);
        woken++;
      }
    }
    return woken;
  }

  /** The agent failed (its code threw): the run ends for every agent, which are let go. */
  fail(): void {
    Atomics.store(this.m, this.sw + SW_STATE, SS_DONE);
    this.end(O_FAILED);
  }

  /** The agent is finished: it leaves the schedule. */
  finish(): void {
    Atomics.store(this.m, this.sw + SW_STATE, SS_DONE);
    if (Atomics.sub(this.m, this.sc + SC_RUNNING, 1) === 1) this.decide();
  }

  private park(state: number, id: number, arg: number): void {
    const m = this.m;
    const sw = this.sw;
    m[sw + SW_POINT] = id;
    m[sw + SW_ARG] = arg;
    Atomics.store(m, sw + SW_STATE, state);
    if (Atomics.sub(m, this.sc + SC_RUNNING, 1) === 1) this.decide();
    let g = Atomics.load(m, sw + SW_GRANT);
    for (let i = 0; g === this.seen && i < this.spins; i++) g = Atomics.load(m, sw + SW_GRANT);
    while (g === this.seen) {
      // Say we sleep before the last look: a granter that bumps the word after it notifies us.
      Atomics.store(m, sw + SW_SLEEPING, 1);
      g = Atomics.load(m, sw + SW_GRANT);
      if (g === this.seen) Atomics.wait(m, sw + SW_GRANT, g);
      Atomics.store(m, sw + SW_SLEEPING, 0);
      g = Atomics.load(m, sw + SW_GRANT);
    }
    this.seen = g;
    if (Atomics.load(m, this.sc + SC_OUTCOME) > O_DONE) throw new RunAborted(`run ended: ${OUTCOMES[Atomics.load(m, this.sc + SC_OUTCOME)]}`);
  }

  private grant(v: number): void {
    const w = schedAgentAt(this.L, v);
    Atomics.add(this.m, w + SW_GRANT, 1);
    if (Atomics.load(this.m, w + SW_SLEEPING) !== 0) Atomics.notify(this.m, w + SW_GRANT);
  }

  /** Every other agent is stopped or done: pick who passes its point next. Runs in whichever agent stopped last. */
  private decide(): void {
    const m = this.m;
    const L = this.L;
    const sc = this.sc;
    const step = m[sc + SC_STEP]!;
    const vstep = Atomics.load(m, sc + SC_VIOLATION_STEP);
    if (vstep !== 0 && m[sc + SC_STOP_AT_VIOLATION] === 1) return this.end(O_VIOLATION);
    if (step >= m[sc + SC_MAX_STEPS]!) return this.end(O_STEP_LIMIT);

    // The enabled agents: at a point, or (only if none is) yielding in a spin.
    let count = 0;
    let klass = SS_POINT;
    for (let pass = 0; pass < 2 && count === 0; pass++) {
      klass = pass === 0 ? SS_POINT : SS_YIELD;
      for (let v = 0; v < L.agents; v++) if (m[schedAgentAt(L, v) + SW_STATE] === klass) count++;
    }
    if (count === 0) {
      let live = 0;
      for (let v = 0; v < L.agents; v++) if (m[schedAgentAt(L, v) + SW_STATE] !== SS_DONE) live++;
      return this.end(live === 0 ? O_DONE : O_DEADLOCK);
    }

    // The default choice: the last agent again if it can go, else the lowest that can.
    const last = m[sc + SC_LAST]!;
    const lastCan = last >= 0 && m[schedAgentAt(L, last) + SW_STATE] === klass;
    let dflt = lastCan ? last : -1;
    for (let v = 0; dflt < 0 && v < L.agents; v++) if (m[schedAgentAt(L, v) + SW_STATE] === klass) dflt = v;

    let best = -1;
    const strategy = m[sc + SC_STRATEGY]!;
    if (strategy === 2) {
      // Replay: the default, except at the recorded switch points.
      best = dflt;
      const next = m[sc + SC_SW_NEXT]!;
      if (next < m[sc + SC_CHOICES]! && m[L.schedSwitches + next * SWP_WORDS] === step) {
        best = m[L.schedSwitches + next * SWP_WORDS + 1]!;
        m[sc + SC_SW_NEXT] = next + 1;
        if (best < 0 || best >= L.agents || m[schedAgentAt(L, best) + SW_STATE] !== klass) return this.end(O_DIVERGED);
      }
    } else if (strategy === 1) {
      // PCT: the highest-priority enabled agent; at a change point its priority drops below all.
      let prio = -Infinity;
      for (let v = 0; v < L.agents; v++) {
        const w = schedAgentAt(L, v);
        if (m[w + SW_STATE] === klass && m[w + SW_PRIO]! > prio) {
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
        if (m[schedAgentAt(L, v) + SW_STATE] === klass && k-- === 0) {
          best = v;
          break;
        }
      }
    }

    // Record the step, advance the clock, let the chosen agent pass.
    const w = schedAgentAt(L, best);
    const at = schedStepAt(L, step);
    m[at] = best;
    m[at + 1] = m[w + SW_POINT]!;
    m[at + 2] = m[w + SW_ARG]!;
    m[at + ST_KIND] = best === dflt ? SK_DEFAULT : lastCan ? SK_PREEMPT : SK_FORCED;
    m[sc + SC_LAST] = best;
    m[sc + SC_HASH] = fnv(fnv(fnv(m[sc + SC_HASH]!, best), m[at + 1]!), m[at + 2]!);
    m[sc + SC_STEP] = step + 1;
    const every = m[sc + SC_TICK_EVERY]!;
    if (every > 0 && (step + 1) % every === 0) Atomics.add(m, CTL_TICK, 1);
    Atomics.store(m, w + SW_STATE, SS_RUN);
    Atomics.store(m, sc + SC_RUNNING, 1);
    this.grant(best);
  }

  /** End the run: every stopped agent is let go and throws RunAborted (or, done, returns). */
  private end(outcome: number): void {
    const m = this.m;
    Atomics.store(m, this.sc + SC_OUTCOME, outcome);
    for (let v = 0; v < this.L.agents; v++) {
      if (m[schedAgentAt(this.L, v) + SW_STATE] === SS_DONE) continue;
      this.grant(v);
    }
  }
}
