/**
 * The device loop: what one worker thread does, as one queue of one DMA
 * device. Every operation completes one in-flight buffer when the ring is
 * full and issues a new one, through the DMA path it was given (dma.ts):
 *
 *   complete:  unmap, hand the range to the flush policy, free the IOVA
 *   issue:     allocate an IOVA, map, DMA every page and check where it landed
 *
 * It knows no design: the driver, allocator, flush policy and lock are
 * behind the DMA path, the same objects for the worker's whole life, so V8
 * sees one shape at every call site. Hot path rules: nothing allocated, no
 * closures, no timestamps unless an operation is sampled; progress and phase
 * are plain stores the watchdog reads; the counters of a run are kept in
 * fields and written to shared memory once, at its end.
 */
import type { NsHistogram } from '../results/histogram.js';
import { performance } from 'node:perf_hooks';
import type { Config } from '../api/types.js';
import {
  CTL_OPS,
  CTL_STOP,
  C_DMAS,
  C_CPU_NS,
  C_CLOCK_NS,
  CTL_SEED,
  C_END_MS,
  C_MAP_CALLS,
  C_OPS,
  C_PAGES,
  C_START_MS,
  C_UNMAP_CALLS,
  PH_IDLE,
  W_PARK,
  W_PHASE,
  W_PROGRESS,
} from '../memory/layout.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import { type DmaIommu, type DmaBounce, type RunCounts, nsSince } from './dma.js';
import { busyWaitNs } from './iotlb.js';
import { threadCpuNs } from '../util/thread-cpu.js';
import { E_HOLD_FOREVER, E_OP } from './trace.js';

/** The lock a hold-forever fault takes: its address and a function that takes it. */
export interface HeldForever {
  lock: number;
  take(): void;
}

/** Lock counts go to shared memory every this many operations + 1 (and at the end): a worker stopped past its run's end loses at most as many. */
const LOCK_FLUSH_MASK = 255;

/**
 * With --stats on, the first this many operations are all sampled, and
 * their samples then dropped (for each kind sampled more sparsely than
 * that: with --hold-sample 1 every operation is sampled from the start).
 * V8 compiles an operation's code from what the code has done so far: a
 * sampled path first taken after that (at operation 1024 with
 * --latency-sample 1024, say) throws the compiled operation away and has it
 * compiled again, some 40 ms of this worker's time, which cost
 * --latency-sample 1024 --hold-sample 1024 twice what 256 did. The
 * warm-up's own samples are of code not yet compiled, and not kept.
 */
export const WARM_SAMPLED_OPS = 64;

/**
 * The gap to the next sampled operation, for one in `every` on average: drawn
 * uniformly from 1 .. 2 every - 1 (every 1: each one). Sampling at fixed
 * operation numbers (every 256th) lands in step with what a workload does
 * periodically: a next-fit IOVA allocator crosses into a new leaf table
 * every 512 pages, so every sampled map of a 1-page workload installed a
 * table, and the map p50 read 3.4 times the dense one. Drawn gaps sample
 * every phase of such a period alike.
 */
export function sampleGap(state: Int32Array, every: number): number {
  if (every <= 1) return 1;
  let x = state[0]!;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  state[0] = x;
  // Under 2^30 (a small integer to V8): the countdown stays an integer in the loop, never a boxed number.
  return 1 + ((x >>> 2) % (2 * every - 1));
}

/** Gaps drawn a run, each kind (a power of two): the ring's sum is no multiple of a workload's period but by chance. */
const GAPS = 1024;

/** Clock pairs measured at the start of a run with samples: blocks of this many, this many blocks. */
const CLOCK_PAIRS = 256;
const CLOCK_BLOCKS = 8;

/**
 * What a pair of clock reads costs here, ns, as the samples take them: back
 * to back, the mean of the middle half of a block of pairs, the lowest of the blocks (the
 * first ones run before V8 compiled the reads: 140 ns a pair on this VM,
 * against 40 after). A timed interval holds the part of its first read
 * after the clock was read and the part of the second before: one pair,
 * taken off every sample.
 */
export function clockPairNs(): number {
  const d = new Float64Array(CLOCK_PAIRS);
  let best = Infinity;
  for (let b = 0; b < CLOCK_BLOCKS; b++) {
    for (let i = 0; i < CLOCK_PAIRS; i++) {
      const t0 = performance.now();
      d[i] = (performance.now() - t0) * 1e6;
    }
    d.sort();
    // The mean of the middle half: the clock ticks in steps of about 10 ns here, and a median would be one of them.
    let sum = 0;
    for (let i = CLOCK_PAIRS >> 2; i < (3 * CLOCK_PAIRS) >> 2; i++) sum += d[i]!;
    best = Math.min(best, sum / (CLOCK_PAIRS >> 1));
  }
  return best;
}

