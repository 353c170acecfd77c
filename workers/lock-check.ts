/** Worker of the lock validation (src/locks/validate.ts): take the lock, count inside it. */
import { workerData } from 'node:worker_threads';
import type { LockDef } from '../src/api/types.js';
import { LC_COUNTER, LC_DONE, LC_GO, LC_INSIDE, LC_LOCK, LC_NODES, LC_OVERLAPS, LC_READY, type LockCheckTask } from '../src/locks/validate.js';
import { fromSpec } from '../src/modules/loader.js';
import { FreeMem } from '../src/memory/mem.js';
import { spinDelay } from '../src/locks/spin.js';

const task = workerData as LockCheckTask;
const alg = await fromSpec<LockDef>('lock', task.spec, '--lock');
const m = new Int32Array(task.sab);
const mem = new FreeMem(m);
const node = LC_NODES + task.worker * 16;
Atomics.add(m, LC_READY, 1);
while (Atomics.load(m, LC_GO) === 0) Atomics.wait(m, LC_GO, 0, 50);
let overlaps = 0;
for (let i = 0; i < task.iterations; i++) {
  alg.lock(mem, LC_LOCK, node);
  if (Atomics.add(m, LC_INSIDE, 1) !== 0) overlaps++;
  const c = m[LC_COUNTER]!;
  spinDelay(8); // a critical section long enough for a broken lock to show
  m[LC_COUNTER] = c + 1;
  Atomics.sub(m, LC_INSIDE, 1);
  alg.unlock(mem, LC_LOCK, node);
}
Atomics.add(m, LC_OVERLAPS, overlaps);
Atomics.add(m, LC_DONE, 1);
