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
export const SHOW_CURSOR = '\x1b[?25h';
export const HIDE_CURSOR = '\x1b[?25l';
export const WRAP_ON = '\x1b[?7h';
export const WRAP_OFF = '\x1b[?7l';
/** Written after a bar: the cursor shown, line wrap on. */
export const RESTORE = SHOW_CURSOR + WRAP_ON;
const CLEAR_LINE = '\r\x1b[K';
/** A stream a bar may draw on: a terminal that is not TERM=dumb, unless forced either way. */
export function isTerminal(stream, tty) {
    if (tty !== undefined)
        return tty;
    return stream.isTTY === true && process.env.TERM !== 'dumb';
}
const live = new Set();
let installed = false;
const onExit = () => {
    restoreTerminal();
};
/**
 * SIGINT/SIGTERM: restore, then die of the same signal. Re-raising (rather
 * than process.exit(130)) makes the parent see a death by signal, which is
 * what lets a shell loop or `make` stop at Ctrl-C instead of carrying on with
 * the next command; the shell reports it as 130/143 all the same. If anyone
 * else listens for the signal (the CLI stopping its workers gracefully), it
 * is theirs to act on: we restore and leave the process running, so the
 * signal is never swallowed and never acted on twice.
 */
const onSignal = (signal) => {
    restoreTerminal();
    if (process.listenerCount(signal) > 0)
        return; // restoreTerminal removed ours; others remain
    process.kill(process.pid, signal); // no listener left: the default action, death by the signal
    // Only if the signal is ignored (SIG_IGN inherited, as in `cmd &` of a non-interactive shell): exit as a shell would report it.
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
};
function install() {
    if (installed)
        return;
    installed = true;
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
}
function uninstall() {
    if (!installed)
        return;
    installed = false;
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
}
function release(l) {
    if (!live.delete(l))
        return;
    l.stream.write((l.drawn ? '\n' : '') + RESTORE);
    l.drawn = false;
    if (live.size === 0)
        uninstall();
}
/**
 * Show the cursor and turn line wrap on again on every stream a bar has
 * changed, leaving what it drew on the screen; remove the handlers. For an
 * error path that ends the process while a bar is shown. Safe to call at any
 * time; a bar updated afterwards hides the cursor again.
 */
