import { computeLayout } from '../memory/layout.js';
/** The shared-memory layout of a design; `schedSteps`: the longest controlled run (0: free running only). */
export function layoutOf(design, schedSteps) {
    return computeLayout({
        config: design.config,
        driver: design.driver,
        allocator: design.allocator,
        flush: design.flush,
        lock: design.lock,
        extraAgents: design.agents.length,
        invariants: design.invariants.length,
        schedSteps,
        sharedWords: design.sharedWords,
    });
}
//# sourceMappingURL=design.js.map