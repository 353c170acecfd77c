import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const deviceLocks = defineRace({
    name: 'device-locks',
    design: "per-device locks guarding a table shared by the domain's devices (s390 pci_dma.c's dma_table_lock, the 2014 thread's warning)",
    counterpart: 'one page-table lock per domain',
    source: 'thread 000 (s390 IOMMU, Oct 2014)',
    workload: { ...RACE_WORKLOAD, dmaLive: 'on' },
    broken: { driver: 's390' },
    correct: { driver: 'refcount' },
});
//# sourceMappingURL=device-locks.js.map