/**
 * A watchdog for the design's code that runs on the main thread: a lock's
 * `init` and `locked`, a driver's and an allocator's `initDomain` and
 * `audit`, a race's `setup` and `check`, the functions a piece sizes its
 * memory with. Such code may loop for ever, and a loop on the main thread
 * stops everything (timers, messages, signal handlers): the engine's own
 * watchdog never runs again.
 *
 * So a thread of its own watches. Each call into design code is marked in
 * a shared word (a counter bumped on the way in and out: odd while inside,
 * no clock read); a call still inside after the limit is stopped from the
 * watchdog thread through the inspector (Runtime.terminateExecution, the
 * interrupt a debugger's pause uses, in-process, no port opened), and the
 * main thread, free again, is told what hung: the piece, its file and the
 * function. The CLI prints it and exits 3; the package API rejects the call
 * under way with a HarnessError. A mark costs two atomic adds: calls made
 * for every schedule keep their speed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HarnessError } from '../util/errors.js';
import { type Design, type PieceName, codeName } from './design.js';

/** Shared words: the in/out counter, what is running, the limit in ms. */
export const MW_GEN = 0;
export const MW_WHAT = 1;
export const MW_LIMIT_MS = 2;
export const MW_WORDS = 4;

/** The watchdog thread's message when it stopped a call. */
export interface MainHang {
  kind: 'hung';
  what: number;
  ms: number;
}

let words: Int32Array | null = null;
let thread: Worker | null = null;
const whats: string[] = [];
const byText = new Map<string, number>();
let depth = 0;
/** What the process does when a call hung (the CLI: report and exit 3); the API's calls under way are rejected. */
const listeners = new Set<(err: HarnessError) => void>();

function watchdogFile(): string | null {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/workers/main-watchdog.js' : '../../workers/main-watchdog.js', here));
  return existsSync(file) ? file : null;
}

function start(): Int32Array {
  if (words) return words;
  words = new Int32Array(new SharedArrayBuffer(MW_WORDS * 4));
  const file = watchdogFile();
  if (file === null) return words; // not built: no watchdog (the sources under test build first)
  thread = new Worker(file, { workerData: { words } });
  thread.on('message', (m: MainHang) => {
    const what = whats[m.what] ?? 'the design';
    const err = new HarnessError(
      `${what} did not return in ${(m.ms / 1000).toFixed(1)} s on the main thread: a loop or a wait that never ends; it was stopped`,
      'Code a design runs on the main thread (setup, check, audit, initDomain, lock init and locked) must return: the run it belongs to cannot go on. Its watchdog time is --watchdog.',
    );
    // The stopped call's finally never ran: leave its state as the finally would have.
    depth = 0;
    Atomics.add(words!, MW_GEN, 1);
    thread?.unref();
    for (const l of [...listeners]) l(err);
  });
  // After the listener: adding one refs the thread again. The process never waits for its watchdog.
  thread.unref();
  return words;
}

/** Run `fn`, design code named `what` ("race lost-update's check() (./race.mjs)"), under the watchdog: `limitMs` at most. */
export function guardMain<T>(what: string, limitMs: number, fn: () => T): T {
  const w = start();
  let id = byText.get(what);
  if (id === undefined) {
    id = whats.push(what) - 1;
    byText.set(what, id);
  }
  if (depth > 0) {
    // Inside a guarded region (a run's setup, its check and audit): only say what runs now; the region's clock goes on.
    const outer = w[MW_WHAT]!;
    w[MW_WHAT] = id;
    try {
      return fn();
    } finally {
      w[MW_WHAT] = outer;
    }
  }
  w[MW_WHAT] = id;
  w[MW_LIMIT_MS] = Math.max(1, Math.round(limitMs));
  depth = 1;
  // Held while inside: a stopped call leaves nothing else to keep the process up for the watchdog's message.
  thread?.ref();
  Atomics.add(w, MW_GEN, 1);
  try {
    return fn();
  } finally {
    Atomics.add(w, MW_GEN, 1);
    thread?.unref();
    depth = 0;
  }
}

/** Be told when a guarded call hung (returns the unsubscribe). */
export function onMainHang(listener: (err: HarnessError) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A call of the package API, rejected with the hang's HarnessError if
 * design code it ran on the main thread had to be stopped (the call itself
 * was stopped with it and would never settle).
 */
export function guardedCall<T>(body: () => Promise<T>, cleanup: () => void = () => undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = onMainHang((err) => {
      off();
      cleanup();
      reject(err);
    });
    body().then(
      (v) => {
        off();
        resolve(v);
      },
      (e: unknown) => {
        off();
        reject(e);
      },
    );
  });
}

/** A function of the design run on the main thread under the watchdog, named for the report, within the run's --watchdog time. */
export function designCall<T>(d: Design, piece: PieceName, fn: string, f: () => T): T {
  return guardMain(codeName(d, piece, fn), d.config.watchdogSec * 1000, f);
}
