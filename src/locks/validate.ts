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
import { freeMem } from '../memory/mem.js';
import { type SharedHandle, allocShared, handleOf } from '../memory/shared.js';
import { HarnessError } from '../util/errors.js';
import { checkOptions } from '../api/options.js';
import { guardMain } from '../engine/main-watchdog.js';
import { apiCall } from '../api/call.js';

/** The check's shared memory: one cache line each; then a queue node (16 words) and a progress word a worker. */
export const LC_READY = 0;
export const LC_GO = 1;
export const LC_LOCK = 16;
export const LC_COUNTER = 32;
export const LC_INSIDE = 48;
export const LC_OVERLAPS = 64;
export const LC_DONE = 65;
export const LC_UNLOCKED_INSIDE = 66;
export const LC_TRYLOCKS = 67;
export const LC_NODES = 80;
export const lcNode = (worker: number): number => LC_NODES + worker * 16;
export const lcProgress = (workers: number, worker: number): number => LC_NODES + workers * 16 + worker * 16;
export const lockCheckWords = (workers: number): number => lcProgress(workers, workers);
/** One acquisition in TRYLOCK_EVERY is taken by spinning on trylock(). */
export const TRYLOCK_EVERY = 4;

export interface LockCheckTask {
  shared: SharedHandle;
  spec: PieceSpec;
  worker: number;
  workers: number;
  iterations: number;
}

export interface LockCheckResult {
  lock: string;
  workers: number;
  iterations: number;
  expected: number;
  /** The counter incremented inside the lock with a plain read and write: `expected` when no update was lost. */
  counted: number;
  /** Times a worker entered while another was inside. */
  overlaps: number;
  /** Times `locked()` said the lock was free while a worker held it. */
  unlockedInside: number;
  /** Acquisitions taken by trylock (one in TRYLOCK_EVERY). */
  trylocks: number;
  /** Mutual exclusion held and no update was lost. */
  correct: boolean;
  elapsedSec: number;
}

export interface LockCheckOptions {
  workers?: number;
  iterations?: number;
  /** A check in which no worker gets the lock for this long is a hang (a lock never freed, a lost wake-up) [10]. */
  stallSec?: number;
  /** Stop when it aborts: the call rejects with the signal's reason (an AbortError), its threads stopped. */
  signal?: AbortSignal;
}

/** The worker, from the build. */
function entry(): string {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/workers/lock-check.js' : '../../workers/lock-check.js', here));
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run \`npm run build\` first`);
  return file;
}

/**
 * Validate a lock, a built-in by name or a user's module by path: `workers`
 * threads each take it `iterations` times (one in four by trylock) and
 * increment a counter inside with a plain read and write. A lock that lets
 * two in loses updates and is seen inside together; a lock whose `locked()`
 * says free while held is counted; a lock that never lets anyone in again is
 * a HarnessError naming each worker's progress, not a hang.
 */
export async function checkLock(lock: string, o: LockCheckOptions = {}): Promise<LockCheckResult> {
  checkOptions('checkLock', o);
  return apiCall(() => checkLockIt(lock, o));
}

async function checkLockIt(lock: string, o: LockCheckOptions): Promise<LockCheckResult> {
  const workers = o.workers ?? 2;
  const iterations = o.iterations ?? 100_000;
  const stallMs = (o.stallSec ?? 10) * 1000;
  const { def, spec } = await loadPiece<LockDef>('lock', lock, process.cwd(), '--lock');
  // The accessors' atomics as in a run (memory/shared.ts): the lock is checked as runs use it.
  const sab = allocShared(lockCheckWords(workers) * 4);
  const m = new Int32Array(sab);
  const call = <T>(fn: string, f: () => T): T => guardMain(`lock ${def.name}'s ${fn}()`, stallMs, f);
  call('init', () => def.init(freeMem(m), LC_LOCK));
  const threads: Worker[] = [];
  const errors: Error[] = [];
  const t0 = performance.now();
  for (let w = 0; w < workers; w++) {
    const t = new Worker(entry(), { workerData: { shared: handleOf(sab), spec, worker: w, workers, iterations } satisfies LockCheckTask });
    t.on('error', (e) => errors.push(e));
    threads.push(t);
  }
  const progress = (): number[] => Array.from({ length: workers }, (_, w) => Atomics.load(m, lcProgress(workers, w)));
  try {
    // Never Atomics.wait on the main thread: poll the barrier.
    while (Atomics.load(m, LC_READY) < workers && errors.length === 0) {
      await sleep(1);
      o.signal?.throwIfAborted();
    }
    Atomics.store(m, LC_GO, 1);
    Atomics.notify(m, LC_GO);
    let last = -1;
    let since = performance.now();
    while (Atomics.load(m, LC_DONE) < workers && errors.length === 0) {
      await sleep(2);
      o.signal?.throwIfAborted();
      const sum = progress().reduce((a, b) => a + b, 0);
      const now = performance.now();
      if (sum !== last) {
        last = sum;
        since = now;
      } else if (now - since > stallMs) {
        const each = progress().map((p, w) => `worker ${w}: ${p} of ${iterations} acquisitions`).join(', ');
        throw new HarnessError(
          `lock ${def.name}: no worker got the lock for ${stallMs / 1000} s (${each}): a lock never freed, or a lost wake-up`,
          `the lock word reads ${Atomics.load(m, LC_LOCK)}; locked() says ${call('locked', () => def.locked(freeMem(m), LC_LOCK)) ? 'held' : 'free'}`,
        );
      }
    }
    if (errors.length > 0) throw new HarnessError(`lock ${def.name}: a worker threw: ${errors[0]!.message}`, errors[0]!.stack ?? '');
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  const counted = Atomics.load(m, LC_COUNTER);
  const overlaps = Atomics.load(m, LC_OVERLAPS);
  const unlockedInside = Atomics.load(m, LC_UNLOCKED_INSIDE);
  const expected = workers * iterations;
  return {
    lock: def.name,
    workers,
    iterations,
    expected,
    counted,
    overlaps,
    unlockedInside,
    trylocks: Atomics.load(m, LC_TRYLOCKS),
    correct: counted === expected && overlaps === 0 && unlockedInside === 0,
    elapsedSec: (performance.now() - t0) / 1000,
  };
}
