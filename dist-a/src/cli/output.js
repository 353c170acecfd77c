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
import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, accessSync, } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EXIT_HARNESS, UsageError } from '../util/errors.js';
/** Symbolic links followed before the chain counts as a loop (Linux's own limit is 40). */
export const MAX_LINKS = 40;
const ALLOWED = 'allowed: a regular file, a new file in a writable directory, a FIFO or a character device';
const ALLOWED_REGULAR = 'allowed: a regular file or a new file in a writable directory';
/**
 * Writing an output failed after the work was done (disk full, file too
 * large, the directory removed meanwhile). The message is one line for the
 * user: the flag, the path and the system's reason. Nothing is half-written.
 */
export class OutputError extends Error {
    target;
    code;
    name = 'OutputError';
    /** The work ran, but what was asked for could not be delivered. */
    exitCode = (3 /* EXIT_HARNESS */);
    constructor(message, target, code) {
        super(message);
        this.target = target;
        this.code = code;
    }
}
const realIo = {
    openSync,
    writeSync: (fd, buf, offset, length) => writeSync(fd, buf, offset, length),
    fsyncSync,
    closeSync,
    renameSync,
};
/** "ENOSPC: no space left on device", without Node's ", write '/x/y'" tail. */
export function systemReason(e) {
    if (!(e instanceof Error))
        return String(e);
    const code = e.code;
    const m = /^([A-Z0-9_]+: [^,]*)/.exec(e.message);
    if (m?.[1])
        return m[1];
    return code ? `${code}: ${e.message}` : e.message;
}
const errCode = (e) => e?.code;
/** The reason a path cannot be used; becomes a UsageError (check) or an OutputError (write). */
class Refusal extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
const q = (s) => JSON.stringify(s);
/** The directory of a path, resolved by the kernel (so `link/../x` means what open() would take it to mean). */
function realDir(dir, via) {
    try {
        // .native: realpath(3). The JavaScript realpathSync normalises `..` by hand before it looks, which is not what open() does.
        const d = realpathSync.native(dir);
        if (!statSync(d).isDirectory())
            throw new Refusal(`${d} is not a directory`, 'ENOTDIR');
        return d;
    }
    catch (e) {
        if (e instanceof Refusal)
            throw e;
        const code = errCode(e);
        const through = via.length > 0 ? `the symbolic link ${via[via.length - 1]} points into ${dir}, which ` : `directory ${dir} `;
        if (code === 'ENOENT')
            throw new Refusal(`${through}does not exist`, code);
        if (code === 'ENOTDIR')
            throw new Refusal(`${through}is not a directory`, code);
        if (code === 'ELOOP')
            throw new Refusal(`${through}cannot be resolved: a loop of symbolic links (${systemReason(e)})`, code);
        throw new Refusal(`${through}cannot be resolved (${systemReason(e)})`, code);
    }
}
/** A descriptor directory of procfs: /proc/PID/fd or /proc/PID/task/TID/fd (what /dev/fd and /proc/self/fd resolve to). */
const FD_DIR = /^\/proc\/(\d+)(?:\/task\/\d+)?\/fd$/;
/** Can `dir` take a new file? Create and remove one: the only test that is right for root and for /proc. */
function probeDir(dir, name) {
    const probe = `${dir}/.${name}.probe-${process.pid}-${randomBytes(4).toString('hex')}`;
    let fd;
    try {
        fd = openSync(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    }
    catch (e) {
        throw new Refusal(`cannot create a file in ${dir} (${systemReason(e)})`, errCode(e));
    }
    closeSync(fd);
    try {
        unlinkSync(probe);
    }
    catch {
        // Created but not removable: odd (a sticky directory we do not own would refuse the create too), and harmless.
    }
}
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
/**
 * Walk the path to what will be written. `probe`: test that a regular
 * target's directory takes a new file (at check time; at write time the
 * temporary file itself is the test).
 */
function resolveOutput(path, flag, absPath, probe, allowStream) {
    const links = [];
    let p = absPath;
    for (let hop = 0; hop <= (40 /* MAX_LINKS */); hop++) {
        const name = basename(p);
        if (name === '' || name === '.' || name === '..' || p.endsWith('/')) {
            throw new Refusal(`${links.length > 0 ? `the symbolic link ${links[links.length - 1]} points to ${p}, which ` : ''}names a directory`, 'EISDIR');
        }
        const dir = realDir(dirname(p), links);
        const file = dir === '/' ? `/${name}` : `${dir}/${name}`;
        let st;
        try {
            st = lstatSync(file);
        }
        catch (e) {
            if (errCode(e) !== 'ENOENT')
                throw new Refusal(`cannot look at ${file} (${systemReason(e)})`, errCode(e));
        }
        const fdDir = FD_DIR.exec(dir);
        if (fdDir && !st)
            throw new Refusal(`descriptor ${file} is not open`, 'EBADF');
        if (st && fdDir && st.isSymbolicLink()) {
            // A descriptor link: its text is "pipe:[123]" or a path, not something to follow by hand; the kernel follows it.
            return viaDescriptor(path, flag, absPath, file, Number(fdDir[1]), name, links, allowStream);
        }
        if (!st) {
            if (probe)
                probeDir(dir, name);
            return { flag, path, absPath, kind: 'regular', file, exists: false, links };
        }
        if (st.isSymbolicLink()) {
            links.push(file);
            const to = readlinkSync(file);
            // Not normalised: the next hop's realDir lets the kernel resolve `..` through symbolic directories.
            p = isAbsolute(to) ? to : `${dir === '/' ? '' : dir}/${to}`;
            continue;
        }
        if (st.isFile()) {
            checkReplaceable(file, dir, st, probe);
            return { flag, path, absPath, kind: 'regular', file, exists: true, links };
        }
        if (st.isFIFO() || st.isCharacterDevice()) {
            const what = st.isFIFO() ? 'a FIFO' : 'a character device';
            if (!allowStream)
                throw new Refusal(`${file} is ${what}, and this output is appended to and read back`, 'EINVAL');
            // Not opened here: opening a FIFO blocks until a reader comes, and opening some devices does things.
            try {
                accessSync(file, constants.W_OK);
            }
            catch (e) {
                throw new Refusal(`${what} ${file} is not writable (${systemReason(e)})`, errCode(e));
            }
            return { flag, path, absPath, kind: 'stream', file, exists: true, links };
        }
        const what = st.isDirectory() ? 'a directory' : st.isSocket() ? 'a socket' : st.isBlockDevice() ? 'a block device' : 'not a file';
        throw new Refusal(`${links.length > 0 ? `the symbolic link ${links[links.length - 1]} points to ${file}, which is` : 'is'} ${what}`, 'EINVAL');
    }
    throw new Refusal(`more than ${(40 /* MAX_LINKS */)} symbolic links (a loop?): ${links.slice(0, 4).join(' -> ')}${links.length > 4 ? ' -> ...' : ''}`, 'ELOOP');
}
/** A regular file is replaced by renaming over it: the directory must take a new file, and the file must be ours to write. */
function checkReplaceable(file, dir, st, probe) {
    // As `>` in a shell: a file without write permission is not overwritten (root may, as root may with `>`).
    try {
        accessSync(file, constants.W_OK);
    }
    catch (e) {
        throw new Refusal(`${file} is not writable (${systemReason(e)})`, errCode(e));
    }
    if (!probe)
        return;
    probeDir(dir, basename(file));
    // A sticky directory (/tmp) lets only the file's or the directory's owner rename over a file.
    const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
    if (uid > 0) {
        const d = statSync(dir);
        if ((d.mode & 0o1000) !== 0 && st.uid !== uid && d.uid !== uid) {
            throw new Refusal(`${file} belongs to another user in the sticky directory ${dir}: it cannot be replaced`, 'EPERM');
        }
    }
}
// Linux's values (fdinfo prints them in octal); not all are in fs.constants.
const O_ACCMODE = 0o3;
const O_CLOEXEC = 0o2000000;
/** The open flags of one of this process's descriptors, from /proc/self/fdinfo (close-on-exec included). */
function fdFlags(fd) {
    try {
        const m = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
        return m?.[1] ? parseInt(m[1], 8) : undefined;
    }
    catch {
        return undefined;
    }
}
/** /dev/stdout, /dev/fd/N, /proc/PID/fd/N. */
function viaDescriptor(path, flag, absPath, file, pid, name, links, allowStream) {
    let st;
    try {
        st = statSync(file);
    }
    catch (e) {
        throw new Refusal(`descriptor ${file} is not open (${systemReason(e)})`, errCode(e));
    }
    if (!allowStream)
        throw new Refusal(`${file} is an open descriptor, and this output is appended to and read back`, 'EINVAL');
    if (st.isDirectory())
        throw new Refusal(`descriptor ${file} is a directory`, 'EISDIR');
    const fd = Number(name);
    if (pid === process.pid && Number.isInteger(fd)) {
        // Ours: write to it as the process writes to stdout, at its offset, whatever it is (a pipe, a file, a socket, a terminal).
        const flags = fdFlags(fd);
        if (flags !== undefined && (flags & (3 /* O_ACCMODE */)) === constants.O_RDONLY)
            throw new Refusal(`descriptor ${fd} is open for reading only`, 'EBADF');
        // Node and libuv keep their own descriptors (an epoll, eventfds, the signal pipe), all close-on-exec; writing into
        // one crashes the process. A descriptor inherited from the shell (`--json >(jq .)` gives /dev/fd/63) is not.
        if (fd > 2 && (flags === undefined || (flags & (524288 /* O_CLOEXEC */)) !== 0)) {
            throw new Refusal(`descriptor ${fd} is one this process opened itself, not one it was given`, 'EBADF');
        }
        return { flag, path, absPath, kind: 'stream', file, exists: true, fd, links };
    }
    if (!(st.isFIFO() || st.isCharacterDevice() || st.isFile()))
        throw new Refusal(`descriptor ${file} of process ${pid} is not a FIFO, a character device or a file`, 'EINVAL');
    return { flag, path, absPath, kind: 'stream', file, exists: true, links };
}
const absolute = (path) => (isAbsolute(path) ? path : `${process.cwd()}/${path}`);
/**
 * Before any work: what is at `path`, and how it will be written. Throws a
 * UsageError (exit 2) naming the flag, the path, what is wrong and what is
 * allowed. Creates and removes a probe file in a regular target's directory;
 * never opens the target itself.
 */
export function checkOutput(path, flag, opts = {}) {
    const allowStream = opts.allowStream ?? true;
    const allowed = allowStream ? ALLOWED : ALLOWED_REGULAR;
    if (path === '')
        throw new UsageError(`${flag} "": an empty path (${allowed})`);
    try {
        return resolveOutput(path, flag, absolute(path), true, allowStream);
    }
    catch (e) {
        if (e instanceof Refusal)
            throw new UsageError(`${flag} ${q(path)}: ${e.message} (${allowed})`);
        throw e;
    }
}
/** Write all of `buf`: write(2) may write less than asked. */
function writeAll(io, fd, buf) {
    for (let off = 0; off < buf.length;)
        off += io.writeSync(fd, buf, off, buf.length - off);
}
function failed(t, e, what = 'write failed') {
    const reason = e instanceof Refusal ? e.message : systemReason(e);
    return new OutputError(`${t.flag} ${q(t.path)}: ${what}: ${reason}`, t, e instanceof Refusal ? e.code : errCode(e));
}
/**
 * Write `text` to a checked target. Throws an OutputError whose message is
 * one line; on failure a regular target is untouched and no temporary file
 * is left. May block on a FIFO until a reader opens it. `io` is for tests.
 */
export function writeOutput(target, text, io = realIo) {
    // Look again: the run may have taken hours, and what is at the path now is what gets written.
    let t;
    try {
        t = { ...resolveOutput(target.path, target.flag, target.absPath, false, true), flag: target.flag, path: target.path };
    }
    catch (e) {
        if (e instanceof Refusal)
            throw failed(target, e);
        throw e;
    }
    const buf = Buffer.from(text, 'utf8');
    if (t.kind === 'stream')
        writeStream(t, buf, io);
    else
        writeRegular(t, buf, io);
}
function writeStream(t, buf, io) {
    if (t.fd !== undefined) {
        try {
            writeAll(io, t.fd, buf);
        }
        catch (e) {
            throw failed(t, e);
        }
        return;
    }
    let fd;
    try {
        // No O_CREAT, no O_TRUNC: a FIFO or a device is written into, never made or emptied.
        // A regular file here is another process's descriptor (/proc/PID/fd/N): appended to.
        const regular = statSync(t.file).isFile();
        fd = io.openSync(t.file, constants.O_WRONLY | (regular ? constants.O_APPEND : 0));
    }
    catch (e) {
        throw failed(t, e, 'cannot open');
    }
    try {
        writeAll(io, fd, buf);
    }
    catch (e) {
        throw failed(t, e);
    }
    finally {
        try {
            io.closeSync(fd);
        }
        catch {
            // The data is written (or the error above says why not); a failing close of a device adds nothing.
        }
    }
}
function writeRegular(t, buf, io) {
    const dir = dirname(t.file);
    let old;
    try {
        old = t.exists ? statSync(t.file) : undefined;
    }
    catch {
        old = undefined; // removed meanwhile: then it is a new file
    }
    // Hidden, in the same directory (rename is atomic only within a filesystem), unique, never an existing file (O_EXCL).
    const tmp = `${dir === '/' ? '' : dir}/.${basename(t.file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    let fd;
    try {
        // A new file gets 0666 less the umask, as `>` would give it; an old file's mode is set below.
        fd = io.openSync(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, old ? 0o600 : 0o666);
    }
    catch (e) {
        throw failed(t, e, `cannot create a temporary file in ${dir}`);
    }
    let open = true;
    try {
        if (old) {
            if (isRoot() && (old.uid !== 0 || old.gid !== 0)) {
                try {
                    fchownSync(fd, old.uid, old.gid); // root replacing someone's file leaves it theirs
                }
                catch {
                    // Not everywhere possible (some filesystems); the mode is still kept.
                }
            }
            fchmodSync(fd, old.mode & 0o7777);
        }
        writeAll(io, fd, buf);
        io.fsyncSync(fd); // the data is on disk before the name points at it
        open = false;
        io.closeSync(fd);
        io.renameSync(tmp, t.file);
    }
    catch (e) {
        if (open) {
            try {
                closeSync(fd);
            }
            catch {
                // already failing; the unlink below is what matters
            }
        }
        try {
            unlinkSync(tmp);
        }
        catch {
            // Nothing to remove (never created, or already renamed).
        }
        throw failed(t, e);
    }
    // The rename itself durable too; best effort (not every filesystem lets a directory be fsync'd).
    try {
        const dfd = openSync(dir, constants.O_RDONLY);
        try {
            fsyncSync(dfd);
        }
        finally {
            closeSync(dfd);
        }
    }
    catch {
        // The file is in place; only its survival of a power cut is less certain.
    }
}
/** Check, then write (for callers that did not check before the work): throws UsageError or OutputError. */
export function writeText(path, text, flag = 'output') {
    writeOutput(checkOutput(path, flag), text);
}
export function writeJson(path, value, flag = 'output') {
    writeText(path, JSON.stringify(value, null, 2) + '\n', flag);
}
/** @deprecated Use checkOutput and keep its target for writeOutput. Kept so existing callers compile. */
export function checkWritable(path, flag) {
    checkOutput(path, flag);
}
//# sourceMappingURL=output.js.map