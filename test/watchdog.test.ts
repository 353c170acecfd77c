/**
 * The watchdog tells a hang (nothing moves anywhere) from a livelock (locks
 * change hands, nothing completes) and from starvation (some workers wait
 * while others move on). Driven here by hand over
 * the real layout of a run, with the clock given: deterministic.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { planRun } from '../src/engine/run.js';
import { Watchdog } from '../src/engine/watchdog.js';
import { R_CLOCK, W_PROGRESS, W_WAIT_LOCK, workerAt } from '../src/memory/layout.js';

async function setUp(devices: number) {
  const L = await planRun(resolveConfig({ devices, groupSize: devices, lock: 'ticket' }));
  const sab = new SharedArrayBuffer(L.bytes);
  const m = new Int32Array(sab);
  const dog = new Watchdog(m, L, 1000, 0);
  return {
    L,
    dog,
    progress: (a: number) => void (m[workerAt(L, a) + W_PROGRESS] = m[workerAt(L, a) + W_PROGRESS]! + 1),
    // A lock changing hands: the release bumps the clock on its record line.
    handOff: () => void (m[L.lockClasses[0]!.records + R_CLOCK] = m[L.lockClasses[0]!.records + R_CLOCK]! + 1),
    wait: (a: number, lock: number) => void (m[workerAt(L, a) + W_WAIT_LOCK] = lock),
  };
}

describe('watchdog', () => {
  it('calls a run where nothing moves for the limit hung, and not before', async () => {
    const w = await setUp(2);
    expect(w.dog.verdict(0)).toBeNull();
    expect(w.dog.verdict(900)).toBeNull();
    expect(w.dog.verdict(1100)).toBe('hang');
  });

  it('does not call it hung while one worker progresses; the other is counted starved', async () => {
    const w = await setUp(2);
    w.wait(1, 1);
    for (let t = 0; t <= 3000; t += 100) {
      w.progress(0);
      expect(w.dog.verdict(t), `at ${t} ms`).toBeNull();
    }
    expect(w.dog.starved).toBe(1);
    expect(w.dog.longestWaitMs).toBeGreaterThanOrEqual(2900);
  });

  it('calls locks changing hands while no operation completes anywhere a livelock, not a hang, and not before the limit', async () => {
    const w = await setUp(4);
    for (let t = 0; t <= 3000; t += 100) {
      w.handOff();
      expect(w.dog.verdict(t), `at ${t} ms`).toBe(t > 1000 ? 'livelock' : null);
    }
    // Nobody completed an operation for 3 s: all four starved.
    expect(w.dog.starved).toBe(4);
  });

  it('a worker that moves again is not idle any more', async () => {
    const w = await setUp(2);
    w.dog.verdict(0);
    w.progress(1);
    w.dog.verdict(1500);
    expect(w.dog.idleMs(1, 1600)).toBe(100);
    expect(w.dog.idleMs(0, 1600)).toBe(1600);
  });
});
