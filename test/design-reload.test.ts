/**
 * A design's modules in a long-lived process, and loading that never ends.
 *
 * A module changed between two `run()` calls in one process runs in its new
 * version on the main thread and in the workers alike (Node, through the
 * resolve hook), or is refused naming the file (where no reload can be
 * exact: under vitest, Vite imports on the main thread); never the old
 * version on one side and the new on the other. A worker whose files are no
 * longer what the main thread loaded refuses to load, naming the file. An
 * import that never finishes is a UsageError within the time limit.
 *
 * The fixture test/fixtures/versioned/ (an allocator importing ./version.mjs)
 * reports a violation in a worker whenever the main thread ran another
 * version; the tests copy it and edit the copy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from '../src/api/index.js';
import { loadPiece } from '../src/modules/loader.js';
import type { PieceSpec } from '../src/engine/design.js';

const DIST = (p: string): string => pathToFileURL(fileURLToPath(new URL(`../dist/src/${p}`, import.meta.url))).href;
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/versioned/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'iommu-stress-reload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A copy of the versioned allocator in a folder of its own. */
function copy(): string {
  const d = join(root, String(n++));
  cpSync(FIXTURE, d, { recursive: true });
  return d;
}
const setVersion = (dir: string, v: number): void => writeFileSync(join(dir, 'version.mjs'), `export const V = ${v};\n`);

/** Run a script with Node (not vitest) in `cwd`; its last stdout line parsed as JSON. */
function node(cwd: string, script: string, env: Record<string, string> = {}): { code: number | null; out: unknown; err: string; ms: number } {
  writeFileSync(join(cwd, 'main.mjs'), script);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['main.mjs'], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return { code: r.status, out: last ? JSON.parse(last) : null, err: r.stderr, ms: Date.now() - t0 };
}

