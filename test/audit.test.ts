import { describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers.js';
import { audit } from '../src/audit.js';
import { INVARIANTS } from '../src/checker.js';
import { metaOf } from '../src/table-pool.js';
import { COUNT_STRIDE, SH_DOMAIN, SH_FRAME, SH_OFF, SH_PAGES, SH_STATE, SS_MAPPED, bufferFrame, shadowAt } from '../src/layout.js';

/** Map one buffer in slot `slot` of worker 0 and record its shadow, as the device loop does. */
function mapBuffer(f: Fixture, slot: number): number {
  const { sh, iova, pt, root } = f;
  const pages = sh.L.pages;
  const off = iova.alloc(0, pages);
  pt.map(root, sh.L.iovaBasePfn + off, pages, bufferFrame(sh.L, 0, slot));
  const at = shadowAt(sh.L, 0, slot);
  sh.m[at + SH_FRAME] = bufferFrame(sh.L, 0, slot);
  sh.m[at + SH_OFF] = off;
  sh.m[at + SH_DOMAIN] = 0;
  sh.m[at + SH_PAGES] = pages;
  sh.m[at + SH_STATE] = SS_MAPPED;
  return off;
}

const found = (f: Fixture): Record<string, number> => {
  const r = audit(f.sh, f.cfg);
  const out: Record<string, number> = {};
  r.counts.forEach((n, code) => {
    if (n > 0) out[INVARIANTS[code]!.name] = n;
  });
  return out;
};

describe('audit', () => {
  it('finds nothing wrong when the tables hold exactly the live buffers', () => {
    const f = fixture({ pages: 3, inflight: 2 });
    mapBuffer(f, 0);
    mapBuffer(f, 1);
    expect(found(f)).toEqual({});
    expect(audit(f.sh, f.cfg).summary).toMatchObject({ liveBuffers: 2, livePages: 6, mappedPages: 6 });
  });

  it('finds a mapping its device believes is live but the table lost', () => {
    const f = fixture({ pages: 2 });
    const off = mapBuffer(f, 0);
    f.pt.unmap(f.root, f.sh.L.iovaBasePfn + off, 1, bufferFrame(f.sh.L, 0, 0));
    expect(found(f)).toMatchObject({ 'audit-lost-mapping': 1 });
  });

  it('finds a stray mapping and the IOVA nobody owns', () => {
    const f = fixture();
    const off = f.iova.alloc(0, 1);
    f.pt.map(f.root, f.sh.L.iovaBasePfn + off, 1, 0);
    expect(found(f)).toMatchObject({ 'audit-stray-mapping': 1, 'audit-iova-leak': 1 });
  });

  it('finds a table page that is neither reachable nor free', () => {
    const f = fixture();
    f.pt.pool.alloc(3, 0);
    expect(found(f)).toEqual({ 'audit-table-leak': 1 });
  });

  it('finds a table whose live-entry count is wrong', () => {
    const f = fixture();
    mapBuffer(f, 0);
    // Corrupt a count, as a lost update under a wrong lock would.
    for (let t = 1; t < f.sh.L.nTables; t++) if (f.sh.m[f.sh.L.poolMeta + t] === metaOf(3, 0)) f.sh.m[f.sh.L.poolCount + t * COUNT_STRIDE]! += 1;
    expect(found(f)).toMatchObject({ 'audit-table-count': 1 });
  });

  it('finds DMAs that landed in another device frame', () => {
    const f = fixture();
    f.sh.m[f.sh.L.tags + 0] = 5;
    expect(found(f)).toMatchObject({ 'frame-tag': 1 });
  });
});
