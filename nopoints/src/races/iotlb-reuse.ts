import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const iotlbReuse: Race = {
  name: 'iotlb-reuse',
  design: "a deferred IOTLB flush whose IOVA is freed (and handed out again by the CPU's magazine) before the flush: a DMA to the new buffer translates through the stale entry onto the old buffer's frame",
  counterpart: 'a deferred flush that frees each IOVA only after its flush (Linux flush queues)',
  base: { ...RACE_BASE, iotlbEntries: 16, allocator: 'rcache', fqSize: 8 },
  broken: { flush: 'deferred-early-free' },
  correct: { flush: 'deferred' },
  classes: {},
  fqEvery: 150,
};
