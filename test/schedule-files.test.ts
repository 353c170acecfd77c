/**
 * Schedules and the code they belong to, end to end on the command line,
 * on a copy of examples/races/amd-increase-address-space.mjs and the driver
 * it imports (examples/drivers/amd-v1.mjs) in a folder of its own: a saved
 * schedule is refused once a file the race imports changes; a schedule file
 * names its race from its own directory, so it replays from any cwd; a race
 * that moved is found by its content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const cli = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const root = mkdtempSync(join(tmpdir(), 'iommu-stress-schedules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A project of its own: races/ and drivers/ copied from examples/, and a schedule of the race explored into out/s.schedule (from the project's folder). */
function project(): { dir: string; schedule: string } {
  const dir = join(root, String(n++));
  for (const sub of ['races', 'drivers']) cpSync(join(EXAMPLES, sub), join(dir, sub), { recursive: true });
  mkdirSync(join(dir, 'out'));
  const r = cli(dir, 'explore', 'races/amd-increase-address-space.mjs', '--runs', '200', '--out', 'out/s.schedule');
  expect(r.code, r.err).toBe(1);
  return { dir, schedule: join(dir, 'out', 's.schedule') };
}

const RACE = 'amd-increase-address-space.mjs';

describe('a saved schedule, and the files its race imports', () => {
  let p: { dir: string; schedule: string };
  beforeAll(() => {
    p = project();
  });

  it('replays while nothing changed; once the driver the race imports changes, it is refused (exit 2) naming the race and modules parts', () => {
    expect(cli(p.dir, 'replay', 'out/s.schedule').code).toBe(1);
    appendFileSync(join(p.dir, 'drivers', 'amd-v1.mjs'), '\n// an edit that changes no behaviour, but the code is not what was recorded\n');
    const r = cli(p.dir, 'replay', 'out/s.schedule');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/recorded against other code or configuration \(fingerprint \S+, now \S+: the race, the modules changed\)/);
  });
});

describe('a schedule file names its race from its own directory', () => {
  let p: { dir: string; schedule: string };
  beforeAll(() => {
    p = project();
  });

  it('is written relative to the file, and replays from another cwd; the replay command it prints works from that cwd', () => {
    const text = readFileSync(p.schedule, 'utf8');
    expect(text).toMatch(new RegExp(`^v3:\\.\\./races/${RACE.replace(/\./g, '\\.')}:broken:`));
    const elsewhere = join(root, `elsewhere-${n++}`);
    mkdirSync(elsewhere);
    const r = cli(elsewhere, 'replay', p.schedule);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^outcome: lost-mapping \(forbidden\)/m);
    const printed = /iommu-stress replay '([^']+)'/.exec(r.out)![1]!;
    expect(printed).toMatch(new RegExp(`^v3:\\.\\./\\d+/races/${RACE.replace(/\./g, '\\.')}:`));
    expect(cli(elsewhere, 'replay', printed).code).toBe(1);
    // shrink --out writes from its own file's directory too.
    const small = join(elsewhere, 'small.schedule');
    expect(cli(elsewhere, 'shrink', p.schedule, '--out', small).code).toBe(1);
    expect(readFileSync(small, 'utf8')).toMatch(new RegExp(`^v3:\\.\\./\\d+/races/${RACE.replace(/\./g, '\\.')}:`));
    expect(cli(p.dir, 'replay', small).code).toBe(1);
  });

  it('a race that moved is found by its content and used, said on stderr; a moved copy that changed is not', () => {
    mkdirSync(join(p.dir, 'moved'));
    for (const sub of ['races', 'drivers']) renameSync(join(p.dir, sub), join(p.dir, 'moved', sub));
    const r = cli(p.dir, 'replay', 'out/s.schedule');
    expect(r.code, r.err).toBe(1);
    expect(r.err).toBe(`race ./races/${RACE} not found; using ./moved/races/${RACE}, whose content matches the schedule\n`);
    expect(r.out).toMatch(/^outcome: lost-mapping \(forbidden\)/m);
    writeFileSync(join(p.dir, 'moved', 'drivers', 'amd-v1.mjs'), readFileSync(join(p.dir, 'moved', 'drivers', 'amd-v1.mjs'), 'utf8') + '\n// changed\n');
    const changed = cli(p.dir, 'replay', 'out/s.schedule');
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(new RegExp(`race ".*/${p.dir.split('/').pop()}/races/${RACE.replace(/\./g, '\\.')}": no such file`));
  });
});
