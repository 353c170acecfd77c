import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const plainInstall = defineRace({
    name: 'plain-install',
    design: 'lock-free mapping that installs a missing intermediate table with a plain store: two mappers both install, one loses its leaves (io-pgtable-arm closes this with cmpxchg, the loser freeing its copy)',
    counterpart: 'the same lock-free mapping with a cmpxchg install',
    source: 'io-pgtable-arm, 2c3d273eabe8 (lockless operation, 2017)',
    workload: { ...RACE_WORKLOAD, dmaLive: 'on' },
    broken: { driver: 'plain-install' },
    correct: { driver: 'cmpxchg' },
});
//# sourceMappingURL=plain-install.js.map