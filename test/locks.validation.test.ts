/**
 * Lock validation (src/locks/validate.ts) on real worker threads: a counter
 * incremented inside the lock with a plain read and write comes out exact,
 * no two are ever inside, locked() is true while held, trylock takes it too.
 * The deliberately broken locks must fail the same check.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkLock } from '../src/locks/validate.js';
import { GOOD_LOCKS } from '../src/locks/registry.js';
import { HarnessError } from '../src/util/errors.js';
import { explore } from '../src/api/races.js';

// Two workers: as many as this machine has cores, so that FIFO spinlocks are
// not measured under lock-holder preemption (that is a benchmark's finding).
const o = { workers: 2, iterations: 100_000 };
const CLH = fileURLToPath(new URL('../examples/locks/clh.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));

describe('lock validation: a counter incremented under the lock comes out exact', () => {
  for (const alg of GOOD_LOCKS) {
    it(`${alg.name}: exact count, never two inside, locked() while held, a quarter by trylock`, async () => {
      const r = await checkLock(alg.name, o);
      expect(r.overlaps).toBe(0);
      expect(r.unlockedInside).toBe(0);
      expect(r.counted).toBe(r.expected);
      expect(r.trylocks).toBe((o.workers * o.iterations) / 4);
      expect(r.correct).toBe(true);
    });
  }

  it("a user's lock by path (examples/locks/clh.mjs): exact count, never two inside", async () => {
    const r = await checkLock(CLH, o);
    expect(r.lock).toBe('clh');
    expect(r.correct).toBe(true);
    expect(r.counted).toBe(r.expected);
  });

  it('a deliberately broken lock (test, then set) fails the same check', async () => {
    // The race needs both workers on a core at once; on a busy machine one
    // round may run them one after the other, so allow up to ten rounds for a lost update.
    let r = await checkLock('racy-tas', o);
    for (let round = 1; round < 10 && r.correct; round++) r = await checkLock('racy-tas', o);
    expect(r.correct).toBe(false);
    // Two inside at once is the failure; a lost update usually follows, but not in every round.
    expect(r.overlaps + (r.expected - r.counted)).toBeGreaterThan(0);
  });

  it('under the controlled scheduler, the broken lock lets two in within a few schedules and tas never does (test/fixtures/mutex.mjs)', async () => {
    const file = fileURLToPath(new URL('./fixtures/mutex.mjs', import.meta.url));
    const bad = await explore(file, { runs: 100 });
    expect(bad.found?.outcome).toBe('lost-mapping');
    expect(bad.found!.result.violations.byInvariant).toEqual({ 'lost-update': 1 });
    const good = await explore(file, { correct: true, runs: 300 });
    expect(good.found).toBeNull();
    expect(good.tried).toBe(300);
  });

  it('a lock that is never freed is reported with each worker\'s progress, not a hang', async () => {
    const err = await checkLock(fileURLToPath(new URL('./fixtures/never-unlocks.mjs', import.meta.url)), { ...o, stallSec: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as Error).message).toMatch(/lock never-unlocks: no worker got the lock for 1 s \(worker 0: \d+ of 100000 acquisitions, worker 1: \d+ of 100000 acquisitions\)/);
  });

  it('check-lock on the command line: exit 0 for correct locks, 1 for a broken one, 2 for a bad name', () => {
    const good = spawnSync(process.execPath, [CLI, 'check-lock', 'ttas', CLH, '--iterations', '20000'], { encoding: 'utf8' });
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^ttas +correct +counter 40000 of 40000, 0 times two inside/m);
    expect(good.stdout).toMatch(/^clh +correct /m);
    const bad = spawnSync(process.execPath, [CLI, 'check-lock', 'nope', 'ttas'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/check-lock "nope": no built-in of that name|no built-in lock/);
  });
});
