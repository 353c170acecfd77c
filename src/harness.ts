/**
 * One run, on the main thread: lay out the shared memory, start a piscina
 * pool of one worker per device queue, release them together from a start
 * barrier, stop them after the duration, audit, and collect the result.
 *
 * The main thread never blocks (Atomics.wait here would stop the delivery of
 * worker messages and task results): it polls the shared counters on a timer.
 * A watchdog on those polls turns a worker that makes no progress into a
 * HarnessError with a report of what every worker was doing, never a hang.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Piscina } from 'piscina';
import type { Config } from './config.js';
import { HarnessError } from './errors.js';
import { readEnv } from './env.js';
import { createShared, type Shared } from './memory.js';
import {
  CTL_FQ_TICK,
  CTL_GO,
  CTL_READY,
  CTL_STOP,
  MAX_PCT_DEPTH,
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
  SK_DEFAULT,
  SK_PREEMPT,
  ST_KIND,
  SWP_WORDS,
  SW_PRIO,
  W_PROGRESS,
  W_STATUS,
  WS_DONE,
  WS_FAILED,
  WS_RUNNING,
  schedStepAt,
  schedWorkerAt,
  workerAt,
} from './layout.js';
import { FNV_SEED, OUTCOMES, POINTS, STRATEGIES, type Strategy } from './sched.js';
import { seedState, xorshift32 } from './prng.js';
import type { DeviceTask, DeviceTaskResult } from './messages.js';
import { mergeHistograms } from './latency.js';
import { audit } from './audit.js';
import { collect } from './collect.js';
import { describeWorkers } from './describe.js';
import type { RunResult } from './result.js';

/** How often the main thread looks at the shared counters. */
const TICK_MS = 20;
/** Time the workers get to reach the start barrier. */
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * The compiled worker entry: for a controlled run the build with schedule
 * points, for a free-running one the free build (dist/free, free-build.ts),
 * which has them taken out. From sources (vitest) both come from dist/.
 */
