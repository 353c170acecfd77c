import type { MicroStats } from './messages.js';
import type { MicroCase } from './micro.js';
import type { Profile } from './tuning.js';
export declare function lockCases(): MicroCase[];
export interface LockRow {
    name: string;
    lock: MicroStats;
    trylock: MicroStats;
}
export declare function measureLocks(profile: Profile): Promise<LockRow[]>;
export declare function formatLocks(rows: readonly LockRow[]): string;
