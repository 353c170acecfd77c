/**
 * The harness's exit codes and the two errors that map onto them.
 *
 *   0  clean run
 *   1  invariant violations (or a forbidden race outcome) found
 *   2  bad input: flags, config file, impossible combination
 *   3  harness failure: a worker crashed, a lock never freed, a deadlock
 */
export declare const EXIT_CLEAN = 0;
export declare const EXIT_VIOLATIONS = 1;
export declare const EXIT_USAGE = 2;
export declare const EXIT_HARNESS = 3;
/** Bad input. The message names the bad value and what is allowed. */
export declare class UsageError extends Error {
    readonly name = "UsageError";
    readonly exitCode = 2;
}
/**
 * The run could not finish: a worker threw, or the watchdog saw no progress.
 * `report` is a human-readable account of what every device was doing.
 */
export declare class HarnessError extends Error {
    readonly report: string;
    readonly detail: unknown;
    readonly name = "HarnessError";
    readonly exitCode = 3;
    constructor(message: string, report: string, detail?: unknown);
}
