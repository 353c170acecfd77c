/**
 * The harness's exit codes and the two errors that map onto them.
 *
 *   0  clean run
 *   1  invariant violations (or a forbidden race outcome) found
 *   2  bad input: flags, config file, impossible combination
 *   3  harness failure: a worker crashed, a lock never freed, a deadlock
 */
export const EXIT_CLEAN = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;
export const EXIT_HARNESS = 3;
/** Bad input. The message names the bad value and what is allowed. */
export class UsageError extends Error {
    name = 'UsageError';
    exitCode = (2 /* EXIT_USAGE */);
}
/**
 * The run could not finish: a worker threw, or the watchdog saw no progress.
 * `report` is a human-readable account of what every device was doing.
 */
export class HarnessError extends Error {
    report;
    detail;
    name = 'HarnessError';
    exitCode = (3 /* EXIT_HARNESS */);
    constructor(message, report, detail = undefined) {
        super(message);
        this.report = report;
        this.detail = detail;
    }
}
//# sourceMappingURL=errors.js.map