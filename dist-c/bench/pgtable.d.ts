import type { MicroStats } from './messages.js';
import type { MicroCase } from './micro.js';
import type { Profile } from './tuning.js';
export declare function pgtableCases(): MicroCase[];
export declare function measurePgtable(profile: Profile): Promise<MicroStats[]>;
export declare function formatPgtable(rows: readonly MicroStats[]): string;
/** Keeps the walk's results observable, so the JIT cannot drop the loop. */
export declare const walkSink: () => number;
