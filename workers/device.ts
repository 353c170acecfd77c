/**
 * Piscina entry point of a device worker: one task is one worker's whole
 * run. A throw marks the worker failed in shared memory (so the main
 * thread's report shows where it stopped) and rejects the task.
 */
import { threadId } from 'node:worker_threads';
import { DeviceLoop } from '../src/device-loop.js';
import type { DeviceTask, DeviceTaskResult } from '../src/messages.js';
import { WS_FAILED, W_STATUS, workerAt } from '../src/layout.js';

export default function runDevice(task: DeviceTask): DeviceTaskResult {
  let loop: DeviceLoop;
  try {
    loop = new DeviceLoop(task);
    loop.run();
  } catch (e) {
    Atomics.store(new Int32Array(task.sab), workerAt(task.layout, task.worker) + W_STATUS, WS_FAILED);
    throw e;
  }
  return { worker: task.worker, threadId, histograms: loop.histograms() };
}
