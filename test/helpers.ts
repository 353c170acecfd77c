/** Single-threaded fixtures over the real shared-memory layout of a design (engine/standalone.ts). */
import type { Config } from '../src/api/types.js';
import { type Standalone, standalone } from '../src/engine/standalone.js';
import { countersAt } from '../src/memory/layout.js';
import { audit } from '../src/checker/audit.js';
import { Findings } from '../src/checker/audit.js';

export interface Fixture {
  s: Standalone;
  /** The first pfn of the IOVA window. */
  base: number;
  /** Violations agent 0 recorded so far of `invariant`. */
  violations(invariant: string): number;
  /** Unmap as the device loop does, telling the checker what it expects to find. */
  unmapExpecting(domain: number, pfn: number, pages: number, frame: number): number;
  /** The audit's findings now, by invariant (only those found). */
  audited(): Record<string, number>;
}

export async function fixture(over: Partial<Config> = {}): Promise<Fixture> {
  const s = await standalone({ devices: 1, ...over });
  const f = new Float64Array(s.sab);
  const codeOf = (name: string): number => s.design.invariants.findIndex((i) => i.name === name);
  return {
    s,
    base: s.L.iovaBasePfn,
    violations: (name) => f[countersAt(s.L, 0) + s.L.cViolations + codeOf(name)]!,
    unmapExpecting(domain, pfn, pages, frame) {
      const d = s.rt.dctx;
      d.expectPfn = pfn;
      d.expectFrame = frame;
      d.expectDomain = domain;
      const n = s.rt.driver.unmap(domain, pfn, pages);
      d.expectFrame = -1;
      return n;
    },
    audited() {
      const out = new Findings(s.design.invariants);
      audit(s.m, f, s.L, s.main.mem, s.design, out, s.expectations, []);
      const r: Record<string, number> = {};
      out.counts.forEach((n, code) => {
        if (n > 0) r[s.design.invariants[code]!.name] = n;
      });
      return r;
    },
  };
}
