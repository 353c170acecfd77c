/**
 * Spinning is waiting for a write: FIFO locks never run into the step limit
 * under any strategy, a racy lock is found by each of them, and agents
 * released by one store run interleaved (test/fixtures/lock-counter.mjs).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadRace } from '../src/modules/loader.js';
import { Controller, explore } from '../src/races/explore.js';

const ctl = new Controller();
afterAll(() => ctl.close());
const race = (name: string) => loadRace(`${fileURLToPath(new URL('./fixtures/lock-counter.mjs', import.meta.url))}#${name}`);
const strategies = ['random', 'pct', 'dpor'] as const;

describe('three agents taking one lock twice each', () => {
  for (const lock of ['ticket', 'mcs', 'tas', 'ttas', 'futex', 'spinPark']) {
    it(`${lock}: clean under random, PCT and dpor, no schedule at the step limit, and each run a few dozen steps`, async () => {
      const lr = await race(lock);
      for (const strategy of strategies) {
        const x = await explore(lr, 'correct', { strategy, depth: 3, runs: strategy === 'dpor' ? 3000 : 300, seed: 1 }, ctl);
        expect(x.found, `${strategy}: ${JSON.stringify(x.histogram)}`).toBeNull();
        expect(x.histogram['step-limit'] ?? 0, strategy).toBe(0);
        expect(x.steps / x.tried, strategy).toBeLessThan(400);
      }
    });
  }

  it('the racy test-and-set: found by random, by PCT and by dpor', async () => {
    const lr = await race('ticket');
    for (const strategy of strategies) {
      const x = await explore(lr, 'broken', { strategy, depth: 3, runs: 300, seed: 1 }, ctl);
      expect(x.found?.outcome, `${strategy}: ${JSON.stringify(x.histogram)}`).toBe('lost-mapping');
    }
  });
});

describe('two agents released by one store', () => {
  it('run interleaved: the lost update is found by every strategy; with an atomic add, dpor covers every trace, clean', async () => {
    const lr = await race('startFlag');
    for (const strategy of strategies) {
      const x = await explore(lr, 'broken', { strategy, depth: 2, runs: 300, seed: 1 }, ctl);
      expect(x.found?.outcome, `${strategy}: ${JSON.stringify(x.histogram)}`).toBe('lost-mapping');
    }
    const ok = await explore(lr, 'correct', { strategy: 'dpor', depth: 1, runs: 10_000, seed: 1, preemptions: null }, ctl);
    expect(ok.found).toBeNull();
    expect(ok.search.exhaustive).toBe(true);
  });
});