export class DeviceLoop {
  private readonly m: Int32Array;
  private readonly inflight: number;
  private readonly randomCompletion: boolean;
  private readonly dmaLive: boolean;
  private readonly delayNs: number;
  /** Time one operation in latencyMask + 1, hold times in holdMask + 1; -1: never. */
  private readonly latencyMask: number;
  private readonly holdMask: number;
  /** Operation at which an injected fault fires, -1 if none. */
  private readonly injectAt: number;
  /** The gaps between sampled operations, drawn at the start of each run (sampleGap), used in turn. */
  private readonly latencyGaps = new Int32Array(GAPS);
  private readonly holdGaps = new Int32Array(GAPS);

  constructor(
    private readonly core: AgentCore,
    private readonly cfg: Config,
    private readonly log: ViolationLog,
    private readonly dma: DmaIommu | DmaBounce,
    private readonly counts: RunCounts,
    readonly unmapLatency: NsHistogram,
    private readonly inject: HeldForever | null,
  ) {
    const L = core.L;
    this.m = core.m;
    this.inflight = L.inflight;
    this.randomCompletion = cfg.completion === 'random';
    this.dmaLive = cfg.dmaLive === 'on' && L.inflight > 1;
    this.delayNs = cfg.delayNs;
    const stats = cfg.stats === 'on' && !L.controlled;
    this.latencyMask = stats && cfg.latencySample > 0 ? cfg.latencySample - 1 : -1;
    this.holdMask = stats ? cfg.holdSample - 1 : -1;
    const device = Math.floor(core.agent / L.queues);
    const inj = cfg.inject;
    this.injectAt = inj && inj.device === device && core.agent % L.queues === 0 ? inj.afterOps : -1;
  }

