/** Number formats of the benchmark tables (drawing only; the numbers come from the measuring code). */
import { ns } from '../src/report/report.js';
/** Nanoseconds, with one decimal below 100 ns (micro-benchmark scale). */
export function ns1(t) {
    return t < 100 ? `${t.toFixed(1)} ns` : ns(t);
}
/** Relative margin of error. */
export const rme = (pctValue) => `±${pctValue.toFixed(1)}%`;
/** A signed percentage with one decimal. */
export const signedPct = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
/** A ratio as "12.3x". */
export const times = (x) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
//# sourceMappingURL=format.js.map