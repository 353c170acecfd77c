/**
 * Every run starts from the same memory: what the previous run left is
 * cleared, every lock made an unlocked lock, every table back in the pool,
 * every domain set up by its driver and allocator, every device attached to
 * its group's domain, the bounce pool pre-mapped, and a race's own setup
 * done. Main thread, before the agents are let go.
 */
import type { Config, SetupContext } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
import type { AgentRuntime } from './runtime.js';
import type { Findings, Expectations } from '../checker/audit.js';
/** How much of the step records the previous run used, so that only those are cleared. */
export interface Dirty {
    steps: number;
    switches: number;
}
/** Clear what a run may have written (all but the control words and the names of points). */
export declare function clearShared(m: Int32Array, L: Layout, dirty: Dirty): void;
/** The context a race's setup and check are given (main thread). */
export declare class MainSetupContext implements SetupContext {
    private readonly rt;
    private readonly out;
    readonly expectations: Expectations;
    readonly mem: import("../api/types.js").Mem;
    readonly config: Readonly<Config>;
    readonly domains: number;
    readonly devices: number;
    readonly windowPages: number;
    readonly shared: number;
    constructor(rt: AgentRuntime, out: Findings, expectations: Expectations);
    get driver(): import("../api/types.js").DriverOps;
    pfnOf(off: number): number;
    frame(device: number, i: number): number;
    expect(domain: number, pfn: number, pages: number, frame: number): void;
    unexpect(domain: number, pfn: number, pages: number): void;
    report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}
/**
 * Set a run up: the memory as every run starts it, the main thread's own
 * ops made (for the bounce pool and a race's setup), the run's seed and
 * operations published.
 */
export declare function prepareShared(rt: AgentRuntime, seed: number, ops: number, setup: MainSetupContext): void;
