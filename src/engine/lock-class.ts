/**
 * A lock class as a design's code uses it (api/types.ts `LockClass`): the
 * run's lock algorithm on the class's lock lines, with lock_stat's figures
 * kept beside it.
 *
 * The uncontended path is one trylock and a few plain stores; only a failed
 * trylock is timed (as lock_stat times only contended acquisitions), and only
 * in a sampled operation. What the harness keeps of each lock (the Lamport
 * clock of its last release, its last holder: bounces, and who holds a lock
 * that is held) lives on a record line of its own, not on the line waiters
 * spin on. So an instrumented lock's line carries exactly what the bare
 * lock's does.
 */
import { performance } from 'node:perf_hooks';
import type { NsHistogram } from '../results/histogram.js';
import type { LockClass, LockDef, LockScope, Mem } from '../api/types.js';
import {
  type LockClassLayout,
  LOCK_WORDS,
  LS_ACQ,
  LS_ACQ_BOUNCES,
  LS_CON_BOUNCES,
  LS_CONT,
  LS_FIELDS,
  LS_HOLD_MAX,
  LS_HOLD_MIN,
  LS_HOLD_SAMPLES,
  LS_HOLD_TOTAL,
  LS_WAIT_MAX,
  LS_WAIT_MIN,
  LS_WAIT_SAMPLES,
  LS_WAIT_TOTAL,
  NODES_PER_CLASS,
  R_CLOCK,
  R_LAST,
  W_WAIT_LOCK,
} from '../memory/layout.js';
import { type AgentCore, HELD_MAX } from './agent-core.js';
import { E_ACQUIRE, E_RELEASE } from './trace.js';

export class EngineLockClass implements LockClass {
  readonly name: string;
  readonly per: LockScope;
  private readonly base: number;
  protected readonly recDelta: number;
  protected readonly node0: number;
  protected readonly nodeStride: number;
  /** The queue node of the next acquisition: node0 + (locks of this class held now) x nodeStride (QueuedLockClass). */
  protected node = 0;
  /** lock_stat's acquisitions and acquisition bounces since the last flush: kept in the worker, written to shared memory every so often (flush). */
  private acq = 0;
  private bounces = 0;
  /** Contentions, and those where another worker held the lock last: kept the same way. */
  private cont = 0;
  private conBounces = 0;
  /** Float64 index of this class's lock_stat fields in the agent's counters. */
  private readonly st: number;
  protected holdStart = 0;
  /** core.instrNs when the sampled hold began. */
  protected holdInstr0 = 0;
  /** The core's memory and identity, held here too: one field load fewer on every acquisition. */
  protected readonly m: Int32Array;
  private readonly f: Float64Array;
  protected readonly mem: Mem;
  private readonly self: number;
  /** The class's index (its lock_stat row, its row and column in lockdep's dependencies). */
  protected readonly index: number;

  constructor(
    protected readonly core: AgentCore,
    lay: LockClassLayout,
    index: number,
    protected readonly alg: LockDef,
    private readonly stats: boolean,
    private readonly waits: NsHistogram,
  ) {
    this.index = index;
    this.name = lay.name;
    this.per = lay.per;
    this.base = lay.base;
    this.recDelta = lay.records - lay.base;
    this.nodeStride = core.L.nodeStride;
    this.node0 = this.nodeStride > 0 ? lay.nodes + core.agent * this.nodeStride * NODES_PER_CLASS : 0;
    this.node = this.node0;
    this.st = core.cb + core.L.cLockstat + index * LS_FIELDS;
    this.m = core.m;
    this.f = core.f;
    this.mem = core.mem;
    this.self = core.self;
  }

  /** A new run: no lock held (a run the scheduler ended may have stopped inside a critical section). */
  reset(): void {
    this.node = this.node0;
    this.acq = 0;
    this.bounces = 0;
    this.cont = 0;
    this.conBounces = 0;
  }

  /** Add the acquisitions and contentions counted since the last flush to lock_stat's figures in shared memory. */
  flush(): void {
    if (this.stats) {
      const f = this.f;
      f[this.st + LS_ACQ]! += this.acq;
      f[this.st + LS_ACQ_BOUNCES]! += this.bounces;
      f[this.st + LS_CONT]! += this.cont;
      f[this.st + LS_CON_BOUNCES]! += this.conBounces;
    }
    this.acq = 0;
    this.bounces = 0;
    this.cont = 0;
    this.conBounces = 0;
  }

  /** Forget the timed holds and waits so far (the warm-up's: device-loop.ts WARM_SAMPLED_OPS); the counts stay. */
  dropSamples(): void {
    this.waits.reset();
    const f = this.f;
    const st = this.st;
    f[st + LS_HOLD_SAMPLES] = 0;
    f[st + LS_HOLD_TOTAL] = 0;
    f[st + LS_HOLD_MIN] = Infinity;
    f[st + LS_HOLD_MAX] = 0;
    f[st + LS_WAIT_SAMPLES] = 0;
    f[st + LS_WAIT_TOTAL] = 0;
    f[st + LS_WAIT_MIN] = Infinity;
    f[st + LS_WAIT_MAX] = 0;
  }

