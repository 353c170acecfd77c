/**
 * The real device loop, one device, run on the calling thread (a bench
 * worker): fresh shared memory, a fixed number of operations. Returns its
 * time per operation.
 */
import { performance } from 'node:perf_hooks';
import { standalone } from '../src/engine/standalone.js';
import { C_OPS, C_VIOLATIONS, countersAt } from '../src/memory/layout.js';
export async function runDeviceLoop(partial) {
    const ops = partial.ops ?? 0;
    if (ops <= 0)
        throw new Error('a device-loop benchmark needs a fixed number of operations (ops > 0)');
    const s = await standalone({ ...partial, devices: 1, groupSize: 1, queues: 1 }, ops);
    const t0 = performance.now();
    s.rt.runDevice();
    const ms = performance.now() - t0;
    const f = new Float64Array(s.sab);
    const cb = countersAt(s.L, 0);
    const done = f[cb + (0 /* C_OPS */)];
    const violations = f[cb + (7 /* C_VIOLATIONS */)];
    if (done !== ops || violations !== 0)
        throw new Error(`device loop did ${done} of ${ops} operations with ${violations} violations`);
    return { ops: done, nsPerOp: (ms * 1e6) / done, violations };
}
//# sourceMappingURL=loop.js.map