/** Load one piece from its spec in a fresh worker thread, as the engine's workers do (the compiled loader). */
function loadInWorker(kind: string, spec: PieceSpec, env: Record<string, string> = {}): Promise<string> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.loader).then((m) => m.fromSpec(workerData.kind, workerData.spec, '--' + workerData.kind))
      .then((d) => parentPort.postMessage('loaded ' + d.name), (e) => parentPort.postMessage(e.name + ': ' + e.message));`;
  const w = new Worker(code, { eval: true, workerData: { loader: DIST('modules/loader.js'), kind, spec }, env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    w.once('message', (m: string) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

describe('a module changed between two run() calls in one process', () => {
  it('under Node: the second run loads the new version on the main thread and in every worker (also a file the module imports)', () => {
    const d = copy();
    const r = node(
      d,
      `import { run } from ${JSON.stringify(DIST('api/index.js'))};
       import { writeFileSync } from 'node:fs';
       const once = async () => {
         const r = await run({ allocator: './allocator.mjs', devices: 2, durationSec: 0.2 });
         return { name: r.design.allocator.name, status: r.status, violations: r.violations.count };
       };
       const first = await once();
       writeFileSync('version.mjs', 'export const V = 22;\\n');
       const second = await once();
       console.log(JSON.stringify({ first, second }));`,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toEqual({ first: { name: 'versioned-1', status: 'clean', violations: 0 }, second: { name: 'versioned-22', status: 'clean', violations: 0 } });
  });

  it('under Node: a CommonJS file it imports that changed is refused, naming it (Node keeps the first version by file name)', () => {
    const d = copy();
    writeFileSync(join(d, 'k.cjs'), 'exports.k = 1;\n');
    writeFileSync(join(d, 'with-cjs.mjs'), "import k from './k.cjs';\nimport a from './allocator.mjs';\nexport default { ...a, name: `cjs-${k.k}` };\n");
    const r = node(
      d,
      `import { run } from ${JSON.stringify(DIST('api/index.js'))};
       import { writeFileSync } from 'node:fs';
       const once = () => run({ allocator: './with-cjs.mjs', devices: 1, durationSec: 0.1 }).then((r) => r.design.allocator.name, (e) => e.message);
       const first = await once();
       writeFileSync('k.cjs', 'exports.k = 22;\\n');
       console.log(JSON.stringify({ first, second: await once() }));`,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatchObject({ first: 'cjs-1', second: expect.stringMatching(/with-cjs\.mjs": \.\/k\.cjs changed since this process first loaded it; .*a CommonJS module cannot be loaded again/) });
  });

  it('in-process here (vitest, where Vite imports on the main thread): the new version everywhere, or refused naming the file, never two versions', async () => {
    const d = copy();
    const cfg = { allocator: join(d, 'allocator.mjs'), devices: 2, durationSec: 0.2 };
    const first = await run(cfg);
    expect(first.design.allocator.name).toBe('versioned-1');
    setVersion(d, 22);
    const second = await run(cfg).then(
      (r) => ({ name: r.design.allocator.name, violations: r.violations.count }),
      (e: Error) => e,
    );
    if (second instanceof Error) {
      expect(second.name).toBe('UsageError');
      expect(second.message).toMatch(/allocator\.mjs": .*version\.mjs changed since this process first loaded it; Node keeps the first version of a module for the life of a process/);
    } else {
      expect(second).toEqual({ name: 'versioned-22', violations: 0 });
    }
  });

  it('a schedule recorded in this process, its driver changed since: refused naming the file that changed', () => {
    const d = join(root, String(n++));
    for (const sub of ['races', 'drivers']) cpSync(join(EXAMPLES, sub), join(d, sub), { recursive: true });
    const r = node(
      d,
      `import { explore, replay } from ${JSON.stringify(DIST('api/index.js'))};
       import { appendFileSync } from 'node:fs';
       const found = await explore('./races/amd-increase-address-space.mjs', { runs: 200 });
       appendFileSync('drivers/amd-v1.mjs', '\\n// changed\\n');
       const why = await replay(found.found.schedule).then(() => 'replayed', (e) => e.message);
       console.log(JSON.stringify(why));`,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/recorded against other code or configuration .*: the race, the modules changed \(\.\/drivers\/amd-v1\.mjs\)\)/);
  });
});

describe('a worker loads what the main thread loaded, or nothing', () => {
  it('a worker loads the spec the main thread pinned; once a file it imports changed, the load fails naming that file', async () => {
    const d = copy();
    const { spec } = await loadPiece('allocator', join(d, 'allocator.mjs'), d, '--allocator');
    expect('url' in spec && spec.url).toMatch(/allocator\.mjs\?v=[0-9a-f]{8}\.[0-9a-f]{8}$/);
    expect(await loadInWorker('allocator', spec)).toBe('loaded versioned-1');
    setVersion(d, 333);
    const msg = await loadInWorker('allocator', spec);
    expect(msg).toMatch(/^UsageError: --allocator ".*allocator\.mjs": \S*version\.mjs changed after the main thread loaded the design/);
  });
});

describe('loading has a time limit', () => {
  const SLOW = 'export default {};\nawait new Promise(() => {});\n';
  const LIMIT = { IOMMU_STRESS_LOAD_TIMEOUT_SEC: '1' };
  const cli = (cwd: string, ...args: string[]) => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...LIMIT } });
    return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
  };
  const slowDir = (): string => {
    const d = join(root, String(n++));
    mkdirSync(d);
    writeFileSync(join(d, 'slow.mjs'), SLOW);
    return d;
  };

  it('explore and run --driver of a module whose top-level await never settles exit 2 within the limit, naming the file', () => {
    const d = slowDir();
    for (const args of [['explore', './slow.mjs'], ['run', '--driver', './slow.mjs']]) {
      const r = cli(d, ...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^iommu-stress: (race|--driver) ".*slow\.mjs": the module did not finish loading in 1 s \(a top-level await that never settles\?\)/);
      expect(r.ms).toBeLessThan(15_000);
    }
    const bad = spawnSync(process.execPath, [CLI, 'explore', './slow.mjs'], { cwd: d, encoding: 'utf8', env: { ...process.env, IOMMU_STRESS_LOAD_TIMEOUT_SEC: 'soon' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/IOMMU_STRESS_LOAD_TIMEOUT_SEC="soon": not a time limit \(allowed: seconds/);
  });

  it('run() through the API rejects instead of hanging', async () => {
    const d = slowDir();
    const saved = process.env.IOMMU_STRESS_LOAD_TIMEOUT_SEC;
    process.env.IOMMU_STRESS_LOAD_TIMEOUT_SEC = '1';
    try {
      await expect(run({ driver: join(d, 'slow.mjs'), durationSec: 0.1 })).rejects.toThrow(/--driver ".*slow\.mjs": the module did not finish loading in 1 s/);
    } finally {
      if (saved === undefined) delete process.env.IOMMU_STRESS_LOAD_TIMEOUT_SEC;
      else process.env.IOMMU_STRESS_LOAD_TIMEOUT_SEC = saved;
    }
  });

  it('a module that hangs only in the workers: the load in a worker throws the same UsageError', async () => {
    const d = join(root, String(n++));
    cpSync(FIXTURE, d, { recursive: true });
    writeFileSync(join(d, 'worker-slow.mjs'), "import { isMainThread } from 'node:worker_threads';\nimport a from './allocator.mjs';\nif (!isMainThread) await new Promise(() => {});\nexport default a;\n");
    const { spec } = await loadPiece('allocator', join(d, 'worker-slow.mjs'), d, '--allocator');
    expect(await loadInWorker('allocator', spec, LIMIT)).toMatch(/^UsageError: --allocator ".*worker-slow\.mjs": the module did not finish loading in 1 s/);
  });

  it('a module that loads leaves no timer behind: the process ends at once (the limit is 30 s)', () => {
    const d = copy();
    const r = node(d, `import { loadPiece } from ${JSON.stringify(DIST('modules/loader.js'))};\nconst { def } = await loadPiece('allocator', './allocator.mjs', process.cwd(), '--allocator');\nconsole.log(JSON.stringify(def.name));`, {
      IOMMU_STRESS_LOAD_TIMEOUT_SEC: '30',
    });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('versioned-1');
    expect(r.ms).toBeLessThan(10_000);
  });
});