  of(index: number): number {
    return this.base + index * LOCK_WORDS;
  }

  /*
   * An algorithm without queue nodes is called with node 0. A failed
   * trylock and a hooked operation (lockHook) share one call out of line,
   * acquireSlow: every call site on the uncontended path costs the code
   * after it what V8 knew before it (the call may change anything), so the
   * path has as few as it can.
   */
  acquire(l: number): void {
    const c = this.core;
    if (c.lockHook) {
      this.acquireSlow(l, 0);
      this.took(l);
      this.nest(l, true);
      // A sampled hold's clock is read here, in the hot function, not in a call made only by sampled
      // acquisitions: V8 compiles such a function when it returns, and the compile (milliseconds,
      // synchronous here) would land inside the hold (the sparse hold average read 5-20x the dense one).
      if (c.holdTimed) {
        this.holdInstr0 = c.instrNs;
        this.holdStart = performance.now();
      }
      return;
    }
    if (!this.alg.trylock(this.mem, l, 0)) this.acquireSlow(l, 0);
    this.took(l);
  }

  tryAcquire(l: number): boolean {
    if (!this.alg.trylock(this.mem, l, 0)) return false;
    this.took(l);
    const c = this.core;
    if (c.lockHook) {
      this.nest(l, false);
      this.tookHook(l);
      if (c.holdTimed) {
        this.holdInstr0 = c.instrNs;
        this.holdStart = performance.now();
      }
    }
    return true;
  }

  release(l: number): void {
    const c = this.core;
    // The hold's end read here likewise, before any call.
    if (c.lockHook) this.releaseHook(l, c.holdTimed ? performance.now() : 0);
    this.m[l + this.recDelta + R_CLOCK] = c.clock = (c.clock + 1) | 0;
    this.alg.unlock(this.mem, l, 0);
  }

  /**
   * The lock is held: onto the agent's held stack, and (a blocking
   * acquisition made holding others) lockdep's dependencies, out of line.
   * A trylock never waits, so it orders nothing (as lockdep has it), but
   * what is taken while holding it depends on it. Only on the hooked path
   * (lockHook): every acquisition under the controlled scheduler, and free
   * running those of the operations whose locks are timed (one in
   * --hold-sample): the cost is the statistics', the uncontended path
   * pays nothing for it (kept there it cost 9% of the throughput).
   */
  protected nest(l: number, blocking: boolean): void {
    const c = this.core;
    const n = c.heldN;
    if (n !== 0 && blocking) c.depends(this.index, l);
    if (n < HELD_MAX) {
      c.heldClass[n] = this.index;
      c.heldLock[n] = l;
    }
    c.heldN = n + 1;
  }

  /** Off the held stack: the top (released in reverse order, as nearly always), else wherever it is. */
  protected unnest(l: number): void {
    const c = this.core;
    const n = c.heldN - 1;
    if (n >= HELD_MAX || (n >= 0 && c.heldLock[n] === l)) c.heldN = n;
    else c.releasedOutOfOrder(l);
  }

  /** The trylock failed (then wait), or this operation is hooked (then try it here, wait if it fails, and start the hook). */
  protected acquireSlow(l: number, node: number): void {
    if (!this.core.lockHook) {
      this.contended(l, node);
      return;
    }
    // Controlled: an acquisition is a new attempt, whose spins wait only on what it reads itself.
    this.core.sched?.attempt();
    if (!this.alg.trylock(this.mem, l, node)) this.contended(l, node);
    this.tookHook(l);
  }

  /**
   * Bookkeeping of a lock just taken, in one straight run: the clock it
   * carries and its last holder (the lock's record line: bounces, and who
   * holds a lock that is held), and lock_stat's counts, kept in the worker
   * until the next flush.
   */
  protected took(l: number): void {
    const c = this.core;
    const m = this.m;
    this.acq++;
    const rec = l + this.recDelta;
    const self = this.self;
    const lc = m[rec + R_CLOCK]!;
    if (((lc - c.clock) | 0) > 0) c.clock = lc;
    if (m[rec + R_LAST] !== self) {
      this.bounces++;
      m[rec + R_LAST] = self;
    }
  }

  /** (Controlled) the acquisition is traced; a sampled hold's clock is read by the caller. */
  protected tookHook(l: number): void {
    const c = this.core;
    if (c.detail) c.trace(E_ACQUIRE, l);
  }

  /** A sampled hold ended at `t1` (the caller's clock read), or (controlled) the release is traced. */
  protected releaseHook(l: number, t1: number): void {
    const c = this.core;
    this.unnest(l);
    if (c.holdTimed) this.holdSampled(t1);
    if (c.detail) c.trace(E_RELEASE, l);
  }

