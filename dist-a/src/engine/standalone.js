import { resolveConfig } from '../config/config.js';
import { resolveDesign } from '../modules/loader.js';
import { Findings } from '../checker/audit.js';
import { layoutOf } from './design.js';
import { raiseInliningBudget } from './engine.js';
import { allocShared } from '../memory/shared.js';
import { AgentRuntime } from './runtime.js';
import { MainSetupContext, clearShared, prepareShared } from './setup.js';
export async function standalone(partial, ops = 0) {
    // As Engine.open: a standalone agent (a test's, a benchmark's) is compiled as the engine's agents are.
    raiseInliningBudget();
    const config = resolveConfig(partial);
    const { design } = await resolveDesign(config);
    const L = layoutOf(design, 0);
    const sab = allocShared(L.bytes);
    const main = new AgentRuntime(sab, L, design, L.mainSlot);
    const findings = new Findings(design.invariants);
    const expectations = new Map();
    clearShared(main.m, L, { steps: 0, switches: 0 });
    prepareShared(main, config.seed, ops, new MainSetupContext(main, findings, expectations));
    const rt = new AgentRuntime(sab, L, design, 0);
    rt.begin();
    return { design, L, sab, m: main.m, main, rt, findings, expectations };
}
//# sourceMappingURL=standalone.js.map