export function restoreTerminal() {
    for (const l of [...live])
        release(l);
}
/** Whether the exit/signal handlers are installed (for tests). */
export function handlersInstalled() {
    return installed;
}
// ---------------------------------------------------------------------------
// Formatting
/** 7s, 2m05s, 1h02m. */
export function formatDuration(sec) {
    if (!Number.isFinite(sec) || sec < 0)
        return '?';
    const s = Math.round(sec);
    if (s < 60)
        return `${s}s`;
    if (s < 3600)
        return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
function formatRate(perSec) {
    if (!Number.isFinite(perSec) || perSec <= 0)
        return '0';
    return perSec >= 100 ? perSec.toFixed(0) : perSec >= 10 ? perSec.toFixed(1) : perSec.toFixed(2);
}
const known = (total) => total !== undefined && Number.isFinite(total) && total > 0;
/** Cut to the terminal's width less one (the last column would make some terminals wrap anyway). */
function fit(line, columns) {
    const width = Math.max(20, (columns && columns > 0 ? columns : 80) - 1);
    return line.length > width ? line.slice(0, width - 1) + '…' : line;
}
function bar(fraction, width) {
    const f = Math.min(1, Math.max(0, fraction));
    const full = Math.round(f * width);
    return '█'.repeat(full) + '░'.repeat(width - full);
}
// ---------------------------------------------------------------------------
// The terminal line: drawing, throttling, hiding and restoring.
class TtyLine {
    stream;
    now;
    redrawMs;
    l;
    lastDraw = -Infinity;
    shown = false;
    constructor(stream, now, redrawMs) {
        this.stream = stream;
        this.now = now;
        this.redrawMs = redrawMs;
        this.l = { stream, drawn: false };
    }
    /** Draw `line` unless one was drawn less than redrawMs ago (`force`: draw anyway). */
    draw(line, force = false) {
        const t = this.now();
        if (!force && t - this.lastDraw < this.redrawMs)
            return;
        this.lastDraw = t;
        if (!this.shown || !live.has(this.l)) {
            // First draw, or restoreTerminal() ran meanwhile: hide again, and be restored on stop/exit/signal.
            this.stream.write(HIDE_CURSOR + WRAP_OFF);
            live.add(this.l);
            install();
            this.shown = true;
        }
        this.stream.write(CLEAR_LINE + fit(line, this.stream.columns));
        this.l.drawn = true;
    }
    /** Clear the line and restore the terminal. */
    clear() {
        if (!this.shown)
            return;
        this.shown = false;
        if (live.has(this.l)) {
            this.stream.write(CLEAR_LINE);
            this.l.drawn = false;
            release(this.l);
        }
    }
}
// ---------------------------------------------------------------------------
/** Progress for counted work: runs, schedules, sweep points. */
export function createProgress(opts) {
    const stream = opts.stream ?? process.stderr;
    const now = opts.now ?? (() => performance.now());
    const unit = opts.unit ?? 'runs';
    const interval = opts.intervalMs ?? 5000;
    const t0 = now();
    const done0 = opts.start ?? 0;
    let total = opts.total;
    let done = done0;
    let what;
    let stopped = false;
    /** Units a second since the start, and the seconds left (NaN: unknown). */
    const pace = () => {
        const sec = (now() - t0) / 1000;
        const rate = sec > 0 ? (done - done0) / sec : 0;
        const eta = known(total) && rate > 0 ? Math.max(0, total - done) / rate : NaN;
        return { rate, eta };
    };
    /** done, never past the total: a caller counting the run it starts, or one run too many, does not show 301/300. */
    const shown = () => (known(total) ? Math.min(Math.max(done, 0), total) : Math.max(done, 0));
    if (isTerminal(stream, opts.tty)) {
        const line = new TtyLine(stream, now, opts.redrawMs ?? 100);
        const render = () => {
            const { rate, eta } = pace();
            const n = shown();
            const tail = what ? `  ${what}` : '';
            if (!known(total))
                return `${opts.label} ${n} ${unit}  ${formatRate(rate)}/s  ${formatDuration((now() - t0) / 1000)}${tail}`;
            const eta_ = Number.isNaN(eta) ? '' : `  eta ${formatDuration(eta)}`;
            return `${opts.label} ${bar(n / total, 24)} ${n}/${total} ${unit}${eta_}${tail}`;
        };
        return {
            update(d, w) {
                if (stopped)
                    return;
                done = d;
                if (w !== undefined)
                    what = w;
                line.draw(render());
            },
            setTotal(t) {
                if (stopped)
                    return;
                total = t;
                line.draw(render(), true);
            },
            stop(finalLine) {
                if (stopped)
                    return;
                stopped = true;
                line.clear();
                if (finalLine !== undefined)
                    stream.write(finalLine + '\n');
            },
        };
    }
    // Not a terminal: a log line now and then, for whoever tails the log.
    let lastLine = t0;
    return {
        update(d, w) {
            if (stopped)
                return;
            done = d;
            if (w !== undefined)
                what = w;
            const t = now();
            if (t - lastLine < interval)
                return;
            lastLine = t;
            const { rate, eta } = pace();
            const n = shown();
            const count = known(total) ? `${n}/${total} ${unit}` : `${n} ${unit}`;
            const tail = known(total) ? `${formatRate(rate)}/s, eta ${formatDuration(eta)}` : `${formatRate(rate)}/s`;
            stream.write(`${opts.label} ${count}${what ? ` ${what}` : ''} (${tail})\n`);
        },
        setTotal(t) {
            total = t;
        },
        stop(finalLine) {
            if (stopped)
                return;
            stopped = true;
            if (finalLine !== undefined)
                stream.write(finalLine + '\n');
        },
    };
}
/**
 * A bar filling with the elapsed time of one timed run (run, demo): on a
 * terminal only, and only for runs longer than a second; nothing at all
 * otherwise (a log gains nothing from a line saying a 10 s run is running).
 */
export function timeProgress(label, seconds, stream = process.stderr, opts = {}) {
    if (!isTerminal(stream, opts.tty) || !(seconds > 1) || !Number.isFinite(seconds)) {
        return {
            tick: () => undefined,
            stop(finalLine) {
                if (finalLine !== undefined)
                    stream.write(finalLine + '\n');
            },
        };
    }
    const line = new TtyLine(stream, opts.now ?? (() => performance.now()), opts.redrawMs ?? 100);
    let stopped = false;
    const fmt = (s) => (seconds >= 100 ? s.toFixed(0) : s.toFixed(1));
    return {
        tick(elapsedSec) {
            if (stopped)
                return;
            // A run overruns its duration while its workers drain: the bar stays full, the count stays at the duration.
            const e = Math.min(Math.max(elapsedSec, 0), seconds);
            line.draw(`${label} ${bar(e / seconds, 24)} ${fmt(e)}/${fmt(seconds)} s`);
        },
        stop(finalLine) {
            if (stopped)
                return;
            stopped = true;
            line.clear();
            if (finalLine !== undefined)
                stream.write(finalLine + '\n');
        },
    };
}
//# sourceMappingURL=progress.js.map