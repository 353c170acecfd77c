import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const deviceLocks: Race = {
  name: 'device-locks',
  design: "per-device locks guarding a table shared by the domain's devices (s390 pci_dma.c's dma_table_lock, the 2014 thread's warning)",
  counterpart: 'one page-table lock per domain',
  base: { ...RACE_BASE, dmaLive: 'on' },
  broken: { lockScope: 'device' },
  correct: { lockScope: 'domain' },
  classes: {},
};
