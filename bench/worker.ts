/**
 * Worker entry of `npm run bench`: run each job (messages.ts) posted to this
 * isolate, one at a time, and post back its plain numbers or why it failed.
 */
import { parentPort } from 'node:worker_threads';
import type { BenchJob, JobResult, Suite, WorkerReply } from './messages.js';
import { measureMicro, type MicroCase } from './micro.js';
import { lockCases } from './locks.js';
import { pgtableCases } from './pgtable.js';

const CASES: Record<Suite, () => MicroCase[]> = { locks: lockCases, pgtable: pgtableCases };

async function run(job: BenchJob): Promise<JobResult> {
  const c = CASES[job.suite]().find((x) => x.name === job.name);
  if (!c) throw new Error(`no ${job.suite} benchmark named ${JSON.stringify(job.name)}`);
  return { kind: 'micro', stats: await measureMicro(c, job.profile) };
}

const port = parentPort;
if (!port) throw new Error('bench/worker.js is a worker thread entry');
port.on('message', (job: BenchJob) => {
  run(job).then(
    (r) => port.postMessage(r satisfies WorkerReply),
    (e: unknown) => port.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies WorkerReply),
  );
});
