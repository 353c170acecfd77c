/**
 * Uncontended acquire + release of every lock algorithm in the registry
 * (src/locks/registry.ts): a new lock is benchmarked by being listed there.
 * Two ways in, as the device loop takes a lock: `lock` (--stats off) and
 * `trylock` (--stats on tries first, and only times a failed try).
 *
 * The lock is a 16-word line in shared memory and the queue node a line of
 * its own, behind the accessors a free-running agent has (WebAssembly's
 * atomics, src/memory/shared.ts), as in the device loop; word 0 is never the node (MCS
 * uses 0 as "no node").
 */
import { GOOD_LOCKS } from '../src/locks/registry.js';
import { freeMem } from '../src/memory/mem.js';
import { allocShared } from '../src/memory/shared.js';
import { table } from '../src/report/report.js';
import { runMicroIsolated } from './isolate.js';
import { ns1, rme } from './format.js';
/** Word index of the lock line and of the queue node: line 0 stays unused. */
const LINE = 16;
const NODE = (16 /* LINE */) + 16;
const BATCH = 2000;
/** The lock's line and a queue node, behind the accessors a free-running agent has. */
function lockMemory(alg) {
    const m = freeMem(new Int32Array(allocShared(((32 /* NODE */) + 16) * 4)));
    alg.init(m, (16 /* LINE */));
    return m;
}
function lockUnlock(alg) {
    const m = lockMemory(alg);
    return {
        run(n) {
            for (let i = 0; i < n; i++) {
                alg.lock(m, (16 /* LINE */), (32 /* NODE */));
                alg.unlock(m, (16 /* LINE */), (32 /* NODE */));
            }
        },
        check: () => (alg.locked(m, (16 /* LINE */)) ? 'the lock is still held' : null),
    };
}
function trylockUnlock(alg) {
    const m = lockMemory(alg);
    let failed = 0;
    return {
        run(n) {
            for (let i = 0; i < n; i++) {
                if (!alg.trylock(m, (16 /* LINE */), (32 /* NODE */))) {
                    failed++;
                    continue;
                }
                alg.unlock(m, (16 /* LINE */), (32 /* NODE */));
            }
        },
        check: () => (failed > 0 ? `${failed} trylocks of a free lock failed` : alg.locked(m, (16 /* LINE */)) ? 'the lock is still held' : null),
    };
}
const lockCaseName = (alg, how) => `${alg.name} ${how}+unlock`;
export function lockCases() {
    return GOOD_LOCKS.flatMap((alg) => [
        { suite: 'locks', name: lockCaseName(alg, 'lock'), batch: (2000 /* BATCH */), pages: 0, setup: () => lockUnlock(alg) },
        { suite: 'locks', name: lockCaseName(alg, 'trylock'), batch: (2000 /* BATCH */), pages: 0, setup: () => trylockUnlock(alg) },
    ]);
}
export async function measureLocks(profile) {
    const rows = [];
    for (const alg of GOOD_LOCKS) {
        const lock = await runMicroIsolated({ suite: 'locks', name: lockCaseName(alg, 'lock'), profile });
        const trylock = await runMicroIsolated({ suite: 'locks', name: lockCaseName(alg, 'trylock'), profile });
        rows.push({ name: alg.name, lock, trylock });
    }
    return rows;
}
export function formatLocks(rows) {
    return [
        'locks: uncontended acquire + release, one thread (median of batch means; each case in a fresh isolate)',
        table(['lock', 'lock+unlock', 'p99', 'rme', 'trylock+unlock', 'p99', 'rme'], rows.map((r) => [r.name, ns1(r.lock.nsPerOp), ns1(r.lock.p99Ns), rme(r.lock.rmePct), ns1(r.trylock.nsPerOp), ns1(r.trylock.p99Ns), rme(r.trylock.rmePct)])),
    ].join('\n');
}
//# sourceMappingURL=locks.js.map