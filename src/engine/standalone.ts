/**
 * A design's memory and pieces on the calling thread, with no workers: for
 * unit tests of a driver, allocator or flush policy, and for the
 * micro-benchmarks. Agent 0's runtime (free running) has the run's ops.
 */
import type { Config } from '../api/types.js';
import { resolveConfig } from '../config/config.js';
import { resolveDesign } from '../modules/loader.js';
import type { Layout } from '../memory/layout.js';
import { Findings, type Expectations } from '../checker/audit.js';
import { type Design, layoutOf } from './design.js';
import { setV8Flags } from './engine.js';
import { allocShared } from '../memory/shared.js';
import { AgentRuntime } from './runtime.js';
import { MainSetupContext, clearShared, prepareShared } from './setup.js';

export interface Standalone {
  readonly design: Design;
  readonly L: Layout;
  readonly sab: SharedArrayBuffer;
  readonly m: Int32Array;
  /** The main thread's slot (it set the memory up). */
  readonly main: AgentRuntime;
  /** Agent 0, ready: `rt.driver`, `rt.allocator`, `rt.flush` are this run's ops. */
  readonly rt: AgentRuntime;
  readonly findings: Findings;
  readonly expectations: Expectations;
}

export async function standalone(partial: Partial<Config>, ops = 0): Promise<Standalone> {
  // As Engine.open: a standalone agent (a test's, a benchmark's) is compiled as the engine's agents are.
  setV8Flags();
  const config = resolveConfig(partial);
  const { design } = await resolveDesign(config);
  const L = layoutOf(design, 0);
  const sab = allocShared(L.bytes);
  const main = new AgentRuntime(sab, L, design, L.mainSlot);
  const findings = new Findings(design.invariants);
  const expectations: Expectations = new Map();
  clearShared(main.m, L, { steps: 0, switches: 0 });
  prepareShared(main, config.seed, ops, new MainSetupContext(main, findings, expectations));
  const rt = new AgentRuntime(sab, L, design, 0);
  rt.begin();
  return { design, L, sab, m: main.m, main, rt, findings, expectations };
}
