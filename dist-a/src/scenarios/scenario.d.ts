/**
 * A scenario: one design question from one of the seed threads, answered by
 * running the competing designs side by side on the same work. It returns
 * plain data (tables of measured figures, and the runs they came from) and a
 * finding computed from those figures; printing is separate.
 *
 * A new scenario is one file in this folder and one line in ./index.ts.
 */
import { type Config } from '../config/config.js';
import type { RunResult } from '../results/result.js';
import type { Env } from '../util/env.js';
export interface ScenarioOptions {
    /** The user's run options, applied under every variant's own settings. */
    base: Partial<Config>;
    /** Seconds each run lasts. */
    durationSec: number;
    /** A tiny version: fewer points, for tests. */
    quick: boolean;
    /** Called before each run with what is about to run. */
    onRun?: (done: number, total: number, label: string) => void;
}
/** One measured table: the figures as data, each cell a number or text. */
export interface ScenarioTable {
    title: string;
    header: string[];
    rows: (string | number)[][];
}
export interface ScenarioRun {
    /** What this run is in the comparison, e.g. "shared, N=4". */
    label: string;
    result: RunResult;
}
export interface ScenarioResult {
    schema: 'iommu-stress/scenario@1';
    scenario: string;
    thread: string;
    question: string;
    env: Env;
    durationSec: number;
    tables: ScenarioTable[];
    /** One line drawn from the numbers above, never a canned sentence. */
    finding: string;
    /** Deliberately wrong variants and what the checker found in them. */
    caught: {
        variant: string;
        violations: number;
        byInvariant: Record<string, number>;
    }[];
    warnings: string[];
    runs: ScenarioRun[];
}
export interface Scenario {
    readonly name: string;
    /** The seed thread: file and subject. */
    readonly thread: string;
    readonly question: string;
    /** Default seconds a run lasts (the whole scenario stays under a minute on 2 cores). */
    readonly defaultDurationSec: number;
    /** How many runs the scenario makes, for the progress bar. */
    runsPlanned(opts: ScenarioOptions): number;
    /** Refuse options that would fail part-way (UsageError naming the value), before the first run. */
    check?(opts: ScenarioOptions): void | Promise<void>;
    run(opts: ScenarioOptions): Promise<Omit<ScenarioResult, 'schema' | 'scenario' | 'thread' | 'question' | 'env' | 'durationSec'>>;
}
/**
 * Runs the variants of a scenario, in order, counting them for the progress
 * report. A run's configuration: the scenario's defaults, under the user's
 * options, under what the variant compares.
 */
export declare class Runner {
    private readonly opts;
    private readonly total;
    private readonly defaults;
    readonly runs: ScenarioRun[];
    private done;
    constructor(opts: ScenarioOptions, total: number, defaults?: Partial<Config>);
    /** Run one variant. */
    run(label: string, settings: Partial<Config>): Promise<RunResult>;
}
export declare function runScenario(s: Scenario, opts: ScenarioOptions): Promise<ScenarioResult>;
export declare const opsPerSec: (r: RunResult) => number;
export declare const pagesPerSec: (r: RunResult) => number;
/** Contention % of a lock class (0 when unused). */
export declare const contention: (r: RunResult, cls: string) => number;
export declare const acquisitions: (r: RunResult, cls: string) => number;
/** Total ns spent waiting on a lock class. */
export declare const waitTotal: (r: RunResult, cls: string) => number;
/** The page-table lock's class in a run: pgtable, device, or none. */
export declare const tableLockClass: (r: RunResult) => string;
/** "0.53x"; "-" when the base is zero. */
export declare const times: (a: number, b: number) => string;
export declare const pct1: (x: number) => string;
/** The oversubscription note a scenario adds when some of its runs had more workers than cores. */
export declare function oversubscribedNote(runs: readonly ScenarioRun[]): string[];
/** The wrong variants' findings, for ScenarioResult.caught. */
export declare function caughtIn(label: string, r: RunResult): ScenarioResult['caught'][number];
