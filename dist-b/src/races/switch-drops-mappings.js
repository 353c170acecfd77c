import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const switchDropsMappings = defineRace({
    name: 'switch-drops-mappings',
    design: "switching a device to a new domain that does not hold its live DMA-API mappings (the AMD thread's requirement, broken): an empty domain",
    counterpart: "switching to a domain that shares the default domain's table",
    source: 'thread 003 (AMD attach/detach, Feb 2022)',
    // --switch-ms adds the live-switch agent; under the controlled scheduler it switches twice, where the schedule says.
    workload: { ...RACE_WORKLOAD, groupSize: 1, dmaLive: 'on', switchMs: 5, ops: 8 },
    broken: { switchTo: 'empty' },
    correct: { switchTo: 'shared-table' },
});
//# sourceMappingURL=switch-drops-mappings.js.map