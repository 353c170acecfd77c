/** Worker of the lock validation (src/locks/validate.ts): take the lock, count inside it. */
import { workerData } from 'node:worker_threads';
import { LC_COUNTER, LC_DONE, LC_GO, LC_INSIDE, LC_LOCK, LC_OVERLAPS, LC_READY, LC_TRYLOCKS, LC_UNLOCKED_INSIDE, TRYLOCK_EVERY, lcNode, lcProgress, } from '../src/locks/validate.js';
import { fromSpec } from '../src/modules/loader.js';
import { freeMem } from '../src/memory/mem.js';
import { adoptShared } from '../src/memory/shared.js';
import { spinDelay } from '../src/locks/spin.js';
const task = workerData;
const alg = await fromSpec('lock', task.spec, '--lock');
const m = new Int32Array(adoptShared(task.shared));
const mem = freeMem(m);
const node = lcNode(task.worker);
const progress = lcProgress(task.workers, task.worker);
Atomics.add(m, (0 /* LC_READY */), 1);
while (Atomics.load(m, (1 /* LC_GO */)) === 0)
    Atomics.wait(m, (1 /* LC_GO */), 0, 50);
let overlaps = 0;
let unlockedInside = 0;
let trylocks = 0;
for (let i = 0; i < task.iterations; i++) {
    if (i % (4 /* TRYLOCK_EVERY */) === (4 /* TRYLOCK_EVERY */) - 1) {
        while (!alg.trylock(mem, (16 /* LC_LOCK */), node))
            spinDelay(4);
        trylocks++;
    }
    else {
        alg.lock(mem, (16 /* LC_LOCK */), node);
    }
    if (Atomics.add(m, (48 /* LC_INSIDE */), 1) !== 0)
        overlaps++;
    if (!alg.locked(mem, (16 /* LC_LOCK */)))
        unlockedInside++;
    const c = m[(32 /* LC_COUNTER */)];
    spinDelay(8); // a critical section long enough for a broken lock to show
    m[(32 /* LC_COUNTER */)] = c + 1;
    Atomics.sub(m, (48 /* LC_INSIDE */), 1);
    alg.unlock(mem, (16 /* LC_LOCK */), node);
    Atomics.store(m, progress, i + 1);
}
Atomics.add(m, (64 /* LC_OVERLAPS */), overlaps);
Atomics.add(m, (66 /* LC_UNLOCKED_INSIDE */), unlockedInside);
Atomics.add(m, (67 /* LC_TRYLOCKS */), trylocks);
Atomics.add(m, (65 /* LC_DONE */), 1);
//# sourceMappingURL=lock-check.js.map