/**
 * Piscina entry point of every agent of a run: a device queue's loop, or the
 * live-switch thread. One task is one agent's whole run. A throw marks the
 * agent failed in shared memory (so the main thread's report shows where it
 * stopped) and rejects the task; a controlled run that the scheduler ended
 * (RunAborted) is not a failure.
 */
import { threadId } from 'node:worker_threads';
import { DeviceLoop } from '../src/device-loop.js';
import { Switcher } from '../src/switcher.js';
import { RunAborted } from '../src/sched.js';
import type { DeviceTask, DeviceTaskResult } from '../src/messages.js';
import { WS_DONE, WS_FAILED, W_STATUS, workerAt } from '../src/layout.js';

export default function runAgent(task: DeviceTask): DeviceTaskResult {
  const status = workerAt(task.layout, task.worker) + W_STATUS;
  const m = new Int32Array(task.sab);
  try {
    if (task.role === 'switcher') {
      new Switcher(task).run();
      return { worker: task.worker, threadId, histograms: null, aborted: null };
    }
    const loop = new DeviceLoop(task);
    try {
      loop.run();
    } catch (e) {
      if (!(e instanceof RunAborted)) throw e;
      Atomics.store(m, status, WS_DONE);
      return { worker: task.worker, threadId, histograms: loop.histograms(), aborted: e.message };
    }
    return { worker: task.worker, threadId, histograms: loop.histograms(), aborted: null };
  } catch (e) {
    if (e instanceof RunAborted) {
      Atomics.store(m, status, WS_DONE);
      return { worker: task.worker, threadId, histograms: null, aborted: e.message };
    }
    Atomics.store(m, status, WS_FAILED);
    throw e;
  }
}
