/**
 * The agent core: its clock, its trace ring counts, its generator.
 *
 * The free-running Lamport clock and the trace rings' counts are int32s
 * that wrap in a long run (the clock ticks on every lock release and every
 * traced event: about 2^31 ticks after a few minutes of one worker). Past
 * the wrap, lock records must still carry the clock forward, a ring must
 * still read its last events, and a timeline must still come out in order.
 */
import { describe, expect, it } from 'vitest';
import { standalone } from '../src/engine/standalone.js';
import { R_CLOCK, TE_CLOCK, TE_EVENT, TE_WORDS, TR_HDR_WORDS, TR_HEAD, traceAt } from '../src/memory/layout.js';
import { inClockOrder } from '../src/results/collect.js';
import type { TimelineEvent } from '../src/results/result.js';
import { E_MAP } from '../src/engine/trace.js';

const NEAR_WRAP = 2 ** 31 - 40;

describe('the clock across its int32 wrap', () => {
  it('a lock whose record holds a clock past the wrap moves the agent clock forward to it', async () => {
    const s = await standalone({ lock: 'ttas' });
    const core = s.rt.core;
    const lc = s.rt.lockClasses[0]!;
    const l = lc.of(0);
    const rec = s.L.lockClasses[0]!.records;
    core.clock = NEAR_WRAP;
    // Another agent released this lock 100 ticks later, after the wrap.
    s.m[rec + R_CLOCK] = (NEAR_WRAP + 100) | 0;
    lc.acquire(l);
    expect(core.clock).toBe((NEAR_WRAP + 100) | 0);
    lc.release(l);
    expect(core.clock).toBe((NEAR_WRAP + 101) | 0);
    expect(s.m[rec + R_CLOCK]).toBe((NEAR_WRAP + 101) | 0);
    // A record from before the agent's clock does not move it back.
    s.m[rec + R_CLOCK] = NEAR_WRAP;
    lc.acquire(l);
    expect(core.clock).toBe((NEAR_WRAP + 101) | 0);
    lc.release(l);
  });

  it('a run that crosses the wrap traces events whose clocks still follow each other', async () => {
    const s = await standalone({ lock: 'ttas', inflight: 2 }, 64);
    s.rt.core.clock = NEAR_WRAP;
    s.rt.runDevice();
    const tr = traceAt(s.L, 0);
    const head = s.m[tr + TR_HEAD]! >>> 0;
    expect(head).toBeGreaterThan(8);
    const clocks: number[] = [];
    for (let k = Math.max(0, head - s.L.traceLen); k < head; k++) {
      const at = tr + TR_HDR_WORDS + (k & (s.L.traceLen - 1)) * TE_WORDS;
      if (s.m[at + TE_EVENT] === E_MAP) clocks.push(s.m[at + TE_CLOCK]!);
    }
    // The agent's clock wrapped with them: an int32, as the records it is compared with.
    expect(s.rt.core.clock).toBe(s.rt.core.clock | 0);
    expect(clocks.some((c) => c < 0)).toBe(true);
    for (let i = 1; i < clocks.length; i++) expect((clocks[i]! - clocks[i - 1]!) | 0).toBeGreaterThan(0);
  });

  it('a timeline whose clocks wrap is ordered as they were written, and reads as time going on', () => {
    const ev = (clock: number, worker: number): TimelineEvent => ({ clock, worker, device: worker, op: 0, event: 'map', arg: '' });
    const out = inClockOrder([ev(-(2 ** 31) + 3, 1), ev(2 ** 31 - 2, 0), ev(2 ** 31 - 1, 1), ev(-(2 ** 31), 0)]);
    expect(out.map((e) => e.worker)).toEqual([0, 1, 0, 1]);
    expect(out.map((e) => e.clock - out[0]!.clock)).toEqual([0, 1, 2, 5]);
    // Without a wrap, the clocks are left as written.
    const plain = inClockOrder([ev(7, 0), ev(3, 1)]);
    expect(plain.map((e) => e.clock)).toEqual([3, 7]);
  });
});

describe('randomBelow', () => {
  it('is random() % n of the same generator state, for every ring size the config allows', async () => {
    const s = await standalone({});
    const core = s.rt.core;
    for (const n of [1, 2, 3, 4, 7, 100, 1000, 1023, 1024, 32768]) {
      for (let i = 0; i < 2000; i++) {
        const state = core.rng;
        const want = core.random() % n;
        core.rng = state;
        expect(core.randomBelow(n)).toBe(want);
      }
    }
  });
});
