/**
 * One free-running run of a configuration, from start to result: load and
 * check the design, start its agents, run, collect, stop.
 */
import type { Config } from '../api/types.js';
import { resolveConfig } from '../config/config.js';
import { checkOptions } from '../api/options.js';
import { apiCall } from '../api/call.js';
import { resolveDesign } from '../modules/loader.js';
import { collect } from '../results/collect.js';
import type { RunResult } from '../results/result.js';
import { buildRunTrace } from '../results/trace.js';
import { Engine } from './engine.js';
import type { Layout } from '../memory/layout.js';
import { layoutOf } from './design.js';

export interface RunOptions {
  /** Called every poll (about 50 times a second) with seconds elapsed. */
  onTick?: (elapsedSec: number) => void;
  /** Keep the whole interleaving the trace rings hold (`result.trace`). */
  trace?: boolean;
  /** Warnings to carry into the result (options that had no effect). */
  warnings?: readonly string[];
  /** Stop when it aborts: the call rejects with the signal's reason (an AbortError), its threads stopped. */
  signal?: AbortSignal;
}

export async function runConfig(config: Config, o: RunOptions = {}): Promise<RunResult> {
  const { design, spec } = await resolveDesign(config);
  const e = await Engine.open(design, spec);
  try {
    const end = await e.run({ seed: config.seed, ops: config.ops, durationSec: config.durationSec, sched: null, ...(o.onTick ? { onTick: o.onTick } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    const r = collect(e, end, { warnings: o.warnings ?? [] });
    if (o.trace && !e.closed) r.trace = buildRunTrace(e, r, `run: ${config.devices} devices, group size ${config.groupSize}, driver ${design.driver.name}`, null);
    return r;
  } finally {
    await e.close();
  }
}

/** Check that a configuration can run (its pieces load, its memory can be laid out) without running it. */
export async function planRun(config: Config): Promise<Layout> {
  const { design } = await resolveDesign(config);
  return layoutOf(design, 0);
}

/** `run()` of the package API: a partial configuration, completed with the defaults and checked. */
export async function run(config: Partial<Config> = {}, o: RunOptions = {}): Promise<RunResult> {
  checkOptions('run', o);
  return apiCall(() => runConfig(resolveConfig(config), o));
}
