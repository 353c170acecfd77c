/**
 * The examples/ folder, through the public API a user's own test would use
 * (`import { run, explore, replay } from 'iommu-stress'`): a driver not
 * built in (AMD v1: levels that grow at run time, two-word entries, a root
 * made lazily), two races from Linux history written against it, and a
 * user's lock. Each race is found in its broken form and its fix runs clean.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { explore, replay, run, shrink } from '../src/api/index.js';
import { parseSchedule } from '../src/sched/schedule.js';

const ex = (p: string): string => fileURLToPath(new URL(`../examples/${p}`, import.meta.url));

describe('examples/drivers/amd-v1.mjs, free-running', () => {
  it('two devices of one domain map, walk and unmap through it; the audit of its tables is clean', async () => {
    const r = await run({ driver: ex('drivers/amd-v1.mjs'), devices: 2, groupSize: 2, durationSec: 0.3 });
    expect(r.status).toBe('clean');
    expect(r.design.driver.name).toMatch(/amd/);
    expect(r.totals.ops).toBeGreaterThan(1000);
    expect(r.audit.done).toBe(true);
    expect(r.audit.livePages).toBeGreaterThan(0);
    expect(r.audit.mappedPages).toBe(r.audit.livePages);
    // Its own lock classes, by its own kernel names.
    expect(r.locks.map((l) => l.class)).toContain('domain');
    expect(r.locks.find((l) => l.class === 'domain')!.kernelName).toBe('&domain->lock');
  });
});

/** Each race, the schedules it may take, and schedule points its driver names itself (seen in the finding's last steps). */
const RACES: [file: string, bound: number, labels: string[]][] = [
  ['races/amd-increase-address-space.mjs', 200, ['root-write', 'mode-write']],
  ['races/amd-pgtable-level-seqcount.mjs', 1500, ['pte-install']],
];

describe('examples/races: found, replayed, and their fixes clean', () => {
  for (const [file, bound, labels] of RACES) {
    it(`${file}: found within ${bound} schedules, replays to the same outcome; the fix clean over 1000`, async () => {
      const found = await explore(ex(file), { runs: bound });
      expect(found.found, `not found in ${found.tried} schedules`).not.toBeNull();
      expect(found.found!.class).toBe('forbidden');
      expect(found.found!.result.sched!.tail.map((t) => t.point)).toEqual(expect.arrayContaining(labels));
      const again = await replay(found.found!.schedule);
      expect(again.outcome).toBe(found.found!.outcome);
      const fixed = await explore(ex(file), { correct: true, runs: 1000 });
      expect(fixed.tried).toBe(1000);
      expect(fixed.found).toBeNull();
      expect(Object.keys(fixed.histogram)).toEqual(['clean']);
    }, 120_000);
  }
});

describe('shrinking a race whose agents act as given devices', () => {
  it('keeps the devices the agents need, and ends with a schedule that still fails the same way and replays', async () => {
    const found = await explore(ex('races/amd-increase-address-space.mjs'), { runs: 200 });
    const small = await shrink(found.found!.schedule, { budget: 200 });
    expect(small.outcome).toBe(found.found!.outcome);
    const a = parseSchedule(small.smallest);
    const b = parseSchedule(found.found!.schedule);
    expect(a.devices).toBe(2);
    expect(a.switches.length).toBeLessThan(b.switches.length);
    const again = await replay(small.smallest);
    expect(again.outcome).toBe(found.found!.outcome);
  }, 120_000);
});
