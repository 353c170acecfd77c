/** Worker of the lock validation (src/locks/validate.ts): take the lock, count inside it. */
import { workerData } from 'node:worker_threads';
import type { LockDef } from '../src/api/types.js';
import {
  LC_COUNTER,
  LC_DONE,
  LC_GO,
  LC_INSIDE,
  LC_LOCK,
  LC_OVERLAPS,
  LC_READY,
  LC_TRYLOCKS,
  LC_UNLOCKED_INSIDE,
  type LockCheckTask,
  TRYLOCK_EVERY,
  lcNode,
  lcProgress,
} from '../src/locks/validate.js';
import { fromSpec } from '../src/modules/loader.js';
import { freeMem } from '../src/memory/mem.js';
import { adoptShared } from '../src/memory/shared.js';
import { spinDelay } from '../src/locks/spin.js';

const task = workerData as LockCheckTask;
const alg = await fromSpec<LockDef>('lock', task.spec, '--lock');
const m = new Int32Array(adoptShared(task.shared));
const mem = freeMem(m);
const node = lcNode(task.worker);
const progress = lcProgress(task.workers, task.worker);
Atomics.add(m, LC_READY, 1);
while (Atomics.load(m, LC_GO) === 0) Atomics.wait(m, LC_GO, 0, 50);
let overlaps = 0;
let unlockedInside = 0;
let trylocks = 0;
for (let i = 0; i < task.iterations; i++) {
  if (i % TRYLOCK_EVERY === TRYLOCK_EVERY - 1) {
    while (!alg.trylock(mem, LC_LOCK, node)) spinDelay(4);
    trylocks++;
  } else {
    alg.lock(mem, LC_LOCK, node);
  }
  if (Atomics.add(m, LC_INSIDE, 1) !== 0) overlaps++;
  if (!alg.locked(mem, LC_LOCK)) unlockedInside++;
  const c = m[LC_COUNTER]!;
  spinDelay(8); // a critical section long enough for a broken lock to show
  m[LC_COUNTER] = c + 1;
  Atomics.sub(m, LC_INSIDE, 1);
  alg.unlock(mem, LC_LOCK, node);
  Atomics.store(m, progress, i + 1);
}
Atomics.add(m, LC_OVERLAPS, overlaps);
Atomics.add(m, LC_UNLOCKED_INSIDE, unlockedInside);
Atomics.add(m, LC_TRYLOCKS, trylocks);
Atomics.add(m, LC_DONE, 1);
