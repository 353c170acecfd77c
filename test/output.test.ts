import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../src/util/errors.js';
import { OutputError, checkOutput, checkWritable, writeJson, writeOutput, writeText, type OutputIo } from '../src/cli/output.js';

const root = mkdtempSync(join(tmpdir(), 'iommu-stress-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir = '';
let n = 0;
beforeEach(() => {
  dir = join(root, `t${n++}`);
  mkdirSync(dir);
});

const isRoot = process.getuid?.() === 0;
const OUTPUT_JS = fileURLToPath(new URL('../dist/src/cli/output.js', import.meta.url));

/** The refusal: a UsageError, exit 2, naming the flag and the path and what is allowed. */
function refused(path: string, reason: RegExp, flag = '--json'): void {
  let err: unknown;
  try {
    checkOutput(path, flag);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  const e = err as UsageError;
  expect(e.exitCode).toBe(2);
  expect(e.message).toContain(`${flag} ${JSON.stringify(path)}: `);
  expect(e.message).toMatch(reason);
  expect(e.message).toMatch(/\(allowed: /);
  expect(e.message).not.toContain('\n');
}

/** Files in dir other than the ones named: a temporary or probe file left behind would show here. */
const leftovers = (d: string, ...expected: string[]): string[] => readdirSync(d).filter((f) => !expected.includes(f));

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** Read a FIFO in another process (a reader must be there for the writer's open to return). */
function readFifo(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const cat = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
    // If the FIFO is ever replaced instead of written, cat would wait on it forever: end it, fail the test.
    const timer = setTimeout(() => cat.kill(), 10_000);
    let out = '';
    cat.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    cat.on('error', reject);
    cat.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`cat exited ${code}: nothing came through the FIFO`));
    });
  });
}

describe('regular files: whole or nothing', () => {
  it('a new file: created with the text, nothing else left in the directory', () => {
    const p = join(dir, 'new.json');
    const t = checkOutput(p, '--json');
    expect(t).toMatchObject({ kind: 'regular', exists: false, file: p, links: [] });
    expect(existsSync(p)).toBe(false); // checking creates nothing (the probe is removed)
    expect(leftovers(dir)).toEqual([]);
    writeOutput(t, '{"a":1}\n');
    expect(readFileSync(p, 'utf8')).toBe('{"a":1}\n');
    expect(lstatSync(p).isFile()).toBe(true);
    expect(leftovers(dir, 'new.json')).toEqual([]);
  });

  it('a relative path is taken from the directory it was checked in', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    let t;
    try {
      t = checkOutput('rel.json', '--out');
    } finally {
      process.chdir(cwd);
    }
    writeOutput(t, 'x\n');
    expect(readFileSync(join(dir, 'rel.json'), 'utf8')).toBe('x\n');
  });

  it('an existing file is replaced by a new one (renamed over it), its mode kept', () => {
    const p = join(dir, 'old.json');
    writeFileSync(p, 'old content\n');
    chmodSync(p, 0o640);
    const ino = statSync(p).ino;
    const t = checkOutput(p, '--json');
    expect(t).toMatchObject({ kind: 'regular', exists: true });
    writeOutput(t, 'new\n');
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect(statSync(p).mode & 0o7777).toBe(0o640);
    expect(statSync(p).ino).not.toBe(ino); // a new file took the name: never half of one
    expect(leftovers(dir, 'old.json')).toEqual([]);
  });

  it('writeText, writeJson and checkWritable still work for callers that do not keep a target', () => {
    const p = join(dir, 'w.json');
    checkWritable(p, '--json');
    writeJson(p, { a: [1] });
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({ a: [1] });
    writeText(p, 'plain\n');
    expect(readFileSync(p, 'utf8')).toBe('plain\n');
    expect(() => writeText(join(dir, 'missing', 'x'), 'y', '--html')).toThrow(/--html ".*missing\/x": directory .*missing does not exist/);
  });
});

