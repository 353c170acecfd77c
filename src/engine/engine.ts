/**
 * The engine, main-thread side: one SharedArrayBuffer and one thread per
 * agent for a design, kept for as many runs as are asked of it (explore
 * tries thousands of schedules on the same threads and memory). A run:
 * clear and set up the memory, open a new epoch, wait for every agent to
 * finish (free running: stop them after the duration), audit, and hand back
 * what happened; the full result is collected only when asked.
 *
 * The main thread never blocks (Atomics.wait here would stop the delivery
 * of worker messages): it waits with Atomics.waitAsync and timers. A
 * watchdog on its polls turns a hang into a HarnessError with a report of
 * what every agent was doing, and tells starvation (some move, some wait)
 * from it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { HistogramData } from '../results/histogram.js';
import {
  BA_DEPTH,
  BA_DIRTY_STEPS,
  BA_DIRTY_SWITCHES,
  BA_EXPECTED,
  BA_HAND_BACK,
  BA_HDR_WORDS,
  BA_LAST_STEPS,
  BA_RAN,
  BA_RUNS,
  BA_SEED,
  BA_SETUP_US,
  BA_STEPS_US,
  BA_CHECKS_US,
  BA_SPIN,
  BA_STRATEGY,
  BA_TICK_EVERY,
  BATCH_RUNS,
  BR_KEY_HI,
  BR_KEY_LO,
  BR_OUTCOME,
  BR_STEPS,
  CTL_DONE,
  CTL_EPOCH,
  CTL_HIST,
  CTL_READY,
  CTL_STOP,
  CTL_TICK,
  type Layout,
  type MemoryModelName,
  SC_STEP,
} from '../memory/layout.js';
import { STRATEGIES } from '../sched/scheduler.js';
import { type Detected, Detectors } from '../detect/detectors.js';
import { OUTCOME_DEFS, type OutcomeName } from '../races/outcome.js';
import { batchRecordAt } from './batch.js';
import { keyText } from '../search/canonical.js';
import { FindingError, HarnessError, UsageError } from '../util/errors.js';
import { initSched, readSched, type SchedOutcome, type SchedSpec } from '../sched/control.js';
import { audit, type Expectations, Findings } from '../checker/audit.js';
import type { AuditSummary } from '../results/result.js';
import { type Design, type DesignSpec, layoutOf } from './design.js';
import { AgentRuntime } from './runtime.js';
import { CUT_SHORT, type Dirty, MainSetupContext, clearShared, prepareShared } from './setup.js';
import { Watchdog } from './watchdog.js';
import { freeMem } from '../memory/mem.js';
import { allocShared, handleOf } from '../memory/shared.js';
import { agentName, describeAgents } from './describe.js';
import type { AgentData } from './worker.js';
import type { AgentMessage } from './messages.js';
import { type Crash, readFailure } from './crash.js';
import { guardMain } from './main-watchdog.js';

/** The first failure of a run: who threw, after which of its steps (-1: free running, or before its first), and what. */
export interface Failure {
  agent: number;
  step: number;
  crash: Crash;
}

/** How often the main thread looks at a free-running run. */
const TICK_MS = 20;
/** Time the agents get to load the design. */
const STARTUP_TIMEOUT_MS = 60_000;
/**
 * V8's flags for the agents, set once a process before the first agents
 * start (V8's flags are the process's, shared by every worker thread). It
 * changes what V8 compiles and when, never what the code does.
 *
 * - The inlining budget, raised. A design's pieces are called through
 *   small interfaces (the driver calls the pool, the lock class, the
 *   accessors); with the default budget (920 bytecodes a function) V8
 *   stops inlining them halfway down an operation. Callgrind, device loop
 *   (ttas): 6490 instructions an operation with the default, 5369 with these.
 * - Optimisation in the agent's own thread (--no-concurrent-recompilation).
 *   Compiled on a background thread, an operation's code is built from
 *   whatever feedback there was when the job started, and comes out
 *   differently from one thread to the next: two isolates of the same run
 *   differed by up to 15% in time an operation (bench overhead section), and
 *   one device's run at 6 M operations went 3.1-4.0 M ops/s against
 *   3.8-4.3 M in the agent's thread, alternated. The agent stops for the
 *   compile (about a tenth of a second, once), as it would have run slower
 *   code meanwhile.
 */
