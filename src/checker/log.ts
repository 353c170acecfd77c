/**
 * The agent-side violation log: violations are counted per invariant in the
 * agent's counter block, the first few kept whole. The first violation of a
 * run freezes every trace ring (they keep what led to it) and, under the
 * controlled scheduler, marks the step so the run ends there.
 */
import { UsageError } from '../util/errors.js';
import { CTL_FREEZE, C_VIOLATIONS, type Layout, SAMPLES_PER_AGENT, VS_CODE, VS_DEVICE, VS_DOMAIN, VS_EXPECTED, VS_FIELDS, VS_FOUND, VS_LEVEL, VS_OP, VS_PFN } from '../memory/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { Invariant } from './invariants.js';

export class ViolationLog {
  /** The agent's current operation number, set by the device loop. */
  op = 0;
  private readonly byName = new Map<string, number>();
  private readonly samples: number;
  private readonly codes: number;

  constructor(
    private readonly m: Int32Array,
    private readonly f: Float64Array,
    L: Layout,
    private readonly base: number,
    private readonly device: number,
    private readonly sched: Scheduler | null,
    invariants: readonly Invariant[],
  ) {
    for (const inv of invariants) this.byName.set(inv.name, inv.code);
    this.samples = base + L.cSamples;
    this.codes = base + L.cViolations;
  }

  record(code: number, domain: number, pfn: number, level: number, expected: number, found: number): void {
    const f = this.f;
    const b = this.base;
    const n = f[b + C_VIOLATIONS]!;
    if (n === 0 && this.m[CTL_FREEZE] === 0) Atomics.store(this.m, CTL_FREEZE, 1);
    if (this.sched !== null) this.sched.violation();
    f[b + C_VIOLATIONS] = n + 1;
    f[this.codes + code]! += 1;
    if (n < SAMPLES_PER_AGENT) {
      const s = this.samples + n * VS_FIELDS;
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

  /** By name, as a design reports one: a name the design did not declare is a bug in the design. */
  report(name: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    const code = this.byName.get(name);
    if (code === undefined) throw new UsageError(`report(${JSON.stringify(name)}): no such invariant (allowed: one the driver or race declares in \`invariants\`, or a built-in: ${[...this.byName.keys()].join(', ')})`);
    this.record(code, domain, pfn, level, expected, found);
  }

  count(): number {
    return this.f[this.base + C_VIOLATIONS]!;
  }
}
