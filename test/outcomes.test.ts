/**
 * Outcomes are facts: a throw is a crash with its message and line, the
 * same on every replay; a typo in an invariant's name is bad input; a wait
 * loop that never says it waits is a livelock; a run too long to finish is
 * inconclusive, never clean; a lock nobody frees is a deadlock at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRace } from '../src/modules/loader.js';
import { Controller, explore, replay } from '../src/races/explore.js';
import { UsageError } from '../src/util/errors.js';

const ctl = new Controller();
const root = mkdtempSync(join(tmpdir(), 'iommu-stress-outcomes-'));
afterAll(async () => {
  await ctl.close();
  rmSync(root, { recursive: true, force: true });
});
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('an agent that throws (test/fixtures/thrower.mjs)', () => {
  it('is a crash: the message, the line of the design, the step; the same on every replay', async () => {
    const lr = await loadRace(fixture('thrower.mjs'));
    const x = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 10, seed: 1 }, ctl);
    expect(x.found?.outcome).toBe('crash');
    const text = x.found!.detail.join('\n');
    expect(text).toMatch(/crash: reader \(agent \d\) threw after its step \d+: TypeError: the reader saw the flag set \(1\) \(at test\/fixtures\/thrower\.mjs:10:\d+\)/);
    for (let i = 0; i < 8; i++) {
      const again = await replay(lr, x.found!.schedule!, ctl);
      expect(again.outcome).toBe('crash');
      expect(again.detail.join('\n')).toBe(text);
    }
    const ok = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 100, seed: 1 }, ctl);
    expect(ok.found).toBeNull();
    expect(ok.search.exhaustive).toBe(true);
  });

  it('exits 1 with the message on every replay of its schedule', () => {
    const out = join(root, 'thrower.schedule');
    const first = cli('explore', fixture('thrower.mjs'), '--out', out);
    expect(first.code).toBe(1);
    for (let i = 0; i < 4; i++) {
      const r = cli('replay', out);
      expect(r.code, r.err).toBe(1);
      expect(r.out).toMatch(/outcome: crash \(forbidden\)/);
      expect(r.out).toMatch(/TypeError: the reader saw the flag set/);
    }
  });
});

describe('a typo in an invariant name (test/fixtures/typo.mjs)', () => {
  it('is bad input, exit 2 naming the file and line and the declared names, never a found race', async () => {
    const lr = await loadRace(fixture('typo.mjs'));
    await expect(explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 3, seed: 1 }, ctl)).rejects.toThrow(UsageError);
    const r = cli('explore', fixture('typo.mjs'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/typo\.mjs:10:\d+: report\("lost-updte"\): no such invariant \(allowed: .*lost-update\)/);
  });
});

describe('a wait loop without mem.spin (test/fixtures/busy-wait.mjs)', () => {
  it('is a livelock (forbidden, exit 1), not a clean run and not a step limit; with mem.spin the wait is blocked and the counterpart is clean', async () => {
    const lr = await loadRace(fixture('busy-wait.mjs'));
    for (const strategy of ['random', 'dpor'] as const) {
      const x = await explore(lr, 'broken', { strategy, depth: 1, runs: 2, seed: 1 }, ctl);
      expect(x.found?.outcome, strategy).toBe('livelock');
      expect(x.found!.detail.join('\n')).toMatch(/no agent completed an operation or an event after step 0/);
    }
    const ok = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 100, seed: 1, preemptions: null }, ctl);
    expect(ok.histogram).toEqual({ clean: ok.search.traces });
    expect(ok.search.exhaustive).toBe(true);
    expect(cli('explore', fixture('busy-wait.mjs'), '--strategy', 'dpor', '--out', join(root, 'b.schedule')).code).toBe(1);
  });
});

describe('a run too long to finish (test/fixtures/long-run.mjs)', () => {
  it('is step-limit: inconclusive, counted, never "no forbidden outcome", exit 4', async () => {
    const lr = await loadRace(fixture('long-run.mjs'));
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 1, seed: 1 }, ctl);
    expect(x.histogram).toEqual({ 'step-limit': 1 });
    expect(x.search.inconclusive).toBe(1);
    expect(x.found).toBeNull();
    const r = cli('explore', fixture('long-run.mjs'), '--strategy', 'dpor');
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/INCONCLUSIVE/);
    expect(r.out).not.toMatch(/^no forbidden outcome/m);
    expect(cli('explore', fixture('long-run.mjs'), '--correct', '--strategy', 'dpor').code).toBe(0);
  });
});

describe('a lock that is never released', () => {
  it('is a deadlock the moment its waiter is the only one left, under every strategy, exit 1', () => {
    const race = join(root, 'held.mjs');
    writeFileSync(
      race,
      `import { defineRace } from ${JSON.stringify(new URL('../dist/src/api/index.js', import.meta.url).href)};
export default defineRace({
  name: 'held', design: 'a lock whose unlock does nothing', counterpart: 'ttas',
  workload: { devices: 2, groupSize: 2, ops: 2, inflight: 1, pages: 1 },
  broken: { lock: ${JSON.stringify(fixture('never-unlocks.mjs'))} }, correct: { lock: 'ttas' },
});\n`,
    );
    for (const strategy of ['random', 'pct', 'dpor']) {
      const r = cli('explore', race, '--strategy', strategy, '--out', join(root, 'held.schedule'));
      expect(r.code, `${strategy}: ${r.err}`).toBe(1);
      expect(r.out).toMatch(/outcome: deadlock \(forbidden\)/);
      expect(r.out).toMatch(/spins until .*lock of domain 0 \(= 1\) changes, and nobody changes it/);
    }
  });
});
