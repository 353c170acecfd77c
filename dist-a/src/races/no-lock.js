import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const noLock = defineRace({
    name: 'no-lock',
    design: 'no page-table lock at all around refcounted tables (exynos-iommu / tegra-smmu style code called without its lock)',
    counterpart: 'the domain page-table lock',
    workload: { ...RACE_WORKLOAD, dmaLive: 'on' },
    broken: { driver: 'nolock' },
    correct: { driver: 'refcount' },
});
//# sourceMappingURL=no-lock.js.map