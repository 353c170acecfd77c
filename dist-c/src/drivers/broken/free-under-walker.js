/**
 * BROKEN free-under-walker: lock-free tables as cmpxchg.ts that also free a
 * table when its atomic live count reaches zero, with no lock and no RCU
 * grace period: a mapper or walker still inside the table writes into, or
 * reads from, a table that was freed and perhaps reused. io-pgtable-arm keeps
 * tables until the domain dies.
 */
import { cmpxchgDriver } from '../cmpxchg.js';
export const freeUnderWalker = cmpxchgDriver({
    name: 'free-under-walker',
    summary: 'BROKEN: lock-free tables freed when they empty, under a concurrent walker or mapper (no lock, no grace period)',
    source: 'lock-free tables without a grace period (what io-pgtable-arm avoids by never freeing)',
    install: 'cas',
    freeEmpty: true,
    domainLock: false,
    broken: true,
});
//# sourceMappingURL=free-under-walker.js.map