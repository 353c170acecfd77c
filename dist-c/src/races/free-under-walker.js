import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const freeUnderWalker = defineRace({
    name: 'free-under-walker',
    design: "lock-free tables that free an intermediate table when its last entry is unmapped, while another device's mapper or walker is still inside it (no lock, no RCU grace period)",
    counterpart: 'lock-free tables that keep intermediate tables until the domain dies (io-pgtable-arm)',
    // One buffer in flight a worker: a table's live count falls to zero whenever both workers are between unmap and map.
    workload: { ...RACE_WORKLOAD, inflight: 1, ops: 8 },
    broken: { driver: 'free-under-walker' },
    correct: { driver: 'cmpxchg' },
});
//# sourceMappingURL=free-under-walker.js.map