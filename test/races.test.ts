import { afterAll, describe, expect, it } from 'vitest';
import { RACES, raceByName } from '../src/races/index.js';
import { Controller, explore, replay, shrink, stress } from '../src/races/explore.js';
import { encodeSchedule, parseSchedule, scheduleSize } from '../src/races/schedule.js';
import { UsageError } from '../src/util/errors.js';

/** Schedules explore may spend on a bug mode; its counterpart must pass as many. */
const BOUND = 60;
const ctl = new Controller();
afterAll(() => ctl.close());

describe('race scenarios under the controlled scheduler', () => {
  for (const race of RACES) {
    it(`${race.name}: explore finds a forbidden outcome within ${BOUND} schedules; the correct counterpart passes ${BOUND}`, async () => {
      const bad = await explore(race, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
      expect(bad.found, JSON.stringify(bad.histogram)).not.toBeNull();
      expect(bad.found!.class).toBe('forbidden');
      expect(bad.found!.schedule!.switches.length).toBeGreaterThanOrEqual(0);
      const good = await explore(race, 'correct', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
      expect(good.found, JSON.stringify(good.histogram)).toBeNull();
      expect(good.tried).toBe(BOUND);
    });
  }

  it('the timeline of a dropped-mappings switch shows the switch before the fault', async () => {
    const o = await explore(raceByName('switch-drops-mappings')!, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
    const t = o.found!.result!.timeline;
    const sw = t.findIndex((e) => e.event === 'switch');
    expect(sw).toBeGreaterThanOrEqual(0);
    expect(t[sw]!.device).toBe(-1);
    expect(t.slice(sw).some((e) => e.event === 'violation')).toBe(true);
  });

  it('PCT at depth 2 finds per-device locks on a shared table', async () => {
    const o = await explore(raceByName('device-locks')!, 'broken', { strategy: 'pct', depth: 2, runs: BOUND, seed: 1 }, ctl);
    expect(o.expectedSteps).toBeGreaterThan(0);
    expect(o.found?.class).toBe('forbidden');
  });

  it('a replay of a found schedule gives the same trace hash 20 times in a row', async () => {
    const race = raceByName('plain-install')!;
    const found = (await explore(race, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    const hashes = new Set<string>();
    const first = await replay(race, found.schedule!, ctl);
    for (let i = 0; i < 20; i++) hashes.add((await replay(race, found.schedule!, ctl)).result!.sched!.hash);
    expect([...hashes]).toEqual([found.result!.sched!.hash]);
    expect(first.outcome).toBe(found.outcome);
    expect(first.result!.violations.samples).toEqual(found.result!.violations.samples);
  });

  it('shrink returns a schedule that still fails and is no longer than the one it was given', async () => {
    const race = raceByName('device-locks')!;
    const found = (await explore(race, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    const s = await shrink(race, found.schedule!, ctl, 150);
    expect(s.run.outcome).toBe(found.outcome);
    const before = scheduleSize(found.schedule!);
    const after = scheduleSize(s.smallest);
    after.forEach((x, i) => expect(x).toBeLessThanOrEqual(before[i]!));
    expect(after.join()).not.toBe(before.join());
    const again = await replay(race, s.smallest, ctl);
    expect(again.outcome).toBe(found.outcome);
  });

  it('a schedule string parses back to itself; a bad one is refused, naming what is wrong', () => {
    const s = { race: 'no-lock', variant: 'broken' as const, devices: 2, ops: 6, inflight: 2, seed: 9, switches: [[3, 1], [10, 0]] as [number, number][] };
    expect(parseSchedule(encodeSchedule(s))).toEqual(s);
    expect(() => parseSchedule('v1:nope:broken:d2.o6.i2.s1:')).toThrow(/no race "nope"/);
    expect(() => parseSchedule('v1:no-lock:broken:d2.o6.i2.s1:5@1.3@0')).toThrow(UsageError);
    expect(() => parseSchedule('v2:no-lock')).toThrow(/not a v1 schedule/);
  });
});

describe('free-running races', () => {
  it('the watchdog reports a lost wake-up as a deadlock, with each device, instead of hanging', async () => {
    const o = await stress(raceByName('lost-wakeup')!, 'broken', { durationSec: 1, seed: 1, stopAtForbidden: true, runs: 10, timeSec: 60 });
    expect(o.firstForbidden?.run.outcome).toBe('deadlock');
    expect(o.firstForbidden!.run.hang).toMatch(/no progress for 2 s/);
    expect(o.firstForbidden!.run.hang).toMatch(/device 0 \(worker 0\)/);
    expect(o.firstForbidden!.run.hang).toMatch(/device 1 \(worker 1\)/);
  });

  it('the correct futex mutex runs the same stress without a deadlock', async () => {
    const o = await stress(raceByName('lost-wakeup')!, 'correct', { durationSec: 0.5, seed: 1, stopAtForbidden: true, runs: 3, timeSec: 60 });
    expect(o.firstForbidden).toBeNull();
    expect(o.runs.every((r) => r.outcome === 'clean')).toBe(true);
  });
});
