/**
 * Lock validation, Concurrency Kit style: several worker threads each take
 * the lock many times and, inside, increment a shared counter with a plain
 * read and a plain write. With a correct lock the counter comes out exact and
 * no two workers are ever inside at once; with a broken one it does not.
 */
import { Piscina } from 'piscina';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QNODE_WORDS } from './locks/lock.js';
import { lockByName } from './locks/registry.js';

/** The check's shared memory: one cache line each. */
export const LC_READY = 0;
export const LC_GO = 1;
export const LC_LOCK = 16;
export const LC_COUNTER = 32;
export const LC_INSIDE = 48;
export const LC_OVERLAPS = 64;
export const LC_QNODES = 80;
export const lockCheckWords = (workers: number): number => LC_QNODES + workers * QNODE_WORDS;

export interface LockCheckTask {
  sab: SharedArrayBuffer;
  lock: string;
  worker: number;
  iterations: number;
}

export interface LockCheckResult {
  lock: string;
  workers: number;
  iterations: number;
  expected: number;
  counted: number;
  /** Times a worker entered while another was inside. */
  overlaps: number;
}

/** The worker, from the free-running build (the locks as free-running runs execute them). */
function entry(): string {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../dist/free/workers/lock-check.js' : '../free/workers/lock-check.js', here));
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

export async function checkLock(lock: string, workers: number, iterations: number): Promise<LockCheckResult> {
  const alg = lockByName(lock);
  if (!alg) throw new Error(`unknown lock ${lock}`);
  const sab = new SharedArrayBuffer(lockCheckWords(workers) * 4);
  const m = new Int32Array(sab);
  alg.init(m, LC_LOCK);
  const pool = new Piscina<LockCheckTask, void>({ filename: entry(), minThreads: workers, maxThreads: workers, atomics: 'disabled' });
  try {
    const runs = Array.from({ length: workers }, (_, worker) => pool.run({ sab, lock, worker, iterations }));
    // Never Atomics.wait on the main thread: poll the barrier.
    while (Atomics.load(m, LC_READY) < workers) await sleep(1);
    Atomics.store(m, LC_GO, 1);
    Atomics.notify(m, LC_GO);
    await Promise.all(runs);
  } finally {
    await pool.destroy();
  }
  return {
    lock,
    workers,
    iterations,
    expected: workers * iterations,
    counted: Atomics.load(m, LC_COUNTER),
    overlaps: Atomics.load(m, LC_OVERLAPS),
  };
}
