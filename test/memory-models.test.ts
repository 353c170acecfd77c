/**
 * The memory models under the controlled scheduler (src/memory/model.ts),
 * with real agent threads: litmus shapes written as races
 * (test/fixtures/memory-models.mjs) give the results each model allows;
 * their barriers make them clean under every model; schedules under tso and
 * weak replay exactly and shrink; the walker sees a table published without
 * dma_wmb() with its old entries under weak only (examples/races); and bad
 * input is refused before any run.
 */
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRace } from '../src/modules/loader.js';
import { Controller, explore, replay, shrink } from '../src/races/explore.js';
import { encodeSchedule, parseSchedule } from '../src/sched/schedule.js';
import type { MemoryModelName } from '../src/memory/layout.js';
import { explore as apiExplore } from '../src/api/index.js';

const ctl = new Controller();
afterAll(() => ctl.close());
const fx = (name: string) => loadRace(`${fileURLToPath(new URL('./fixtures/memory-models.mjs', import.meta.url))}#${name}`);
const example = fileURLToPath(new URL('../examples/races/arm-lpae-install-wmb.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const MODELS: MemoryModelName[] = ['sc', 'tso', 'weak'];
/** Which models let each broken shape through (the weak outcome found), as the kernel's memory model and x86 do. */
const ALLOWS: Record<string, MemoryModelName[]> = {
  mp: ['weak'],
  mpPlain: ['weak'],
  sb: ['tso', 'weak'],
};

describe('litmus shapes as races: each model allows what it should, and the barrier forbids it', () => {
  for (const [shape, allowedBy] of Object.entries(ALLOWS)) {
    for (const mm of MODELS) {
      const allowed = allowedBy.includes(mm);
      it(`${shape} under ${mm}: ${allowed ? 'found by dpor' : 'clean over every schedule within the bound'}; with its barrier clean over every schedule`, async () => {
        const lr = await fx(shape);
        const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: mm } }, ctl);
        if (allowed) {
          expect(bad.found?.outcome, JSON.stringify(bad.histogram)).toBe('corrupt-bookkeeping');
          expect(bad.found!.result!.violations.count).toBe(1);
          // What only a weaker model allows: some load took an older store than the newest.
          expect(bad.found!.schedule!.reads!.length).toBeGreaterThan(0);
          expect(bad.found!.result!.sched!.tail.some((t) => t.read !== undefined)).toBe(true);
        } else {
          expect(bad.found, JSON.stringify(bad.histogram)).toBeNull();
          expect(bad.search.exhaustive).toBe(true);
        }
        expect(bad.search.memoryModel).toBe(mm);
        const good = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: mm } }, ctl);
        expect(good.found, JSON.stringify(good.histogram)).toBeNull();
        expect(good.search.exhaustive).toBe(true);
      }, 120_000);
    }
  }

  it('random and PCT find the weak outcome too (in batches in the agents threads), and a replay of their schedule gives it again', async () => {
    const lr = await fx('sb');
    for (const strategy of ['random', 'pct'] as const) {
      const x = await explore(lr, 'broken', { strategy, depth: 2, runs: 2000, seed: 1, work: { memoryModel: 'tso' } }, ctl);
      expect(x.found?.outcome, `${strategy}: ${JSON.stringify(x.histogram)}`).toBe('corrupt-bookkeeping');
      const again = await replay(lr, x.found!.schedule!, ctl);
      expect(again.outcome).toBe('corrupt-bookkeeping');
      expect(again.result!.sched!.hash).toBe(x.found!.result!.sched!.hash);
    }
  }, 120_000);

  it('under tso dpor searches as dfs, and says so; under sc and weak it reduces', async () => {
    const lr = await fx('sb');
    const tso = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'tso' } }, ctl);
    expect(tso.search.note).toMatch(/dpor runs as dfs/);
    const dfs = await explore(lr, 'correct', { strategy: 'dfs', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'tso' } }, ctl);
    expect(tso.tried).toBe(dfs.tried);
    const weak = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    expect(weak.search.note).toBeUndefined();
    const weakDfs = await explore(lr, 'correct', { strategy: 'dfs', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    expect(weak.tried).toBeLessThan(weakDfs.tried);
  }, 120_000);

  it('a spin on a flag ends under every model and strategy: a spinner let go reads a newer store than it did, never the step limit', async () => {
    const lr = await fx('spinFlag');
    for (const mm of MODELS) {
      for (const strategy of ['random', 'pct', 'dfs', 'dpor'] as const) {
        const x = await explore(lr, 'broken', { strategy, depth: 2, runs: strategy === 'random' || strategy === 'pct' ? 300 : 5000, seed: 1, preemptions: null, work: { memoryModel: mm } }, ctl);
        expect(Object.keys(x.histogram), `${mm} ${strategy}`).toEqual(['clean']);
      }
    }
  }, 120_000);
});

