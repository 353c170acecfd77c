/**
 * Benchmark jobs run in worker threads, that is, in isolates of their own.
 * Why: V8 shares call-site feedback between closures of one function
 * literal, so benchmarking six lock algorithms through one loop in one
 * isolate turns `alg.lock(...)` megamorphic and slows whichever lock runs
 * later (measured here: futex 34 ns alone, 55 ns after the others). A device
 * worker only ever sees one lock and one configuration; so does an isolate.
 *
 * An Isolate runs jobs one at a time; it may run several.
 */
import { Worker } from 'node:worker_threads';
import type { BenchJob, JobResult, MicroJob, MicroStats, WorkerReply } from './messages.js';

export class Isolate {
  private readonly worker: Worker;
  private pending: { resolve: (r: JobResult) => void; reject: (e: Error) => void; what: string } | null = null;
  private dead: Error | null = null;

  /** `entry`: the worker script; by default this build's bench/worker.js. */
  constructor(entry: URL = new URL('./worker.js', import.meta.url)) {
    this.worker = new Worker(entry);
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (m.kind === 'failed') p.reject(new Error(`${p.what}: ${m.message}`));
      else p.resolve(m);
    });
    const fail = (e: Error): void => {
      this.dead ??= e;
      const p = this.pending;
      this.pending = null;
      p?.reject(new Error(`${p.what}: ${e.message}`));
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`bench worker exited (code ${code})`)));
  }

  run(job: BenchJob): Promise<JobResult> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('an Isolate runs one job at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, what: describe(job) };
      this.worker.postMessage(job);
    });
  }

  async runMicro(job: Omit<MicroJob, 'kind'>): Promise<MicroStats> {
    const r = await this.run({ kind: 'micro', ...job });
    return r.stats;
  }

  async close(): Promise<void> {
    this.dead ??= new Error('isolate closed');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

const describe = (job: BenchJob): string => `${job.suite}/${job.name}`;

/** One micro case in a fresh isolate of its own. */
export async function runMicroIsolated(job: Omit<MicroJob, 'kind'>): Promise<MicroStats> {
  const iso = new Isolate();
  try {
    return await iso.runMicro(job);
  } finally {
    await iso.close();
  }
}