describe('symbolic links are written through; the link stays a link', () => {
  it('a link to a regular file: the target gets the text, the link is untouched', () => {
    const target = join(dir, 'target.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, 'old\n');
    symlinkSync('target.json', link);
    const t = checkOutput(link, '--json');
    expect(t).toMatchObject({ kind: 'regular', exists: true, file: target, links: [link] });
    writeOutput(t, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('target.json');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(leftovers(dir, 'target.json', 'link.json')).toEqual([]);
  });

  it('a chain of links, one through a directory link with `..`, is followed to the end', () => {
    mkdirSync(join(dir, 'real'));
    mkdirSync(join(dir, 'real', 'sub'));
    symlinkSync(join(dir, 'real', 'sub'), join(dir, 'sublink'));
    writeFileSync(join(dir, 'real', 'final.json'), 'old\n');
    // sublink/../final.json means real/final.json to the kernel (sublink is real/sub), not dir/final.json.
    symlinkSync('sublink/../final.json', join(dir, 'b'));
    symlinkSync('b', join(dir, 'a'));
    const t = checkOutput(join(dir, 'a'), '--json');
    expect(t.file).toBe(join(dir, 'real', 'final.json'));
    expect(t.links).toEqual([join(dir, 'a'), join(dir, 'b')]);
    writeOutput(t, 'new\n');
    expect(readFileSync(join(dir, 'real', 'final.json'), 'utf8')).toBe('new\n');
    expect(existsSync(join(dir, 'final.json'))).toBe(false);
  });

  it('a dangling link into an existing directory: the target is created', () => {
    const link = join(dir, 'dangling.json');
    symlinkSync('made.json', link);
    const t = checkOutput(link, '--json');
    expect(t).toMatchObject({ kind: 'regular', exists: false, file: join(dir, 'made.json') });
    writeOutput(t, 'made\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made.json'), 'utf8')).toBe('made\n');
  });

  it('a dangling link into a directory that does not exist is refused', () => {
    const link = join(dir, 'nowhere.json');
    symlinkSync('no-such-dir/x.json', link);
    refused(link, /symbolic link .*nowhere\.json points into .*no-such-dir, which does not exist/);
  });

  it('a loop of links is refused', () => {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    refused(join(dir, 'loop-a'), /symbolic links \(a loop\?\)/);
  });
});