describe('the room a run has', () => {
  it('a run storing to more words than the model keeps records for ends step-limit, saying why: inconclusive, never a clean run whose later words were sequentially consistent', async () => {
    const lr = await fx('manyWords');
    for (const mm of ['tso', 'weak'] as const) {
      const x = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 1, seed: 1, batch: false, work: { memoryModel: mm } }, ctl);
      expect(x.histogram).toEqual({ 'step-limit': 1 });
      expect(x.search.inconclusive).toBe(1);
    }
    const out = cli('explore', `${fileURLToPath(new URL('./fixtures/memory-models.mjs', import.meta.url))}#manyWords`, '--memory-model', 'weak', '--runs', '1');
    expect(out.code).toBe(4);
    expect(out.out).toMatch(/1 reached the step limit or the memory model's room/);
    const sc = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 1, seed: 1, batch: false }, ctl);
    expect(sc.histogram).toEqual({ clean: 1 });
  }, 120_000);
});

describe('schedules under tso and weak', () => {
  it('name their model and read choices, parse back to what was encoded, and replay to the same trace every time', async () => {
    const lr = await fx('mp');
    const x = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    const s = x.found!.schedule!;
    expect(s.memoryModel).toBe('weak');
    const text = encodeSchedule(s);
    expect(text).toMatch(/\.mweak:/);
    expect(text).toMatch(/\d+r\d+/);
    expect(parseSchedule(text)).toEqual({ ...s, reads: s.reads });
    const hashes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await replay(lr, parseSchedule(text), ctl);
      expect(r.outcome).toBe('corrupt-bookkeeping');
      hashes.add(r.result!.sched!.hash);
    }
    expect(hashes.size).toBe(1);
    // Without its read choices the same interleaving is sequentially consistent: clean.
    const sc = await replay(lr, { ...s, reads: [] }, ctl);
    expect(sc.outcome).toBe('clean');
  }, 120_000);

  it('shrink drops the read choices and switch points that do not matter, and the smallest still fails and replays', async () => {
    const lr = await fx('sb');
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 3000, seed: 7, work: { memoryModel: 'weak' } }, ctl);
    expect(x.found).not.toBeNull();
    const s = x.found!.schedule!;
    const small = await shrink(lr, s, ctl, 200);
    expect(small.run.outcome).toBe('corrupt-bookkeeping');
    expect(small.smallest.memoryModel).toBe('weak');
    expect(small.smallest.reads!.length + small.smallest.switches.length).toBeLessThanOrEqual(s.reads!.length + s.switches.length);
    // Both loads must read 0 while the other's store is out: two read choices are needed, whatever else goes.
    expect(small.smallest.reads!.length).toBeGreaterThanOrEqual(1);
    const again = await replay(lr, small.smallest, ctl);
    expect(again.outcome).toBe('corrupt-bookkeeping');
  }, 120_000);

  it('a read choice that does not apply to the run (a load with fewer stores to choose from) ends it replay-diverged, never a silent other run', async () => {
    const lr = await fx('mp');
    const x = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    const s = x.found!.schedule!;
    const [step] = s.reads![0]!;
    const r = await replay(lr, { ...s, reads: [[step, 9]] }, ctl);
    expect(r.outcome).toBe('replay-diverged');
  }, 120_000);

  it('bad schedule text is refused naming what is wrong', () => {
    const base = 'v3:test/fixtures/memory-models.mjs#mp:broken:d1.o1.i1.s1';
    const fp = '000000-000000-000000-000000';
    expect(() => parseSchedule(`${base}:${fp}:3r1`)).toThrow(/read choice "3r1" in a schedule under sc/);
    expect(() => parseSchedule(`${base}.mweak:${fp}:3r0`)).toThrow(/choice 0 \(the newest store\) is the default/);
    expect(() => parseSchedule(`${base}.mfoo:${fp}:`)).toThrow(/memory model "foo" in the work is not one of tso, weak/);
    expect(() => parseSchedule(`${base}.mweak:${fp}:5r1.3r1`)).toThrow(/increasing step order/);
  });
});

