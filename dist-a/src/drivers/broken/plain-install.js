/**
 * BROKEN plain-install: lock-free tables as cmpxchg.ts, but a missing table
 * is installed with a plain store. Two mappers that both find an entry empty
 * both install a table; the second store wins and the first mapper's leaves
 * land in a table nobody reaches. io-pgtable-arm closes this with cmpxchg,
 * the loser freeing its copy.
 */
import { cmpxchgDriver } from '../cmpxchg.js';
export const plainInstall = cmpxchgDriver({
    name: 'plain-install',
    summary: 'BROKEN: lock-free tables whose missing tables are installed with a plain store (two installers, one loses its leaves)',
    source: 'io-pgtable-arm without the cmpxchg of 2c3d273eabe8',
    install: 'store',
    freeEmpty: false,
    domainLock: false,
    broken: true,
});
//# sourceMappingURL=plain-install.js.map