  /**
   * The lock was held: wait for it. Every contention is counted; the wait is
   * timed in sampled operations (core.holdTimed: one in --hold-sample, only
   * with --stats on), as the holds are. A wait ends inside the critical
   * section it waited for, so whatever follows it there lengthens the hold
   * the other workers wait on: a clock read is about 50 ns here, a quarter of
   * the page-table lock's hold, and timing every wait made two devices on
   * one domain contend more than their design does.
   */
  private contended(l: number, node: number): void {
    const c = this.core;
    const m = c.m;
    m[c.ws + W_WAIT_LOCK] = l + 1;
    if (!c.holdTimed) {
      this.alg.lock(c.mem, l, node);
      m[c.ws + W_WAIT_LOCK] = 0;
      this.contention(l);
      return;
    }
    const t0 = performance.now();
    this.alg.lock(c.mem, l, node);
    const t1 = performance.now();
    const wait = Math.max(0, (t1 - t0) * 1e6 - c.clockNs);
    m[c.ws + W_WAIT_LOCK] = 0;
    this.contention(l);
    this.waits.record(wait);
    const f = c.f;
    const st = this.st;
    f[st + LS_WAIT_SAMPLES]! += 1;
    f[st + LS_WAIT_TOTAL]! += wait;
    // Stored every time (no branch taken once in a while): see holdSampled.
    f[st + LS_WAIT_MIN] = Math.min(f[st + LS_WAIT_MIN]!, wait);
    f[st + LS_WAIT_MAX] = Math.max(f[st + LS_WAIT_MAX]!, wait);
    c.instrNs += instrumentation(t1, c.clockNs);
  }

  /** Count a contention (every one; only a sampled operation's are timed), and whether another worker held the lock last. */
  private contention(l: number): void {
    this.cont++;
    if (this.m[l + this.recDelta + R_LAST] !== this.self) this.conBounces++;
  }

  /** This acquisition's hold was sampled: record it. */
  private holdSampled(t1: number): void {
    const c = this.core;
    const hold = Math.max(0, (t1 - this.holdStart) * 1e6 - c.clockNs - (c.instrNs - this.holdInstr0));
    const f = c.f;
    const st = this.st;
    f[st + LS_HOLD_SAMPLES]! += 1;
    f[st + LS_HOLD_TOTAL]! += hold;
    // A new extreme is rare: as `if (hold > max) max = hold`, the store would
    // have no type feedback when V8 compiles the loop, and the first new
    // maximum after that would throw the loop's code away mid-run.
    f[st + LS_HOLD_MIN] = Math.min(f[st + LS_HOLD_MIN]!, hold);
    f[st + LS_HOLD_MAX] = Math.max(f[st + LS_HOLD_MAX]!, hold);
    c.instrNs += instrumentation(t1, c.clockNs);
  }
}

/**
 * A lock class whose algorithm takes queue nodes (MCS, CLH: `nodeWords` in
 * its definition): each acquisition gets the agent's next node of the
 * class, released in reverse order. Apart so that a lock without nodes pays
 * nothing for them; an agent's lock classes all run one algorithm, so every
 * call site still sees one class.
 */
export class QueuedLockClass extends EngineLockClass {
  override acquire(l: number): void {
    const node = this.node;
    const c = this.core;
    if (c.lockHook) {
      this.acquireSlow(l, node);
      this.node = node + this.nodeStride;
      this.took(l);
      this.nest(l, true);
      if (c.holdTimed) {
        this.holdInstr0 = c.instrNs;
        this.holdStart = performance.now();
      }
      return;
    }
    if (!this.alg.trylock(this.mem, l, node)) this.acquireSlow(l, node);
    this.node = node + this.nodeStride;
    this.took(l);
  }

  override tryAcquire(l: number): boolean {
    const node = this.node;
    if (!this.alg.trylock(this.mem, l, node)) return false;
    this.node = node + this.nodeStride;
    this.took(l);
    const c = this.core;
    if (c.lockHook) {
      this.nest(l, false);
      this.tookHook(l);
      if (c.holdTimed) {
        this.holdInstr0 = c.instrNs;
        this.holdStart = performance.now();
      }
    }
    return true;
  }

  override release(l: number): void {
    const c = this.core;
    if (c.lockHook) this.releaseHook(l, c.holdTimed ? performance.now() : 0);
    this.m[l + this.recDelta + R_CLOCK] = c.clock = (c.clock + 1) | 0;
    const node = this.node - this.nodeStride;
    this.node = node;
    this.alg.unlock(this.mem, l, node);
  }
}

/**
 * What a sample's instrumentation took, its last clock read at `t1`: three
 * reads in all (the interval's two, and one now, after the bookkeeping), each
 * about a pair's cost (`clockNs`), and the bookkeeping between t1 and now,
 * which holds half of two reads: now - t1 + 2 pairs.
 */
function instrumentation(t1: number, clockNs: number): number {
  return (performance.now() - t1) * 1e6 + 2 * clockNs;
}

/** The lock class for an agent: queued when the run's algorithm takes nodes. */
export function makeLockClass(core: AgentCore, lay: LockClassLayout, index: number, alg: LockDef, stats: boolean, waits: NsHistogram): EngineLockClass {
  return core.L.nodeStride > 0 ? new QueuedLockClass(core, lay, index, alg, stats, waits) : new EngineLockClass(core, lay, index, alg, stats, waits);
}
