/**
 * Reading a file the user named (a config, a schedule, a sweep file): every
 * way it can be wrong (absent, a directory, unreadable, far too large, a
 * device that never ends such as /dev/zero) is a UsageError naming the path
 * and what is allowed, found before any work starts.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';
const reason = (e) => {
    const code = e.code;
    if (code === 'ENOENT')
        return 'no such file';
    if (code === 'EACCES' || code === 'EPERM')
        return 'permission denied';
    if (code === 'EISDIR')
        return 'is a directory';
    if (code === 'ENOTDIR')
        return 'a part of the path is not a directory';
    return `cannot read (${code ?? String(e)})`;
};
/** The whole file, or a UsageError. */
export function readInputFile(path, spec) {
    const bad = (why) => new UsageError(`${spec.what} ${JSON.stringify(path)}: ${why} (allowed: ${spec.allowed})`);
    if (path === '')
        throw bad('an empty path');
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch (e) {
        throw bad(reason(e));
    }
    try {
        const st = fstatSync(fd);
        if (st.isDirectory())
            throw bad('is a directory');
        const tooBig = (n) => bad(`${n} bytes, larger than any such file (at most ${spec.maxBytes} bytes)`);
        if (st.isFile() && st.size > spec.maxBytes)
            throw tooBig(String(st.size));
        const chunks = [];
        let got = 0;
        const buf = Buffer.alloc(Math.min(spec.maxBytes + 1, 1 << 20));
        for (;;) {
            let n;
            try {
                n = readSync(fd, buf, 0, buf.length, null);
            }
            catch (e) {
                throw bad(reason(e));
            }
            if (n === 0)
                break;
            got += n;
            if (got > spec.maxBytes)
                throw tooBig(`more than ${spec.maxBytes}`);
            chunks.push(Buffer.from(buf.subarray(0, n)));
        }
        return Buffer.concat(chunks, got);
    }
    finally {
        closeSync(fd);
    }
}
//# sourceMappingURL=files.js.map