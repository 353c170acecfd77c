import type { MicroStats, Suite } from './messages.js';
import type { Profile } from './tuning.js';
/** What a case sets up, in the isolate that measures it. */
export interface MicroBody {
    /** Perform `n` operations. The loop lives here, in the case's own code, and allocates nothing. */
    run(n: number): void;
    /** After measuring: null if the state is as it must be, else what is wrong. */
    check(): string | null;
}
export interface MicroCase {
    readonly suite: Suite;
    readonly name: string;
    /** Operations timed together: enough for a sample of tens of microseconds. */
    readonly batch: number;
    /** Pages one operation touches (for a ns-a-page column), 0 when pages do not apply. */
    readonly pages: number;
    setup(): MicroBody | Promise<MicroBody>;
}
export declare function measureMicro(c: MicroCase, p: Profile): Promise<MicroStats>;