describe('FIFOs and character devices are streamed, never replaced', () => {
  it('a FIFO: checking does not wait for a reader; the reader gets the text; it is still a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    const t = checkOutput(fifo, '--json'); // no reader: opening it here would hang this test
    expect(t).toMatchObject({ kind: 'stream', file: fifo });
    const got = readFifo(fifo);
    writeOutput(t, 'through the fifo\n'); // blocks in open() until cat opens its end
    expect(await got).toBe('through the fifo\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers(dir, 'pipe')).toEqual([]);
  });

  it('a link to a FIFO: streamed through, the link and the FIFO stay', async () => {
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    symlinkSync('pipe', join(dir, 'to-pipe'));
    const t = checkOutput(join(dir, 'to-pipe'), '--json');
    const got = readFifo(fifo);
    writeOutput(t, 'via link\n');
    expect(await got).toBe('via link\n');
    expect(lstatSync(join(dir, 'to-pipe')).isSymbolicLink()).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('/dev/null: written, and still a character device afterwards', () => {
    const t = checkOutput('/dev/null', '--json');
    expect(t).toMatchObject({ kind: 'stream', file: '/dev/null' });
    writeOutput(t, 'discarded\n');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    const link = join(dir, 'null.json');
    symlinkSync('/dev/null', link);
    writeOutput(checkOutput(link, '--json'), 'discarded\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  // As root the old writer renamed over a device. A private copy of /dev/null (1,3) in the temp
  // directory shows it without putting the machine's /dev/null at stake if the guard ever breaks;
  // a user who may not make device nodes writes through /dev/null itself (not root, no rename can hurt it).
  it('a character device: still a device afterwards (a private node as root, /dev/null otherwise)', () => {
    const dev = isRoot ? join(dir, 'mynull') : '/dev/null';
    if (isRoot) execFileSync('mknod', [dev, 'c', '1', '3']);
    const t = checkOutput(dev, '--json');
    expect(t.kind).toBe('stream');
    writeOutput(t, 'discarded\n');
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    if (isRoot) expect(leftovers(dir, 'mynull')).toEqual([]);
  });

  it('an output that is read back (allowStream false) refuses a FIFO', () => {
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    expect(() => checkOutput(fifo, '--out', { allowStream: false })).toThrow(/--out ".*pipe": .* is a FIFO, and this output is appended to and read back \(allowed: a regular file or a new file in a writable directory\)/);
  });
});

describe('this process\'s own descriptors', () => {
  it('/dev/stdout redirected to a file: appended at the process\'s offset, the file not replaced', () => {
    const out = join(dir, 'stdout.txt');
    writeFileSync(out, 'shell wrote this\n');
    const ino = statSync(out).ino;
    const fd = openSync(out, 'a');
    const script = `
      import { checkOutput, writeOutput } from ${JSON.stringify(OUTPUT_JS)};
      process.stdout.write('before\\n');
      writeOutput(checkOutput('/dev/stdout', '--json'), '{"json":true}\\n');
      process.stdout.write('after\\n');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('shell wrote this\nbefore\n{"json":true}\nafter\n');
    expect(statSync(out).ino).toBe(ino);
  });

  it('a descriptor the process opened itself (as Node\'s own are) is refused: writing into one can crash it', () => {
    const fd = openSync(join(dir, 'mine'), 'w'); // Node opens with O_CLOEXEC, like libuv's epoll and signal pipe
    try {
      refused(`/dev/fd/${fd}`, new RegExp(`descriptor ${fd} is one this process opened itself`));
    } finally {
      closeSync(fd);
    }
  });
});

describe('refused up front: exit 2, naming the path, what is wrong and what is allowed', () => {
  it('a directory', () => refused(dir, /is a directory/));
  it('a path ending in /', () => refused(dir + '/', /names a directory/));
  it("''", () => refused('', /an empty path/));
  it('a directory that does not exist', () => refused('/nonexistent-dir/x.json', /directory \/nonexistent-dir does not exist/));
  it('a file under a regular file', () => {
    writeFileSync(join(dir, 'plain'), '');
    refused(join(dir, 'plain', 'x.json'), /is not a directory/);
  });
  it('/proc/x.json (root too: /proc creates no files, whatever access() says)', () => refused('/proc/x.json', /cannot create a file in \/proc \((ENOENT|EACCES)/));
  // Root may write it (access() says yes), but no temporary file can go beside it; anyone else may not write it at all.
  it('an existing file in /proc', () => refused('/proc/sys/vm/drop_caches', isRoot ? /cannot create a file in \/proc\/sys\/vm/ : /is not writable \(EACCES/));
  it('a socket', async () => {
    const sock = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      refused(sock, /is a socket/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
  // Permissions bind only users other than root: as root the check runs in a child as user nobody.
  it('a directory without write permission (for a user other than root)', () => {
    const ro = join(sharedDir(), 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    refusedAsUser(join(ro, 'x.json'), /cannot create a file in .*ro \(EACCES/);
  });
  it('a file without write permission (for a user other than root): not replaced, as `>` would not', () => {
    const p = join(sharedDir(), 'ro.json');
    writeFileSync(p, 'keep\n');
    chmodSync(p, 0o444);
    refusedAsUser(p, /is not writable \(EACCES/);
    expect(readFileSync(p, 'utf8')).toBe('keep\n');
  });
});

/** A temp directory any user can enter (the checks as user nobody need to reach it). */
function sharedDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'iommu-stress-out-shared-'));
  chmodSync(d, 0o777);
  sharedDirs.push(d);
  return d;
}
const sharedDirs: string[] = [];
afterAll(() => {
  for (const d of sharedDirs) rmSync(d, { recursive: true, force: true });
});

/** checkOutput refuses `path` for a user other than root: this process if it is one, else a child run as nobody (65534). */
function refusedAsUser(path: string, reason: RegExp): void {
  if (!isRoot) return refused(path, reason);
  const script = `import(${JSON.stringify(pathToFileURL(outputForNobody()).href)}).then((o) => { try { o.checkOutput(${JSON.stringify(path)}, '--json'); console.log('ACCEPTED'); } catch (e) { console.log(e.name + ': ' + e.message); } })`;
  const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^UsageError: /);
  expect(r.stdout).toMatch(reason);
}

/**
 * output.js (and the one module it imports) copied where user nobody can read it: the checkout itself may
 * be in a directory only its owner can enter (a clone in a mode-700 temporary directory).
 */
let forNobody = '';
function outputForNobody(): string {
  if (forNobody) return forNobody;
  const d = sharedDir();
  for (const [from, to] of [
    [OUTPUT_JS, 'cli/output.js'],
    [join(dirname(OUTPUT_JS), '../util/errors.js'), 'util/errors.js'],
  ] as const) {
    mkdirSync(dirname(join(d, to)), { recursive: true });
    copyFileSync(from, join(d, to));
  }
  writeFileSync(join(d, 'package.json'), '{ "type": "module" }\n');
  forNobody = join(d, 'cli/output.js');
  return forNobody;
}

/** The real file-system calls, one of them replaced by one that fails as the system would. */
function failing(name: keyof OutputIo, code: string, text: string): OutputIo {
  const fail = (syscall: string): never => {
    throw Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, syscall });
  };
  return {
    openSync,
    writeSync: (fd, buf, off, len) => {
      if (name !== 'writeSync') return writeSync(fd, buf, off, len);
      // The first call stores half, as write(2) does when the disk fills midway; the next one fails.
      if (off === 0) return writeSync(fd, buf, 0, Math.max(1, len >> 1));
      return fail('write');
    },
    fsyncSync: (fd) => (name === 'fsyncSync' ? fail('fsync') : fsyncSync(fd)),
    closeSync,
    renameSync: (from, to) => (name === 'renameSync' ? fail('rename') : renameSync(from, to)),
  };
}

describe('a failed write leaves the old content and no temporary file; the error is one line', () => {
  const cases: [keyof OutputIo, string, string][] = [
    ['writeSync', 'ENOSPC', 'no space left on device'],
    ['fsyncSync', 'EIO', 'i/o error'],
    ['renameSync', 'EXDEV', 'cross-device link not permitted'],
  ];
  for (const [call, code, text] of cases) {
    it(`${call} fails with ${code} (injected)`, () => {
      const p = join(dir, 'keep.json');
      writeFileSync(p, 'old content\n');
      const t = checkOutput(p, '--json');
      let err: unknown;
      try {
        writeOutput(t, 'x'.repeat(10_000), failing(call, code, text));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OutputError);
      expect((err as OutputError).message).toBe(`--json ${JSON.stringify(p)}: write failed: ${code}: ${text}`);
      expect((err as OutputError).code).toBe(code);
      expect(readFileSync(p, 'utf8')).toBe('old content\n');
      expect(leftovers(dir, 'keep.json')).toEqual([]);
    });
  }

  it('a real failure: a file-size limit (ulimit -f) stops the write midway with EFBIG', () => {
    const p = join(dir, 'big.json');
    writeFileSync(p, 'old content\n');
    const script = `
      import { checkOutput, writeOutput, OutputError } from ${JSON.stringify(OUTPUT_JS)};
      try { writeOutput(checkOutput(${JSON.stringify(p)}, '--json'), 'x'.repeat(100000)); }
      catch (e) { process.stderr.write((e instanceof OutputError ? 'OutputError ' : 'other ') + e.message + '\\n'); process.exitCode = 3; }`;
    // RLIMIT_FSIZE of 1 block (512 bytes): write(2) stores 512 bytes, then fails with EFBIG (Node ignores SIGXFSZ).
    const r = spawnSync('sh', ['-c', 'ulimit -f 1 && exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: 'utf8' });
    expect(r.stderr).toBe(`OutputError --json ${JSON.stringify(p)}: write failed: EFBIG: file too large\n`);
    expect(r.status).toBe(3);
    expect(readFileSync(p, 'utf8')).toBe('old content\n');
    expect(leftovers(dir, 'big.json')).toEqual([]);
  });

  it('a real failure on a device: /dev/full says ENOSPC, and stays a device', () => {
    const t = checkOutput('/dev/full', '--json');
    expect(() => writeOutput(t, 'x')).toThrow(new OutputError('--json "/dev/full": write failed: ENOSPC: no space left on device', t, 'ENOSPC'));
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('the directory removed between check and write: an OutputError, not a stack trace', () => {
    const sub = join(dir, 'gone');
    mkdirSync(sub);
    const t = checkOutput(join(sub, 'x.json'), '--json');
    rmSync(sub, { recursive: true });
    expect(() => writeOutput(t, 'x')).toThrow(/^--json ".*gone\/x\.json": write failed: directory .*gone does not exist$/);
  });
});
