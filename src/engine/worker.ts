/**
 * An agent's thread, from start to end: load the design (the same modules
 * as the main thread), build the runtime once, then run whenever the main
 * thread opens a new epoch, until it says stop (epoch -1). Workers and
 * shared memory live across runs, so that explore tries schedule after
 * schedule without starting a thread or allocating memory.
 *
 * The only messages: what a run's histograms were (free running, with
 * statistics on) and why an agent failed. Everything else is in shared
 * memory: a failure also marks the agent failed there, so the main thread's
 * report shows where it stopped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BA_RUNS, CTL_DONE, CTL_EPOCH, CTL_HIST, CTL_READY, CTL_STARTED, type Layout, W_STATUS, WS_DONE, WS_FAILED, WS_RUNNING, workerAt } from '../memory/layout.js';
import { loadDesign } from '../modules/loader.js';
import { RunAborted } from '../sched/scheduler.js';
import { UsageError } from '../util/errors.js';
import type { DesignSpec } from './design.js';
import { AgentRuntime } from './runtime.js';
import { type SharedHandle, adoptShared } from '../memory/shared.js';
import type { AgentMessage } from './messages.js';
import { describeThrow, encodeCrash, writeFailure } from './crash.js';
import { BatchDriver, abandonBatch, followBatch } from './batch.js';
import { Detectors } from '../detect/detectors.js';
import { ExecutionBuffers } from '../search/execution.js';

export interface AgentData {
  /** The run's memory (and its WebAssembly.Memory, for the accessors' atomics). */
  shared: SharedHandle;
  layout: Layout;
  spec: DesignSpec;
  agent: number;
}

export async function agentMain(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the agent entry runs in a worker thread');
  const { shared, layout: L, spec, agent } = workerData as AgentData;
  const sab = adoptShared(shared);
  const post = (msg: AgentMessage): void => port.postMessage(msg);
  const m = new Int32Array(sab);
  let rt: AgentRuntime;
  try {
    const design = await loadDesign(spec);
    const def = agent >= L.workers ? design.agents[agent - L.workers]! : null;
    rt = new AgentRuntime(sab, L, design, agent, def?.device ?? -1);
  } catch (e) {
    const message = `could not load the design: ${e instanceof Error ? e.message : String(e)}`;
    const stack = e instanceof Error ? (e.stack ?? '') : '';
    // In shared memory before counting itself ready: the main thread finds it there whichever arrives first, the message or the count.
    writeFailure(m, L, agent, -1, encodeCrash({ message, where: '', stack: stack.split('\n').slice(1, 7), usage: e instanceof UsageError }));
    post({ kind: 'failed', agent, epoch: 0, message, stack, usage: e instanceof UsageError });
    Atomics.add(m, CTL_READY, 1);
    Atomics.notify(m, CTL_READY);
    return;
  }
  const def = agent >= L.workers ? rt.design.agents[agent - L.workers]! : null;
  const status = workerAt(L, agent) + W_STATUS;
  Atomics.add(m, CTL_READY, 1);
  Atomics.notify(m, CTL_READY);

  // Agent 0 leads batches of controlled runs (engine/batch.ts); the others follow.
  let driver: BatchDriver | null = null;
  let buffers: ExecutionBuffers | null = null;
  let detectors: Detectors | null = null;
  const oneRun = (): void => {
    Atomics.store(m, status, WS_RUNNING);
    let failed: { err: unknown } | null = null;
    let aborted = false;
    try {
      rt.begin();
      Atomics.add(m, CTL_STARTED, 1);
      if (def) rt.runAgent(def);
      else if (rt.design.deviceLoop) rt.runDevice();
    } catch (err) {
      if (err instanceof RunAborted) aborted = true;
      else failed = { err };
    }
    const crash = failed !== null ? describeThrow(failed.err) : null;
    if (rt.sched !== null) {
      // Leave the schedule: a failure ends the run for everyone (the others are let go), a normal end lets the decider go on.
      if (crash !== null) rt.sched.fail(encodeCrash(crash));
      else if (!aborted) rt.sched.finish();
    } else if (crash !== null) {
      writeFailure(m, L, agent, -1, encodeCrash(crash));
    }
    Atomics.store(m, status, failed !== null ? WS_FAILED : WS_DONE);
    if (failed !== null) {
      const err = failed.err instanceof Error ? failed.err : new Error(String(failed.err));
      post({ kind: 'failed', agent, epoch, message: err.message, stack: err.stack ?? '' });
    } else if (Atomics.load(m, CTL_HIST) === 1) {
      post({ kind: 'histograms', agent, epoch, map: rt.mapLatency, unmap: rt.unmapLatency, waits: rt.waits });
    }
  };

  let epoch = 0;
  for (;;) {
    let e = Atomics.load(m, CTL_EPOCH);
    while (e === epoch) {
      Atomics.wait(m, CTL_EPOCH, e);
      e = Atomics.load(m, CTL_EPOCH);
    }
    if (e < 0) return;
    epoch = e;
    if (L.batch > 0 && Atomics.load(m, L.batch + BA_RUNS) > 0) {
      if (agent === 0) {
        try {
          driver ??= new BatchDriver(sab, L, rt.design);
        } catch {
          // The main thread makes the runs itself (and meets what failed here, where it is reported).
          abandonBatch(m, L);
        }
        driver?.lead(oneRun);
      } else {
        followBatch(m, L, agent, oneRun, (buffers ??= new ExecutionBuffers()), (detectors ??= new Detectors(m, L)));
      }
    } else {
      oneRun();
    }
    // Only the last one wakes the main thread: a notify to an Atomics.waitAsync waiter costs tens of µs (a task posted to its loop).
    if (Atomics.add(m, CTL_DONE, 1) + 1 >= L.agents) Atomics.notify(m, CTL_DONE);
  }
}
