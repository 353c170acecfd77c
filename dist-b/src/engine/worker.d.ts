import { type Layout } from '../memory/layout.js';
import type { DesignSpec } from './design.js';
import { type SharedHandle } from '../memory/shared.js';
export interface AgentData {
    /** The run's memory (and its WebAssembly.Memory, for the accessors' atomics). */
    shared: SharedHandle;
    layout: Layout;
    spec: DesignSpec;
    agent: number;
}
export declare function agentMain(): Promise<void>;
