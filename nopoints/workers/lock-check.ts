/** Worker of the lock validation (src/lock-check.ts). */
import { LC_COUNTER, LC_GO, LC_INSIDE, LC_LOCK, LC_OVERLAPS, LC_QNODES, LC_READY, type LockCheckTask } from '../src/lock-check.js';
import { QNODE_WORDS } from '../src/locks/lock.js';
import { lockByName } from '../src/locks/registry.js';
import { spinDelay } from '../src/locks/spin.js';

export default function lockCheck(task: LockCheckTask): void {
  const m = new Int32Array(task.sab);
  const alg = lockByName(task.lock);
  if (!alg) throw new Error(`unknown lock ${task.lock}`);
  const node = LC_QNODES + task.worker * QNODE_WORDS;
  Atomics.add(m, LC_READY, 1);
  while (Atomics.load(m, LC_GO) === 0) Atomics.wait(m, LC_GO, 0, 50);
  let overlaps = 0;
  for (let i = 0; i < task.iterations; i++) {
    alg.lock(m, LC_LOCK, node);
    if (Atomics.add(m, LC_INSIDE, 1) !== 0) overlaps++;
    const c = m[LC_COUNTER]!;
    spinDelay(8); // a critical section long enough for a broken lock to show
    m[LC_COUNTER] = c + 1;
    Atomics.sub(m, LC_INSIDE, 1);
    alg.unlock(m, LC_LOCK, node);
  }
  Atomics.add(m, LC_OVERLAPS, overlaps);
}
