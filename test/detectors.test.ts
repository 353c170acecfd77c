/**
 * The detectors every controlled run is checked by (src/detect): data races
 * (KCSAN's question) and lock-order cycles (lockdep's), on races that break
 * no invariant (test/fixtures/detectors.mjs), with real agent threads; and
 * the built-in and example designs, correct, reporting neither.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRace } from '../src/modules/loader.js';
import { Controller, explore, replay, stress } from '../src/races/explore.js';
import { lockCycle, type LockDependency } from '../src/detect/lock-order.js';

const ctl = new Controller();
afterAll(() => ctl.close());
const fx = (name: string) => loadRace(`${fileURLToPath(new URL('./fixtures/detectors.mjs', import.meta.url))}#${name}`);

describe('data races', () => {
  it('a plain write and a plain read of one word by two agents, no invariant broken: data-race, both accesses named; marked accesses clean over every trace', async () => {
    const lr = await fx('stat');
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 10, seed: 1 }, ctl);
    expect(x.found?.outcome).toBe('data-race');
    expect(x.found!.class).toBe('forbidden');
    expect(x.found!.result!.violations.count).toBe(0);
    const r = x.found!.detected!.dataRace!;
    expect(new Set([r.first.order, r.second.order])).toEqual(new Set(['plain']));
    expect(new Set([r.first.kind, r.second.kind])).toEqual(new Set(['read', 'write']));
    expect(r.first.step).toBeLessThan(r.second.step);
    expect(r.first.agent).not.toBe(r.second.agent);
    const text = x.found!.detail.join('\n');
    expect(text).toMatch(/data-race in 'stat-(write|read)' \/ 'stat-(write|read)'/);
    expect(text).toMatch(/write \(plain\) to shared word 0 by stat-writer .* wrote 0x7/);
    expect(text).toMatch(/read \(plain\) to shared word 0 by stat-reader/);
    // The same on replay: the outcome is a fact of the schedule.
    const again = await replay(lr, x.found!.schedule!, ctl);
    expect(again.outcome).toBe('data-race');
    expect(again.detected!.dataRace).toEqual(r);
    const ok = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 1000, seed: 1, preemptions: null }, ctl);
    expect(ok.found).toBeNull();
    expect(ok.search.exhaustive).toBe(true);
  });

  for (const how of ['wmb', 'release'] as const) {
    it(`message passing: the data published by WRITE_ONCE with no barrier races with its reader; with ${how === 'wmb' ? 'smp_wmb() before the flag' : 'smp_store_release of the flag'}, clean over every trace`, async () => {
      const lr = await fx(how);
      const bad = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 1000, seed: 1, preemptions: null }, ctl);
      expect(bad.found?.outcome, JSON.stringify(bad.histogram)).toBe('data-race');
      const r = bad.found!.detected!.dataRace!;
      expect(r.first.order).toBe('plain');
      expect(r.second.order).toBe('plain');
      expect(bad.found!.detail.join('\n')).toMatch(/'data-write' \/ 'data-read'/);
      const good = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 1000, seed: 1, preemptions: null }, ctl);
      expect(good.found, JSON.stringify(good.histogram)).toBeNull();
      expect(good.search.exhaustive).toBe(true);
    });
  }

  it('IOMMU_STRESS_DETECT=0 turns the detectors off: the plain race then passes as clean, as before them', async () => {
    const lr = await fx('stat');
    const before = process.env.IOMMU_STRESS_DETECT;
    process.env.IOMMU_STRESS_DETECT = '0';
    try {
      const off = new Controller();
      try {
        const x = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: 10, seed: 1 }, off);
        expect(x.found).toBeNull();
        expect(x.histogram).toEqual({ clean: 10 });
      } finally {
        await off.close();
      }
    } finally {
      if (before === undefined) delete process.env.IOMMU_STRESS_DETECT;
      else process.env.IOMMU_STRESS_DETECT = before;
    }
  });
});

describe('lock order', () => {
  it('two lock classes taken in opposite orders, never at once (no schedule deadlocks): lock-order, with the chain and the scenario; one order clean over every trace', async () => {
    const lr = await fx('lockOrder');
    const x = await explore(lr, 'broken', { strategy: 'dpor', depth: 1, runs: 1000, seed: 1, preemptions: null }, ctl);
    expect(x.found?.outcome, JSON.stringify(x.histogram)).toBe('lock-order');
    expect(x.histogram.deadlock ?? 0).toBe(0);
    const chain = x.found!.detected!.lockOrder!;
    expect(chain.map((d) => `${d.from}->${d.to}`).sort()).toEqual(['iova->pgtable', 'pgtable->iova']);
    const text = x.found!.detail.join('\n');
    expect(text).toMatch(/possible circular locking dependency detected/);
    expect(text).toMatch(/pgtable taken holding iova: first at second/);
    expect(text).toMatch(/iova taken holding pgtable: first at first/);
    expect(text).toMatch(/CPU0\s+CPU1/);
    expect(text).toMatch(/\*\*\* DEADLOCK \*\*\*/);
    const ok = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 1000, seed: 1, preemptions: null }, ctl);
    expect(ok.found, JSON.stringify(ok.histogram)).toBeNull();
    expect(ok.search.exhaustive).toBe(true);
  });

  it('free running too: the agents record the dependencies, the run reports the cycle as a violation named lock-order; one order is clean', async () => {
    const lr = await fx('lockOrder');
    const bad = await stress(lr, 'broken', { durationSec: 0.2, seed: 3, stopAtForbidden: true, runs: 3, timeSec: 30 }, ctl);
    expect(bad.firstForbidden?.run.outcome).toBe('lock-order');
    const v = bad.firstForbidden!.run.result!.violations;
    expect(v.byInvariant['lock-order']).toBe(1);
    expect(v.lockOrder!.chain.map((d) => `${d.from}->${d.to}`).sort()).toEqual(['iova->pgtable', 'pgtable->iova']);
    expect(v.lockOrder!.report.join('\n')).toMatch(/first at second \(agent 2\), operation 0/);
    const ok = await stress(lr, 'correct', { durationSec: 0.2, seed: 3, stopAtForbidden: true, runs: 3, timeSec: 30 }, ctl);
    expect(ok.firstForbidden).toBeNull();
    expect(ok.histogram).toEqual({ clean: 3 });
  });

  it('a cycle through three classes is found, the shortest from the lowest class; a chain without a way back is none', () => {
    const d = (from: string, to: string): LockDependency => ({ from, to, agent: 0, when: 0, fromLock: 0, toLock: 0 });
    expect(lockCycle([d('a', 'b'), d('b', 'c')])).toBeNull();
    expect(lockCycle([d('a', 'b'), d('b', 'c'), d('c', 'a')])!.map((x) => x.from)).toEqual(['a', 'b', 'c']);
    expect(lockCycle([d('a', 'b'), d('b', 'c'), d('c', 'a'), d('b', 'a')])!.map((x) => x.from)).toEqual(['a', 'b']);
  });
});

