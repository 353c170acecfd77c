/**
 * Busy-wait helpers shared by the spinning locks. JavaScript has no `pause`
 * instruction; a short counted loop whose result is kept in a module variable
 * (so the JIT cannot drop it) stands in for cpu_relax().
 */
let sink = 0;
/** Spin for roughly `n` loop iterations without touching shared memory. */
export function spinDelay(n) {
    let s = sink;
    for (let i = 0; i < n; i++)
        s = (s + i) | 0;
    sink = s;
}
//# sourceMappingURL=spin.js.map