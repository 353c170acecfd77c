/** The built-in races under the controlled scheduler and free running. */
import { afterAll, describe, expect, it } from 'vitest';
import { RACES } from '../src/races/registry.js';
import { loadRace } from '../src/modules/loader.js';
import { Controller, baseWork, explore, replay, shrink, stress } from '../src/races/explore.js';
import { encodeSchedule, parseSchedule, scheduleSize } from '../src/sched/schedule.js';
import { UsageError } from '../src/util/errors.js';
import { fingerprint } from '../src/modules/fingerprint.js';

/** Schedules explore may spend on a bug mode; its counterpart must pass as many. */
const BOUND = 60;
const ctl = new Controller();
afterAll(() => ctl.close());
const race = (name: string) => loadRace(name);
/** The fingerprint explore writes into a variant's schedules. */
async function fingerprintOf(lr: Awaited<ReturnType<typeof loadRace>>, variant: 'broken' | 'correct'): Promise<string> {
  return fingerprint((await ctl.engine(lr, variant, baseWork(lr), true)).spec);
}

describe('race scenarios under the controlled scheduler', () => {
  for (const r of RACES) {
    it(`${r.name}: explore finds a forbidden outcome within ${BOUND} schedules; the correct counterpart passes ${BOUND}`, async () => {
      const lr = await race(r.name);
      const bad = await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
      expect(bad.found, JSON.stringify(bad.histogram)).not.toBeNull();
      expect(bad.found!.class).toBe('forbidden');
      expect(bad.found!.result!.sched!.violationStep >= 0 || bad.found!.outcome === 'deadlock').toBe(true);
      const good = await explore(lr, 'correct', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
      expect(good.found, JSON.stringify(good.histogram)).toBeNull();
      expect(good.tried).toBe(BOUND);
    });
  }

  it('the timeline of a dropped-mappings switch shows the switch agent before the fault', async () => {
    const o = await explore(await race('switch-drops-mappings'), 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl);
    const t = o.found!.result!.timeline;
    const sw = t.findIndex((e) => e.event === 'switch');
    expect(sw).toBeGreaterThanOrEqual(0);
    expect(t[sw]!.worker).toBeGreaterThanOrEqual(o.found!.result!.layout.workers);
    expect(t.slice(sw).some((e) => e.event === 'violation')).toBe(true);
  });

  it('PCT at depth 2 finds per-device locks on a shared table', async () => {
    const o = await explore(await race('device-locks'), 'broken', { strategy: 'pct', depth: 2, runs: BOUND, seed: 1 }, ctl);
    expect(o.expectedSteps).toBeGreaterThan(0);
    expect(o.found?.class).toBe('forbidden');
  });

  it('a replay of a found schedule gives the same trace hash 20 times in a row, and the same violations', async () => {
    const lr = await race('plain-install');
    const found = (await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    const hashes = new Set<string>();
    const first = await replay(lr, found.schedule!, ctl);
    for (let i = 0; i < 20; i++) hashes.add((await replay(lr, found.schedule!, ctl)).result!.sched!.hash);
    expect([...hashes]).toEqual([found.result!.sched!.hash]);
    expect(first.outcome).toBe(found.outcome);
    expect(first.result!.violations.samples).toEqual(found.result!.violations.samples);
  });

  it('shrink returns a schedule that still fails and is smaller than the one it was given', async () => {
    const lr = await race('device-locks');
    const found = (await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    const s = await shrink(lr, found.schedule!, ctl, 150);
    expect(s.run.outcome).toBe(found.outcome);
    const before = scheduleSize(found.schedule!);
    const after = scheduleSize(s.smallest);
    after.forEach((x, i) => expect(x).toBeLessThanOrEqual(before[i]!));
    expect(after.join()).not.toBe(before.join());
    expect((await replay(lr, s.smallest, ctl)).outcome).toBe(found.outcome);
  });

  it('shrink refuses a schedule that does not fail (exit 2), naming how its replay ended', async () => {
    const lr = await race('device-locks');
    const found = (await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    // The same interleaving of the correct counterpart runs clean: nothing to shrink.
    const correct = await explore(lr, 'correct', { strategy: 'random', depth: 1, runs: 1, seed: found.schedule!.seed }, ctl);
    expect(correct.found).toBeNull();
    const clean = { ...found.schedule!, variant: 'correct' as const, fingerprint: await fingerprintOf(lr, 'correct'), switches: [] };
    await expect(shrink(lr, clean, ctl)).rejects.toThrow(/it does not fail \(its replay ended clean, acceptable\)/);
  });

  it('a schedule recorded against other code says so (exit 2) instead of replaying something else', async () => {
    const lr = await race('no-lock');
    const found = (await explore(lr, 'broken', { strategy: 'random', depth: 1, runs: BOUND, seed: 1 }, ctl)).found!;
    const parts = found.schedule!.fingerprint.split('-');
    const changed = { ...found.schedule!, fingerprint: [parts[0], 'abcdef', parts[2], parts[3]].join('-') };
    await expect(replay(lr, changed, ctl)).rejects.toThrow(/recorded against other code or configuration .* the race changed/);
    const otherAgent = { ...found.schedule!, switches: [[3, 9]] as [number, number][] };
    await expect(replay(lr, otherAgent, ctl)).rejects.toThrow(/names agent 9, but the run has 2 agents/);
  });

  it('a schedule string parses back to itself; a bad one is refused, naming what is wrong', () => {
    const s = { race: 'no-lock', variant: 'broken' as const, devices: 2, ops: 6, inflight: 2, seed: 9, fingerprint: 'a1b2c3-d4e5f6-000000-ffffff', switches: [[3, 1], [10, 0]] as [number, number][] };
    expect(parseSchedule(encodeSchedule(s))).toEqual(s);
    const withPath = { ...s, race: './races/my-race.mjs' };
    expect(parseSchedule(encodeSchedule(withPath))).toEqual(withPath);
    expect(() => parseSchedule('v3:no-lock:broken:d2.o6.i2.s1:a1b2c3-d4e5f6-000000-ffffff:5@1.3@0')).toThrow(/increasing step order/);
    expect(() => parseSchedule('v3:no-lock:broken:d2.o6.i2.s1:nofingerprint:')).toThrow(/fingerprint "nofingerprint"/);
    expect(() => parseSchedule('v1:no-lock:broken:d2.o6.i2.s1:')).toThrow(/a v1 schedule, from a version of iommu-stress before/);
    expect(() => parseSchedule('v3:no-lock')).toThrow(UsageError);
    // Recorded before spinners blocked: its switch points name other steps now.
    expect(() => parseSchedule('v2:no-lock:broken:d2.o6.i2.s1:a1b2c3-d4e5f6-000000-ffffff:3@1')).toThrow(/a v2 schedule, recorded before iommu-stress 0.3.0 blocked spinning waiters/);
  });
});

describe('free-running races', () => {
  it('the watchdog reports a lost wake-up as a hang, with each device, instead of hanging', async () => {
    const o = await stress(await race('lost-wakeup'), 'broken', { durationSec: 1, seed: 1, stopAtForbidden: true, runs: 10, timeSec: 60 }, ctl);
    expect(o.firstForbidden?.run.outcome).toBe('deadlock');
    expect(o.firstForbidden!.run.hang).toMatch(/no progress anywhere for 2 s/);
    expect(o.firstForbidden!.run.hang).toMatch(/device 0 \(worker 0\)/);
    expect(o.firstForbidden!.run.hang).toMatch(/device 1 \(worker 1\)/);
  });

  it('the correct futex mutex runs the same stress without a deadlock', async () => {
    const o = await stress(await race('lost-wakeup'), 'correct', { durationSec: 0.5, seed: 1, stopAtForbidden: true, runs: 3, timeSec: 60 }, ctl);
    expect(o.firstForbidden).toBeNull();
    expect(o.runs.every((r) => r.outcome === 'clean')).toBe(true);
  });
});

describe("a user's race about no page table at all (test/fixtures/lost-update.mjs)", () => {
  const file = new URL('./fixtures/lost-update.mjs', import.meta.url).pathname;

  it('finds the lost update, each step named by the race and its address as a shared word; the atomic add never loses one', async () => {
    const lr = await race(file);
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 2, runs: 100, seed: 1, stopAtForbidden: true }, ctl);
    expect(x.found).not.toBeNull();
    const r = x.found!.result!;
    expect(r.violations.byInvariant).toEqual({ 'lost-update': 1 });
    expect(r.violations.samples[0]).toMatchObject({ invariant: 'lost-update', expected: 2, found: 1 });
    const tail = r.sched!.tail;
    expect(tail.map((t) => t.point).sort()).toEqual(['counter-read', 'counter-read', 'counter-write', 'counter-write']);
    expect(tail.every((t) => t.arg === 'shared word 0')).toBe(true);
    // The two reads come before both writes: the interleaving that loses one.
    expect(tail.map((t) => t.point).slice(0, 2)).toEqual(['counter-read', 'counter-read']);
    const ok = await explore(lr, 'correct', { strategy: 'random', depth: 2, runs: 200, seed: 1, stopAtForbidden: true }, ctl);
    expect(ok.found).toBeNull();
    expect(ok.histogram).toEqual({ clean: 200 });
  });

  it('a schedule whose switch point names an agent that has finished replays as replay-diverged, unaudited, not as a finding', async () => {
    const lr = await race(file);
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 2, runs: 100, seed: 1, stopAtForbidden: true }, ctl);
    const s = x.found!.schedule!;
    const steps = x.found!.steps;
    // Switch, after the last step, to the agent that went first (it is done by then).
    const done = s.switches[0]![1];
    const r = await replay(lr, { ...s, switches: [...s.switches, [steps - 1, done]] }, ctl);
    expect(r.outcome).toBe('replay-diverged');
    expect(r.class).toBe('interesting');
    expect(r.result!.audit.done).toBe(false);
  });
});

