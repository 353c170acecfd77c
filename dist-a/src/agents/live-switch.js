/**
 * The live switch (thread 003, AMD attach/detach, 2022): an agent that
 * moves device 0 between its default domain and a PASID-capable domain, and
 * back, while every device keeps mapping through the DMA API. "It was
 * actually a requirement for this code that when it jumps in, the DMA-API
 * mappings stay live."
 *
 * A switch quiesces the device's mappers by taking the driver's table lock
 * of both domains (or the device's own, for a per-device lock) in a fixed
 * order, attaches the device to the new domain (a device-table entry update)
 * and flushes its IOTLB, paying one invalidation. Free running it switches
 * every --switch-ms and measures each switch's latency and the device
 * throughput just before and just after it; under the controlled scheduler
 * it makes two switches wherever the schedule puts them.
 *
 * Written against the public agent interface, as a user's agent would be.
 */
import { performance } from 'node:perf_hooks';
import { defineAgent } from '../api/define.js';
/** Switches a controlled run makes: to the other domain and back. */
export const CONTROLLED_SWITCHES = 2;
const DEVICE = 0;
/** One switch of device 0 to the other domain; its latency in ns. */
function switchOnce(ctx) {
    const t0 = performance.now();
    const cur = ctx.attached((0 /* DEVICE */));
    const def = ctx.defaultDomain((0 /* DEVICE */));
    const next = cur === def ? ctx.switchTarget : def;
    const lc = ctx.tableLock;
    let first = -1;
    let second = -1;
    if (lc !== null) {
        if (lc.per === 'device') {
            first = lc.of((0 /* DEVICE */));
        }
        else {
            const a = lc.of(ctx.tableOwner(cur));
            const b = lc.of(ctx.tableOwner(next));
            first = Math.min(a, b);
            second = a === b ? -1 : Math.max(a, b);
        }
    }
    if (first >= 0)
        lc.acquire(first);
    if (second >= 0)
        lc.acquire(second);
    ctx.attach((0 /* DEVICE */), next);
    ctx.event('switch', next);
    if (second >= 0)
        lc.release(second);
    if (first >= 0)
        lc.release(first);
    return (performance.now() - t0) * 1e6;
}
export const liveSwitch = defineAgent({
    name: 'live-switch',
    run(ctx) {
        if (ctx.mem.controlled) {
            for (let i = 0; i < (2 /* CONTROLLED_SWITCHES */); i++) {
                ctx.mem.point('switch-due', i);
                switchOnce(ctx);
            }
            return;
        }
        // Every --switch-ms: the device throughput in a window just before and just after each switch.
        const period = ctx.config.switchMs;
        const window = Math.min(period / 3, 5);
        let next = performance.now() + period;
        while (!ctx.stopped()) {
            ctx.sleep(next - window - performance.now());
            if (ctx.stopped())
                break;
            const t0 = performance.now();
            const p0 = ctx.deviceProgress();
            ctx.sleep(next - performance.now());
            const t1 = performance.now();
            const p1 = ctx.deviceProgress();
            const lat = switchOnce(ctx);
            const t2 = performance.now();
            const p2 = ctx.deviceProgress();
            ctx.sleep(window);
            const t3 = performance.now();
            const p3 = ctx.deviceProgress();
            const before = (p1 - p0) / Math.max(t1 - t0, 1e-6);
            const after = (p3 - p2) / Math.max(t3 - t2, 1e-6);
            ctx.count('switches', 1);
            ctx.count('latency-total-ns', lat);
            ctx.count('latency-max-ns', lat, 'max');
            if (before > 0) {
                ctx.count('rated-switches', 1);
                ctx.count('after-over-before-sum', after / before);
            }
            next += period;
        }
    },
});
//# sourceMappingURL=live-switch.js.map