/**
 * Lay out and initialise the shared memory for a run (main thread only):
 * every lock unlocked, every table free but the domain roots, every device
 * attached to the domain of its group, every minimum counter at +Infinity.
 */
import type { Config } from './config.js';
import {
  type Layout,
  C_LOCKSTAT,
  DEV_DOMAIN,
  DEV_FRAME_BASE,
  DEV_LOCK,
  DOM_ALLOC_LOCK,
  DOM_PT_LOCK,
  DOM_ROOT,
  LC_DEVICE,
  LC_IOVA,
  LC_PGTABLE,
  LS_FIELDS,
  LS_HOLD_MIN,
  LS_WAIT_MIN,
  NUM_LOCK_CLASSES,
  allocLockId,
  computeLayout,
  countersAt,
  deviceAt,
  deviceLockId,
  domainAt,
  lockLine,
  ptLockId,
} from './layout.js';
import { LK_CLASS, LK_OBJECT } from './locks/lock.js';
import { lockByName } from './locks/registry.js';
import { TablePool } from './table-pool.js';
import { IovaAllocator } from './iova.js';

export interface Shared {
  readonly sab: SharedArrayBuffer;
  readonly m: Int32Array;
  readonly f: Float64Array;
  readonly L: Layout;
}

export function createShared(cfg: Config): Shared {
  const L = computeLayout(cfg);
  const sab = new SharedArrayBuffer(L.bytes);
  const m = new Int32Array(sab);
  const f = new Float64Array(sab);
  const alg = lockByName(cfg.lock);
  if (!alg) throw new Error(`unknown lock ${cfg.lock}`);

  const initLock = (id: number, cls: number, object: number): number => {
    const l = lockLine(L, id);
    alg.init(m, l);
    m[l + LK_CLASS] = cls;
    m[l + LK_OBJECT] = object;
    return l;
  };

  const pool = new TablePool(m, L);
  pool.init(L.nTables);
  const iova = new IovaAllocator(m, L);
  for (let d = 0; d < L.domains; d++) {
    const dw = domainAt(L, d);
    const root = pool.alloc(0, d);
    if (root === 0) throw new Error('table pool too small for the domain roots');
    m[dw + DOM_ROOT] = root;
    m[dw + DOM_PT_LOCK] = initLock(ptLockId(L, d), LC_PGTABLE, d);
    m[dw + DOM_ALLOC_LOCK] = initLock(allocLockId(L, d), LC_IOVA, d);
    iova.init(d);
  }
  for (let v = 0; v < L.devices; v++) {
    const dv = deviceAt(L, v);
    m[dv + DEV_DOMAIN] = Math.floor(v / cfg.groupSize);
    m[dv + DEV_LOCK] = initLock(deviceLockId(L, v), LC_DEVICE, v);
    m[dv + DEV_FRAME_BASE] = v * L.framesPerDevice;
  }
  for (let w = 0; w < L.workers; w++) {
    const cb = countersAt(L, w);
    for (let c = 0; c < NUM_LOCK_CLASSES; c++) {
      f[cb + C_LOCKSTAT + c * LS_FIELDS + LS_WAIT_MIN] = Infinity;
      f[cb + C_LOCKSTAT + c * LS_FIELDS + LS_HOLD_MIN] = Infinity;
    }
  }
  return { sab, m, f, L };
}
