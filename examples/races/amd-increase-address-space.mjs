/**
 * A race from Linux history, written only through the public API of
 * iommu-stress: 754265bcab78 "iommu/amd: Fix race in increase_address_space()"
 * (Joerg Roedel, Sep 2019, reported by Qian Cai):
 *
 *   "After the conversion to lock-less dma-api call the
 *    increase_address_space() function can be called without any locking.
 *    Multiple CPUs could potentially race for increasing the address space,
 *    leading to invalid domain->mode settings and invalid page-tables. This
 *    has been happening in the wild under high IO load and memory pressure.
 *    Fix the race by locking this operation."
 *
 * The interleaving: two devices of one domain map IOVAs above the table's
 * reach (3 levels: below 2^39) at once. Both read mode 3 and the old root;
 * each allocates a new root holding the old one as entry 0; each stores its
 * root, and each does `mode += 1`. The second store of the root orphans the
 * first device's new root with the table its leaf went into (a lost mapping,
 * a leaked table), and the second increment leaves mode 5 over a 4-level
 * table (every walk then misreads the levels: IO page faults).
 *
 *   iommu-stress explore ./amd-increase-address-space.mjs            finds it
 *   iommu-stress explore ./amd-increase-address-space.mjs --correct  the fix: clean
 */
import { defineAgent, defineRace } from 'iommu-stress';
import { amdV1 } from '../drivers/amd-v1.mjs';

/** An IOVA just above what 3 levels reach: the window is centred on 2^39. */
const highOff = (ctx, k) => ctx.windowPages / 2 + k;

/** A device maps one page above the table's reach (growing it), then DMAs to it. */
export const mapper = (device) =>
  defineAgent({
    name: `mapper-${device}`,
    device,
    run(ctx) {
      const domain = ctx.attached(device);
      const pfn = ctx.pfnOf(highOff(ctx, device));
      const frame = ctx.frame(0);
      if (!ctx.driver.map(domain, pfn, 1, frame)) return;
      const got = ctx.dma(domain, pfn);
      if (got !== frame) ctx.report(got < 0 ? 'dma-fault' : 'dma-wrong-frame', domain, pfn, -1, frame, got);
    },
  });

export default defineRace({
  name: 'amd-increase-address-space',
  design: 'AMD IOMMU v1 tables grown by increase_address_space() with no lock, after the lockless DMA-API conversion: two mappers grow the table at once',
  counterpart: 'increase_address_space() under the domain lock, re-checking the mode (754265bcab78), and the device table updated before the new root is published (19c6978fba68, which 754265bcab78 needed)',
  source: '754265bcab78 "iommu/amd: Fix race in increase_address_space()", Linux 5.3, Sep 2019',
  workload: { devices: 2, groupSize: 2, inflight: 1, pages: 1, ops: 1, lock: 'ttas', watchdogSec: 5 },
  deviceLoop: false,
  agents: [mapper(0), mapper(1)],
  broken: { driver: amdV1({ name: 'amd-v1-2019', increaseLocked: false, dteFirst: false, seqcount: false }) },
  // 754265bcab78 as committed still let a mapper's DMA walk the old root (./amd-dte-after-root.mjs); with 19c6978fba68 it is clean.
  correct: { driver: amdV1({ name: 'amd-v1-754265bcab78+19c6978fba68', increaseLocked: true, dteFirst: true, seqcount: false }) },
  /** Both pages must map their device's frame after the run (the audit checks). */
  setup(ctx) {
    for (const device of [0, 1]) ctx.expect(0, ctx.pfnOf(ctx.windowPages / 2 + device), 1, ctx.frame(device, 0));
  },
});