  /**
   * One run: until the main thread says stop, or the run's operations are
   * done. Each operation completes a buffer if the ring is full, then issues
   * one. Written as one loop over locals: the operation's two calls (the
   * DMA path's complete and issue) may change anything as far as V8 knows,
   * so a field read after them is read again, with its checks, every time.
   */
  run(): void {
    const m = this.m;
    const core = this.core;
    const f = core.f;
    const mem = core.mem;
    const log = this.log;
    const dma = this.dma;
    const inflight = this.inflight;
    const randomCompletion = this.randomCompletion;
    const latencyMask = this.latencyMask;
    const holdMask = this.holdMask;
    const detail = core.detail;
    const injectAt = this.injectAt;
    const progress = core.ws + W_PROGRESS;
    const extra = this.dmaLive || this.delayNs > 0;
    // Operations every one of which is sampled, then dropped: for each kind sampled more sparsely than every WARM_SAMPLED_OPS.
    const latencyWarm = latencyMask >= WARM_SAMPLED_OPS ? WARM_SAMPLED_OPS : 0;
    const holdWarm = holdMask >= WARM_SAMPLED_OPS ? WARM_SAMPLED_OPS : 0;
    // Drawn gaps between samples (sampleGap), from a generator of their own (the workload's draws stay as they were),
    // drawn before the loop into a ring each: the loop loads the next, it calls nothing.
    const latencyGaps = this.latencyGaps;
    const holdGaps = this.holdGaps;
    const state = new Int32Array([(Atomics.load(m, CTL_SEED) ^ Math.imul(core.agent + 1, 0x9e3779b1)) | 1]);
    // Sampled as often, latency and holds are sampled in the same operations: a sampled operation's extra cost
    // (its clock reads, a mispredicted branch or two, its histograms) is paid in one operation in N, not two.
    // Their samples nest (a hold inside a timed map), and what the inner one spends measuring is taken off the outer.
    for (let i = 0; i < GAPS; i++) {
      latencyGaps[i] = sampleGap(state, latencyMask + 1);
      holdGaps[i] = holdMask === latencyMask ? latencyGaps[i]! : sampleGap(state, holdMask + 1);
    }
    let latencyAt = 0;
    let holdAt = 0;
    let latencyIn = latencyMask >= 0 ? latencyGaps[0]! : -1;
    let holdIn = holdMask >= 0 ? holdGaps[0]! : -1;
    if (latencyMask >= 0 || holdMask >= 0) core.clockNs = f[core.cb + C_CLOCK_NS] = clockPairNs();
    const warmOps = Math.max(latencyWarm, holdWarm) || -1;
    const ops = Atomics.load(m, CTL_OPS);
    const limit = ops > 0 ? ops : Infinity;
    f[core.cb + C_START_MS] = performance.timeOrigin + performance.now();
    // Not in a controlled run: two reads of /proc a run would be a tenth of a schedule's time. Read inside the
    // wall-clock interval (after its start, before its end), so the thread's CPU time can never exceed it.
    const cpu0 = core.L.controlled ? -1 : threadCpuNs();
    mem.point('start', core.agent);
    let op = 0;
    try {
      // A plain read of the stop word: written once by the main thread, read afresh every operation.
      while (op < limit && m[CTL_STOP] === 0) {
        if (op === injectAt) this.injectFault(op);
        mem.point('op', op);
        core.op = op;
        log.op = op;
        if (detail) {
          core.trace(E_OP, op);
          core.sched!.progressed();
        }
        // A countdown each (-1: never): no branch on the operation's number, nothing drawn between samples.
        const timed = (latencyIn > 0 && --latencyIn === 0) || op < latencyWarm;
        if (latencyIn === 0) latencyIn = latencyGaps[++latencyAt & (GAPS - 1)]!;
        const held = (holdIn > 0 && --holdIn === 0) || op < holdWarm;
        if (holdIn === 0) holdIn = holdGaps[++holdAt & (GAPS - 1)]!;
        core.holdTimed = held;
        core.lockHook = held || detail;
        dma.tick();
        let slot = op;
        if (op >= inflight) {
          // An int32 (randomBelow, not random() % n): every index computed from the slot stays in integer arithmetic.
          slot = randomCompletion ? core.randomBelow(inflight) : op % inflight;
          const n0 = timed ? core.instrNs : 0;
          const t0 = timed ? performance.now() : 0;
          dma.complete(slot);
          if (timed) this.unmapLatency.record(Math.max(0, nsSince(t0) - core.clockNs - (core.instrNs - n0)));
        }
        if (timed) core.mapInstr0 = core.instrNs;
        if (!dma.issue(slot, timed ? performance.now() : 0)) break;
        if (extra) this.afterIssue(slot);
        op++;
        m[progress] = op;
        if ((op & LOCK_FLUSH_MASK) === 0) core.flushLocks();
        if (op === warmOps) this.dropWarmSamples(latencyWarm > 0, holdWarm > 0);
      }
    } finally {
      // Written once: what the run did, even if the scheduler ended it mid-operation.
      core.flushLocks();
      const c = this.counts;
      f[core.cb + C_OPS] = op;
      f[core.cb + C_PAGES] = c.pages;
      f[core.cb + C_DMAS] = c.dmas;
      f[core.cb + C_MAP_CALLS] = c.mapCalls;
      f[core.cb + C_UNMAP_CALLS] = c.unmapCalls;
      f[core.cb + C_CPU_NS] = cpu0 < 0 ? -1 : threadCpuNs() - cpu0;
      f[core.cb + C_END_MS] = performance.timeOrigin + performance.now();
      m[core.ws + W_PHASE] = PH_IDLE;
    }
  }

  /** The warm-up is over: forget the latency samples, or the hold and wait samples, it took (WARM_SAMPLED_OPS). */
  private dropWarmSamples(latency: boolean, holds: boolean): void {
    if (latency) {
      this.unmapLatency.reset();
      this.dma.mapLatency.reset();
    }
    if (holds) for (const l of this.core.locks) l.dropSamples();
  }

  /** --dma-live and --delay-ns: what follows an issue when either is set. */
  private afterIssue(slot: number): void {
    if (this.dmaLive) this.dma.dmaLive(slot);
    if (this.delayNs > 0) busyWaitNs(this.delayNs);
  }

  /** --inject hold-forever (a harness self-test): take the table lock and never return; throw: throw. */
  private injectFault(op: number): void {
    const inj = this.cfg.inject!;
    const device = Math.floor(this.core.agent / this.core.L.queues);
    if (inj.kind === 'throw') throw new Error(`injected fault: device ${device} throws after ${op} operations`);
    const h = this.inject!;
    this.m[this.core.ws + W_PHASE] = 2; // map
    h.take();
    this.core.trace(E_HOLD_FOREVER, h.lock);
    for (;;) Atomics.wait(this.m, this.core.ws + W_PARK, 0);
  }
}
