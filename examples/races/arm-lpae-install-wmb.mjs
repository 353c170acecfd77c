/**
 * A missing-barrier race, written only through the public API of
 * iommu-stress: a page table published to the IOMMU before its zeroing is
 * visible to it. io-pgtable-arm's arm_lpae_install_table() has
 *
 *     /*
 *      * Ensure the table itself is visible before its PTE can be.
 *      * Whilst we could get away with cmpxchg64_release below, this
 *      * doesn't have any ordering semantics when !CONFIG_SMP.
 *      *\/
 *     dma_wmb();
 *     old = cmpxchg64_relaxed(ptep, curr, new);
 *
 * The barrier and that comment are Will Deacon's 77f3445866c3 (June 2017,
 * as `git blame` shows them), the day after 2c3d273eabe8 "iommu/io-pgtable-
 * arm: Support lockless operation" made table installs a cmpxchg outside
 * any lock. Here the broken variant leaves the dma_wmb() out. Before the run, the
 * setup maps a whole 2 MiB region and unmaps it: the unmap frees its leaf
 * table, whose entries still hold the old mappings (freed pages are not
 * cleared). In the run, device 0 maps one page of the next region: the
 * allocator hands it that table, zeroed, and it is installed. Device 1, at
 * the same time, DMAs to a neighbouring page nobody has mapped, which must
 * fault. Under the weak memory model its IOMMU can read the new table
 * entry and, through it, the table's old contents: the DMA reaches the
 * frame the old mapping named. Under sc (and tso, where stores stay in
 * order) the zeroing is always visible first: no DMA goes astray, though
 * the data-race detector still reports the zeroing and the walk as
 * unordered (the outcome data-race, counted interesting here).
 *
 *   iommu-stress explore ./arm-lpae-install-wmb.mjs --memory-model weak --strategy dpor             finds it
 *   iommu-stress explore ./arm-lpae-install-wmb.mjs --memory-model weak --strategy dpor --correct   dma_wmb(): clean
 *   iommu-stress explore ./arm-lpae-install-wmb.mjs --strategy dpor                                 sc: clean
 */
import { defineAgent, defineRace } from 'iommu-stress';
import { lpae } from '../drivers/arm-lpae.mjs';

/** The 2 MiB region the setup maps and unmaps, and the one after it, where the run maps. */
const OLD = 0;
const NEW = 512;
/** The page of the new region device 1 DMAs to: nobody maps it. */
const PROBE = 1;

const mapper = defineAgent({
  name: 'mapper',
  device: 0,
  run(ctx) {
    const domain = ctx.attached(0);
    const pfn = ctx.pfnOf(NEW);
    if (!ctx.driver.map(domain, pfn, 1, ctx.frame(0))) return;
    const got = ctx.dma(domain, pfn);
    if (got !== ctx.frame(0)) ctx.report(got < 0 ? 'dma-fault' : 'dma-wrong-frame', domain, pfn, -1, ctx.frame(0), got);
  },
});

const prober = defineAgent({
  name: 'prober',
  device: 1,
  run(ctx) {
    const domain = ctx.attached(1);
    const pfn = ctx.pfnOf(NEW + PROBE);
    const got = ctx.dma(domain, pfn);
    if (got >= 0) ctx.report('dma-unmapped', domain, pfn, -1, -1, got);
  },
});

export default defineRace({
  name: 'arm-lpae-install-wmb',
  design: 'io-pgtable-arm installing a new table with cmpxchg_relaxed and no dma_wmb() before it: the walker can see the table before its zeroing',
  counterpart: 'dma_wmb() before the cmpxchg (arm_lpae_install_table())',
  source: 'drivers/iommu/io-pgtable-arm.c arm_lpae_install_table(): "Ensure the table itself is visible before its PTE can be" (77f3445866c3, after 2c3d273eabe8 made installs lockless, 2017)',
  // A window of 2048 pages (128-page buffers): two 2 MiB regions below its centre, under one level-2 table.
  workload: { devices: 2, groupSize: 2, inflight: 1, pages: 128, ops: 1, watchdogSec: 5 },
  memoryModel: 'weak',
  deviceLoop: false,
  agents: [mapper, prober],
  invariants: { 'dma-unmapped': { meaning: 'a DMA to an IOVA nobody mapped reached a frame (it must fault)', outcome: 'misdirected-dma' } },
  // The data-race detector sees the missing barrier under every model (the zeroing is a plain write the walker
  // may read unordered): interesting, so that a search goes on to show what the walker can read.
  classes: { 'data-race': 'interesting' },
  broken: { driver: lpae({ wmb: false }) },
  correct: { driver: lpae({ wmb: true }) },
  setup(ctx) {
    const old = ctx.pfnOf(OLD);
    if (!ctx.driver.map(0, old, 512, ctx.frame(1, 0))) throw new Error('setup: no table pages');
    ctx.driver.unmap(0, old, 512);
    ctx.expect(0, ctx.pfnOf(NEW), 1, ctx.frame(0, 0));
  },
});
