import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const iotlbReuse = defineRace({
    name: 'iotlb-reuse',
    design: "a deferred IOTLB flush whose IOVA is freed (and handed out again by the CPU's magazine) before the flush: a DMA to the new buffer translates through the stale entry onto the old buffer's frame",
    counterpart: 'a deferred flush that frees each IOVA only after its flush (Linux flush queues)',
    workload: { ...RACE_WORKLOAD, iotlbEntries: 16, allocator: 'rcache', fqSize: 8 },
    broken: { flush: 'deferred-early-free' },
    correct: { flush: 'deferred' },
    timerEverySteps: 150,
});
//# sourceMappingURL=iotlb-reuse.js.map