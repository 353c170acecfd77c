/**
 * Lay out and initialise the shared memory for a run (main thread only):
 * every lock unlocked, every table free but the domain roots, every device
 * attached to the domain of its group, PASID tables filled, the bounce pool
 * pre-mapped, every minimum counter at +Infinity.
 */
import type { Config } from './config.js';
import {
  type Layout,
  C_LOCKSTAT,
  DEV_DEFAULT_DOMAIN,
  DEV_DOMAIN,
  DEV_FRAME_BASE,
  DEV_LOCK,
  DOM_ALLOC_LOCK,
  DOM_BITMAP,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  DOM_PT_LOCK,
  DOM_ROOT,
  LC_BOUNCE,
  LC_DEPOT,
  LC_DEVICE,
  LC_IOVA,
  LC_PGTABLE,
  LS_FIELDS,
  LS_HOLD_MIN,
  LS_WAIT_MIN,
  NUM_LOCK_CLASSES,
  allocLockId,
  bounceFrame,
  bounceLockId,
  computeLayout,
  countersAt,
  depotLockId,
  deviceAt,
  deviceLockId,
  domainAt,
  lockLine,
  pasidAt,
  ptLockId,
  tableDomainOf,
} from './layout.js';
import { LK_CLASS, LK_OBJECT } from './locks/lock.js';
import { lockByName } from './locks/registry.js';
import { TablePool } from './table-pool.js';
import { IovaAllocator } from './iova.js';
import { PageTables } from './pgtable.js';
import { ViolationLog } from './checker.js';

export interface Shared {
  readonly sab: SharedArrayBuffer;
  readonly m: Int32Array;
  readonly f: Float64Array;
  readonly L: Layout;
}

/** The domain the live switch installs: the last domain object. */
export const switchDomainOf = (L: Layout): number => L.domains - 1;

export function createShared(cfg: Config, schedSteps = 0): Shared {
  const L = computeLayout(cfg, schedSteps);
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
  const ownDomain = (d: number): void => {
    const dw = domainAt(L, d);
    const root = pool.alloc(0, d);
    if (root === 0) throw new Error('table pool too small for the domain roots');
    m[dw + DOM_ROOT] = root;
    m[dw + DOM_OWNER] = d;
    m[dw + DOM_IOVA_OWNER] = d;
    m[dw + DOM_PT_LOCK] = initLock(ptLockId(L, d), LC_PGTABLE, d);
    m[dw + DOM_ALLOC_LOCK] = initLock(allocLockId(L, d), LC_IOVA, d);
    initLock(depotLockId(L, d), LC_DEPOT, d);
    iova.init(d);
  };
  for (let d = 0; d < L.tableDomains; d++) ownDomain(d);
  initLock(bounceLockId(L), LC_BOUNCE, 0);

  if (cfg.switchMs > 0) {
    // The PASID-capable domain the live switch moves device 0 to. Either it
    // shares the default domain's table, lock and IOVA space (the DMA-API
    // mappings stay live), or (broken) it is a fresh, empty table.
    const s = switchDomainOf(L);
    const sw = domainAt(L, s);
    const def = domainAt(L, 0);
    if (cfg.switchTo === 'shared-table') {
      m[sw + DOM_ROOT] = m[def + DOM_ROOT]!;
      m[sw + DOM_OWNER] = 0;
      m[sw + DOM_PT_LOCK] = m[def + DOM_PT_LOCK]!;
    } else {
      const root = pool.alloc(0, s);
      m[sw + DOM_ROOT] = root;
      m[sw + DOM_OWNER] = s;
      m[sw + DOM_PT_LOCK] = initLock(ptLockId(L, s), LC_PGTABLE, s);
    }
    m[sw + DOM_IOVA_OWNER] = 0;
    m[sw + DOM_ALLOC_LOCK] = m[def + DOM_ALLOC_LOCK]!;
    m[sw + DOM_BITMAP] = m[def + DOM_BITMAP]!;
  }

  for (let v = 0; v < L.devices; v++) {
    const dv = deviceAt(L, v);
    const group = Math.floor(v / cfg.groupSize);
    m[dv + DEV_DOMAIN] = tableDomainOf(L, group, 0);
    m[dv + DEV_DEFAULT_DOMAIN] = tableDomainOf(L, group, 0);
    m[dv + DEV_LOCK] = initLock(deviceLockId(L, v), LC_DEVICE, v);
    m[dv + DEV_FRAME_BASE] = L.deviceFrames + v * L.framesPerDevice;
    for (let p = 0; p < L.pasids; p++) m[pasidAt(L, v, p)] = tableDomainOf(L, group, p);
  }

  if (L.bounceSlots > 0) premapBouncePool(m, f, L, iova);

  for (let w = 0; w < L.agents; w++) {
    const cb = countersAt(L, w);
    for (let c = 0; c < NUM_LOCK_CLASSES; c++) {
      f[cb + C_LOCKSTAT + c * LS_FIELDS + LS_WAIT_MIN] = Infinity;
      f[cb + C_LOCKSTAT + c * LS_FIELDS + LS_HOLD_MIN] = Infinity;
    }
  }
  return { sab, m, f, L };
}

/**
 * pv-bounce: the pool is mapped once, contiguously, at the bottom of every
 * domain's IOVA window (slot s at offset s x pages), and those IOVAs are
 * taken from the allocator for good.
 */
function premapBouncePool(m: Int32Array, f: Float64Array, L: Layout, iova: IovaAllocator): void {
  const poolPages = L.bounceSlots * L.pages;
  const log = new ViolationLog(m, f, countersAt(L, 0), -1);
  const pt = new PageTables(m, L, 'refcount', log);
  for (let d = 0; d < L.tableDomains; d++) {
    if (iova.alloc(d, poolPages) !== 0) throw new Error('the bounce pool must start the IOVA window');
    pt.domain = d;
    pt.owner = d;
    for (let s = 0; s < L.bounceSlots; s++) {
      if (!pt.map(m[domainAt(L, d) + DOM_ROOT]!, L.iovaBasePfn + s * L.pages, L.pages, bounceFrame(L, s))) {
        throw new Error('table pool too small for the bounce pool');
      }
    }
  }
}
