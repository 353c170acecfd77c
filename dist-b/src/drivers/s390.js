/**
 * s390: the tables of refcount.ts under a per-*device* lock, as
 * arch/s390/pci/pci_dma.c guarded each device's DMA table with its own
 * `zdev->dma_table_lock`. Correct while a table belongs to one device (group
 * size 1); the 2014 thread's warning is what happens when the IOMMU API has
 * several devices share one table: their locks do not exclude each other.
 */
import { refcountDriver } from './refcount.js';
export const s390 = refcountDriver({
    name: 's390',
    summary: "s390 pci_dma.c: refcount tables under each device's own dma_table_lock (wrong once devices share a table)",
    source: 'arch/s390/pci/pci_dma.c (dma_table_lock); thread 000, Oct 2014',
    lock: { name: 'device', per: 'device', kernelName: '&zdev->dma_table_lock' },
});
//# sourceMappingURL=s390.js.map