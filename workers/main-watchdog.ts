/**
 * The watchdog thread of the design's code on the main thread
 * (src/engine/main-watchdog.ts): a call inside for longer than its limit is
 * stopped through the inspector, and the main thread told which.
 */
import { Session } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { MW_GEN, MW_LIMIT_MS, MW_WHAT, type MainHang } from '../src/engine/main-watchdog.js';

const POLL_MS = 50;
const words = (workerData as { words: Int32Array }).words;
let seen = -1;
let since = 0;
for (;;) {
  await sleep(POLL_MS);
  const gen = Atomics.load(words, MW_GEN);
  const now = performance.now();
  if ((gen & 1) === 0 || gen !== seen) {
    seen = gen;
    since = now;
    continue;
  }
  const limit = Atomics.load(words, MW_LIMIT_MS);
  if (now - since < limit) continue;
  const session = new Session();
  session.connectToMainThread();
  // Disconnected once the main thread has it: a session left open makes Node wait for "the debugger" at exit.
  session.post('Runtime.terminateExecution', () => undefined);
  await sleep(POLL_MS);
  session.disconnect();
  parentPort!.postMessage({ kind: 'hung', what: Atomics.load(words, MW_WHAT), ms: now - since } satisfies MainHang);
  seen = -1;
}
