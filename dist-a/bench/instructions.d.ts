import type { Profile } from './tuning.js';
export declare const haveValgrind: () => boolean;
export interface PerOp {
    label: string;
    instructions: number;
}
export interface InstructionsResult {
    ops: number;
    statsOn: PerOp;
    statsOff: PerOp;
    /** The harness on the twin's configuration, and the twin. */
    harness: PerOp;
    twin: PerOp;
    /** The twin on the harness's atomics (WebAssembly's). */
    twinWasm: PerOp;
}
export declare function measureInstructions(p: Profile): Promise<InstructionsResult | null>;
export declare function formatInstructions(r: InstructionsResult | null): string;
