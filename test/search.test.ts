/**
 * The exhaustive searches on the scheduler's model (test/search-sim.ts):
 * dpor must reach exactly the traces, and so the outcomes, that dfs reaches
 * within the same bound, with fewer runs; unbounded, with sleep sets, each
 * trace once.
 */
import { describe, expect, it } from 'vitest';
import { traceKey } from '../src/search/canonical.js';
import { type Program, randomProgram, search } from './search-sim.js';

const W = (addr: number, value = 1) => ({ op: 'store' as const, addr, value });
const R = (addr: number) => ({ op: 'load' as const, addr });

function xorshift(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('dpor against dfs', () => {
  it('two agents writing two words in opposite orders: exactly 3 traces, each run once', () => {
    const p: Program = [
      [W(0), W(1)],
      [W(1, 2), W(0, 2)],
    ];
    const dpor = search(p, 2, 'dpor', null, traceKey);
    const dfs = search(p, 2, 'dfs', null, traceKey);
    expect(dfs.exhausted && dpor.exhausted).toBe(true);
    expect(dfs.runs).toBe(6); // every interleaving of 2 + 2 steps
    expect(dfs.traces.size).toBe(3);
    expect(dpor.traces).toEqual(dfs.traces);
    expect(dpor.complete).toBe(3);
  });

  it('independent agents (disjoint words): one trace, one run', () => {
    const p: Program = [
      [W(0), R(0), W(0, 2)],
      [W(1), R(1)],
      [R(2), W(2)],
    ];
    const dpor = search(p, 3, 'dpor', null, traceKey);
    expect(dpor.runs).toBe(1);
    expect(dpor.traces.size).toBe(1);
    expect(search(p, 3, 'dfs', null, traceKey).traces.size).toBe(1);
  });

  it('a waiter spinning on a flag is blocked until the flag is written: it always reads what was written before the flag', () => {
    const p: Program = [[{ op: 'await', addr: 0, value: 1 }, R(1)], [W(1, 5), W(0)]];
    const dfs = search(p, 2, 'dfs', null, traceKey);
    const dpor = search(p, 2, 'dpor', null, traceKey);
    expect(dfs.outcomes).toEqual(new Set(['1,5|5/']));
    expect(dpor.outcomes).toEqual(dfs.outcomes);
    expect(dpor.traces).toEqual(dfs.traces);
  });

  it('waiters on a value nobody writes: a deadlock under every schedule, found at once', () => {
    const add = { op: 'add' as const, addr: 0, value: 1 };
    const p: Program = [[add, { op: 'await', addr: 0, value: 3 }], [add, { op: 'await', addr: 0, value: 3 }]];
    for (const bound of [2, null]) expect(search(p, 1, 'dpor', bound, traceKey).outcomes).toEqual(new Set(['deadlock']));
    expect(search(p, 1, 'dfs', null, traceKey).outcomes).toEqual(new Set(['deadlock']));
  });

  for (const bound of [0, 1, 2, null]) {
    it(`random programs, ${bound === null ? 'unbounded' : `within ${bound} preemptions`}: the same traces and outcomes as dfs, in no more runs`, () => {
      const rng = xorshift(0x5eed + (bound ?? 9));
      let dporRuns = 0;
      let dfsRuns = 0;
      for (let i = 0; i < 150; i++) {
        const agents = 2 + Math.floor(rng() * 2);
        const words = 1 + Math.floor(rng() * 3);
        const p = randomProgram(rng, agents, agents === 3 ? 3 : 4, words);
        const dfs = search(p, words, 'dfs', bound, traceKey);
        const dpor = search(p, words, 'dpor', bound, traceKey);
        expect(dfs.exhausted && dpor.exhausted).toBe(true);
        const what = JSON.stringify(p);
        expect(dpor.traces, what).toEqual(dfs.traces);
        expect(dpor.outcomes, what).toEqual(dfs.outcomes);
        expect(dpor.runs, what).toBeLessThanOrEqual(dfs.runs);
        if (bound === null) expect(dpor.complete, `each trace once: ${what}`).toBe(dpor.traces.size);
        dporRuns += dpor.runs;
        dfsRuns += dfs.runs;
      }
      expect(dporRuns).toBeLessThan(dfsRuns);
    });
  }
});
