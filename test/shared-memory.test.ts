/**
 * The run's shared memory and its accessors' atomics (src/memory/shared.ts):
 * WebAssembly's atomics over a shared WebAssembly.Memory must do exactly
 * what Atomics.* does on the same words, across threads, and runs must use
 * them (with Atomics.* as the fallback).
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { FreeMem, WasmMem, freeMem } from '../src/memory/mem.js';
import { adoptShared, allocShared, handleOf, wordAtomics } from '../src/memory/shared.js';
import { standalone } from '../src/engine/standalone.js';

describe('WebAssembly atomics on the shared words', () => {
  it('load, store, exchange, cas and add agree with Atomics.* word for word, negative values and int32 wrap-around included', () => {
    const sab = allocShared(1000);
    expect(sab.byteLength).toBeGreaterThanOrEqual(1000);
    const m = new Int32Array(sab);
    const a = wordAtomics(sab)!;
    expect(a).not.toBeNull();
    const values = [0, 1, -1, 7, 0x7fffffff, -0x80000000, 123456789];
    for (const [i, v] of values.entries()) {
      const at = 10 + i;
      a.store(at, v);
      expect(Atomics.load(m, at)).toBe(v);
      expect(a.load(at)).toBe(v);
      Atomics.store(m, at, v ^ 5);
      expect(a.load(at)).toBe(v ^ 5);
      expect(a.exchange(at, v)).toBe(v ^ 5);
      expect(m[at]).toBe(v);
      // cas: fails on a wrong expectation (returns what is there), swaps on the right one.
      expect(a.cas(at, v + 1, 42)).toBe(v);
      expect(m[at]).toBe(v);
      expect(a.cas(at, v, 42)).toBe(v);
      expect(m[at]).toBe(42);
      expect(a.add(at, -50)).toBe(42);
      expect(m[at]).toBe(-8);
    }
    // int32 wrap-around, as Atomics.add on an Int32Array.
    a.store(5, 0x7fffffff);
    expect(a.add(5, 1)).toBe(0x7fffffff);
    expect(m[5]).toBe(-0x80000000);
    // Out of bounds traps, never writes elsewhere.
    expect(() => a.store(m.length, 1)).toThrow();
  });

  it('two threads adding to one word through different kinds of atomics lose nothing', async () => {
    const sab = allocShared(4096);
    const m = new Int32Array(sab);
    const N = 200_000;
    const src = `
      const { workerData } = require('node:worker_threads');
      import(${JSON.stringify(new URL('../dist/src/memory/shared.js', import.meta.url).href)}).then(({ adoptShared, wordAtomics }) => {
        const sab = adoptShared(workerData.h);
        const a = wordAtomics(sab);
        if (a === null) throw new Error('no WebAssembly atomics in the worker');
        for (let i = 0; i < ${N}; i++) a.add(0, 1);
      });`;
    const w = new Worker(src, { eval: true, workerData: { h: handleOf(sab) } });
    const done = new Promise((resolve, reject) => {
      w.on('exit', resolve);
      w.on('error', reject);
    });
    // This thread adds with Atomics.add on the same word meanwhile.
    for (let i = 0; i < N; i++) Atomics.add(m, 0, 1);
    await done;
    expect(Atomics.load(m, 0)).toBe(2 * N);
  });

  it('a buffer handed to another thread finds its memory again there (adoptShared), and a plain SharedArrayBuffer has none', () => {
    const sab = allocShared(256);
    const h = handleOf(sab);
    expect(h.memory).not.toBeNull();
    expect(adoptShared(h)).toBe(sab);
    const plain = new SharedArrayBuffer(256);
    expect(handleOf(plain).memory).toBeNull();
    expect(wordAtomics(plain)).toBeNull();
    expect(freeMem(new Int32Array(plain)).constructor).toBe(FreeMem);
  });
});

describe('the accessors a free-running agent gets', () => {
  it('are WebAssembly atomics over the run memory; IOMMU_STRESS_JS_ATOMICS=1 gives Atomics.*', async () => {
    const s = await standalone({ devices: 1 }, 10);
    expect(s.rt.mem).toBeInstanceOf(WasmMem);
    process.env.IOMMU_STRESS_JS_ATOMICS = '1';
    try {
      const plain = await standalone({ devices: 1 }, 10);
      expect(plain.rt.mem.constructor).toBe(FreeMem);
    } finally {
      delete process.env.IOMMU_STRESS_JS_ATOMICS;
    }
  });
});
