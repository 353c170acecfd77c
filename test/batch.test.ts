/**
 * Batches of random and PCT runs made in the agents' threads
 * (engine/batch.ts) against the same runs made one at a time by the main
 * thread: a controlled run is the same wherever it is set up and checked,
 * so every figure an exploration gives must be equal (outcomes run by run,
 * schedules tried, steps, distinct traces, the finding and its schedule).
 * A batch that mis-set a run up, skipped a check or kept a forbidden
 * outcome would make them differ. On real worker threads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRace } from '../src/modules/loader.js';
import { Controller, type ExploreOptions, explore } from '../src/races/explore.js';
import { encodeSchedule } from '../src/sched/schedule.js';
import { classOf } from '../src/races/outcome.js';

const ctl = new Controller();
afterAll(() => ctl.close());
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Both ways, and what each saw run by run. */
async function both(ref: string, variant: 'broken' | 'correct', o: Omit<ExploreOptions, 'onRun' | 'batch'>) {
  const lr = await loadRace(ref);
  const seen = (into: string[]) => (i: number, r: { outcome: string }) => into.push(`${i}:${r.outcome}`);
  const onePer: string[] = [];
  const batched: string[] = [];
  const a = await explore(lr, variant, { ...o, batch: false, onRun: seen(onePer) }, ctl);
  const b = await explore(lr, variant, { ...o, batch: true, onRun: seen(batched) }, ctl);
  return { a, b, onePer, batched, lr };
}

const cases: [string, string, 'broken' | 'correct'][] = [
  ['device-locks, the correct design', 'device-locks', 'correct'],
  ['device-locks, the broken one (found by the DMA walker and the audit)', 'device-locks', 'broken'],
  ['free-under-walker, broken', 'free-under-walker', 'broken'],
  ["a user's allocator popped with no lock", fixture('stack-race.mjs'), 'broken'],
  ['three agents taking a ticket lock twice each', `${fixture('lock-counter.mjs')}#ticket`, 'correct'],
  ['the racy tas counter', `${fixture('lock-counter.mjs')}#tas`, 'broken'],
];

describe('batches of runs in the agents’ threads give what runs made one at a time give', () => {
  for (const strategy of ['random', 'pct'] as const) {
    for (const [what, ref, variant] of cases) {
      it(`${strategy}, ${what}: every run's outcome, the steps and the distinct traces over 60 schedules`, async () => {
        const { a, b, onePer, batched, lr } = await both(ref, variant, { strategy, depth: 2, runs: 60, seed: 7, stopAtForbidden: false });
        expect(a.batched).toBe(0);
        // Forbidden runs are handed back to the main thread; every other one was made in a batch.
        const forbidden = Object.entries(b.histogram).reduce((n, [k, c]) => n + (classOf(lr.race, k) === 'forbidden' ? c : 0), 0);
        expect(b.batched).toBe(b.tried - forbidden);
        expect(b.batched).toBeGreaterThan(0);
        expect(batched).toEqual(onePer);
        expect(b.histogram).toEqual(a.histogram);
        expect(b.tried).toBe(a.tried);
        expect(b.steps).toBe(a.steps);
        expect(b.search.traces).toBe(a.search.traces);
        expect(b.search.inconclusive).toBe(a.search.inconclusive);
      });
    }
  }

  it('a broken design is found at the same schedule, with the same outcome and schedule file', async () => {
    for (const ref of ['device-locks', 'no-lock', fixture('stack-race.mjs')]) {
      const { a, b } = await both(ref, 'broken', { strategy: 'random', depth: 1, runs: 500, seed: 3 });
      expect(a.found, ref).not.toBeNull();
      expect(b.tried, ref).toBe(a.tried);
      expect(b.batched, ref).toBe(b.tried - 1);
      expect(b.found!.outcome).toBe(a.found!.outcome);
      expect(encodeSchedule(b.found!.schedule!)).toBe(encodeSchedule(a.found!.schedule!));
      expect(b.found!.result).not.toBeNull();
    }
  });

  it('a check that decides by thread (it reports only on the main thread) is refused, never counted clean', async () => {
    const lr = await loadRace(fixture('thread-lies.mjs'));
    const o = { strategy: 'random', depth: 1, runs: 300, seed: 1 } as const;
    const a = await explore(lr, 'broken', { ...o, batch: false }, ctl);
    expect(a.found?.outcome).toBe('lost-mapping');
    const b = await explore(lr, 'broken', { ...o, batch: true }, ctl).then(() => 'resolved', (e: Error) => e.message);
    expect(b).toMatch(/race thread-lies: schedule \d+ \(seed \d+\) ended clean in an agent's thread, where a batch made it, and lost-mapping on the main thread: the design's setup or check decides differently by thread/);
  });

  it('a throw in the race’s check, in a run a batch makes, is the design’s error as on the main thread', async () => {
    const lr = await loadRace(fixture('check-throws.mjs'));
    const o = { strategy: 'random', depth: 1, runs: 200, seed: 1 } as const;
    const a = await explore(lr, 'broken', { ...o, batch: false }, ctl).then(() => 'resolved', (e: Error) => e.message);
    const b = await explore(lr, 'broken', { ...o, batch: true }, ctl).then(() => 'resolved', (e: Error) => e.message);
    expect(a).toMatch(/check\(\) saw b store last/);
    expect(b).toBe(a);
  });
});
