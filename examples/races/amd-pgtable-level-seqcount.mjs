/**
 * A race from Linux history, written only through the public API of
 * iommu-stress: 1e56310b40fd "iommu/amd/pgtbl: Fix possible race while
 * increase page table level" (Vasant Hegde, Sep 2025, reported by Alejandro
 * Jimenez), which fixes a window 754265bcab78 left:
 *
 *   "in unmap path (iommu_v1_unmap_pages()), fetch_pte() reads
 *    pgtable->[root/mode] without lock. So its possible that in exteme
 *    corner case, when increase_address_space() is updating
 *    pgtable->[root/mode], fetch_pte() reads wrong page table level
 *    (pgtable->mode). [...] This will result is iommu_unmap ops to fail"
 *
 *      CPU 0                                   CPU 1
 *      map pages                               unmap pages
 *      alloc_pte() -> increase_address_space() iommu_v1_unmap_pages() -> fetch_pte()
 *        pgtable->root = pte (new root value)
 *                                              READ pgtable->[mode/root]
 *                                                Reads new root, old mode
 *        Updates mode (pgtable->mode += 1)
 *
 * Here device 1 maps a page above the table's reach (growing it, under the
 * domain lock as 754265bcab78 has it) while device 0 unmaps a page it
 * mapped below. When device 0 reads the new root with the old mode, its
 * walk meets a level that does not match and the unmap fails: the page
 * stays mapped (unmap-missing, then a stray mapping in the audit). The fix
 * reads and writes root and mode under a seqcount.
 *
 *   iommu-stress explore ./amd-pgtable-level-seqcount.mjs            finds it
 *   iommu-stress explore ./amd-pgtable-level-seqcount.mjs --correct  the fix: clean
 */
import { defineAgent, defineRace } from 'iommu-stress';
import { amdV1 } from '../drivers/amd-v1.mjs';

/** Device 0: map a page 3 levels reach, DMA it, unmap it (the unmap must find it). */
const unmapper = defineAgent({
  name: 'unmapper',
  device: 0,
  run(ctx) {
    const domain = ctx.attached(0);
    const pfn = ctx.pfnOf(ctx.windowPages / 2 - 1);
    const frame = ctx.frame(0);
    if (!ctx.driver.map(domain, pfn, 1, frame)) return;
    const got = ctx.dma(domain, pfn);
    if (got !== frame) ctx.report(got < 0 ? 'dma-fault' : 'dma-wrong-frame', domain, pfn, -1, frame, got);
    if (ctx.driver.unmap(domain, pfn, 1) !== 1) ctx.report('unmap-missing', domain, pfn, -1, frame, -1);
  },
});

/** Device 1: map a page above what 3 levels reach: the table grows a level. */
const grower = defineAgent({
  name: 'grower',
  device: 1,
  run(ctx) {
    const domain = ctx.attached(1);
    const pfn = ctx.pfnOf(ctx.windowPages / 2);
    const frame = ctx.frame(0);
    if (!ctx.driver.map(domain, pfn, 1, frame)) return;
    const got = ctx.dma(domain, pfn);
    if (got !== frame) ctx.report(got < 0 ? 'dma-fault' : 'dma-wrong-frame', domain, pfn, -1, frame, got);
  },
});

export default defineRace({
  name: 'amd-pgtable-level-seqcount',
  design: 'AMD IOMMU v1: fetch_pte() reads the root and the mode as two plain reads while increase_address_space() (under the domain lock) replaces both: an unmap reads the new root with the old mode, and fails',
  counterpart: 'root and mode written and read under a seqcount (1e56310b40fd)',
  source: '1e56310b40fd "iommu/amd/pgtbl: Fix possible race while increase page table level", Linux 6.17, Sep 2025',
  workload: { devices: 2, groupSize: 2, inflight: 1, pages: 1, ops: 1, lock: 'ttas', watchdogSec: 5 },
  deviceLoop: false,
  agents: [unmapper, grower],
  broken: { driver: amdV1({ name: 'amd-v1-19c6978fba68', increaseLocked: true, dteFirst: true, seqcount: false }) },
  correct: { driver: amdV1({ name: 'amd-v1-1e56310b40fd', increaseLocked: true, dteFirst: true, seqcount: true }) },
  /** After the run only the grower's page is mapped. */
  setup(ctx) {
    ctx.expect(0, ctx.pfnOf(ctx.windowPages / 2), 1, ctx.frame(1, 0));
  },
});
