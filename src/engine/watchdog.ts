/**
 * The watchdog of a free-running run, on the main thread's polls of shared
 * memory. It tells a hang from starvation:
 *
 *   hang        nothing moves anywhere for --watchdog seconds: no operation
 *               completes, no lock changes hands (a lock never freed, a lost
 *               wake-up, a deadlock). The run fails with a report of what
 *               every agent was doing (exit 3).
 *   livelock    locks change hands, but no agent completes an operation (or
 *               an event) anywhere for --watchdog seconds: work that never
 *               finishes. A finding (exit 1), with the same report.
 *   starvation  some workers wait that long while others (or the lock) move
 *               on: a FIFO lock handing off to preempted waiters, a lock
 *               that never lets one worker in. A finding, reported as a
 *               warning with its figures; the run ends by its own result.
 */
import { LOCK_WORDS, type Layout, R_CLOCK, W_PROGRESS, W_STATUS, W_WAIT_LOCK, WS_DONE, WS_FAILED, workerAt } from '../memory/layout.js';

export class Watchdog {
  private readonly last: number[];
  private readonly since: number[];
  /** When each agent was first seen waiting for its current lock (-1: not waiting). */
  private readonly waitSince: number[];
  private activity = -1;
  private activitySince: number;
  /** The last time any agent completed an operation or an event (or finished). */
  private progress = -1;
  private progressSince: number;
  /** Longest wait for one lock seen, ms; agents seen stuck while others moved. */
  longestWaitMs = 0;
  private readonly starvedSet = new Set<number>();

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    private readonly limitMs: number,
    now: number,
  ) {
    this.last = new Array<number>(L.agents).fill(-1);
    this.since = new Array<number>(L.agents).fill(now);
    this.waitSince = new Array<number>(L.agents).fill(-1);
    this.activitySince = now;
    this.progressSince = now;
  }

  /**
   * Something that changes whenever anything moves: operations, agents'
   * progress marks, and every lock's clock (its record line, bumped on every
   * release: a lock changing hands moves it).
   */
  private pulse(): number {
    const { m, L } = this;
    let h = 0;
    for (let a = 0; a < L.agents; a++) h = (Math.imul(h, 31) + m[workerAt(L, a) + W_PROGRESS]!) | 0;
    for (const cls of L.lockClasses) {
      for (let i = 0; i < cls.instances; i++) h = (Math.imul(h, 31) + m[cls.records + i * LOCK_WORDS + R_CLOCK]!) | 0;
    }
    return h;
  }

  /** A poll: 'hang' when nothing has moved for the limit, 'livelock' when locks moved but no work completed, else null. */
  verdict(now: number): 'hang' | 'livelock' | null {
    const { m, L } = this;
    let done = 0;
    let work = 0;
    for (let a = 0; a < L.agents; a++) {
      const ws = workerAt(L, a);
      const status = Atomics.load(m, ws + W_STATUS);
      work = (Math.imul(work, 31) + Atomics.load(m, ws + W_PROGRESS)) | 0;
      if (status === WS_DONE || status === WS_FAILED) {
        done++;
        continue;
      }
      const p = Atomics.load(m, ws + W_PROGRESS);
      if (p !== this.last[a]) {
        this.last[a] = p;
        this.since[a] = now;
      } else if (a < L.workers && now - this.since[a]! > this.limitMs) {
        this.starvedSet.add(a);
      }
      const waiting = m[ws + W_WAIT_LOCK]! !== 0;
      if (!waiting) this.waitSince[a] = -1;
      else if (this.waitSince[a]! < 0) this.waitSince[a] = now;
      else this.longestWaitMs = Math.max(this.longestWaitMs, now - this.waitSince[a]!);
    }
    work = (Math.imul(work, 31) + done) | 0;
    if (work !== this.progress) {
      this.progress = work;
      this.progressSince = now;
    }
    const pulse = this.pulse();
    if (pulse !== this.activity) {
      this.activity = pulse;
      this.activitySince = now;
    }
    if (now - this.activitySince > this.limitMs) return 'hang';
    if (now - this.progressSince > this.limitMs) return 'livelock';
    return null;
  }

  /** Agents not done (for the grace period at the end of a run). */
  busy(): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.L.agents; a++) {
      const s = Atomics.load(this.m, workerAt(this.L, a) + W_STATUS);
      if (s !== WS_DONE && s !== WS_FAILED) out.push(a);
    }
    return out;
  }

  idleMs(a: number, now: number): number {
    return now - this.since[a]!;
  }

  get starved(): number {
    return this.starvedSet.size;
  }
}
