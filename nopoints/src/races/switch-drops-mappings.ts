import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const switchDropsMappings: Race = {
  name: 'switch-drops-mappings',
  design: "switching a device to a new domain that does not hold its live DMA-API mappings (the AMD thread's requirement, broken): an empty domain",
  counterpart: 'switching to a domain that shares the default domain\'s table',
  base: { ...RACE_BASE, groupSize: 1, dmaLive: 'on', switchMs: 5, ops: 8 },
  broken: { switchTo: 'empty' },
  correct: { switchTo: 'shared-table' },
  classes: {},
};