export function workerFile(controlled: boolean): string {
  const dist = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../dist/' : '../', import.meta.url));
  const file = join(dist, controlled ? 'workers/device.js' : 'free/workers/device.js');
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

export interface RunHooks {
  /** Called every tick with seconds elapsed since the start barrier opened. */
  onTick?: (elapsedSec: number) => void;
  /**
   * A pool to run the agents in, kept across runs (explore runs hundreds of
   * short controlled runs); it must have at least as many threads as agents.
   * A failed run destroys it: the caller makes a new one.
   */
  pool?: AgentPool;
}

export type AgentPool = Piscina<DeviceTask, DeviceTaskResult>;

/** A pool of agent threads for runs of up to `agents` agents, controlled or free running. */
export function agentPool(agents: number, controlled: boolean): AgentPool {
  return new Piscina<DeviceTask, DeviceTaskResult>({
    filename: workerFile(controlled),
    minThreads: agents,
    maxThreads: agents,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
    atomics: 'disabled',
  });
}

/**
 * Per-worker progress, and when it last moved. Device workers only (the
 * switch thread naps between switches). A controlled run moves one worker at
 * a time, so there progress is the global step count.
 */
class Watchdog {
  private readonly last: number[];
  private readonly since: number[];

  constructor(
    private readonly sh: Shared,
    private readonly limitMs: number,
    now: number,
    private readonly controlled: boolean,
  ) {
    this.last = new Array<number>(sh.L.workers).fill(-1);
    this.since = new Array<number>(sh.L.workers).fill(now);
  }

  /** Workers still running that have not progressed for the limit; empty if none. */
  stuck(now: number): number[] {
    const { m, L } = this.sh;
    const out: number[] = [];
    for (let w = 0; w < L.workers; w++) {
      const ws = workerAt(L, w);
      const status = Atomics.load(m, ws + W_STATUS);
      if (status === WS_DONE || status === WS_FAILED) continue;
      const p = this.controlled ? Atomics.load(m, L.sched + SC_STEP) : Atomics.load(m, ws + W_PROGRESS);
      if (p !== this.last[w]) {
        this.last[w] = p;
        this.since[w] = now;
      } else if (now - this.since[w]! > this.limitMs) {
        out.push(w);
      }
    }
    return out;
  }

  idleMs(w: number, now: number): number {
    return now - this.since[w]!;
  }
}

/** A controlled run: who passes each schedule point is decided by `strategy`. */
export interface SchedSpec {
  strategy: Strategy;
  seed: number;
  /** PCT: bug depth d (d-1 priority change points). */
  depth: number;
  /** PCT: the run length the change points are drawn from. */
  expectedSteps: number;
  maxSteps: number;
  /** Replay: the switch points, [step, worker]; every other step takes the default choice. */
  switches: SwitchPoint[];
  stopAtViolation: boolean;
  /** Steps between flush-queue timer ticks (the fq timer of a controlled run). */
  fqEvery: number;
}

/** Set up the scheduler block of a controlled run (main thread, before the workers start). */
function initSched(sh: Shared, spec: SchedSpec): void {
  const { m, L } = sh;
  const sc = L.sched;
  m[sc + SC_MODE] = 1;
  m[sc + SC_RUNNING] = L.agents;
  m[sc + SC_MAX_STEPS] = spec.maxSteps;
  m[sc + SC_STRATEGY] = STRATEGIES.indexOf(spec.strategy);
  let rng = seedState(spec.seed, 0x5ced);
  m[sc + SC_RNG] = rng;
  m[sc + SC_HASH] = FNV_SEED;
  m[sc + SC_STOP_AT_VIOLATION] = spec.stopAtViolation ? 1 : 0;
  m[sc + SC_FQ_EVERY] = spec.fqEvery;
  const depth = Math.min(Math.max(spec.depth, 1), MAX_PCT_DEPTH);
  m[sc + SC_DEPTH] = depth;
  const draw = (n: number): number => {
    rng = xorshift32(rng);
    return (rng >>> 0) % n;
  };
  // PCT: a random permutation of priorities depth .. depth+n-1, and d-1 change points in [1, k].
  const prios = Array.from({ length: L.agents }, (_, i) => depth + i);
  for (let i = prios.length - 1; i > 0; i--) {
    const j = draw(i + 1);
    [prios[i], prios[j]] = [prios[j]!, prios[i]!];
  }
  prios.forEach((p, v) => (m[schedWorkerAt(L, v) + SW_PRIO] = p));
  for (let i = 0; i < depth - 1; i++) m[sc + SC_CHANGES + i] = 1 + draw(Math.max(1, spec.expectedSteps));
  m[sc + SC_LAST] = -1;
  m[sc + SC_CHOICES] = Math.min(spec.switches.length, L.schedSteps);
  spec.switches.slice(0, L.schedSteps).forEach(([step, worker], i) => {
    m[L.schedSwitches + i * SWP_WORDS] = step;
    m[L.schedSwitches + i * SWP_WORDS + 1] = worker;
  });
}

/** A step at which a controlled run chose another worker than the default (the last one again, else the lowest). */
export type SwitchPoint = [step: number, worker: number];

/** What a controlled run did: its outcome, its steps, and their hash. */
export interface SchedOutcome {
  strategy: Strategy;
  seed: number;
  outcome: string;
  steps: number;
  /** FNV-1a of every step's (worker, point, arg): equal hashes, equal interleavings. */
  hash: string;
  /** The schedule, as the steps that departed from the default choice. */
  switches: SwitchPoint[];
  /** Of those, the ones that preempted a worker that could have gone on. */
  preemptions: number;
  /** Step of the first violation, -1 if none. */
  violationStep: number;
  /** The steps that led to the end (or to the first violation): who passed which point. */
  tail: { step: number; worker: number; point: string; arg: number; preempted: boolean }[];
}

/** Steps kept in SchedOutcome.tail. */
const TAIL_STEPS = 24;

function readSched(sh: Shared, spec: SchedSpec): SchedOutcome {
  const { m, L } = sh;
  const sc = L.sched;
  const steps = m[sc + SC_STEP]!;
  const switches: SwitchPoint[] = [];
  let preemptions = 0;
  for (let s = 0; s < steps; s++) {
    const kind = m[schedStepAt(L, s) + ST_KIND]!;
    if (kind !== SK_DEFAULT) switches.push([s, m[schedStepAt(L, s)]!]);
    if (kind === SK_PREEMPT) preemptions++;
  }
  return {
    strategy: spec.strategy,
    seed: spec.seed,
    outcome: OUTCOMES[m[sc + SC_OUTCOME]!] ?? 'unknown',
    steps,
    hash: (m[sc + SC_HASH]! >>> 0).toString(16).padStart(8, '0'),
    switches,
    preemptions,
    violationStep: m[sc + SC_VIOLATION_STEP]! - 1,
    tail: readTail(sh, m[sc + SC_VIOLATION_STEP]! > 0 ? m[sc + SC_VIOLATION_STEP]! : steps),
  };
}

function readTail(sh: Shared, end: number): SchedOutcome['tail'] {
  const { m, L } = sh;
  const out: SchedOutcome['tail'] = [];
  for (let s = Math.max(0, end - TAIL_STEPS); s < end; s++) {
    const at = schedStepAt(L, s);
    out.push({ step: s, worker: m[at]!, point: POINTS[m[at + 1]!] ?? '?', arg: m[at + 2]!, preempted: m[at + ST_KIND] === SK_PREEMPT });
  }
  return out;
}

export async function runHarness(cfg: Config, hooks: RunHooks = {}, spec: SchedSpec | null = null): Promise<RunResult> {
  const sh = createShared(cfg, spec ? spec.maxSteps : 0);
  const { m, L } = sh;
  if (spec) initSched(sh, spec);
  const env = readEnv();
  const own = !hooks.pool;
  const pool = hooks.pool ?? agentPool(L.agents, spec !== null);
  if (pool.maxThreads < L.agents) throw new Error(`a pool of ${pool.maxThreads} threads cannot run ${L.agents} agents`);
  let failure: { worker: number; error: unknown } | null = null;
  const finished = new Array<boolean>(L.agents).fill(false);
  const results: DeviceTaskResult[] = [];
  const tasks = finished.map((_, w) =>
    pool.run({ sab: sh.sab, layout: L, config: cfg, worker: w, role: w < L.workers ? 'device' : 'switcher' }).then(
      (r) => {
        results.push(r);
        finished[w] = true;
      },
      (error: unknown) => {
        failure ??= { worker: w, error };
        finished[w] = true;
      },
    ),
  );

  const crashed = (): HarnessError => {
    const { worker, error } = failure!;
    const msg = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error && error.stack ? error.stack.split('\n').slice(1, 4).join('\n') : '';
    const who = worker < L.workers ? `worker ${worker} (device ${Math.floor(worker / L.queues)})` : 'the live-switch thread';
    return new HarnessError(`${who} crashed: ${msg}`, describeWorkers(sh, cfg, null) + (stack ? `\n${stack}` : ''), error);
  };

  // The flush-queue timer (the kernel's fq_timer); a controlled run ticks it from the schedule instead.
  const fqTimer = !spec && cfg.flush !== 'strict' ? setInterval(() => Atomics.add(m, CTL_FQ_TICK, 1), cfg.fqTimeoutMs) : null;
  try {
    const t0 = performance.now();
    while (Atomics.load(m, CTL_READY) < L.agents) {
      if (failure) throw crashed();
      if (performance.now() - t0 > STARTUP_TIMEOUT_MS) {
        throw new HarnessError(
          `only ${Atomics.load(m, CTL_READY)} of ${L.agents} workers reached the start barrier in ${STARTUP_TIMEOUT_MS / 1000} s`,
          describeWorkers(sh, cfg, null),
        );
      }
      await sleep(2);
    }
    const start = performance.now();
    Atomics.store(m, CTL_GO, 1);
    Atomics.notify(m, CTL_GO);
    const dog = new Watchdog(sh, cfg.watchdogSec * 1000, start, spec !== null);
    let stopped = false;
    for (;;) {
      await sleep(TICK_MS);
      if (failure) throw crashed();
      if (finished.every(Boolean)) break;
      const now = performance.now();
      const elapsed = (now - start) / 1000;
      if (!stopped && cfg.ops === 0 && elapsed >= cfg.durationSec) {
        Atomics.store(m, CTL_STOP, 1);
        stopped = true;
      }
      const stuck = dog.stuck(now);
      if (stuck.length > 0) {
        const running = stuck.filter((w) => Atomics.load(m, workerAt(L, w) + W_STATUS) === WS_RUNNING).length;
        throw new HarnessError(
          `no progress for ${cfg.watchdogSec} s from ${stuck.length} of ${L.workers} workers (${running} running): a lock that is never freed, a lost wake-up, or a deadlock`,
          describeWorkers(sh, cfg, (w) => dog.idleMs(w, now)),
        );
      }
      hooks.onTick?.(elapsed);
    }
  } catch (e) {
    Atomics.store(m, CTL_STOP, 1);
    await pool.destroy();
    await Promise.allSettled(tasks);
    throw e;
  } finally {
    if (fqTimer) clearInterval(fqTimer);
  }
  await Promise.all(tasks);
  if (own) await pool.destroy();
  const au = audit(sh, cfg);
  const hist = mergeHistograms(results.flatMap((r) => (r.histograms ? [r.histograms] : [])));
  return collect(sh, cfg, env, au, hist, spec ? readSched(sh, spec) : null);
}