describe('a table published to the IOMMU without dma_wmb() (examples/races/arm-lpae-install-wmb.mjs)', () => {
  it('weak: the walker reads the old entry through the new table, found by dpor; with dma_wmb() clean over every schedule; sc and tso: no DMA goes astray', async () => {
    const lr = await loadRace(example);
    const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    expect(bad.found?.outcome).toBe('misdirected-dma');
    expect(bad.found!.result!.violations.byInvariant['dma-unmapped']).toBe(1);
    expect(bad.found!.result!.sched!.tail.at(-1)!.read).toMatch(/read the value the run started with/);
    const good = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    expect(good.found).toBeNull();
    expect(good.search.exhaustive).toBe(true);
    for (const mm of ['sc', 'tso'] as const) {
      const x = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: mm } }, ctl);
      expect(x.found, `${mm}: ${JSON.stringify(x.histogram)}`).toBeNull();
      expect(x.histogram['misdirected-dma']).toBeUndefined();
      expect(x.search.exhaustive).toBe(true);
    }
  }, 120_000);

  it("the race's own memoryModel is the default, and the package API's option overrides it", async () => {
    const byRace = await apiExplore(example, { strategy: 'dpor' });
    expect(byRace.search.memoryModel).toBe('weak');
    expect(byRace.found?.outcome).toBe('misdirected-dma');
    const sc = await apiExplore(example, { strategy: 'dpor', memoryModel: 'sc' });
    expect(sc.search.memoryModel).toBe('sc');
    expect(sc.found).toBeNull();
    await expect(apiExplore(example, { memoryModel: 'arm' as never })).rejects.toThrow(/explore\(\) option memoryModel "arm": unknown \(allowed: sc, tso, weak\)/);
  }, 120_000);
});

describe('the event queue read with readl_relaxed() (examples/races/smmu-v3-evtq-prod.mjs, a76a37777f2c)', () => {
  it('weak: the slot is read from before the SMMU wrote it, found by dpor; with readl() (a read barrier) clean over every schedule; sc and tso clean', async () => {
    const lr = await loadRace(fileURLToPath(new URL('../examples/races/smmu-v3-evtq-prod.mjs', import.meta.url)));
    const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: 'weak' } }, ctl);
    expect(bad.found?.outcome).toBe('lost-mapping');
    expect(bad.found!.result!.violations.byInvariant['stale-event']).toBe(1);
    expect(bad.found!.result!.sched!.tail.find((t) => t.read)!.point).toBe('evt-read');
    for (const [variant, mm] of [['correct', 'weak'], ['broken', 'sc'], ['broken', 'tso'], ['correct', 'sc']] as const) {
      const x = await explore(lr, variant, { strategy: 'dpor', depth: 1, runs: 5000, seed: 1, work: { memoryModel: mm } }, ctl);
      expect(x.found, `${variant} ${mm}: ${JSON.stringify(x.histogram)}`).toBeNull();
      expect(x.histogram['lost-mapping']).toBeUndefined();
      expect(x.search.exhaustive).toBe(true);
    }
  }, 120_000);
});

describe('bad input', () => {
  it('--memory-model with an unknown model exits 2 naming it and the allowed ones', () => {
    const r = cli('explore', 'device-locks', '--memory-model', 'arm');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--memory-model "arm": unknown \(allowed: sc, tso, weak\)/);
  });

  const many = fileURLToPath(new URL('./fixtures/memory-models-many.mjs', import.meta.url));
  it('a race with more agents than the models keep clocks for is refused under tso and weak, before any run; under sc it runs', () => {
    for (const mm of ['tso', 'weak']) {
      const m = cli('explore', many, '--memory-model', mm);
      expect(m.code).toBe(2);
      expect(m.err).toMatch(new RegExp(`--memory-model ${mm}: 9 agents \\(allowed: at most 8 under tso and weak\\)`));
    }
    expect(cli('explore', many, '--runs', '3').code).toBe(0);
  });

  it("a race whose memoryModel is none of sc, tso, weak is refused as it loads, naming it", () => {
    const m = cli('explore', fileURLToPath(new URL('./fixtures/refused/bad-memory-model.mjs', import.meta.url)));
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/memoryModel is "arm" \(allowed: sc, tso, weak\)/);
  });
});
