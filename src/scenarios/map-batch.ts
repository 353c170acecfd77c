/**
 * map-batch (seed 001, Samsung SYSMMU, 2011): "the iommu.h API requires a
 * separate call to map each single memory page. This is quite ineffective".
 * A call per page (a lock round trip and a walk from the root per page)
 * against one call mapping an array of pages (lock once, walk once a table).
 */
import { type Scenario, Runner, acquisitions, oversubscribedNote, pagesPerSec, tableLockClass, times } from './scenario.js';
import { si } from '../report/report.js';
import type { RunResult } from '../results/result.js';

const sizes = (quick: boolean): number[] => (quick ? [1, 16] : [1, 4, 16, 64, 256]);
const DEVICES = [1, 2];

/**
 * The kernel's generic page table benchmark (drivers/iommu/generic_pt
 * kunit, iommupt): iommu_map() of one 4 KiB page and of 256 in one call, ns
 * (its ratio 7.3x), for the shape of the harness's map cost against size.
 */
const KERNEL_MAP_NS: Readonly<Record<number, number>> = { 1: 53, 256: 386 };

/** Page-table lock acquisitions per page mapped and unmapped. */
const locksPerPage = (r: RunResult): number => acquisitions(r, tableLockClass(r)) / Math.max(1, 2 * r.totals.pages);

export const mapBatch: Scenario = {
  name: 'map-batch',
  thread: '001: [PATCH 3/7] ARM: Samsung: update/rewrite Samsung SYSMMU (IOMMU) driver (Szyprowski, Bergmann, Mar 2011)',
  question: 'a map call per page (a lock round trip and a walk from the root per page) against one call mapping an array of pages: how much does batching buy, alone and with devices sharing a domain?',
  defaultDurationSec: 0.8,
  runsPlanned: (o) => sizes(o.quick).length * DEVICES.length * 2,
  async run(opts) {
    const R = new Runner(opts, this.runsPlanned(opts), { driver: 'refcount' });
    const rows: (string | number)[][] = [];
    const gain: { pages: number; devices: number; x: number; perPageLocks: number; arrayLocks: number }[] = [];
    // One array call's map p50 at 1 device, by pages: the shape the kernel's benchmark prints.
    const mapP50 = new Map<number, number>();
    for (const devices of DEVICES) {
      for (const pages of sizes(opts.quick)) {
        const shape = { devices, groupSize: devices, pages };
        const perPage = await R.run(`${pages} pages, per-page calls, ${devices} device(s)`, { ...shape, granule: 1 });
        const array = await R.run(`${pages} pages, one array call, ${devices} device(s)`, { ...shape, granule: 0 });
        const x = pagesPerSec(array) / pagesPerSec(perPage);
        if (devices === 1 && array.latency.map.samples > 0) mapP50.set(pages, array.latency.map.p50Ns);
        gain.push({ pages, devices, x, perPageLocks: locksPerPage(perPage), arrayLocks: locksPerPage(array) });
        rows.push([
          pages,
          devices,
          si(pagesPerSec(perPage)),
          si(pagesPerSec(array)),
          times(pagesPerSec(array), pagesPerSec(perPage)),
          locksPerPage(perPage).toFixed(3),
          locksPerPage(array).toFixed(3),
        ]);
      }
    }
    const top = Math.max(...sizes(opts.quick));
    const one = gain.find((g) => g.pages === top && g.devices === 1)!;
    const two = gain.find((g) => g.pages === top && g.devices === 2)!;
    const small = gain.find((g) => g.pages === 1 && g.devices === 1)!;
    const finding =
      `at ${top} pages a buffer, one call mapping the array moved ${one.x.toFixed(2)}x the pages per second of a call per page on 1 device ` +
      `and ${two.x.toFixed(2)}x with 2 devices sharing a domain, taking ${one.arrayLocks.toFixed(3)} page-table lock acquisitions per page instead of ${one.perPageLocks.toFixed(3)}; ` +
      `at 1 page the two are the same call (${small.x.toFixed(2)}x, noise).`;
    const base = mapP50.get(1) ?? 0;
    const shape = [...mapP50].map(([pages, ns]) => {
      const k = KERNEL_MAP_NS[pages];
      return [`${pages * 4} KiB`, Math.round(ns), k ?? '-', base > 0 ? `${(ns / base).toFixed(1)}x` : '-', k !== undefined ? `${(k / KERNEL_MAP_NS[1]!).toFixed(1)}x` : '-'];
    });
    const topShape = mapP50.get(top);
    const shapeFinding =
      base > 0 && topShape !== undefined && KERNEL_MAP_NS[top] !== undefined
        ? ` One call's map p50 of ${top} pages is ${(topShape / base).toFixed(1)}x that of 1 page here, against ${(KERNEL_MAP_NS[top]! / KERNEL_MAP_NS[1]!).toFixed(1)}x for the kernel's iommu_map (iommupt).`
        : '';
    return {
      tables: [
        {
          title: 'pages per second mapped, DMAed and unmapped: a call per page (--granule 1) against one call for the buffer (--granule 0)',
          header: ['pages/buffer', 'devices', 'per-page pages/s', 'array pages/s', 'array/per-page', 'locks/page, per-page', 'locks/page, array'],
          rows,
        },
        ...(shape.length > 0
          ? [
              {
                title: "one call's map p50 against size, 1 device, beside the kernel's generic page table benchmark (iommupt kunit: iommu_map, 4 KiB pages)",
                header: ['size', 'ns', 'kernel ns', 'ratio to 4 KiB', 'kernel ratio'],
                rows: shape,
              },
            ]
          : []),
      ],
      finding: finding + shapeFinding,
      caught: [],
      warnings: oversubscribedNote(R.runs),
      runs: R.runs,
    };
  },
};
