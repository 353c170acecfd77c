import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const freeUnderWalker: Race = {
  name: 'free-under-walker',
  design: "lock-free tables that free an intermediate table when its last entry is unmapped, while another device's mapper or walker is still inside it (no lock, no RCU grace period)",
  counterpart: 'lock-free tables that keep intermediate tables until the domain dies (io-pgtable-arm)',
  // One buffer in flight a worker: a table's live count falls to zero whenever both workers are between unmap and map.
  base: { ...RACE_BASE, lockScope: 'none', inflight: 1, ops: 8 },
  broken: { tableStyle: 'cmpxchg-free' },
  correct: { tableStyle: 'cmpxchg' },
  classes: {},
};
