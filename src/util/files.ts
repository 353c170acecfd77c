/**
 * Reading a file the user named (a config, a schedule, a sweep file): every
 * way it can be wrong (absent, a directory, unreadable, far too large, a
 * device that never ends such as /dev/zero) is a UsageError naming the path
 * and what is allowed, found before any work starts.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface InputFile {
  /** How messages name it: `--config`, `report`, `schedule`. */
  what: string;
  /** What the user may give instead, for messages: `an NDJSON file written by iommu-stress sweep`. */
  allowed: string;
  /** Refused, before it is read, beyond this many bytes. */
  maxBytes: number;
}

const reason = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return `cannot read (${code ?? String(e)})`;
};

/** The whole file, or a UsageError. */
export function readInputFile(path: string, spec: InputFile): Buffer {
  const bad = (why: string): UsageError => new UsageError(`${spec.what} ${JSON.stringify(path)}: ${why} (allowed: ${spec.allowed})`);
  if (path === '') throw bad('an empty path');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw bad(reason(e));
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw bad('is a directory');
    const tooBig = (n: string): UsageError => bad(`${n} bytes, larger than any such file (at most ${spec.maxBytes} bytes)`);
    if (st.isFile() && st.size > spec.maxBytes) throw tooBig(String(st.size));
    const chunks: Buffer[] = [];
    let got = 0;
    const buf = Buffer.alloc(Math.min(spec.maxBytes + 1, 1 << 20));
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw bad(reason(e));
      }
      if (n === 0) break;
      got += n;
      if (got > spec.maxBytes) throw tooBig(`more than ${spec.maxBytes}`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, got);
  } finally {
    closeSync(fd);
  }
}
