/**
 * A scenario: one design question from one of the seed threads, answered by
 * running the competing designs side by side on the same work. It returns
 * plain data (tables of measured figures, and the runs they came from) and a
 * finding computed from those figures; printing is separate.
 *
 * A new scenario is one file in this folder and one line in ./index.ts.
 */
import { resolveConfig } from '../config/config.js';
import { runConfig } from '../engine/run.js';
import { readEnv } from '../util/env.js';
import { workersOf } from '../memory/layout.js';
import { tableLockOf } from '../report/report.js';
/**
 * Runs the variants of a scenario, in order, counting them for the progress
 * report. A run's configuration: the scenario's defaults, under the user's
 * options, under what the variant compares.
 */
export class Runner {
    opts;
    total;
    defaults;
    runs = [];
    done = 0;
    constructor(opts, total, defaults = {}) {
        this.opts = opts;
        this.total = total;
        this.defaults = defaults;
    }
    /** Run one variant. */
    async run(label, settings) {
        this.opts.onRun?.(this.done, this.total, label);
        const cfg = resolveConfig({ ...this.defaults, durationSec: this.opts.durationSec, ...this.opts.base, ...settings });
        const result = await runConfig(cfg);
        this.runs.push({ label, result });
        this.done++;
        return result;
    }
}
export async function runScenario(s, opts) {
    await s.check?.(opts);
    const env = readEnv();
    const r = await s.run(opts);
    return { schema: 'iommu-stress/scenario@1', scenario: s.name, thread: s.thread, question: s.question, env, durationSec: opts.durationSec, ...r };
}
/* ---- figures drawn from a run ------------------------------------------ */
export const opsPerSec = (r) => r.totals.opsPerSec;
export const pagesPerSec = (r) => r.totals.pagesPerSec;
/** Contention % of a lock class (0 when unused). */
export const contention = (r, cls) => r.locks.find((l) => l.class === cls && l.instances > 0)?.contentionPct ?? 0;
export const acquisitions = (r, cls) => r.locks.find((l) => l.class === cls)?.acquisitions ?? 0;
/** Total ns spent waiting on a lock class. */
export const waitTotal = (r, cls) => r.locks.find((l) => l.class === cls)?.waittimeTotalNs ?? 0;
/** The page-table lock's class in a run: pgtable, device, or none. */
export const tableLockClass = (r) => tableLockOf(r)?.class ?? 'none';
/** "0.53x"; "-" when the base is zero. */
export const times = (a, b) => {
    if (b <= 0)
        return '-';
    const r = a / b;
    return r >= 0.01 || r === 0 ? `${r.toFixed(2)}x` : `${r.toPrecision(2)}x`;
};
export const pct1 = (x) => `${x.toFixed(1)}%`;
/** The oversubscription note a scenario adds when some of its runs had more workers than cores. */
export function oversubscribedNote(runs) {
    const cores = runs[0]?.result.env.cores ?? 1;
    const over = runs.filter((r) => workersOf(r.result.config) > cores).map((r) => r.label);
    return over.length
        ? [`${over.length} run${over.length > 1 ? 's' : ''} had more workers than the ${cores} cores (${over.join('; ')}): spinning locks there also pay for lock-holder preemption`]
        : [];
}
/** The wrong variants' findings, for ScenarioResult.caught. */
export function caughtIn(label, r) {
    return { variant: label, violations: r.violations.count, byInvariant: r.violations.byInvariant };
}
//# sourceMappingURL=scenario.js.map