describe('no report on a correct design', () => {
  for (const name of ['device-locks', 'no-lock', 'plain-install', 'free-under-walker', 'iotlb-reuse', 'lost-wakeup', 'switch-drops-mappings']) {
    it(`${name}, correct: neither detector reports over 300 schedules`, async () => {
      const lr = await loadRace(name);
      const x = await explore(lr, 'correct', { strategy: 'random', depth: 2, runs: 300, seed: 5 }, ctl);
      expect(x.histogram['data-race'] ?? 0, JSON.stringify(x.found?.detail)).toBe(0);
      expect(x.histogram['lock-order'] ?? 0).toBe(0);
      expect(x.found).toBeNull();
    });
  }
});

describe('the data-race detector over made-up step logs', () => {
  it('bulk accesses kept as ranges find what word-by-word finds: the same first race, or none, over 3000 random logs', async () => {
    const { DataRaceDetector } = await import('../src/detect/data-race.js');
    const lay = await import('../src/memory/layout.js');
    const acc = await import('../src/sched/access.js');
    const A = 3;
    // Only what the detector reads of a layout: where the steps are, the agents, no IOTLB.
    const L = { sched: 0, agents: A, iotlbEntries: 0, iotlbs: 0, devices: 0 } as unknown as import('../src/memory/layout.js').Layout;
    const steps = 24;
    const m = new Int32Array(lay.schedStepAt(L, steps));
    let rng = 12345;
    const rnd = (n: number): number => ((rng = (Math.imul(rng, 1103515245) + 12345) | 0) >>> 8) % n;
    const orders = [acc.O_PLAIN, acc.O_ONCE, acc.O_FULL, acc.O_FULL, acc.O_FULL, acc.O_RELEASE, acc.O_ACQUIRE];
    const ranged = new DataRaceDetector(m, L);
    const words = new DataRaceDetector(m, L, 1 << 30);
    let races = 0;
    let bulks = 0;
    for (let k = 0; k < 3000; k++) {
      m.fill(0);
      for (let s = 0; s < steps; s++) {
        const at = lay.schedStepAt(L, s);
        m[at + lay.ST_AGENT] = rnd(A);
        const r = rnd(10);
        if (r === 0) {
          m[at + lay.ST_ACCESS] = acc.A_NONE;
          m[at + lay.ST_ORDER] = rnd(2) === 0 ? acc.F_WMB : acc.O_PLAIN;
          continue;
        }
        const bulk = r === 1;
        if (bulk) bulks++;
        m[at + lay.ST_ACCESS] = [acc.A_READ, acc.A_WRITE, acc.A_RMW][rnd(3)]!;
        m[at + lay.ST_ARG] = rnd(48);
        m[at + lay.ST_LEN] = bulk ? 9 + rnd(20) : 1;
        m[at + lay.ST_ORDER] = bulk ? (rnd(3) === 0 ? acc.O_PLAIN : acc.O_HW) : orders[rnd(orders.length)]!;
      }
      const a = ranged.check(steps);
      const b = words.check(steps);
      // The first race by its second access; the first access may differ only in which earlier conflicting step is named.
      expect(a?.second.step ?? -1, `log ${k}`).toBe(b?.second.step ?? -1);
      if (a) races++;
    }
    // The logs exercise both answers and the ranges.
    expect(races).toBeGreaterThan(300);
    expect(races).toBeLessThan(2900);
    expect(bulks).toBeGreaterThan(4000);
  });
});
