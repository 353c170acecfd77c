/** The audit after a run: it compares what the devices believe with what the tables, the allocator and the pool hold. */
import { describe, expect, it } from 'vitest';
import { type Fixture, fixture } from './helpers.js';
import { SH_DOMAIN, SH_FRAME, SH_OFF, SH_PAGES, SH_STATE, SS_MAPPED, bufferFrame, shadowAt } from '../src/memory/layout.js';

/** Map one buffer in slot `slot` of worker 0 and record its shadow, as the device loop does. */
function mapBuffer(f: Fixture, slot: number): number {
  const { s } = f;
  const pages = s.L.pages;
  const off = s.rt.allocator.alloc(0, pages);
  const frame = bufferFrame(s.L, 0, slot);
  s.rt.driver.map(0, f.base + off, pages, frame);
  const at = shadowAt(s.L, 0, slot);
  s.m[at + SH_FRAME] = frame;
  s.m[at + SH_OFF] = off;
  s.m[at + SH_DOMAIN] = 0;
  s.m[at + SH_PAGES] = pages;
  s.m[at + SH_STATE] = SS_MAPPED;
  return off;
}

describe('audit', () => {
  it('finds nothing wrong when the tables hold exactly the live buffers', async () => {
    const f = await fixture({ pages: 3, inflight: 2 });
    mapBuffer(f, 0);
    mapBuffer(f, 1);
    expect(f.audited()).toEqual({});
  });

  it('finds a mapping its device believes is live but the table lost', async () => {
    const f = await fixture({ pages: 2 });
    const off = mapBuffer(f, 0);
    f.s.rt.driver.unmap(0, f.base + off, 1);
    expect(f.audited()).toMatchObject({ 'audit-lost-mapping': 1 });
  });

  it('finds a stray mapping and the IOVA nobody owns', async () => {
    const f = await fixture();
    const off = f.s.rt.allocator.alloc(0, 1);
    f.s.rt.driver.map(0, f.base + off, 1, 0);
    expect(f.audited()).toEqual({ 'audit-stray-mapping': 1, 'audit-iova-leak': 1 });
  });

  it('finds a live buffer whose IOVA the allocator counts as free', async () => {
    const f = await fixture();
    const off = mapBuffer(f, 0);
    f.s.rt.allocator.free(0, off, 1);
    expect(f.audited()).toEqual({ 'audit-iova-lost': 1 });
  });

  it('finds a table page that is neither reachable nor free', async () => {
    const f = await fixture();
    f.s.rt.pool.alloc(3, 0);
    expect(f.audited()).toEqual({ 'audit-table-leak': 1 });
  });

  it('finds a table reachable from two places, and one reachable at the wrong level', async () => {
    const f = await fixture({ driver: 'nolock' });
    mapBuffer(f, 0);
    // Point a second level-0 entry at the level-1 table the first one holds.
    const m = f.s.m;
    const root = m[f.s.L.driverDomain]!;
    const first = m.subarray(f.s.rt.pool.entry(root, 0), f.s.rt.pool.entry(root, 512)).findIndex((e) => e !== 0);
    m[f.s.rt.pool.entry(root, (first + 1) % 512)] = m[f.s.rt.pool.entry(root, first)]!;
    expect(f.audited()).toMatchObject({ 'audit-table-shared': 1 });
  });

  it('finds DMAs that landed in another device frame', async () => {
    const f = await fixture();
    f.s.m[f.s.L.tags + bufferFrame(f.s.L, 0, 0)] = 5;
    expect(f.audited()).toEqual({ 'frame-tag': 1 });
  });

  it("a race's expected mappings count as live (a missing one is lost), without IOVAs of the allocator's", async () => {
    const f = await fixture();
    f.s.rt.driver.map(0, f.base + 7, 1, 3);
    f.s.expectations.set(0, new Map([[f.base + 7, 3], [f.base + 9, 4]]));
    expect(f.audited()).toEqual({ 'audit-lost-mapping': 1 });
  });
});
