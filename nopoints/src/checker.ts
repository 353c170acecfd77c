/**
 * Invariants and the worker-side violation log.
 *
 * Online checks run in the device loop (a DMA that faults or lands on the
 * wrong frame, an unmap that finds no mapping); the audit (audit.ts) runs on
 * the main thread after every worker stopped. Both report through the same
 * codes, counted per worker, the first few described in full.
 */
import { SCHED } from './sched.js';
import {
  CTL_FREEZE,
  C_SAMPLES,
  C_VIOL_BY_CODE,
  C_VIOLATIONS,
  NUM_VCODES,
  SAMPLES_PER_WORKER,
  VS_CODE,
  VS_DEVICE,
  VS_DOMAIN,
  VS_EXPECTED,
  VS_FIELDS,
  VS_FOUND,
  VS_LEVEL,
  VS_OP,
  VS_PFN,
} from './layout.js';

export interface Invariant {
  readonly code: number;
  readonly name: string;
  readonly meaning: string;
  /** What `expected` and `found` hold in a sample. */
  readonly values: 'frame' | 'pte' | 'count' | 'table' | 'pages' | 'none';
  /** How a sample's expected and found values read, e.g. "expected frame 5, found none". */
}

/** Codes are indices; names are what reports and JSON print. */
export const INVARIANTS: readonly Invariant[] = [
  { code: 0, name: 'dma-fault', meaning: 'a DMA to an IOVA its device had mapped found no translation', values: 'frame' },
  { code: 1, name: 'dma-wrong-frame', meaning: 'a DMA translated to a frame other than the one its device mapped', values: 'frame' },
  { code: 2, name: 'dma-after-unmap', meaning: 'a DMA to an IOVA just unmapped still translated', values: 'frame' },
  { code: 3, name: 'map-over-live', meaning: 'map found a live entry where its freshly allocated IOVA should be empty', values: 'pte' },
  { code: 4, name: 'unmap-missing', meaning: 'unmap found no entry (or no table) where its device had mapped a page', values: 'frame' },
  { code: 5, name: 'unmap-wrong-frame', meaning: 'unmap found another frame where its device had mapped a page', values: 'frame' },
  { code: 6, name: 'table-corrupt', meaning: 'a walk met an impossible entry: a leaf above the last level or a table index out of range', values: 'pte' },
  { code: 7, name: 'iova-double-free', meaning: 'an IOVA range was freed that the allocator did not have allocated', values: 'pages' },
  { code: 8, name: 'iova-exhausted', meaning: 'the IOVA window of a domain had no free range (leaked IOVAs)', values: 'pages' },
  { code: 9, name: 'pool-exhausted', meaning: 'the page-table pool ran out of tables (leaked tables)', values: 'none' },
  { code: 10, name: 'frame-tag', meaning: "a frame's DMA count differs from the DMAs its own device made (another device's DMA landed in it)", values: 'count' },
  { code: 11, name: 'audit-lost-mapping', meaning: 'after the run, a page a device still has mapped is missing from its domain table', values: 'frame' },
  { code: 12, name: 'audit-stray-mapping', meaning: 'after the run, a domain table maps a page no device believes it mapped', values: 'frame' },
  { code: 13, name: 'audit-iova-leak', meaning: 'after the run, the allocator holds IOVA pages no live buffer uses', values: 'none' },
  { code: 14, name: 'audit-iova-lost', meaning: 'after the run, a live buffer uses IOVA pages the allocator counts as free', values: 'none' },
  { code: 15, name: 'audit-table-leak', meaning: 'after the run, a table page is neither reachable from a root nor free', values: 'table' },
  { code: 16, name: 'audit-table-shared', meaning: 'after the run, a table page is reachable twice, or reachable and free', values: 'table' },
  { code: 17, name: 'audit-table-count', meaning: "after the run, a table's live-entry count differs from its valid entries", values: 'count' },
  { code: 18, name: 'audit-table-meta', meaning: 'after the run, a table is reachable at another level or domain than it was allocated for', values: 'table' },
];

export const V_DMA_FAULT = 0;
export const V_DMA_WRONG_FRAME = 1;
export const V_DMA_AFTER_UNMAP = 2;
export const V_MAP_OVER_LIVE = 3;
export const V_UNMAP_MISSING = 4;
export const V_UNMAP_WRONG = 5;
export const V_TABLE_CORRUPT = 6;
export const V_IOVA_DOUBLE_FREE = 7;
export const V_IOVA_EXHAUSTED = 8;
export const V_POOL_EXHAUSTED = 9;
export const V_FRAME_TAG = 10;
export const V_AUDIT_LOST = 11;
export const V_AUDIT_STRAY = 12;
export const V_AUDIT_IOVA_LEAK = 13;
export const V_AUDIT_IOVA_LOST = 14;
export const V_AUDIT_TABLE_LEAK = 15;
export const V_AUDIT_TABLE_SHARED = 16;
export const V_AUDIT_TABLE_COUNT = 17;
export const V_AUDIT_TABLE_META = 18;

if (INVARIANTS.length > NUM_VCODES || INVARIANTS.some((v, i) => v.code !== i)) {
  throw new Error('INVARIANTS must be numbered 0.. and fit NUM_VCODES');
}

/** One described violation. `level` is -1 where no table level applies. */
export interface ViolationSample {
  invariant: string;
  device: number;
  domain: number;
  /** Page frame number of the IOVA (iova = pfn * 4096), -1 if none. */
  pfn: number;
  iova: string | null;
  level: number;
  expected: number;
  found: number;
  /** The worker's operation count when it happened (-1: found by the audit). */
  op: number;
}

/**
 * Writes violations into a worker's counter block. The first
 * SAMPLES_PER_WORKER are kept whole; all are counted by invariant.
 */
export class ViolationLog {
  /** The worker's current operation number, set by the device loop. */
  op = 0;

  constructor(
    private readonly m: Int32Array,
    private readonly f: Float64Array,
    private readonly base: number,
    private readonly device: number,
  ) {}

  record(code: number, domain: number, pfn: number, level: number, expected: number, found: number): void {
    const f = this.f;
    const b = this.base;
    const n = f[b + C_VIOLATIONS]!;
    // The first violation of the run freezes the trace rings and, controlled, ends the schedule.
    if (n === 0 && this.m[CTL_FREEZE] === 0) Atomics.store(this.m, CTL_FREEZE, 1);
    if (SCHED.on) SCHED.violation();
    f[b + C_VIOLATIONS] = n + 1;
    f[b + C_VIOL_BY_CODE + code]! += 1;
    if (n < SAMPLES_PER_WORKER) {
      const s = b + C_SAMPLES + n * VS_FIELDS;
      f[s + VS_CODE] = code;
      f[s + VS_DEVICE] = this.device;
      f[s + VS_DOMAIN] = domain;
      f[s + VS_PFN] = pfn;
      f[s + VS_LEVEL] = level;
      f[s + VS_EXPECTED] = expected;
      f[s + VS_FOUND] = found;
      f[s + VS_OP] = this.op;
    }
  }

  count(): number {
    return this.f[this.base + C_VIOLATIONS]!;
  }
}
