/**
 * Worker entry of `npm run bench`: run each job (messages.ts) posted to this
 * isolate, one at a time, and post back its plain numbers or why it failed.
 */
import { parentPort } from 'node:worker_threads';
import { measureMicro } from './micro.js';
import { lockCases } from './locks.js';
import { pgtableCases } from './pgtable.js';
import { runDeviceLoop } from './loop.js';
const CASES = { locks: lockCases, pgtable: pgtableCases };
async function run(job) {
    if (job.kind === 'loop')
        return { kind: 'loop', stats: await runDeviceLoop(job.config) };
    const c = CASES[job.suite]().find((x) => x.name === job.name);
    if (!c)
        throw new Error(`no ${job.suite} benchmark named ${JSON.stringify(job.name)}`);
    return { kind: 'micro', stats: await measureMicro(c, job.profile) };
}
const port = parentPort;
if (!port)
    throw new Error('bench/worker.js is a worker thread entry');
port.on('message', (job) => {
    run(job).then((r) => port.postMessage(r), (e) => port.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
//# sourceMappingURL=worker.js.map