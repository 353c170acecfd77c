/**
 * A race from Linux history, written only through the public API of
 * iommu-stress: 19c6978fba68 "iommu/amd: Update Device Table in
 * increase_address_space()" (Joerg Roedel, May 2020, reported by Qian Cai):
 *
 *   "The Device Table needs to be updated before the new page-table root
 *    can be published in domain->pt_root. Otherwise a concurrent call to
 *    fetch_pte might fetch a PTE which is not reachable through the Device
 *    Table Entry."
 *
 * 754265bcab78 (./amd-increase-address-space.mjs) put the growth under the
 * domain lock, but still published the new root and mode before the device
 * table entry named them. Here two devices map above the table's reach:
 * device 0 grows the table; device 1, lock-free, reads the new root and
 * mode, installs its leaf under the new root and DMAs, while its device
 * table entry still names the old root: the IOMMU cannot reach the leaf (an
 * IO page fault). It takes one preemption, at the right step of about 80:
 * random schedules found it in none of 2000, dpor within 2 preemptions after
 * 65 schedules (one of them the finding's single preemption), in the 2019 fix's code as this file's
 * author first wrote it (the fix's own counterpart, as a first version of
 * the example had it).
 *
 *   iommu-stress explore ./amd-dte-after-root.mjs --strategy dpor            finds it
 *   iommu-stress explore ./amd-dte-after-root.mjs --strategy dpor --correct  the fix: exhaustive within 2 preemptions, clean
 */
import { defineRace } from 'iommu-stress';
import { amdV1 } from '../drivers/amd-v1.mjs';
// The same two mappers as 754265bcab78's race: each maps one page above the table's reach, then DMAs to it.
import { mapper } from './amd-increase-address-space.mjs';

export default defineRace({
  name: 'amd-dte-after-root',
  design: 'AMD IOMMU v1: increase_address_space() under the lock (754265bcab78) publishes the new root and mode before the device table entry names them: a lock-free mapper installs a leaf the IOMMU cannot reach yet, and its DMA faults',
  counterpart: 'the device table updated and flushed before the new root is published (19c6978fba68)',
  source: '19c6978fba68 "iommu/amd: Update Device Table in increase_address_space()", Linux 5.7, May 2020',
  workload: { devices: 2, groupSize: 2, inflight: 1, pages: 1, ops: 1, lock: 'ttas', watchdogSec: 5 },
  deviceLoop: false,
  agents: [mapper(0), mapper(1)],
  broken: { driver: amdV1({ name: 'amd-v1-754265bcab78', increaseLocked: true, dteFirst: false, seqcount: false }) },
  correct: { driver: amdV1({ name: 'amd-v1-19c6978fba68', increaseLocked: true, dteFirst: true, seqcount: false }) },
  /** Both pages must map their device's frame after the run (the audit checks). */
  setup(ctx) {
    for (const device of [0, 1]) ctx.expect(0, ctx.pfnOf(ctx.windowPages / 2 + device), 1, ctx.frame(device, 0));
  },
});
