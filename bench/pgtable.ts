/**
 * Single-thread costs of the built-in drivers and the IOVA allocator, over
 * the real shared-memory layout (engine/standalone.ts): map + unmap of 1 and
 * of 64 pages with the refcount tables (driver nolock: the same code as
 * refcount without its lock) and with cmpxchg, the same into empty tables
 * (the refcount tables then install and free three tables an operation),
 * the hardware walk of a mapped page, and IOVA alloc + free (under its lock).
 *
 * In the steady cases a page at window offset 0 stays mapped, as the device
 * loop's other buffers in flight keep a leaf table alive; the measured pages
 * sit beside it in the same leaf table.
 */
import type { Config } from '../src/api/types.js';
import { type Standalone, standalone } from '../src/engine/standalone.js';
import { C_VIOLATIONS, countersAt } from '../src/memory/layout.js';
import { table } from '../src/report/report.js';
import type { MicroStats } from './messages.js';
import type { MicroBody, MicroCase } from './micro.js';
import { runMicroIsolated } from './isolate.js';
import { ns1, rme } from './format.js';
import type { Profile } from './tuning.js';

/** Largest buffer benchmarked; the layout is sized for it (window 2048 pages, 256 frames). */
const MAX_PAGES = 64;

interface Fixture {
  s: Standalone;
  base: number;
  violations(): number;
}

/** One device's memory and ops on this thread; the drivers measured take no lock (nolock: the refcount tables; cmpxchg). */
async function fixture(driver: string, over: Partial<Config> = {}): Promise<Fixture> {
  const s = await standalone({ devices: 1, pages: MAX_PAGES, driver, ...over });
  const f = new Float64Array(s.sab);
  return { s, base: s.L.iovaBasePfn, violations: () => f[countersAt(s.L, 0) + C_VIOLATIONS]! + f[countersAt(s.L, s.L.mainSlot) + C_VIOLATIONS]! };
}

/** Map and unmap `pages` pages; with `anchor`, beside a page that stays mapped. */
async function mapUnmap(driver: string, pages: number, anchor: boolean): Promise<MicroBody> {
  const x = await fixture(driver);
  const d = x.s.rt.driver;
  if (anchor && !d.map(0, x.base, 1, 0)) throw new Error('cannot map the anchor page');
  // Offset `pages` (>= 1) keeps the buffer clear of the anchor and inside the first leaf table.
  const pfn = x.base + pages;
  const frame = pages;
  let lost = 0;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        if (!d.map(0, pfn, pages, frame)) lost++;
        lost += pages - d.unmap(0, pfn, pages);
      }
    },
    check() {
      if (lost > 0 || x.violations() > 0) return `${lost} pages lost, ${x.violations()} violations`;
      if (anchor && d.walk(0, x.base) !== 0) return 'the anchor page no longer translates';
      return d.walk(0, pfn) >= 0 ? 'the buffer still translates' : null;
    },
  };
}

let sink = 0;

async function walkMapped(): Promise<MicroBody> {
  const x = await fixture('nolock');
  const d = x.s.rt.driver;
  const pfn = x.base + 1;
  if (!d.map(0, pfn, 1, 1)) throw new Error('cannot map the walked page');
  return {
    run(n) {
      let s = 0;
      for (let i = 0; i < n; i++) s ^= d.walk(0, pfn);
      sink ^= s;
    },
    check: () => (d.walk(0, pfn) === 1 && x.violations() === 0 ? null : 'the walk no longer finds the page'),
  };
}

async function iovaAllocFree(pages: number): Promise<MicroBody> {
  const x = await fixture('nolock');
  const a = x.s.rt.allocator;
  let failed = 0;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        const off = a.alloc(0, pages);
        if (off < 0) {
          failed++;
          continue;
        }
        a.free(0, off, pages);
      }
    },
    check() {
      return failed > 0 || x.violations() > 0 ? `${failed} failed allocations, ${x.violations()} double frees` : null;
    },
  };
}

export function pgtableCases(): MicroCase[] {
  const c = (name: string, batch: number, pages: number, setup: () => Promise<MicroBody>): MicroCase => ({ suite: 'pgtable', name, batch, pages, setup });
  return [
    c('map+unmap 1 page, refcount tables', 500, 1, () => mapUnmap('nolock', 1, true)),
    c('map+unmap 1 page, cmpxchg', 500, 1, () => mapUnmap('cmpxchg', 1, true)),
    c('map+unmap 64 pages, refcount tables', 20, 64, () => mapUnmap('nolock', 64, true)),
    c('map+unmap 64 pages, cmpxchg', 20, 64, () => mapUnmap('cmpxchg', 64, true)),
    c('map+unmap 1 page into empty tables, refcount tables', 50, 1, () => mapUnmap('nolock', 1, false)),
    c('walk of a mapped page', 2000, 1, walkMapped),
    c('IOVA alloc+free 1 page', 1000, 1, () => iovaAllocFree(1)),
    c('IOVA alloc+free 64 pages', 200, 64, () => iovaAllocFree(64)),
  ];
}

export async function measurePgtable(profile: Profile): Promise<MicroStats[]> {
  const out: MicroStats[] = [];
  for (const c of pgtableCases()) out.push(await runMicroIsolated({ suite: 'pgtable', name: c.name, profile }));
  return out;
}

export function formatPgtable(rows: readonly MicroStats[]): string {
  return [
    'pgtable: page-table and IOVA allocator operations, one thread, no lock (median of batch means; each case in a fresh isolate)',
    table(
      ['operation', 'ns/op', 'ns/page', 'p99', 'rme'],
      rows.map((r) => [r.name, ns1(r.nsPerOp), r.pages > 1 ? ns1(r.nsPerOp / r.pages) : '', ns1(r.p99Ns), rme(r.rmePct)]),
    ),
  ].join('\n');
}

/** Keeps the walk's results observable, so the JIT cannot drop the loop. */
export const walkSink = (): number => sink;
