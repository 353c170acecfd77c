/**
 * The package as a user gets it: `npm pack`, installed into an empty project,
 * then used the three ways the README shows: the command (`npx iommu-stress`),
 * the API from a user's own module (`import { explore } from 'iommu-stress'`),
 * and the types from a user's TypeScript (`tsc` against the installed
 * declarations). The examples run from node_modules, importing the package by
 * its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
const bin = (...args: string[]) => sh(process.execPath, [join(dir, 'node_modules', 'iommu-stress', 'dist', 'src', 'cli', 'cli.js'), ...args]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iommu-stress-pkg-'));
  // dist/ is built by `npm test` before vitest starts: pack it as it is.
  execFileSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO, stdio: 'pipe' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'a-user', version: '1.0.0', private: true, type: 'module' }));
  // The dependencies come from npm's cache (npm ci filled it); the registry only if they are missing.
  execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', `./${tgz}`], { cwd: dir, stdio: 'pipe' });
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('ships the build, the declarations, the examples and the README, not the sources or tests', () => {
    const files = execFileSync('tar', ['tzf', readdirSync(dir).find((f) => f.endsWith('.tgz'))!], { cwd: dir, encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/src/cli/cli.js');
    expect(files).toContain('package/dist/src/api/index.d.ts');
    expect(files).toContain('package/dist/workers/agent.js');
    expect(files).toContain('package/examples/races/amd-increase-address-space.mjs');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => /^package\/(src|test|bench)\//.test(f) || f.endsWith('.test.js'))).toEqual([]);
  });

  it('npx iommu-stress runs', () => {
    const r = sh('npx', ['--no-install', 'iommu-stress', 'run', '--devices', '2', '--duration', '0.2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/checker: clean/);
  });

  it("explores an example race from node_modules, the example importing the package by name", () => {
    const r = bin('explore', 'node_modules/iommu-stress/examples/races/amd-increase-address-space.mjs', '--runs', '200', '--out', 'found.schedule');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/replay: +iommu-stress replay 'v3:/);
    const again = bin('replay', 'found.schedule');
    expect(again.status, again.stderr).toBe(1);
  });

  it("a user's own module: a lock written with defineLock, checked and run through the API", () => {
    writeFileSync(
      join(dir, 'my-lock.mjs'),
      `import { defineLock } from 'iommu-stress';
export default defineLock({
  name: 'my-tas',
  summary: 'test-and-set, written by a user',
  init(mem, l) { mem.store(l, 0); },
  lock(mem, l) { while (mem.exchange(l, 1, 'lock') !== 0) mem.spin(l); },
  trylock(mem, l) { return mem.exchange(l, 1, 'lock') === 0; },
  unlock(mem, l) { mem.store(l, 0, 'unlock'); },
  locked(mem, l) { return mem.load(l) !== 0; },
});
`,
    );
    writeFileSync(
      join(dir, 'check.mjs'),
      `import { checkLock, run } from 'iommu-stress';
const c = await checkLock('./my-lock.mjs', { iterations: 20000 });
const r = await run({ lock: './my-lock.mjs', devices: 2, groupSize: 2, durationSec: 0.2 });
console.log(JSON.stringify({ correct: c.correct, lock: r.design.lock.name, status: r.status, ops: r.totals.ops }));
`,
    );
    const r = sh(process.execPath, ['check.mjs']);
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout.trim());
    expect(o).toMatchObject({ correct: true, lock: 'my-tas', status: 'clean' });
    expect(o.ops).toBeGreaterThan(0);
  });

  it("a user's TypeScript type-checks against the installed declarations, and a wrong one does not", () => {
    const good = `import { defineDriver, defineLock, explore, type Mem } from 'iommu-stress';
export const lock = defineLock({
  name: 't', summary: 's',
  init(mem: Mem, l: number) { mem.store(l, 0); },
  lock(mem, l) { while (mem.exchange(l, 1) !== 0) mem.spin(l); },
  trylock(mem, l) { return mem.exchange(l, 1) === 0; },
  unlock(mem, l) { mem.store(l, 0); },
  locked(mem, l) { return mem.load(l) !== 0; },
});
export const found = async (): Promise<boolean> => (await explore('x.mjs', { runs: 1 })).found !== null;
export { defineDriver };
`;
    const tsconfig = { compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['user.ts'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(dir, 'user.ts'), good);
    const ok = sh(process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    // A lock without unlock, and an option explore does not have: both refused.
    writeFileSync(join(dir, 'user.ts'), good.replace("unlock(mem, l) { mem.store(l, 0); },", '').replace('{ runs: 1 }', '{ runz: 1 }'));
    const bad = sh(process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/unlock/);
    expect(bad.stdout).toMatch(/runz/);
  });
});
