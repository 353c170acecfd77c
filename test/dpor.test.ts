/**
 * The exhaustive searches on real worker threads: dpor reaches the outcomes
 * and the traces dfs reaches, in fewer runs; every built-in race's wrong
 * design is found within 2 preemptions and its counterpart is covered,
 * exhaustively, within 2; the examples from Linux history likewise.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRace } from '../src/modules/loader.js';
import { Controller, explore } from '../src/races/explore.js';
import { RACES } from '../src/races/registry.js';

const ctl = new Controller();
afterAll(() => ctl.close());
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const example = (name: string): string => fileURLToPath(new URL(`../examples/races/${name}`, import.meta.url));
const all = { depth: 1, runs: 1_000_000, seed: 1, stopAtForbidden: false } as const;

describe('dpor against dfs, on worker threads', () => {
  it('two agents writing two words in opposite orders: exactly 3 traces, dpor in 3 runs, dfs in 6', async () => {
    const lr = await loadRace(fixture('opposite-writes.mjs'));
    const dfs = await explore(lr, 'broken', { ...all, strategy: 'dfs', preemptions: null }, ctl);
    const dpor = await explore(lr, 'broken', { ...all, strategy: 'dpor', preemptions: null }, ctl);
    expect(dfs.search).toMatchObject({ exhaustive: true, traces: 3, schedules: 6 });
    expect(dpor.search).toMatchObject({ exhaustive: true, traces: 3, schedules: 3 });
  });

  // Runs that end at a violation stop there, and a prefix is not a whole trace: the traces are compared where every run finishes.
  const small: [string, string, 'broken' | 'correct', number | null][] = [
    ['lost update, plain read and write', fixture('lost-update.mjs'), 'broken', null],
    ['lost update, atomic add', fixture('lost-update.mjs'), 'correct', null],
    ['an agent that throws in one order', fixture('thrower.mjs'), 'broken', null],
    ['AMD v1 growing its table, 2019', example('amd-dte-after-root.mjs'), 'broken', 1],
    ['AMD v1 growing its table, 2020', example('amd-dte-after-root.mjs'), 'correct', 2],
    ['AMD v1 seqcount, 2025', example('amd-pgtable-level-seqcount.mjs'), 'correct', 1],
  ];
  let fewer = 0;
  for (const [what, file, variant, bound] of small) {
    it(`${what}: the same outcomes${variant === 'correct' ? ' and traces' : ''} as dfs ${bound === null ? 'with no bound' : `within ${bound} preemption${bound > 1 ? 's' : ''}`}, in no more runs`, async () => {
      const lr = await loadRace(file);
      const dfs = await explore(lr, variant, { ...all, strategy: 'dfs', preemptions: bound }, ctl);
      const dpor = await explore(lr, variant, { ...all, strategy: 'dpor', preemptions: bound }, ctl);
      expect(dfs.search.exhaustive && dpor.search.exhaustive).toBe(true);
      expect(Object.keys(dpor.histogram).sort()).toEqual(Object.keys(dfs.histogram).sort());
      if (variant === 'correct') expect(dpor.search.traces).toBe(dfs.search.traces);
      expect(dpor.tried).toBeLessThanOrEqual(dfs.tried);
      if (bound === null) expect(dpor.tried).toBe(dpor.search.traces);
      if (dpor.tried < dfs.tried) fewer++;
    });
  }
  it('took fewer runs than dfs on the larger of them', () => {
    expect(fewer).toBeGreaterThanOrEqual(3);
  });
});

describe('every built-in race within 2 preemptions', () => {
  for (const r of RACES) {
    it(`${r.name}: dpor finds the wrong design; the counterpart is explored exhaustively, clean`, async () => {
      const lr = await loadRace(r.name);
      const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 20_000, seed: 1 }, ctl);
      expect(bad.found?.class, JSON.stringify(bad.histogram)).toBe('forbidden');
      const good = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 50_000, seed: 1 }, ctl);
      expect(good.found, JSON.stringify(good.histogram)).toBeNull();
      expect(good.search).toMatchObject({ exhaustive: true, bound: { preemptions: 2 }, inconclusive: 0 });
    }, 120_000);
  }
});

describe('the examples from Linux history within 2 preemptions', () => {
  for (const file of ['amd-increase-address-space.mjs', 'amd-pgtable-level-seqcount.mjs', 'amd-dte-after-root.mjs']) {
    it(`${file}: found; the fix exhaustively clean`, async () => {
      const lr = await loadRace(example(file));
      const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 20_000, seed: 1 }, ctl);
      expect(bad.found?.class).toBe('forbidden');
      const good = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 50_000, seed: 1 }, ctl);
      expect(good.found, JSON.stringify(good.histogram)).toBeNull();
      expect(good.search.exhaustive).toBe(true);
    }, 120_000);
  }
});
