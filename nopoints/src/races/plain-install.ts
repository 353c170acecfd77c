import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const plainInstall: Race = {
  name: 'plain-install',
  design: 'lock-free mapping that installs a missing intermediate table with a plain store: two mappers both install, one loses its leaves (io-pgtable-arm closes this with cmpxchg, the loser freeing its copy)',
  counterpart: 'the same lock-free mapping with a cmpxchg install',
  base: { ...RACE_BASE, lockScope: 'none', dmaLive: 'on' },
  broken: { tableStyle: 'plain-install' },
  correct: { tableStyle: 'cmpxchg' },
  classes: {},
};
