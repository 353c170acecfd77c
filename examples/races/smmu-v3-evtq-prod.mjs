/**
 * A missing-barrier race from Linux history, written only through the
 * public API of iommu-stress: a76a37777f2c "iommu/arm-smmu-v3: Ensure queue
 * is read after updating prod pointer" (Zhou Wang, with Will Deacon, 2020):
 *
 *   "Reading the 'prod' MMIO register in order to determine whether or not
 *    there is valid data beyond 'cons' for a given queue does not provide
 *    sufficient dependency ordering, as the resulting access is address
 *    dependent only on 'cons' and can therefore be speculated ahead of
 *    time, potentially allowing stale data to be read by the CPU.
 *    Use readl() instead of readl_relaxed() when updating the shadow copy
 *    of the 'prod' pointer, so that all speculated memory reads from the
 *    corresponding queue can occur only from valid slots."
 *
 * The SMMU writes an event record into its event queue and then moves PROD
 * (the record is visible before PROD moves: a release). The CPU's event
 * thread reads PROD with readl_relaxed(), which orders nothing after it
 * (written here as the model's unordered read, `mem.read`: unlike
 * READ_ONCE, whose address dependency the model takes as ordering, the
 * slot's address depends on cons, not on what was read), and then reads
 * the slot at cons. Under the weak memory model it can read the slot from
 * before the SMMU wrote it: an event with no stream and no address. The
 * fix, readl(), is readl_relaxed() and a read barrier (`fence('rmb')`).
 * Under sc, and tso (loads stay in order), a PROD that moved always comes
 * with its record.
 *
 *   iommu-stress explore ./smmu-v3-evtq-prod.mjs --strategy dpor             finds it (weak: the race says so)
 *   iommu-stress explore ./smmu-v3-evtq-prod.mjs --strategy dpor --correct   readl(): clean
 *   iommu-stress explore ./smmu-v3-evtq-prod.mjs --strategy dpor --memory-model sc   clean
 */
import { defineAgent, defineRace } from 'iommu-stress';

/** The race's words: PROD (the SMMU's register), CONS (the CPU's), then one two-word event record (a stream id, a fault address). */
const PROD = 0;
const CONS = 1;
const SLOT = 2;
const STREAM = 7;
const FAULT_ADDR = 0x8000;

const smmu = defineAgent({
  name: 'smmu',
  run(ctx) {
    // arm_smmu_evtq_thread()'s producer: the SMMU records a translation fault, then moves PROD past it.
    ctx.mem.write(ctx.shared + SLOT, STREAM, 'evt-write');
    ctx.mem.write(ctx.shared + SLOT + 1, FAULT_ADDR, 'evt-write');
    ctx.mem.storeRelease(ctx.shared + PROD, 1, 'prod-write');
  },
});

/** The event thread: queue_sync_prod_in(), then queue_remove_raw() of each record between cons and prod. */
const evtq = (readl) =>
  defineAgent({
    name: 'evtq-thread',
    run(ctx) {
      const prod = ctx.mem.read(ctx.shared + PROD, 'prod-read');
      if (readl) ctx.mem.fence('rmb', 'readl');
      const cons = ctx.mem.read(ctx.shared + CONS, 'cons-read');
      if (prod === cons) return;
      const stream = ctx.mem.read(ctx.shared + SLOT, 'evt-read');
      const addr = ctx.mem.read(ctx.shared + SLOT + 1, 'evt-read');
      if (stream !== STREAM || addr !== FAULT_ADDR) ctx.report('stale-event', 0, -1, -1, STREAM, stream);
      ctx.mem.write(ctx.shared + CONS, cons + 1, 'cons-write');
    },
  });

export default defineRace({
  name: 'smmu-v3-evtq-prod',
  design: "arm-smmu-v3's event thread reading PROD with readl_relaxed() and then the queue slot: the slot's read can be satisfied before PROD's",
  counterpart: 'readl(), a read barrier after the PROD read (a76a37777f2c)',
  source: 'a76a37777f2c "iommu/arm-smmu-v3: Ensure queue is read after updating prod pointer", Linux 5.10, 2020',
  workload: { devices: 1, inflight: 1, pages: 1, ops: 1, watchdogSec: 5 },
  memoryModel: 'weak',
  deviceLoop: false,
  sharedWords: 8,
  agents: [smmu],
  invariants: { 'stale-event': { meaning: 'the CPU read an event record from a slot PROD had moved past, and found it unwritten', outcome: 'lost-mapping' } },
  // PROD is an MMIO register: its readl_relaxed() is no data race (KCSAN does not instrument MMIO); the model writes it as a plain read.
  classes: { 'data-race': 'acceptable' },
  broken: { agents: [evtq(false)] },
  correct: { agents: [evtq(true)] },
});
