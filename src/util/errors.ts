/**
 * The harness's exit codes and the two errors that map onto them.
 *
 *   0  clean run
 *   1  invariant violations (or a forbidden race outcome) found
 *   2  bad input: flags, config file, impossible combination
 *   3  harness failure: a worker crashed, a run hung, an output could not be written
 *   4  inconclusive: a search's runs reached the step limit without finishing, nothing forbidden in the rest
 */
export const EXIT_CLEAN = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;
export const EXIT_HARNESS = 3;
export const EXIT_INCONCLUSIVE = 4;

/** Bad input. The message names the bad value and what is allowed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/**
 * The run could not finish: a worker threw, or the watchdog saw no progress.
 * `report` is a human-readable account of what every device was doing.
 */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly exitCode = EXIT_HARNESS;
  constructor(
    message: string,
    readonly report: string,
    readonly detail: unknown = undefined,
  ) {
    super(message);
  }
}

/**
 * A run found something wrong that ended it before it could report as
 * usual (free running: a livelock). A finding, exit 1; `report` says what
 * every agent was doing.
 */
export class FindingError extends Error {
  override readonly name = 'FindingError';
  readonly exitCode = EXIT_VIOLATIONS;
  constructor(
    message: string,
    readonly report: string,
    /** The outcome it is, for the race commands. */
    readonly outcome: string,
  ) {
    super(message);
  }
}
