/**
 * The only messages between the main thread and a device worker: the task
 * that starts it (everything else it needs is in the shared memory) and what
 * it returns when it stops. No message passes while the loop runs.
 */
import type { RecordableHistogram } from 'node:perf_hooks';
import type { Config } from './config.js';
import type { Layout } from './layout.js';

export interface DeviceTask {
  sab: SharedArrayBuffer;
  layout: Layout;
  config: Config;
  /** Agent index: a device worker (< layout.workers) or a control agent. */
  worker: number;
  /** What the agent runs: a device queue's loop, or the live switch. */
  role: 'device' | 'switcher';
}

/** Histograms (node:perf_hooks, HDR) cross threads by structured clone. */
export interface DeviceHistograms {
  /** Sampled map latency: IOVA allocation plus the map calls, ns. */
  map: RecordableHistogram;
  /** Sampled unmap latency: the unmap calls plus the IOVA free, ns. */
  unmap: RecordableHistogram;
  /** Wait of every contended acquisition, per lock class, ns. */
  wait: RecordableHistogram[];
}

export interface DeviceTaskResult {
  worker: number;
  threadId: number;
  /** null for a control agent, which records none. */
  histograms: DeviceHistograms | null;
  /** The controlled run ended this worker early (deadlock, step limit, violation). */
  aborted: string | null;
}
