/**
 * The agent-side violation log: violations are counted per invariant in the
 * agent's counter block, the first few kept whole. The first violation of a
 * run freezes every trace ring (they keep what led to it) and, under the
 * controlled scheduler, marks the step so the run ends there.
 */
import { CTL_FREEZE, C_VIOLATIONS, SAMPLES_PER_AGENT, VS_CODE, VS_DEVICE, VS_DOMAIN, VS_EXPECTED, VS_FIELDS, VS_FOUND, VS_LEVEL, VS_OP, VS_PFN } from '../memory/layout.js';
export class ViolationLog {
    m;
    f;
    base;
    device;
    sched;
    /** The agent's current operation number, set by the device loop. */
    op = 0;
    byName = new Map();
    samples;
    codes;
    constructor(m, f, L, base, device, sched, invariants) {
        this.m = m;
        this.f = f;
        this.base = base;
        this.device = device;
        this.sched = sched;
        for (const inv of invariants)
            this.byName.set(inv.name, inv.code);
        this.samples = base + L.cSamples;
        this.codes = base + L.cViolations;
    }
    record(code, domain, pfn, level, expected, found) {
        const f = this.f;
        const b = this.base;
        const n = f[b + (7 /* C_VIOLATIONS */)];
        if (n === 0 && this.m[(4 /* CTL_FREEZE */)] === 0)
            Atomics.store(this.m, (4 /* CTL_FREEZE */), 1);
        if (this.sched !== null)
            this.sched.violation();
        f[b + (7 /* C_VIOLATIONS */)] = n + 1;
        f[this.codes + code] += 1;
        if (n < (4 /* SAMPLES_PER_AGENT */)) {
            const s = this.samples + n * (8 /* VS_FIELDS */);
            f[s + (0 /* VS_CODE */)] = code;
            f[s + (1 /* VS_DEVICE */)] = this.device;
            f[s + (2 /* VS_DOMAIN */)] = domain;
            f[s + (3 /* VS_PFN */)] = pfn;
            f[s + (6 /* VS_LEVEL */)] = level;
            f[s + (4 /* VS_EXPECTED */)] = expected;
            f[s + (5 /* VS_FOUND */)] = found;
            f[s + (7 /* VS_OP */)] = this.op;
        }
    }
    /** By name, as a design reports one: a name the design did not declare is a bug in the design. */
    report(name, domain, pfn = -1, level = -1, expected = -1, found = -1) {
        const code = this.byName.get(name);
        if (code === undefined)
            throw new Error(`report(${JSON.stringify(name)}): no such invariant (declare it in the driver's or race's \`invariants\`; built-in: ${[...this.byName.keys()].slice(0, 19).join(', ')})`);
        this.record(code, domain, pfn, level, expected, found);
    }
    count() {
        return this.f[this.base + (7 /* C_VIOLATIONS */)];
    }
}
//# sourceMappingURL=log.js.map