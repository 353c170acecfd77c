/**
 * Output files (--json, --out, --html) that never destroy what is there.
 *
 * Two steps, so that a bad path is bad input found before any work starts:
 *
 *   const t = checkOutput(path, '--json');   // before the run: UsageError (exit 2) if unusable
 *   ...run...
 *   writeOutput(t, text);                    // after it: OutputError (one line) if the write fails
 *
 * What is at the path decides how it is written:
 *
 *   - absent, or a regular file: whole or not at all. A temporary file in the
 *     target's own directory (rename(2) is atomic only within one filesystem)
 *     is written, fsync'd, given the old file's mode (and owner, when root),
 *     then renamed over the target. On any failure the temporary file is
 *     removed and the target is untouched. Another hard link to the old file
 *     keeps the old content: it is the name that is replaced.
 *   - a FIFO or a character device (/dev/null, /dev/tty, a terminal): opened
 *     and written as a stream, never replaced, never truncated. Renaming over
 *     them (what this module did before) turned /dev/null into a regular file
 *     when run as root. Opening a FIFO for writing blocks until a reader opens
 *     it: that is what a FIFO is for, so writeOutput may wait at the end of a
 *     run; checkOutput never opens anything, so it never blocks.
 *   - one of this process's own descriptors (/dev/stdout, /dev/stderr,
 *     /dev/fd/N, /proc/self/fd/N): written to that descriptor, so that
 *     `--json /dev/stdout > file` appends to what the shell redirected
 *     instead of replacing the file under the shell's feet.
 *   - a symbolic link: followed (a chain of them, up to MAX_LINKS) to its final
 *     target, which is written as above; the link itself stays a link.
 *   - anything else (a directory, a socket, a block device, '', a path whose
 *     directory does not exist or cannot take a new file) is refused.
 *
 * Whether a directory can take a new file is tested by creating and removing a
 * probe file in it: access(W_OK) says yes to root everywhere, but /proc and
 * /sys refuse to create files even for root, and only trying finds that out.
 */
import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
/** Symbolic links followed before the chain counts as a loop (Linux's own limit is 40). */
export declare const MAX_LINKS = 40;
/** What checkOutput found at a path, and how writeOutput will write it. */
export interface OutputTarget {
    /** The flag the path came from, for messages: '--json'. */
    readonly flag: string;
    /** The path as the user gave it, for messages. */
    readonly path: string;
    /** The path made absolute when checked, so a later chdir changes nothing. */
    readonly absPath: string;
    /** 'regular': replaced whole or not at all; 'stream': opened and written in place. */
    readonly kind: 'regular' | 'stream';
    /** The final target after the symbolic links (what is written, or renamed over). */
    readonly file: string;
    /** regular: whether a file is there now (its mode is kept); stream: always true. */
    readonly exists: boolean;
    /** A descriptor of this process the path names (/dev/stdout: 1): written directly. */
    readonly fd?: number;
    /** The symbolic links followed, in order (empty: the path was not a link). */
    readonly links: readonly string[];
}
export interface CheckOptions {
    /**
     * Accept FIFOs and character devices (default true). False for outputs that
     * are appended to and read back (sweep --out), which need a regular file.
     */
    allowStream?: boolean;
}
/**
 * Writing an output failed after the work was done (disk full, file too
 * large, the directory removed meanwhile). The message is one line for the
 * user: the flag, the path and the system's reason. Nothing is half-written.
 */
export declare class OutputError extends Error {
    readonly target: OutputTarget | null;
    readonly code: string | undefined;
    readonly name = "OutputError";
    /** The work ran, but what was asked for could not be delivered. */
    readonly exitCode = 3;
    constructor(message: string, target: OutputTarget | null, code: string | undefined);
}
/** The file-system calls writeOutput makes, replaceable so tests can make one fail. */
export interface OutputIo {
    openSync: typeof openSync;
    writeSync: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
    fsyncSync: typeof fsyncSync;
    closeSync: typeof closeSync;
    renameSync: typeof renameSync;
}
/** "ENOSPC: no space left on device", without Node's ", write '/x/y'" tail. */
export declare function systemReason(e: unknown): string;
/**
 * Before any work: what is at `path`, and how it will be written. Throws a
 * UsageError (exit 2) naming the flag, the path, what is wrong and what is
 * allowed. Creates and removes a probe file in a regular target's directory;
 * never opens the target itself.
 */
export declare function checkOutput(path: string, flag: string, opts?: CheckOptions): OutputTarget;
/**
 * Write `text` to a checked target. Throws an OutputError whose message is
 * one line; on failure a regular target is untouched and no temporary file
 * is left. May block on a FIFO until a reader opens it. `io` is for tests.
 */
export declare function writeOutput(target: OutputTarget, text: string, io?: OutputIo): void;
/** Check, then write (for callers that did not check before the work): throws UsageError or OutputError. */
export declare function writeText(path: string, text: string, flag?: string): void;
export declare function writeJson(path: string, value: unknown, flag?: string): void;
/** @deprecated Use checkOutput and keep its target for writeOutput. Kept so existing callers compile. */
export declare function checkWritable(path: string, flag: string): void;
