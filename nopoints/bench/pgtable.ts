/**
 * Single-thread costs of the page-table code and the IOVA allocator, over
 * the real shared-memory layout (as test/helpers.ts builds it): map + unmap
 * of 1 and of 64 pages in both table styles, the same into empty tables
 * (refcount style then installs and frees three tables an operation), the
 * hardware walk of a mapped page, and IOVA alloc + free.
 *
 * In the steady cases a page at window offset 0 stays mapped, as the device
 * loop's other buffers in flight keep a leaf table alive; the measured pages
 * sit beside it in the same leaf table.
 */
import { resolveConfig, type TableStyle } from '../src/config.js';
import { createShared, type Shared } from '../src/memory.js';
import { ViolationLog } from '../src/checker.js';
import { PageTables } from '../src/pgtable.js';
import { IovaAllocator, NO_IOVA } from '../src/iova.js';
import { DOM_ALLOCATED, DOM_ROOT, countersAt, domainAt } from '../src/layout.js';
import { PTE_SHIFT } from '../src/pte.js';
import { table } from '../src/report.js';
import type { MicroStats } from './messages.js';
import type { MicroBody, MicroCase } from './micro.js';
import { runMicroIsolated } from './isolate.js';
import { ns1, rme } from './format.js';
import type { Profile } from './tuning.js';

/** Largest buffer benchmarked; the layout is sized for it (window 2048 pages, 256 frames). */
const MAX_PAGES = 64;

interface Fixture {
  sh: Shared;
  log: ViolationLog;
  pt: PageTables;
  iova: IovaAllocator;
  root: number;
  base: number;
}

function fixture(style: TableStyle): Fixture {
  const cfg = resolveConfig({ devices: 1, pages: MAX_PAGES, tableStyle: style });
  const sh = createShared(cfg);
  const log = new ViolationLog(sh.m, sh.f, countersAt(sh.L, 0), 0);
  return {
    sh,
    log,
    pt: new PageTables(sh.m, sh.L, style, log),
    iova: new IovaAllocator(sh.m, sh.L),
    root: sh.m[domainAt(sh.L, 0) + DOM_ROOT]!,
    base: sh.L.iovaBasePfn,
  };
}

/** Translates `pfn` to `frame`? */
const translates = (x: Fixture, pfn: number, frame: number): boolean => {
  const r = x.pt.walk(x.root, pfn);
  return r > 0 && r >>> PTE_SHIFT === frame;
};

/** Map and unmap `pages` pages; with `anchor`, beside a page that stays mapped. */
function mapUnmap(style: TableStyle, pages: number, anchor: boolean): MicroBody {
  const x = fixture(style);
  const { pt, root } = x;
  if (anchor && !pt.map(root, x.base, 1, 0)) throw new Error('cannot map the anchor page');
  // Offset `pages` (>= 1) keeps the buffer clear of the anchor and inside the first leaf table.
  const pfn = x.base + pages;
  const frame = pages;
  let lost = 0;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        if (!pt.map(root, pfn, pages, frame)) lost++;
        lost += pages - pt.unmap(root, pfn, pages, frame);
      }
    },
    check() {
      if (lost > 0 || x.log.count() > 0) return `${lost} pages lost, ${x.log.count()} violations`;
      if (anchor && !translates(x, x.base, 0)) return 'the anchor page no longer translates';
      return pt.walk(root, pfn) > 0 ? 'the buffer still translates' : null;
    },
  };
}

let sink = 0;

function walkMapped(): MicroBody {
  const x = fixture('refcount');
  const { pt, root } = x;
  const pfn = x.base + 1;
  if (!pt.map(root, pfn, 1, 1)) throw new Error('cannot map the walked page');
  return {
    run(n) {
      let s = 0;
      for (let i = 0; i < n; i++) s ^= pt.walk(root, pfn);
      sink ^= s;
    },
    check: () => (translates(x, pfn, 1) && x.log.count() === 0 ? null : 'the walk no longer finds the page'),
  };
}

function iovaAllocFree(pages: number): MicroBody {
  const x = fixture('refcount');
  const { iova } = x;
  let failed = 0;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        const off = iova.alloc(0, pages);
        if (off === NO_IOVA) {
          failed++;
          continue;
        }
        failed += iova.free(0, off, pages);
      }
    },
    check() {
      const left = x.sh.m[domainAt(x.sh.L, 0) + DOM_ALLOCATED]!;
      return failed > 0 || left !== 0 ? `${failed} failed allocations or double frees, ${left} pages left allocated` : null;
    },
  };
}

export function pgtableCases(): MicroCase[] {
  const c = (name: string, batch: number, pages: number, setup: () => MicroBody): MicroCase => ({ suite: 'pgtable', name, batch, pages, setup });
  return [
    c('map+unmap 1 page, refcount', 500, 1, () => mapUnmap('refcount', 1, true)),
    c('map+unmap 1 page, cmpxchg', 500, 1, () => mapUnmap('cmpxchg', 1, true)),
    c('map+unmap 64 pages, refcount', 20, 64, () => mapUnmap('refcount', 64, true)),
    c('map+unmap 64 pages, cmpxchg', 20, 64, () => mapUnmap('cmpxchg', 64, true)),
    c('map+unmap 1 page into empty tables, refcount', 50, 1, () => mapUnmap('refcount', 1, false)),
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