export const V8_FLAGS = '--max-inlined-bytecode-size-cumulative=4000 --max-inlined-bytecode-size=1000 --no-concurrent-recompilation';
let flagsSet = false;
export function setV8Flags(): void {
  if (flagsSet || process.env.IOMMU_STRESS_V8_DEFAULTS === '1') return;
  flagsSet = true;
  for (const f of V8_FLAGS.split(' ')) setFlagsFromString(f);
}

/** The heap each agent's thread may use, MB: IOMMU_STRESS_AGENT_HEAP_MB, else 2048. */
export function agentHeapMb(): number {
  const v = process.env.IOMMU_STRESS_AGENT_HEAP_MB;
  if (v === undefined || v === '') return 2048;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 16 || n > 65536) throw new UsageError(`IOMMU_STRESS_AGENT_HEAP_MB ${JSON.stringify(v)}: not a heap size (allowed: an integer number of MB from 16 to 65536)`);
  return n;
}

/** After a free-running run's time: how long busy agents get to finish their operation before they are stopped. */
export const graceMs = (watchdogSec: number): number => Math.max(3000, 2 * watchdogSec * 1000);

/** The compiled worker entry. From sources (vitest) it comes from dist/. */
export function workerFile(): string {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/workers/agent.js' : '../../workers/agent.js', here));
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

export interface RunParams {
  seed: number;
  /** Operations per device worker (0: until `durationSec` is over). */
  ops: number;
  durationSec: number;
  /** A controlled run's schedule, or null to run free. */
  sched: SchedSpec | null;
  /** Free running: called every poll with seconds elapsed. */
  onTick?: (elapsedSec: number) => void;
  /** Free running with statistics on: the agents send their latency and wait histograms [true]. A search that keeps only outcomes (hunt) leaves them. */
  histograms?: boolean;
  /** Stop the run (and the engine, which cannot run again) when it aborts: the call rejects with its reason. */
  signal?: AbortSignal;
  /**
   * The caller's own work on the last run's results, done once this run's agents were told to start:
   * it fills the time they take to wake up instead of adding to the time between runs (explore's trace keys).
   */
  meanwhile?: () => void;
}

/** A batch of random or PCT runs the agents make among themselves (engine/batch.ts), seeds `seed`, `seed` + 1, ... */
export interface BatchParams {
  strategy: 'random' | 'pct';
  seed: number;
  /** At most BATCH_RUNS. */
  runs: number;
  depth: number;
  expectedSteps: number;
  signal?: AbortSignal;
}

/** What a batch made: the runs it kept, in order, and the one it handed back (a forbidden outcome, a crash, a throw in the setup or checks). */
export interface BatchEnd {
  runs: { outcome: OutcomeName; steps: number; key: string }[];
  /** The index of the run the caller must make itself on the usual path, or -1. */
  handBack: number;
  /** The batch's time in each phase of its runs, µs (agent 0's clock). */
  setupUs: number;
  stepsUs: number;
  checksUs: number;
}

/** A batch that stopped moving or lost a thread (`cause`): the engine is closed; the caller makes the run after `kept` itself, on the usual path (which reports what went wrong). */
export class BatchFailed extends Error {
  override readonly name = 'BatchFailed';
  constructor(
    readonly kept: BatchEnd['runs'],
    cause: unknown,
  ) {
    super('a batch of controlled runs failed', { cause });
  }
}

/** What a run left, before its full result is collected (collect.ts). */
export interface RunEnd {
  seed: number;
  /** performance.now() at the start and the end. */
  startMs: number;
  endMs: number;
  sched: SchedOutcome | null;
  /** The run's first failure (an agent's code threw), as the agent wrote it into shared memory. */
  crash: Failure | null;
  findings: Findings;
  audit: AuditSummary;
  /** Agents stopped by the harness after the grace period (their last operation is not counted; the audit was skipped). */
  stopped: number[];
  watchdog: { longestWaitMs: number; starved: number } | null;
  histograms: { map: HistogramData[]; unmap: HistogramData[]; waits: HistogramData[][] };
}

export class Engine {
  readonly sab: SharedArrayBuffer;
  readonly m: Int32Array;
  readonly f: Float64Array;
  readonly main: AgentRuntime;
  private readonly workers: Worker[] = [];
  private epoch = 0;
  private dirty: Dirty = { steps: 0, switches: 0 };
  private failure: { agent: number; message: string; stack: string; usage?: boolean } | null = null;
  private hist: AgentMessage[] = [];
  private dead = false;
  /** Names of the design's agents, for reports. */
  readonly agentNames: string[];
  private detectors_: Detectors | null = null;

  /** What the detectors find in the run that just ended: a controlled one of `steps` steps, or (null) a free-running one (lock order only). Made once, kept with the engine. */
  detect(steps: number | null): Detected {
    if (this.detectors_ === null) this.detectors_ = new Detectors(this.m, this.L);
    return this.detectors_.check(steps);
  }

  private constructor(
    readonly design: Design,
    readonly spec: DesignSpec,
    readonly L: Layout,
  ) {
    this.sab = allocShared(L.bytes);
    this.m = new Int32Array(this.sab);
    this.f = new Float64Array(this.sab);
    this.main = new AgentRuntime(this.sab, L, design, L.mainSlot);
    this.agentNames = design.agents.map((a) => a.name);
  }

  /** Lay out the memory for a design and start its agents' threads. `controlledSteps`: the longest controlled run (0: free running only); `memoryModel`: what controlled runs' loads may read. */
  static async open(design: Design, spec: DesignSpec, controlledSteps = 0, memoryModel: MemoryModelName = 'sc'): Promise<Engine> {
    setV8Flags();
    const L = guardMain(`the design's sizing functions (domainWords, workerWords, round, cachedPages, pendingPages of driver ${design.driver.name}, allocator ${design.allocator.name}, flush ${design.flush.name})`, design.config.watchdogSec * 1000, () => layoutOf(design, controlledSteps, memoryModel));
    const e = new Engine(design, spec, L);
    Engine.open_.add(e);
    await e.start();
    return e;
  }

  /**
   * Held while the engine is open: the main thread waits on its agents with Atomics.waitAsync, whose
   * timeouts do not keep Node's event loop alive, so with every agent's thread gone (a design that calls
   * process.exit in a worker) the process would end in the middle of a wait, exit 0, nothing said.
   */
  private readonly keepAlive = setInterval(() => {}, 1 << 30);

  /** Engines not yet closed: what a stopped main thread (main-watchdog.ts) or an abort leaves to close. */
  private static readonly open_ = new Set<Engine>();

  /** Close every engine of the process (their threads stopped). */
  static async closeAll(): Promise<void> {
    await Promise.all([...Engine.open_].map((e) => e.close()));
  }

  private async start(): Promise<void> {
    const file = workerFile();
    for (let a = 0; a < this.L.agents; a++) {
      const data: AgentData = { shared: handleOf(this.sab), layout: this.L, spec: this.spec, agent: a };
      // A heap of its own, limited: an agent that exhausts it is stopped alone (ERR_WORKER_OUT_OF_MEMORY), not the process.
      const w = new Worker(file, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: agentHeapMb() } });
      w.on('message', (msg: AgentMessage) => {
        // A failure of an earlier run (its message can arrive after the next run began) is not this run's.
        if (msg.kind === 'failed') {
          if (msg.epoch === 0 || msg.epoch === this.epoch) this.failure ??= { agent: msg.agent, message: msg.message, stack: msg.stack, usage: msg.usage ?? false };
        }
        else this.hist.push(msg);
      });
      w.on('error', (err: Error & { code?: string }) => {
        const message = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of memory: its heap is limited to ${agentHeapMb()} MB (IOMMU_STRESS_AGENT_HEAP_MB sets it): ${err.message}` : err.message;
        this.failure ??= { agent: a, message, stack: err.stack ?? '' };
      });
      w.on('exit', (code) => {
        if (!this.dead) this.failure ??= { agent: a, message: `its thread exited (code ${code})`, stack: '' };
      });
      this.workers.push(w);
    }
    const t0 = performance.now();
    for (;;) {
      const ready = Atomics.load(this.m, CTL_READY);
      const block = this.failure ? null : readFailure(this.m, this.L);
      if (block) this.failure = { agent: block.agent, message: block.crash.message, stack: ['', ...block.crash.stack].join('\n'), usage: block.crash.usage };
      if (this.failure) {
        await this.close();
        const what = `${agentName(this.L, this.failure.agent, this.agentNames)} failed to start: ${this.failure.message}`;
        if (this.failure.usage) throw new UsageError(what);
        throw new HarnessError(what, '');
      }
      if (ready >= this.L.agents) return;
      if (performance.now() - t0 > STARTUP_TIMEOUT_MS) {
        await this.close();
        throw new HarnessError(`only ${ready} of ${this.L.agents} agents started in ${STARTUP_TIMEOUT_MS / 1000} s`, '');
      }
      const w = Atomics.waitAsync(this.m, CTL_READY, ready, 200);
      if (w.async) await w.value;
    }
  }

  /** Hand control over by spinning only where the agents (and the main thread's occasional turn) fit the cores. */
  static spinFits(agents: number): boolean {
    return agents <= availableParallelism();
  }

  async run(p: RunParams): Promise<RunEnd> {
    if (this.dead) throw new Error('this engine was stopped: open a new one');
    const { m, L } = this;
    const d = this.design;
    clearShared(m, L, this.dirty);
    const findings = new Findings(d.invariants);
    const expectations: Expectations = new Map();
    const setup = new MainSetupContext(this.main, findings, expectations);
    // One guarded region for the whole setup (the design's calls in it name themselves): its watchdog costs one mark, not one a call.
    guardMain(`the setup of a run (${d.race ? `race ${d.race.name}` : `driver ${d.driver.name}`})`, d.config.watchdogSec * 1000, () => prepareShared(this.main, p.seed, p.ops, setup));
    if (p.sched) initSched(m, L, p.sched);
    const wantHist = !p.sched && d.config.stats === 'on' && p.histograms !== false;
    Atomics.store(m, CTL_HIST, wantHist ? 1 : 0);
    this.hist = [];
    this.failure = null;

    const startMs = performance.now();
    this.epoch++;
    Atomics.store(m, CTL_DONE, 0);
    Atomics.store(m, CTL_EPOCH, this.epoch);
    Atomics.notify(m, CTL_EPOCH);
    p.meanwhile?.();

    let stopped: number[] = [];
    let dog: Watchdog | null = null;
    if (p.sched) {
      await this.awaitControlled(p.signal);
    } else {
      dog = new Watchdog(m, L, d.config.watchdogSec * 1000, startMs);
      stopped = await this.awaitFree(p, dog, startMs);
    }
    const endMs = performance.now();
    const sched = p.sched ? readSched(m, L, p.sched.strategy, p.sched.seed) : null;
    if (sched) this.dirty = { steps: sched.steps, switches: p.sched!.switches.length };

    // The race's checks and the audit, unless agents were stopped mid-operation
    // (free running past the grace period; controlled, at the step limit or where a replayed schedule stopped applying).
    const cutShort = sched !== null && CUT_SHORT.has(sched.outcome);
    let au: AuditSummary;
    if (stopped.length === 0 && !cutShort) {
      this.main.log.op = -1;
      au = guardMain(`the checks after a run (${d.race ? `race ${d.race.name}` : `driver ${d.driver.name}`})`, d.config.watchdogSec * 1000, () => {
        if (d.race?.check) this.main.call('race', 'check', () => d.race!.check!(setup));
        return audit(m, this.f, L, this.main.mem, d, findings, expectations, d.agents.map((a) => a.device ?? -1), this.main.call);
      });
    } else {
      au = { domains: L.domains, liveBuffers: 0, livePages: 0, mappedPages: 0, tablesInUse: 0, tablesFree: 0, tablePool: L.nTables - 1, iovaPagesAllocated: 0, done: false };
    }
    if (wantHist && stopped.length === 0) await this.awaitHistograms();
    const hists = this.hist.filter((h): h is Extract<AgentMessage, { kind: 'histograms' }> => h.kind === 'histograms' && h.epoch === this.epoch);
    return {
      seed: p.seed,
      startMs,
      endMs,
      sched,
      crash: readFailure(m, L),
      findings,
      audit: au,
      stopped,
      watchdog: dog ? { longestWaitMs: dog.longestWaitMs, starved: dog.starved } : null,
      histograms: { map: hists.map((h) => h.map), unmap: hists.map((h) => h.unmap), waits: hists.map((h) => h.waits) },
    };
  }

  /**
   * Make a batch of controlled runs in the agents' threads, with no turn of
   * the main thread between them (engine/batch.ts). Rejects with
   * BatchFailed where the batch stopped moving or a thread was lost (the
   * engine is then closed), with the signal's reason where it aborted.
   */
  async runBatch(p: BatchParams): Promise<BatchEnd> {
    if (this.dead) throw new Error('this engine was stopped: open a new one');
    const { m, L } = this;
    const b = L.batch;
    if (b === 0) throw new Error('runBatch: the engine was opened for free running');
    const n = Math.max(1, Math.min(p.runs, BATCH_RUNS));
    m.fill(0, b, b + BA_HDR_WORDS);
    m[b + BA_SEED] = p.seed | 0;
    m[b + BA_STRATEGY] = STRATEGIES.indexOf(p.strategy);
    m[b + BA_DEPTH] = p.depth;
    m[b + BA_EXPECTED] = p.expectedSteps;
    m[b + BA_TICK_EVERY] = this.design.timerEverySteps;
    m[b + BA_SPIN] = Engine.spinFits(L.agents) ? 1 : 0;
    m[b + BA_DIRTY_STEPS] = this.dirty.steps;
    m[b + BA_DIRTY_SWITCHES] = this.dirty.switches;
    m[b + BA_LAST_STEPS] = this.dirty.steps;
    m[b + BA_HAND_BACK] = -1;
    m[b + BA_RUNS] = n;
    Atomics.store(m, CTL_HIST, 0);
    this.failure = null;
    this.epoch++;
    Atomics.store(m, CTL_DONE, 0);
    Atomics.store(m, CTL_EPOCH, this.epoch);
    Atomics.notify(m, CTL_EPOCH);
    const kept = (): BatchEnd['runs'] => {
      const out: BatchEnd['runs'] = [];
      const ran = Atomics.load(m, b + BA_RAN);
      for (let i = 0; i < ran; i++) {
        const at = batchRecordAt(L, i);
        out.push({ outcome: OUTCOME_DEFS[m[at + BR_OUTCOME]!]!.name, steps: m[at + BR_STEPS]!, key: keyText(m[at + BR_KEY_HI]!, m[at + BR_KEY_LO]!) });
      }
      return out;
    };
    try {
      await this.awaitControlled(p.signal, true);
    } catch (err) {
      if (p.signal?.aborted) throw err;
      await this.close();
      throw new BatchFailed(kept(), err);
    }
    m[b + BA_RUNS] = 0;
    // What the next run clears: the steps of the batch's last run (every earlier one was cleared in the batch).
    this.dirty = { steps: Math.max(m[b + BA_LAST_STEPS]!, 0), switches: this.dirty.switches };
    return { runs: kept(), handBack: m[b + BA_HAND_BACK]!, setupUs: m[b + BA_SETUP_US]!, stepsUs: m[b + BA_STEPS_US]!, checksUs: m[b + BA_CHECKS_US]! };
  }

  private crashed(): HarnessError {
    const f = this.failure!;
    const block = readFailure(this.m, this.L);
    const who = agentName(this.L, f.agent, this.agentNames);
    const stack = f.stack ? f.stack.split('\n').slice(1, 7).join('\n') : '';
    const where = block && block.agent === f.agent && block.crash.where ? ` (at ${block.crash.where})` : '';
    return new HarnessError(`${who} crashed: ${f.message}${where}`, this.describe(null) + (stack ? `\nwhere ${who} threw:\n${stack}` : ''));
  }

  describe(idle: ((a: number) => number) | null): string {
    const c = this.design.config;
    const look = freeMem(this.m);
    const isLocked = (l: number): boolean => {
      try {
        return this.main.call('lock', 'locked', () => this.design.lock.locked(look, l));
      } catch {
        return false;
      }
    };
    return describeAgents(this.m, this.L, `driver ${this.design.driver.name}, lock ${c.lock}, group size ${c.groupSize}`, this.agentNames, idle, isLocked);
  }

  /** A controlled run ends by itself (the decider sees deadlocks); the watchdog only catches code that never reaches a point. */
  /** The call that gave `signal` was aborted: stop the agents (the engine cannot run again) and reject with its reason. */
  private async abortIf(signal: AbortSignal | undefined): Promise<void> {
    if (!signal?.aborted) return;
    await this.close();
    signal.throwIfAborted();
  }

  private async awaitControlled(signal?: AbortSignal, batch = false): Promise<void> {
    const { m, L } = this;
    const limitMs = this.design.config.watchdogSec * 1000;
    let lastStep = -1;
    let lastRan = -1;
    let since = performance.now();
    for (;;) {
      const done = Atomics.load(m, CTL_DONE);
      // A throw in an agent's code is the run's outcome (crash), kept in shared memory; a thread that
      // died without one (an error outside the run's code, a thread that exited) is the harness's failure.
      if (this.failure && readFailure(m, L) === null) {
        const err = this.crashed();
        await this.close();
        throw err;
      }
      if (done >= L.agents) return;
      await this.abortIf(signal);
      const w = Atomics.waitAsync(m, CTL_DONE, done, 500);
      if (w.async) await w.value;
      const step = Atomics.load(m, L.sched + SC_STEP);
      // A batch moves on from run to run (two runs of one length end at the same step).
      const ran = batch ? Atomics.load(m, L.batch + BA_RAN) : 0;
      const now = performance.now();
      if (step !== lastStep || ran !== lastRan) {
        lastStep = step;
        lastRan = ran;
        since = now;
      } else if (now - since > limitMs && Atomics.load(m, CTL_DONE) < L.agents) {
        const report = this.describe(null);
        await this.close();
        throw new HarnessError(`controlled run: no scheduler step for ${this.design.config.watchdogSec} s at step ${step}: an agent loops or blocks without reaching a schedule point (code that waits outside the accessors?)`, report);
      }
    }
  }

  private async awaitFree(p: RunParams, dog: Watchdog, start: number): Promise<number[]> {
    const { m, L } = this;
    const c = this.design.config;
    const timer = setInterval(() => Atomics.add(m, CTL_TICK, 1), c.fqTimeoutMs);
    let stopAt = -1;
    try {
      for (;;) {
        await sleep(TICK_MS);
        await this.abortIf(p.signal);
        if (this.failure) {
          Atomics.store(m, CTL_STOP, 1);
          throw this.crashed();
        }
        if (Atomics.load(m, CTL_DONE) >= L.agents) return [];
        const now = performance.now();
        const elapsed = (now - start) / 1000;
        if (stopAt < 0 && p.ops === 0 && elapsed >= p.durationSec) {
          Atomics.store(m, CTL_STOP, 1);
          stopAt = now;
        }
        const verdict = dog.verdict(now);
        if (verdict !== null) {
          Atomics.store(m, CTL_STOP, 1);
          const report = this.describe((a) => dog.idleMs(a, now));
          await this.close();
          if (verdict === 'livelock') {
            throw new FindingError(
              `livelock: no operation completed anywhere for ${c.watchdogSec} s while locks kept changing hands: work that never finishes (a retry that never succeeds, a wait loop taking and dropping a lock)`,
              report,
              'livelock',
            );
          }
          throw new HarnessError(
            `no progress anywhere for ${c.watchdogSec} s (no operation completed, no lock changed hands): a lock that is never freed, a lost wake-up, or a deadlock`,
            report,
          );
        }
        if (stopAt >= 0 && now - stopAt > graceMs(c.watchdogSec)) {
          // Starvation past the end of the run: stop the agents still waiting, in bounded time.
          const busy = dog.busy();
          await this.close();
          return busy;
        }
        p.onTick?.(elapsed);
      }
    } finally {
      clearInterval(timer);
    }
  }

  private async awaitHistograms(): Promise<void> {
    const want = this.L.agents;
    const t0 = performance.now();
    while (this.hist.filter((h) => h.kind === 'histograms' && h.epoch === this.epoch).length < want && performance.now() - t0 < 5000) await sleep(1);
  }

  /** Stop the agents' threads (the engine cannot run again). */
  async close(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    clearInterval(this.keepAlive);
    Engine.open_.delete(this);
    Atomics.store(this.m, CTL_STOP, 1);
    Atomics.store(this.m, CTL_EPOCH, -1);
    Atomics.notify(this.m, CTL_EPOCH);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  get closed(): boolean {
    return this.dead;
  }
}
