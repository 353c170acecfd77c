/**
 * cmpxchg-locked: the lockless io-pgtable-arm tables of cmpxchg.ts, called
 * under a domain spinlock, as arm-smmu called them through its `pgtbl_lock`
 * until 523d7423e21b ("iommu/arm-smmu: Remove io-pgtable spinlock", 2017).
 * What `--table-style cmpxchg` (with the default `--lock-scope domain`) means.
 */
import { cmpxchgDriver } from './cmpxchg.js';
export const cmpxchgLocked = cmpxchgDriver({
    name: 'cmpxchg-locked',
    summary: "io-pgtable-arm tables under a domain lock, as arm-smmu's pgtbl_lock held them before 2017",
    source: 'drivers/iommu/arm-smmu.c pgtbl_lock (removed by 523d7423e21b, 2017)',
    install: 'cas',
    freeEmpty: false,
    domainLock: true,
});
//# sourceMappingURL=cmpxchg-locked.js.map