/**
 * Compare two configurations on a noisy machine: run them in alternation
 * (A B A B ...) so that drift hits both alike, take the ratio B/A of each
 * pair, and conclude only when every pair agrees on the direction.
 */
import type { Config } from '../config/config.js';
import type { RunResult } from '../results/result.js';
import { type Spread } from '../util/stats.js';
export interface CompareOutcome {
    a: Config;
    b: Config;
    runsA: RunResult[];
    runsB: RunResult[];
    /** B/A throughput of each pair. */
    ratios: number[];
    ratio: Spread;
    /** Direction every pair agrees on, or null. */
    verdict: 'faster' | 'slower' | null;
}
export declare function runCompare(a: Config, b: Config, pairs: number, onRun?: (label: 'A' | 'B', pair: number) => void): Promise<CompareOutcome>;
/** The options in which B differs from A, as flags would say them. */
export declare function configDiff(a: Config, b: Config): string[];
export declare function formatCompare(o: CompareOutcome): string;
