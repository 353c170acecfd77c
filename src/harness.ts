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
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Piscina } from 'piscina';
import type { Config } from './config.js';
import { HarnessError } from './errors.js';
import { readEnv } from './env.js';
import { createShared, type Shared } from './memory.js';
import { CTL_GO, CTL_READY, CTL_STOP, W_PROGRESS, W_STATUS, WS_DONE, WS_FAILED, WS_RUNNING, workerAt } from './layout.js';
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

/** The compiled worker entry; from sources (vitest) use the build in dist/. */
export function workerFile(): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? '../dist/workers/device.js' : '../workers/device.js';
  const file = fileURLToPath(new URL(rel, here));
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

export interface RunHooks {
  /** Called every tick with seconds elapsed since the start barrier opened. */
  onTick?: (elapsedSec: number) => void;
}

/** Per-worker progress, and when it last moved. */
class Watchdog {
  private readonly last: number[];
  private readonly since: number[];

  constructor(
    private readonly sh: Shared,
    private readonly limitMs: number,
    now: number,
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
      const p = Atomics.load(m, ws + W_PROGRESS);
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

export async function runHarness(cfg: Config, hooks: RunHooks = {}): Promise<RunResult> {
  const sh = createShared(cfg);
  const { m, L } = sh;
  const env = readEnv();
  const pool = new Piscina<DeviceTask, DeviceTaskResult>({
    filename: workerFile(),
    minThreads: L.workers,
    maxThreads: L.workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
    atomics: 'disabled',
  });
  let failure: { worker: number; error: unknown } | null = null;
  const finished = new Array<boolean>(L.workers).fill(false);
  const results: DeviceTaskResult[] = [];
  const tasks = finished.map((_, w) =>
    pool.run({ sab: sh.sab, layout: L, config: cfg, worker: w }).then(
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
    return new HarnessError(
      `worker ${worker} (device ${Math.floor(worker / L.queues)}) crashed: ${msg}`,
      describeWorkers(sh, cfg, null) + (stack ? `\n${stack}` : ''),
      error,
    );
  };

  try {
    const t0 = performance.now();
    while (Atomics.load(m, CTL_READY) < L.workers) {
      if (failure) throw crashed();
      if (performance.now() - t0 > STARTUP_TIMEOUT_MS) {
        throw new HarnessError(
          `only ${Atomics.load(m, CTL_READY)} of ${L.workers} workers reached the start barrier in ${STARTUP_TIMEOUT_MS / 1000} s`,
          describeWorkers(sh, cfg, null),
        );
      }
      await sleep(2);
    }
    const start = performance.now();
    Atomics.store(m, CTL_GO, 1);
    Atomics.notify(m, CTL_GO);
    const dog = new Watchdog(sh, cfg.watchdogSec * 1000, start);
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
  }
  await Promise.all(tasks);
  await pool.destroy();
  const au = audit(sh, cfg.tableStyle === 'refcount');
  return collect(sh, cfg, env, au, mergeHistograms(results.map((r) => r.histograms)));
}
