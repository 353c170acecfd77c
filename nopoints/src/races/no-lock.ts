import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const noLock: Race = {
  name: 'no-lock',
  design: 'no page-table lock at all around refcounted tables (exynos-iommu / tegra-smmu style code called without its lock)',
  counterpart: 'the domain page-table lock',
  base: { ...RACE_BASE, dmaLive: 'on' },
  broken: { lockScope: 'none' },
  correct: { lockScope: 'domain' },
  classes: {},
};
