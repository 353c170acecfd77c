/**
 * Lock validation, Concurrency Kit style: several worker threads each take
 * the lock many times and, inside, increment a shared counter with a plain
 * read and a plain write. With a correct lock the counter comes out exact and
 * no two workers are ever inside at once; with a broken one it does not.
 * Any lock can be validated: a built-in by name, a user's by path.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LockDef } from '../api/types.js';
import type { PieceSpec } from '../engine/design.js';
import { loadPiece } from '../modules/loader.js';
import { FreeMem } from '../memory/mem.js';

/** The check's shared memory: one cache line each. */
export const LC_READY = 0;
export const LC_GO = 1;
export const LC_LOCK = 16;
export const LC_COUNTER = 32;
export const LC_INSIDE = 48;
export const LC_OVERLAPS = 64;
export const LC_DONE = 65;
export const LC_NODES = 80;
export const lockCheckWords = (workers: number): number => LC_NODES + workers * 16;

export interface LockCheckTask {
  sab: SharedArrayBuffer;
  spec: PieceSpec;
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

/** The worker, from the build. */
function entry(): string {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/workers/lock-check.js' : '../../workers/lock-check.js', here));
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

export async function checkLock(lock: string, workers: number, iterations: number): Promise<LockCheckResult> {
  const { def, spec } = await loadPiece<LockDef>('lock', lock, process.cwd(), '--lock');
  const sab = new SharedArrayBuffer(lockCheckWords(workers) * 4);
  const m = new Int32Array(sab);
  def.init(new FreeMem(m), LC_LOCK);
  const threads: Worker[] = [];
  const errors: Error[] = [];
  for (let w = 0; w < workers; w++) {
    const t = new Worker(entry(), { workerData: { sab, spec, worker: w, iterations } satisfies LockCheckTask });
    t.on('error', (e) => errors.push(e));
    threads.push(t);
  }
  try {
    // Never Atomics.wait on the main thread: poll the barrier.
    while (Atomics.load(m, LC_READY) < workers && errors.length === 0) await sleep(1);
    Atomics.store(m, LC_GO, 1);
    Atomics.notify(m, LC_GO);
    while (Atomics.load(m, LC_DONE) < workers && errors.length === 0) await sleep(2);
    if (errors.length > 0) throw errors[0];
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return { lock: def.name, workers, iterations, expected: workers * iterations, counted: Atomics.load(m, LC_COUNTER), overlaps: Atomics.load(m, LC_OVERLAPS) };
}
