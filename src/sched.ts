/**
 * Schedule points and the controlled scheduler (worker side).
 *
 * Every shared-memory step of the device code (a lock word, a table entry,
 * the allocator, the IOTLB) is preceded by a schedule point:
 *
 *     if (SCHED.on) SCHED.point(P_LEAF_WRITE, pfn);
 *
 * Free running, `SCHED.on` is false and a point is one load and a branch the
 * CPU always predicts. (Every point is written on one line beginning with
 * `if (SCHED.on)`, so that a build without points is a line filter away; the
 * benchmark compares the two.)
 *
 * Controlled, the workers are still real threads but only one passes a point
 * at a time. A worker at a point parks on its own grant word; the last
 * worker to park decides who goes next (all others are parked, so the
 * decision is race-free) by the seeded strategy: random walk, PCT, or replay
 * of recorded choices. Spinning waiters yield (they are chosen only when no
 * one else can go); futex waits are emulated (a sleeper is not chosen until
 * woken), so a lost wake-up shows up as a deadlock the decider sees at once.
 */
import {
  type Layout,
  CTL_FQ_TICK,
  SC_CHANGES,
  SC_CHOICES,
  SC_DEPTH,
  SC_FQ_EVERY,
  SC_HASH,
  SC_MAX_STEPS,
  SC_MODE,
  SC_OUTCOME,
  SC_RNG,
  SC_RUNNING,
  SC_STEP,
  SC_STOP_AT_VIOLATION,
  SC_STRATEGY,
  SC_VIOLATION_STEP,
  SC_LAST,
  SC_SW_NEXT,
  SK_DEFAULT,
  SK_FORCED,
  SK_PREEMPT,
  ST_KIND,
  SWP_WORDS,
  SS_DONE,
  SS_POINT,
  SS_RUN,
  SS_SLEEP,
  SS_YIELD,
  SW_ARG,
  SW_GRANT,
  SW_POINT,
  SW_PRIO,
  SW_STATE,
  SW_WAIT_ADDR,
  schedStepAt,
  schedWorkerAt,
} from './layout.js';
import { xorshift32 } from './prng.js';

/* ---- schedule point identities (names for traces) ----------------------- */
export const POINTS = [
  'start',
  'op',
  'lock',
  'spin',
  'unlock',
  'futex-wait',
  'futex-wake',
  'pte-read',
  'pte-install',
  'leaf-write',
  'leaf-clear',
  'count-read',
  'count-write',
  'table-free',
  'walk',
  'iova-alloc',
  'iova-free',
  'iotlb-lookup',
  'iotlb-fill',
  'iotlb-inval',
  'flush',
  'domain-read',
  'switch',
  'pool',
  'magazine',
  'woken',
] as const;
export const P_START = 0;
export const P_OP = 1;
export const P_LOCK = 2;
export const P_SPIN = 3;
export const P_UNLOCK = 4;
export const P_FUTEX_WAIT = 5;
export const P_FUTEX_WAKE = 6;
export const P_PTE_READ = 7;
export const P_PTE_INSTALL = 8;
export const P_LEAF_WRITE = 9;
export const P_LEAF_CLEAR = 10;
export const P_COUNT_READ = 11;
export const P_COUNT_WRITE = 12;
export const P_TABLE_FREE = 13;
export const P_WALK = 14;
export const P_IOVA_ALLOC = 15;
export const P_IOVA_FREE = 16;
export const P_TLB_LOOKUP = 17;
export const P_TLB_FILL = 18;
export const P_TLB_INVAL = 19;
export const P_FLUSH = 20;
export const P_DOMAIN = 21;
export const P_SWITCH = 22;
export const P_POOL = 23;
export const P_MAGAZINE = 24;
export const P_WOKEN = 25;

