import type { Env } from '../util/env.js';
import type { LockClassStats, RunResult, ViolationSample } from '../results/result.js';
export declare function si(n: number, digits?: number): string;
export declare function ns(t: number): string;
export declare const pct: (x: number) => string;
/** Left-aligned first column, right-aligned others. */
export declare function table(header: string[], rows: string[][]): string;
export declare function envLine(env: Env): string;
export declare const plural: (n: number, one: string, many?: string) => string;
/** The run's design and work, naming only what the run used. */
export declare function configLine(r: RunResult): string;
/** The lock classes a run used (a class with no locks is left out). */
export declare const usedLocks: (r: RunResult) => LockClassStats[];
/** The lock class that guards the page tables (the driver says which), if any. */
export declare const tableLockOf: (r: RunResult) => LockClassStats | undefined;
/** The lock table in the layout of Linux /proc/lock_stat (times in us). */
export declare function formatLockStat(r: RunResult): string;
/** "expected frame 5, found none", in the units of the invariant; '' when the meaning says it all. */
export declare function describeValues(s: ViolationSample): string;
export declare function violationLines(r: RunResult): string[];
export declare function formatRun(r: RunResult, title?: string): string;
export declare function ratio(a: number, b: number): string;
/** Two results side by side, with B/A for each figure. */
export declare function formatComparison(nameA: string, a: RunResult, nameB: string, b: RunResult): string;
/** One line drawn from the two measurements: what sharing one domain cost. */
export declare function sharingFinding(priv: RunResult, shared: RunResult): string;
