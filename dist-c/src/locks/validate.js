/**
 * Lock validation, Concurrency Kit style: several worker threads each take
 * the lock many times and, inside, increment a shared counter with a plain
 * read and a plain write. With a correct lock the counter comes out exact and
 * no two workers are ever inside at once; with a broken one it does not.
 * Any lock can be validated: a built-in by name, a user's by path.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadPiece } from '../modules/loader.js';
import { freeMem } from '../memory/mem.js';
import { allocShared, handleOf } from '../memory/shared.js';
import { HarnessError } from '../util/errors.js';
/** The check's shared memory: one cache line each; then a queue node (16 words) and a progress word a worker. */
export const LC_READY = 0;
export const LC_GO = 1;
export const LC_LOCK = 16;
export const LC_COUNTER = 32;
export const LC_INSIDE = 48;
export const LC_OVERLAPS = 64;
export const LC_DONE = 65;
export const LC_UNLOCKED_INSIDE = 66;
export const LC_TRYLOCKS = 67;
export const LC_NODES = 80;
export const lcNode = (worker) => (80 /* LC_NODES */) + worker * 16;
export const lcProgress = (workers, worker) => (80 /* LC_NODES */) + workers * 16 + worker * 16;
export const lockCheckWords = (workers) => lcProgress(workers, workers);
/** One acquisition in TRYLOCK_EVERY is taken by spinning on trylock(). */
export const TRYLOCK_EVERY = 4;
/** The worker, from the build. */
function entry() {
    const here = import.meta.url;
    const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/workers/lock-check.js' : '../../workers/lock-check.js', here));
    if (!existsSync(file))
        throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
    return file;
}
/**
 * Validate a lock, a built-in by name or a user's module by path: `workers`
 * threads each take it `iterations` times (one in four by trylock) and
 * increment a counter inside with a plain read and write. A lock that lets
 * two in loses updates and is seen inside together; a lock whose `locked()`
 * says free while held is counted; a lock that never lets anyone in again is
 * a HarnessError naming each worker's progress, not a hang.
 */
export async function checkLock(lock, o = {}) {
    const workers = o.workers ?? 2;
    const iterations = o.iterations ?? 100_000;
    const stallMs = (o.stallSec ?? 10) * 1000;
    const { def, spec } = await loadPiece('lock', lock, process.cwd(), '--lock');
    // The accessors' atomics as in a run (memory/shared.ts): the lock is checked as runs use it.
    const sab = allocShared(lockCheckWords(workers) * 4);
    const m = new Int32Array(sab);
    def.init(freeMem(m), (16 /* LC_LOCK */));
    const threads = [];
    const errors = [];
    const t0 = performance.now();
    for (let w = 0; w < workers; w++) {
        const t = new Worker(entry(), { workerData: { shared: handleOf(sab), spec, worker: w, workers, iterations } });
        t.on('error', (e) => errors.push(e));
        threads.push(t);
    }
    const progress = () => Array.from({ length: workers }, (_, w) => Atomics.load(m, lcProgress(workers, w)));
    try {
        // Never Atomics.wait on the main thread: poll the barrier.
        while (Atomics.load(m, (0 /* LC_READY */)) < workers && errors.length === 0)
            await sleep(1);
        Atomics.store(m, (1 /* LC_GO */), 1);
        Atomics.notify(m, (1 /* LC_GO */));
        let last = -1;
        let since = performance.now();
        while (Atomics.load(m, (65 /* LC_DONE */)) < workers && errors.length === 0) {
            await sleep(2);
            const sum = progress().reduce((a, b) => a + b, 0);
            const now = performance.now();
            if (sum !== last) {
                last = sum;
                since = now;
            }
            else if (now - since > stallMs) {
                const each = progress().map((p, w) => `worker ${w}: ${p} of ${iterations} acquisitions`).join(', ');
                throw new HarnessError(`lock ${def.name}: no worker got the lock for ${stallMs / 1000} s (${each}): a lock never freed, or a lost wake-up`, `the lock word reads ${Atomics.load(m, (16 /* LC_LOCK */))}; locked() says ${def.locked(freeMem(m), (16 /* LC_LOCK */)) ? 'held' : 'free'}`);
            }
        }
        if (errors.length > 0)
            throw new HarnessError(`lock ${def.name}: a worker threw: ${errors[0].message}`, errors[0].stack ?? '');
    }
    finally {
        await Promise.all(threads.map((t) => t.terminate()));
    }
    const counted = Atomics.load(m, (32 /* LC_COUNTER */));
    const overlaps = Atomics.load(m, (64 /* LC_OVERLAPS */));
    const unlockedInside = Atomics.load(m, (66 /* LC_UNLOCKED_INSIDE */));
    const expected = workers * iterations;
    return {
        lock: def.name,
        workers,
        iterations,
        expected,
        counted,
        overlaps,
        unlockedInside,
        trylocks: Atomics.load(m, (67 /* LC_TRYLOCKS */)),
        correct: counted === expected && overlaps === 0 && unlockedInside === 0,
        elapsedSec: (performance.now() - t0) / 1000,
    };
}
//# sourceMappingURL=validate.js.map