export const STRATEGIES = ['random', 'pct', 'replay'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const OUTCOMES = ['running', 'done', 'deadlock', 'step-limit', 'replay-diverged', 'violation'] as const;
export const O_RUNNING = 0;
export const O_DONE = 1;
export const O_DEADLOCK = 2;
export const O_STEP_LIMIT = 3;
export const O_DIVERGED = 4;
export const O_VIOLATION = 5;

/** Thrown in a worker when the decider ended the run (deadlock, limit, violation). */
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

export class Sched {
  /** False in free-running mode: every point is then a load and a branch. */
  on = false;
  private m!: Int32Array;
  private L!: Layout;
  private sw = 0;
  private seen = 0;

  /** Called once in a worker when the run is controlled. */
  enable(m: Int32Array, L: Layout, worker: number): void {
    this.m = m;
    this.L = L;
    this.sw = schedWorkerAt(L, worker);
    this.seen = Atomics.load(m, this.sw + SW_GRANT);
    this.on = Atomics.load(m, L.sched + SC_MODE) === 1;
  }

  /** Mark the step a violation happened in (steps taken so far, >= 1), so the decider ends the run there. */
  violation(): void {
    const at = this.L.sched + SC_VIOLATION_STEP;
    if (Atomics.load(this.m, at) === 0) Atomics.store(this.m, at, Atomics.load(this.m, this.L.sched + SC_STEP));
  }

  /** The logical clock of controlled runs: the global step. */
  step(): number {
    return Atomics.load(this.m, this.L.sched + SC_STEP);
  }

  point(id: number, arg: number): void {
    this.park(SS_POINT, id, arg);
  }

  /** A failed try of a spinning wait: run others first. */
  spin(id: number, arg: number): void {
    this.park(SS_YIELD, id, arg);
  }

  /** Emulated futex wait: sleep (not chosen) until woken, if the word still holds `val`. */
  wait(addr: number, val: number): void {
    const m = this.m;
    this.park(SS_POINT, P_FUTEX_WAIT, addr);
    if (Atomics.load(m, addr) !== val) return;
    m[this.sw + SW_WAIT_ADDR] = addr;
    this.park(SS_SLEEP, P_FUTEX_WAIT, addr);
  }

  /** Emulated futex wake: make up to `n` sleepers on `addr` runnable again; returns how many. */
  wake(addr: number, n: number): number {
    this.park(SS_POINT, P_FUTEX_WAKE, addr);
    const m = this.m;
    let woken = 0;
    for (let v = 0; v < this.L.agents && woken < n; v++) {
      const w = schedWorkerAt(this.L, v);
      if (Atomics.load(m, w + SW_STATE) === SS_SLEEP && m[w + SW_WAIT_ADDR] === addr) {
        m[w + SW_POINT] = P_WOKEN;
        Atomics.store(m, w + SW_STATE, SS_POINT);
        woken++;
      }
    }
    return woken;
  }

  /** The worker is finished: it leaves the schedule. */
  finish(): void {
    if (!this.on) return;
    Atomics.store(this.m, this.sw + SW_STATE, SS_DONE);
    if (Atomics.sub(this.m, this.L.sched + SC_RUNNING, 1) === 1) this.decide();
  }

  private park(state: number, id: number, arg: number): void {
    const m = this.m;
    m[this.sw + SW_POINT] = id;
    m[this.sw + SW_ARG] = arg;
    Atomics.store(m, this.sw + SW_STATE, state);
    if (Atomics.sub(m, this.L.sched + SC_RUNNING, 1) === 1) this.decide();
    // Park until the decider bumps our grant word.
    for (;;) {
      const g = Atomics.load(m, this.sw + SW_GRANT);
      if (g !== this.seen) {
        this.seen = g;
        break;
      }
      Atomics.wait(m, this.sw + SW_GRANT, g);
    }
    if (Atomics.load(m, this.L.sched + SC_OUTCOME) > O_DONE) throw new RunAborted(`run ended: ${OUTCOMES[Atomics.load(m, this.L.sched + SC_OUTCOME)]}`);
  }

  /**
   * Every other worker is parked or done: pick who passes its point next.
   * Runs in whichever worker parked last.
   */
  private decide(): void {
    const m = this.m;
    const L = this.L;
    const sc = L.sched;
    const step = m[sc + SC_STEP]!;
    const vstep = Atomics.load(m, sc + SC_VIOLATION_STEP);
    if (vstep !== 0 && m[sc + SC_STOP_AT_VIOLATION] === 1) return this.end(O_VIOLATION);
    if (step >= m[sc + SC_MAX_STEPS]!) return this.end(O_STEP_LIMIT);

    // The enabled workers: at a point, or (only if none is) yielding in a spin.
    let best = -1;
    let count = 0;
    let klass = SS_POINT;
    for (let pass = 0; pass < 2 && count === 0; pass++) {
      klass = pass === 0 ? SS_POINT : SS_YIELD;
      for (let v = 0; v < L.agents; v++) if (m[schedWorkerAt(L, v) + SW_STATE] === klass) count++;
    }
    if (count === 0) {
      let live = 0;
      for (let v = 0; v < L.agents; v++) if (m[schedWorkerAt(L, v) + SW_STATE] !== SS_DONE) live++;
      return this.end(live === 0 ? O_DONE : O_DEADLOCK);
    }

    // The default choice: the last worker again if it can go, else the lowest that can.
    const last = m[sc + SC_LAST]!;
    const lastCan = last >= 0 && m[schedWorkerAt(L, last) + SW_STATE] === klass;
    let dflt = lastCan ? last : -1;
    for (let v = 0; dflt < 0 && v < L.agents; v++) if (m[schedWorkerAt(L, v) + SW_STATE] === klass) dflt = v;

    const strategy = m[sc + SC_STRATEGY]!;
    if (strategy === 2) {
      // Replay: the default, except at the recorded switch points.
      best = dflt;
      const next = m[sc + SC_SW_NEXT]!;
      if (next < m[sc + SC_CHOICES]! && m[L.schedSwitches + next * SWP_WORDS] === step) {
        best = m[L.schedSwitches + next * SWP_WORDS + 1]!;
        m[sc + SC_SW_NEXT] = next + 1;
        if (best < 0 || best >= L.agents || m[schedWorkerAt(L, best) + SW_STATE] !== klass) return this.end(O_DIVERGED);
      }
    } else if (strategy === 1) {
      // PCT: the highest priority enabled worker; at a change point its priority drops below all.
      let prio = -Infinity;
      for (let v = 0; v < L.agents; v++) {
        const w = schedWorkerAt(L, v);
        if (m[w + SW_STATE] === klass && m[w + SW_PRIO]! > prio) {
          prio = m[w + SW_PRIO]!;
          best = v;
        }
      }
      // At the i-th change point the chosen worker drops to priority d-1-i,
      // below every initial priority (d .. d+n-1); the point is then used up.
      const depth = m[sc + SC_DEPTH]!;
      for (let i = 0; i < depth - 1; i++) {
        if (m[sc + SC_CHANGES + i] === step) {
          m[sc + SC_CHANGES + i] = -1;
          m[schedWorkerAt(L, best) + SW_PRIO] = depth - 1 - i;
          return this.decide();
        }
      }
    } else {
      const r = xorshift32(m[sc + SC_RNG]!);
      m[sc + SC_RNG] = r;
      let k = (r >>> 0) % count;
      for (let v = 0; v < L.agents; v++) {
        if (m[schedWorkerAt(L, v) + SW_STATE] === klass && k-- === 0) {
          best = v;
          break;
        }
      }
    }

    // Record the step, advance the clock, let the chosen worker pass.
    const w = schedWorkerAt(L, best);
    const at = schedStepAt(L, step);
    m[at] = best;
    m[at + 1] = m[w + SW_POINT]!;
    m[at + 2] = m[w + SW_ARG]!;
    m[at + ST_KIND] = best === dflt ? SK_DEFAULT : lastCan ? SK_PREEMPT : SK_FORCED;
    m[sc + SC_LAST] = best;
    m[sc + SC_HASH] = fnv(fnv(fnv(m[sc + SC_HASH]!, best), m[at + 1]!), m[at + 2]!);
    m[sc + SC_STEP] = step + 1;
    const every = m[sc + SC_FQ_EVERY]!;
    if (every > 0 && (step + 1) % every === 0) Atomics.add(m, CTL_FQ_TICK, 1);
    Atomics.store(m, w + SW_STATE, SS_RUN);
    Atomics.store(m, sc + SC_RUNNING, 1);
    Atomics.add(m, w + SW_GRANT, 1);
    Atomics.notify(m, w + SW_GRANT);
  }

  /** End the run: every parked worker is released and throws RunAborted (or, done, returns). */
  private end(outcome: number): void {
    const m = this.m;
    Atomics.store(m, this.L.sched + SC_OUTCOME, outcome);
    for (let v = 0; v < this.L.agents; v++) {
      const w = schedWorkerAt(this.L, v);
      if (m[w + SW_STATE] === SS_DONE) continue;
      Atomics.add(m, w + SW_GRANT, 1);
      Atomics.notify(m, w + SW_GRANT);
    }
  }
}

/** The one scheduler of this thread; off unless the run is controlled. */
export const SCHED = new Sched();

/** Futex wait: Atomics.wait free running, the emulated sleep when controlled. */
export function futexWait(m: Int32Array, addr: number, val: number): void {
  if (SCHED.on) SCHED.wait(addr, val);
  else Atomics.wait(m, addr, val);
}

/** Futex wake of up to `n` waiters. */
export function futexWake(m: Int32Array, addr: number, n: number): void {
  if (SCHED.on) SCHED.wake(addr, n);
  Atomics.notify(m, addr, n);
}
