import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkLock } from '../src/locks/validate.js';
import { GOOD_LOCKS } from '../src/locks/registry.js';

// Two workers: as many as this machine has cores, so that FIFO spinlocks are
// not measured under lock-holder preemption (that is a benchmark's finding).
const WORKERS = 2;
const ITERATIONS = 100_000;
const CLH = fileURLToPath(new URL('../examples/locks/clh.mjs', import.meta.url));

describe('lock validation: a counter incremented under the lock comes out exact', () => {
  for (const alg of GOOD_LOCKS) {
    it(`${alg.name}: exact count, never two inside`, async () => {
      const r = await checkLock(alg.name, WORKERS, ITERATIONS);
      expect(r.overlaps).toBe(0);
      expect(r.counted).toBe(r.expected);
    });
  }

  it("a user's lock by path (examples/locks/clh.mjs): exact count, never two inside", async () => {
    const r = await checkLock(CLH, WORKERS, ITERATIONS);
    expect(r.lock).toBe('clh');
    expect(r.overlaps).toBe(0);
    expect(r.counted).toBe(r.expected);
  });

  it('a deliberately broken lock (test, then set) fails the same check', async () => {
    // The race needs both workers on a core at once; on a busy machine one
    // round may run them one after the other, so allow up to ten rounds for a lost update.
    let r = await checkLock('racy-tas', WORKERS, ITERATIONS);
    for (let round = 1; round < 10 && r.counted === r.expected; round++) r = await checkLock('racy-tas', WORKERS, ITERATIONS);
    expect(r.counted).toBeLessThan(r.expected);
    expect(r.overlaps).toBeGreaterThan(0);
  });
});
