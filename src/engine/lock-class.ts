/**
 * A lock class as a design's code uses it (api/types.ts `LockClass`): the
 * run's lock algorithm on the class's lock lines, with lock_stat's figures
 * kept beside it.
 *
 * The uncontended path is one trylock and a few plain stores; only a failed
 * trylock is timed (as lock_stat times only contended acquisitions). What the
 * harness keeps of each lock (the Lamport clock of its last release, its last
 * holder for bounces) lives on a record line of its own, not on the line
 * waiters spin on; which locks an agent holds lives on the agent's own line.
 * So an instrumented lock's line carries exactly what the bare lock's does.
 */
import { type RecordableHistogram, performance } from 'node:perf_hooks';
import type { LockClass, LockDef, LockScope } from '../api/types.js';
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
  LS_WAIT_TOTAL,
  MAX_HELD,
  NODES_PER_CLASS,
  R_CLOCK,
  R_LAST,
  W_HELD,
  W_HOLDS,
  W_WAIT_LOCK,
} from '../memory/layout.js';
import type { AgentCore } from './agent-core.js';
import { E_ACQUIRE, E_RELEASE } from './trace.js';

export class EngineLockClass implements LockClass {
  readonly name: string;
  readonly per: LockScope;
  private readonly base: number;
  private readonly recDelta: number;
  private readonly node0: number;
  private readonly nodeStride: number;
  /** Locks of this class the agent holds now (picks the queue node). */
  private depth = 0;
  /** Float64 index of this class's lock_stat fields in the agent's counters. */
  private readonly st: number;
  private holdStart = 0;

  constructor(
    private readonly core: AgentCore,
    lay: LockClassLayout,
    index: number,
    private readonly alg: LockDef,
    private readonly stats: boolean,
    private readonly waits: RecordableHistogram,
  ) {
    this.name = lay.name;
    this.per = lay.per;
    this.base = lay.base;
    this.recDelta = lay.records - lay.base;
    this.nodeStride = core.L.nodeStride;
    this.node0 = this.nodeStride > 0 ? lay.nodes + core.agent * this.nodeStride * NODES_PER_CLASS : 0;
    this.st = core.cb + core.L.cLockstat + index * LS_FIELDS;
  }

  /** A new run: no lock held (a run the scheduler ended may have stopped inside a critical section). */
  reset(): void {
    this.depth = 0;
  }

  of(index: number): number {
    return this.base + index * LOCK_WORDS;
  }

  acquire(l: number): void {
    const node = this.node0 + this.depth * this.nodeStride;
    // Kept small so that it inlines: the contended path and the accounting are calls of their own.
    if (!this.alg.trylock(this.core.mem, l, node)) this.contended(l, node);
    this.took(l);
  }

  tryAcquire(l: number): boolean {
    if (!this.alg.trylock(this.core.mem, l, this.node0 + this.depth * this.nodeStride)) return false;
    this.took(l);
    return true;
  }

  release(l: number): void {
    const c = this.core;
    const m = c.m;
    if (c.holdTimed) this.holdSampled();
    if (c.detail) c.trace(E_RELEASE, l);
    m[l + this.recDelta + R_CLOCK] = ++c.clock;
    this.dropHeld(l);
    this.depth--;
    this.alg.unlock(c.mem, l, this.node0 + this.depth * this.nodeStride);
  }

  /** Bookkeeping of a lock just taken: who holds it (our line), the clock it carries, lock_stat. */
  private took(l: number): void {
    const c = this.core;
    const m = c.m;
    this.depth++;
    const n = c.held;
    if (n < MAX_HELD) m[c.ws + W_HOLDS + n] = l + 1;
    c.held = n + 1;
    m[c.ws + W_HELD] = n + 1;
    const rec = l + this.recDelta;
    const lc = m[rec + R_CLOCK]!;
    if (lc > c.clock) c.clock = lc;
    if (c.detail) c.trace(E_ACQUIRE, l);
    if (this.stats) this.account(rec);
  }

  private dropHeld(l: number): void {
    const c = this.core;
    const m = c.m;
    const n = c.held - 1;
    c.held = n;
    m[c.ws + W_HELD] = n;
    if (n >= MAX_HELD) return;
    // Locks are mostly dropped in the order they were taken back: the last slot is almost always ours.
    if (m[c.ws + W_HOLDS + n] !== l + 1) {
      for (let i = 0; i < n; i++) {
        if (m[c.ws + W_HOLDS + i] === l + 1) {
          m[c.ws + W_HOLDS + i] = m[c.ws + W_HOLDS + n]!;
          break;
        }
      }
    }
    m[c.ws + W_HOLDS + n] = 0;
  }

  /** The lock was held: wait for it, timing the wait when stats are on (lock_stat times only these). */
  private contended(l: number, node: number): void {
    const c = this.core;
    const m = c.m;
    m[c.ws + W_WAIT_LOCK] = l + 1;
    if (!this.stats) {
      this.alg.lock(c.mem, l, node);
      m[c.ws + W_WAIT_LOCK] = 0;
      return;
    }
    const t0 = performance.now();
    this.alg.lock(c.mem, l, node);
    const wait = (performance.now() - t0) * 1e6;
    m[c.ws + W_WAIT_LOCK] = 0;
    this.waits.record(wait < 1 ? 1 : Math.round(wait));
    const f = c.f;
    const st = this.st;
    f[st + LS_CONT]! += 1;
    f[st + LS_WAIT_TOTAL]! += wait;
    if (wait < f[st + LS_WAIT_MIN]!) f[st + LS_WAIT_MIN] = wait;
    if (wait > f[st + LS_WAIT_MAX]!) f[st + LS_WAIT_MAX] = wait;
    if (m[l + this.recDelta + R_LAST] !== c.self) f[st + LS_CON_BOUNCES]! += 1;
  }

  /** lock_stat's part of an acquisition: count it and its bounce, maybe time the hold. */
  private account(rec: number): void {
    const c = this.core;
    const f = c.f;
    f[this.st + LS_ACQ]! += 1;
    if (c.m[rec + R_LAST] !== c.self) {
      f[this.st + LS_ACQ_BOUNCES]! += 1;
      c.m[rec + R_LAST] = c.self;
    }
    if (c.holdTimed) this.holdStart = performance.now();
  }

  /** This acquisition's hold was sampled: record it. */
  private holdSampled(): void {
    const hold = (performance.now() - this.holdStart) * 1e6;
    const f = this.core.f;
    const st = this.st;
    f[st + LS_HOLD_SAMPLES]! += 1;
    f[st + LS_HOLD_TOTAL]! += hold;
    if (hold < f[st + LS_HOLD_MIN]!) f[st + LS_HOLD_MIN] = hold;
    if (hold > f[st + LS_HOLD_MAX]!) f[st + LS_HOLD_MAX] = hold;
  }
}
