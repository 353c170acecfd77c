/**
 * The watchdog tells a hang (nothing moves anywhere) from starvation (some
 * workers wait while others, or the lock, move on). Driven here by hand over
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
    expect(w.dog.hung(0)).toBe(false);
    expect(w.dog.hung(900)).toBe(false);
    expect(w.dog.hung(1100)).toBe(true);
  });

  it('does not call it hung while one worker progresses; the other is counted starved', async () => {
    const w = await setUp(2);
    w.wait(1, 1);
    for (let t = 0; t <= 3000; t += 100) {
      w.progress(0);
      expect(w.dog.hung(t), `at ${t} ms`).toBe(false);
    }
    expect(w.dog.starved).toBe(1);
    expect(w.dog.longestWaitMs).toBeGreaterThanOrEqual(2900);
  });

  it('counts a lock changing hands as movement even when no operation completes', async () => {
    const w = await setUp(4);
    for (let t = 0; t <= 3000; t += 100) {
      w.handOff();
      expect(w.dog.hung(t), `at ${t} ms`).toBe(false);
    }
    // Nobody completed an operation for 3 s: all four starved, none hung.
    expect(w.dog.starved).toBe(4);
  });

  it('a worker that moves again is not idle any more', async () => {
    const w = await setUp(2);
    w.dog.hung(0);
    w.progress(1);
    w.dog.hung(1500);
    expect(w.dog.idleMs(1, 1600)).toBe(100);
    expect(w.dog.idleMs(0, 1600)).toBe(1600);
  });
});