describe('a waiter spinning on a flag nobody sets (test/fixtures/spinner.mjs)', () => {
  const file = new URL('./fixtures/spinner.mjs', import.meta.url).pathname;

  it('is a deadlock at its first step, in explore and in its replay, named with the word it waits on; the counterpart ends clean', async () => {
    const lr = await race(file);
    for (const strategy of ['random', 'pct', 'dpor'] as const) {
      const x = await explore(lr, 'broken', { strategy, depth: 2, runs: 2, seed: 1, stopAtForbidden: true }, ctl);
      expect(x.histogram, strategy).toEqual({ deadlock: 1 });
      expect(x.found!.steps).toBeLessThan(5);
      expect(x.found!.detail.join('\n')).toMatch(/waiter \(agent \d\) spins until shared word 0 \(= 0\) changes, and nobody changes it/);
    }
    const x = await explore(lr, 'broken', { strategy: 'random', depth: 2, runs: 1, seed: 1 }, ctl);
    const again = await replay(lr, x.found!.schedule!, ctl);
    expect(again.outcome).toBe('deadlock');
    // Agents stopped mid-operation: not audited, so nothing the audit would say leaks into the outcome.
    expect(again.result!.audit.done).toBe(false);
    const ok = await explore(lr, 'correct', { strategy: 'random', depth: 2, runs: 20, seed: 1, stopAtForbidden: true }, ctl);
    expect(ok.histogram).toEqual({ clean: 20 });
  });
});
