/**
 * What every piece of an agent's code shares: the shared memory, the
 * accessors, the scheduler (null free running), the logical clock, the trace
 * ring, the operation number, and the lock bookkeeping the watchdog reads
 * (which locks this agent holds, written on its own cache line).
 */
import type { Mem } from '../api/types.js';
import { type Layout, LO_FROM, LO_TO, LO_WHEN, countersAt, lockOrderAt, workerAt } from '../memory/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { TraceRing } from './trace.js';
import { xorshift32 } from '../util/prng.js';

export class AgentCore {
  /**
   * Lamport clock free running (carried through the locks' records); unused under control.
   * An int32 that wraps (a long run ticks it billions of times): compared as
   * serial numbers, `((a - b) | 0) > 0`, and ordered so by readTimeline.
   */
  clock = 0;
  /** The operation in progress (for traces and violation samples). */
  op = 0;
  /** This operation's lock holds are timed (one operation in --hold-sample). */
  holdTimed = false;
  /** What a pair of clock reads costs in this thread, ns (device-loop.ts clockPairNs), taken off every sample's time; 0 until measured. */
  clockNs = 0;
  /**
   * The time the samples' own instrumentation took so far in this thread,
   * ns (their clock reads and bookkeeping): a timed interval takes off what
   * grew in it, so a map timed around a timed hold measures the map, not the
   * hold's measurement. Grows only in sampled operations.
   */
  instrNs = 0;
  /** instrNs when the sampled map now under way began. */
  mapInstr0 = 0;
  /**
   * holdTimed || detail: the lock classes' acquisitions and releases take
   * their slow path (hold timing, trace events). One flag, set once an
   * operation, so that an uncontended acquisition tests one word, not two.
   */
  lockHook = false;
  /** The agent's lock classes (set by its runtime): their counts are flushed to shared memory together. */
  locks: readonly { flush(): void; dropSamples(): void }[] = [];
  /**
   * The locks this agent holds now, in the order taken (lockdep's held
   * stack): each one's class index and lock word. Past HELD_MAX the depth is
   * still counted, the locks no longer named.
   */
  readonly heldClass = new Int32Array(HELD_MAX);
  readonly heldLock = new Int32Array(HELD_MAX);
  heldN = 0;
  /** The agent's seeded generator (xorshift32 state). */
  rng = 1;
  /** Under control every step is traced; free running only what the timeline needs. */
  readonly detail: boolean;
  /** The agent's line (watchdog) and counter block. */
  readonly ws: number;
  readonly cb: number;
  /** Agent + 1: what lock records name as last holder. */
  readonly self: number;

  constructor(
    readonly m: Int32Array,
    readonly f: Float64Array,
    readonly L: Layout,
    readonly agent: number,
    readonly mem: Mem,
    readonly sched: Scheduler | null,
    readonly ring: TraceRing,
  ) {
    this.detail = sched !== null;
    this.lockHook = this.detail;
    this.ws = workerAt(L, agent);
    this.cb = countersAt(L, agent);
    this.self = agent + 1;
  }

  /** The clock of the next event: the scheduler's step under control, the Lamport clock free running. */
  tick(): number {
    if (this.sched !== null) return this.sched.step();
    return (this.clock = (this.clock + 1) | 0);
  }

  /** Write the lock classes' counts to shared memory (every so many operations, and at the end of a run). */
  flushLocks(): void {
    for (const l of this.locks) l.flush();
  }

  /** A uint32 from the agent's generator. */
  random(): number {
    this.rng = xorshift32(this.rng);
    return this.rng >>> 0;
  }

  /**
   * random() % n, the same number, in int32 arithmetic (n at most 32768):
   * V8 takes a uint32's remainder in floating point (x87 fprem, a loop),
   * this as two integer remainders of the high and low halves.
   */
  randomBelow(n: number): number {
    const r = (this.rng = xorshift32(this.rng));
    return ((((r >>> 16) % n) << 16) + (r & 0xffff)) % n;
  }

  /**
   * Lock `lock` of class `cls` is being taken, blocking, while this agent
   * holds others: each held class gets the dependency "cls after it"
   * (lockdep's), written the first time only (one load a held lock after
   * that), with when it was first seen. A class taken inside itself is
   * nesting (lockdep's spin_lock_nested), not an order.
   */
  depends(cls: number, lock: number): void {
    const m = this.m;
    const n = Math.min(this.heldN, HELD_MAX);
    for (let i = 0; i < n; i++) {
      const from = this.heldClass[i]!;
      if (from === cls) continue;
      const at = lockOrderAt(this.L, this.agent, from, cls);
      if (m[at + LO_WHEN] !== 0) continue;
      m[at + LO_WHEN] = (this.sched !== null ? this.sched.step() : this.op) + 1;
      m[at + LO_FROM] = this.heldLock[i]!;
      m[at + LO_TO] = lock;
    }
  }

  /** A lock released out of the order taken: off the held stack wherever it is. */
  releasedOutOfOrder(lock: number): void {
    const n = Math.min(this.heldN, HELD_MAX);
    for (let i = n - 1; i >= 0; i--) {
      if (this.heldLock[i] !== lock) continue;
      this.heldClass.copyWithin(i, i + 1, n);
      this.heldLock.copyWithin(i, i + 1, n);
      this.heldN--;
      return;
    }
  }

  trace(event: number, arg: number): void {
    this.ring.event(this.tick(), this.op, event, arg);
  }
}

/** Locks an agent's held stack names (deeper nesting is counted, not named). */
export const HELD_MAX = 16;
