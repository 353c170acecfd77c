/**
 * Micro-benchmarks with tinybench. Operations here take tens of
 * nanoseconds, far below what one timestamp can resolve, so one sample times
 * a batch of operations and reports the batch mean (tinybench's
 * `overriddenDuration`); the time budget counts the whole batch
 * (`overriddenIterationCost`). Statistics are then per operation.
 */
import { Bench } from 'tinybench';
export async function measureMicro(c, p) {
    const body = await c.setup();
    const batch = c.batch;
    const bench = new Bench({ time: p.microTimeMs, warmupTime: p.microWarmupMs, throws: true });
    // One result object, reused: tinybench reads it right after each call.
    const out = { overriddenDuration: 0, overriddenIterationCost: 0 };
    bench.add(c.name, () => {
        const t0 = performance.now();
        body.run(batch);
        const ms = performance.now() - t0;
        out.overriddenDuration = ms / batch;
        out.overriddenIterationCost = ms;
        return out;
    });
    await bench.run();
    const task = bench.tasks[0];
    const r = task?.result;
    if (!r || r.state !== 'completed') {
        const why = r?.state === 'errored' ? r.error.message : (r?.state ?? 'no task');
        throw new Error(`${c.suite}/${c.name}: ${why}`);
    }
    const bad = body.check();
    if (bad !== null)
        throw new Error(`${c.suite}/${c.name}: after the benchmark, ${bad}`);
    const lat = r.latency;
    return {
        suite: c.suite,
        name: c.name,
        nsPerOp: lat.p50 * 1e6,
        meanNs: lat.mean * 1e6,
        p99Ns: lat.p99 * 1e6,
        rmePct: lat.rme,
        samples: lat.samplesCount,
        batch,
        pages: c.pages,
    };
}
//# sourceMappingURL=micro.js.map