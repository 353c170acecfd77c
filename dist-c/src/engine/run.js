import { resolveConfig } from '../config/config.js';
import { resolveDesign } from '../modules/loader.js';
import { collect } from '../results/collect.js';
import { buildRunTrace } from '../results/trace.js';
import { Engine } from './engine.js';
import { layoutOf } from './design.js';
export async function runConfig(config, o = {}) {
    const { design, spec } = await resolveDesign(config);
    const e = await Engine.open(design, spec);
    try {
        const end = await e.run({ seed: config.seed, ops: config.ops, durationSec: config.durationSec, sched: null, ...(o.onTick ? { onTick: o.onTick } : {}) });
        const r = collect(e, end, { warnings: o.warnings ?? [] });
        if (o.trace && !e.closed)
            r.trace = buildRunTrace(e, r, `run: ${config.devices} devices, group size ${config.groupSize}, driver ${design.driver.name}`, null);
        return r;
    }
    finally {
        await e.close();
    }
}
/** Check that a configuration can run (its pieces load, its memory can be laid out) without running it. */
export async function planRun(config) {
    const { design } = await resolveDesign(config);
    return layoutOf(design, 0);
}
/** `run()` of the package API: a partial configuration, completed with the defaults and checked. */
export async function run(config = {}, o = {}) {
    return runConfig(resolveConfig(config), o);
}
//# sourceMappingURL=run.js.map