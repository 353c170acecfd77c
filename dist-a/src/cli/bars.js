/** The CLI's progress, on progress.ts: a counted bar (with a line for notes) and a timed one. */
import { createProgress as create, timeProgress as timed } from './progress.js';
export function createProgress(o) {
    const p = create({ label: o.label, unit: o.unit, ...(o.total !== undefined ? { total: o.total } : {}) });
    return {
        setTotal: (t) => p.setTotal(t),
        update: (d, w) => p.update(d, w),
        log: (line) => void process.stderr.write(`\n${line}\n`),
        stop: () => p.stop(),
    };
}
/** A bar that fills with the time of a run (a terminal only, runs over a second). */
export function timeProgress(label, seconds) {
    if (seconds <= 1)
        return { tick: () => undefined, stop: () => undefined };
    return timed(label, seconds);
}
//# sourceMappingURL=bars.js.map