/**
 * The only messages between the main thread and a device worker: the task
 * that starts it (everything else it needs is in the shared memory) and what
 * it returns when it stops. No message passes while the loop runs.
 */
import type { Config } from './config.js';
import type { Layout } from './layout.js';

export interface DeviceTask {
  sab: SharedArrayBuffer;
  layout: Layout;
  config: Config;
  worker: number;
}

export interface DeviceTaskResult {
  worker: number;
  threadId: number;
}
