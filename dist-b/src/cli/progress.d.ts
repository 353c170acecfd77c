/**
 * Progress on stderr that stays quiet when nobody is watching and never
 * leaves the terminal broken.
 *
 *   - On a terminal: one line redrawn in place with \r (no library: a single
 *     line is easier to keep correct than cli-progress's state machine), the
 *     cursor hidden and line wrap off while it is shown (so a narrower window
 *     cannot wrap it into a staircase), both restored on stop(), on exit and
 *     on SIGINT/SIGTERM. Counts never pass the total.
 *   - Not a terminal (piped, redirected, CI logs): at most one line every
 *     `intervalMs` (default 5 s), none at all for work that ends sooner, and
 *     nothing from stop() unless it is given a final line.
 */
/** What progress writes to: process.stderr, or a fake in tests. */
export interface ProgressStream {
    isTTY?: boolean;
    columns?: number;
    write(chunk: string): boolean;
}
export interface ProgressOptions {
    /** First word(s) of every line: 'sweep', 'explore abba'. */
    label: string;
    /** Default process.stderr. */
    stream?: ProgressStream;
    /** Units of work in all; undefined, 0 or Infinity: unknown (a count and a rate, no bar). */
    total?: number;
    /** 'runs', 'schedules', 's'. Default 'runs'. */
    unit?: string;
    /** Not a terminal: the least time between two lines. Default 5000. */
    intervalMs?: number;
    /** Terminal: the least time between two redraws. Default 100. */
    redrawMs?: number;
    /** Treat the stream as a terminal or not, whatever it says (a child whose stderr is a pipe; tests). */
    tty?: boolean;
    /** Units already done when the progress starts (a resumed sweep): not counted in the rate. */
    start?: number;
    /** Milliseconds, for tests. Default performance.now. */
    now?: () => number;
}
export interface Progress {
    /** `done` units finished so far; `what`: the current item, shown after the count (kept when omitted). */
    update(done: number, what?: string): void;
    /** The total became known, or changed. */
    setTotal(total: number): void;
    /** Clear the bar and restore the terminal (a terminal), then print `finalLine` if given. Idempotent. */
    stop(finalLine?: string): void;
}
export interface TimeProgress {
    /** Seconds elapsed in the run: call it from the run's polling loop. */
    tick(elapsedSec: number): void;
    stop(finalLine?: string): void;
}
export declare const SHOW_CURSOR = "\u001B[?25h";
export declare const HIDE_CURSOR = "\u001B[?25l";
export declare const WRAP_ON = "\u001B[?7h";
export declare const WRAP_OFF = "\u001B[?7l";
/** Written after a bar: the cursor shown, line wrap on. */
export declare const RESTORE: string;
/** A stream a bar may draw on: a terminal that is not TERM=dumb, unless forced either way. */
export declare function isTerminal(stream: ProgressStream, tty?: boolean): boolean;
/**
 * Show the cursor and turn line wrap on again on every stream a bar has
 * changed, leaving what it drew on the screen; remove the handlers. For an
 * error path that ends the process while a bar is shown. Safe to call at any
 * time; a bar updated afterwards hides the cursor again.
 */
export declare function restoreTerminal(): void;
/** Whether the exit/signal handlers are installed (for tests). */
export declare function handlersInstalled(): boolean;
/** 7s, 2m05s, 1h02m. */
export declare function formatDuration(sec: number): string;
/** Progress for counted work: runs, schedules, sweep points. */
export declare function createProgress(opts: ProgressOptions): Progress;
/**
 * A bar filling with the elapsed time of one timed run (run, demo): on a
 * terminal only, and only for runs longer than a second; nothing at all
 * otherwise (a log gains nothing from a line saying a 10 s run is running).
 */
export declare function timeProgress(label: string, seconds: number, stream?: ProgressStream, opts?: {
    tty?: boolean;
    now?: () => number;
    redrawMs?: number;
}): TimeProgress;
