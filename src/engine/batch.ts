/**
 * Batches of controlled runs the agents make among themselves.
 *
 * A random or PCT search tries thousands of short schedules. Made one at a
 * time by the main thread, each costs two wake-ups across threads (the
 * main thread's notify that starts the agents, the last agent's notify that
 * returns to the main thread's event loop) and the main thread's setup and
 * checks in between, while the agents sleep: about as long as the schedule
 * itself. In a batch, agent 0 does what the main thread would between two
 * runs (clear the memory, set the run up with the design's own setup, run
 * the race's check and the audit, name the outcome and the trace), on the
 * main thread's slot, while the other agents wait for the next run by
 * spinning where they fit the cores; the main thread sleeps until the batch
 * is over and reads a record a run.
 *
 * Only runs that end acceptably are made here. A forbidden outcome, a crash,
 * or a throw in the setup or the checks hands that run back: the batch stops
 * before it is counted, and the main thread makes it again, itself, on the
 * usual path (a controlled run is the same every time), so that everything
 * reported (a finding's full result, a design's error, a hang under the main
 * thread's watchdog) comes from there, exactly as without batches.
 */
import {
  BA_DEPTH,
  BA_DIRTY_STEPS,
  BA_DIRTY_SWITCHES,
  BA_DONE,
  BA_DONE_SLEEPING,
  BA_EXPECTED,
  BA_HAND_BACK,
  BA_LAST_STEPS,
  BA_RAN,
  BA_RUNS,
  BA_SEED,
  BA_SETUP_US,
  BA_STEPS_US,
  BA_CHECKS_US,
  BA_SPIN,
  BA_STRATEGY,
  BA_SUB,
  BA_SUB_SLEEPERS,
  BA_TICK_EVERY,
  BA_HDR_WORDS,
  BA_KEY_GO,
  BA_KEY_SLEEPERS,
  BA_KEYED,
  BA_KEYED_SLEEPING,
  BR_KEY_HI,
  BR_KEY_LO,
  BR_DETECTED,
  DETECTED_DATA_RACE,
  DETECTED_LOCK_ORDER,
  BR_OUTCOME,
  BR_STEPS,
  BR_WORDS,
  type Layout,
  SC_OUTCOME,
  SC_STEP,
} from '../memory/layout.js';
import { Findings, audit, type Expectations } from '../checker/audit.js';
import { initSched, progressStepOf } from '../sched/control.js';
import { OUTCOMES, STRATEGIES } from '../sched/scheduler.js';
import { ExecutionBuffers, readExecution } from '../search/execution.js';
import { traceKeyWords } from '../search/canonical.js';
import { MAX_STEPS, OUTCOME_DEFS, classOf, outcomeOfRun } from '../races/outcome.js';
import { Detectors } from '../detect/detectors.js';
import { CUT_SHORT, type Dirty, MainSetupContext, clearShared, prepareShared } from './setup.js';
import { AgentRuntime } from './runtime.js';
import type { Design } from './design.js';

/** Loads of a word before sleeping on it: where agents fit the cores (about a millisecond), and where they do not. */
const SPIN_FIT = 1 << 20;
const SPIN_OVER = 64;

/** The record of run `i` of the batch. */
export const batchRecordAt = (L: Layout, i: number): number => L.batch + BA_HDR_WORDS + i * BR_WORDS;

/** Wait until `m[at]` is no longer `old`: spin, then sleep saying so in `sleepers` (whoever changes it notifies if anyone sleeps). */
function waitChange(m: Int32Array, at: number, old: number, spins: number, sleepers: number): number {
  let v = Atomics.load(m, at);
  for (let i = 0; v === old && i < spins; i++) v = Atomics.load(m, at);
  while (v === old) {
    Atomics.add(m, sleepers, 1);
    v = Atomics.load(m, at);
    if (v === old) Atomics.wait(m, at, old);
    Atomics.sub(m, sleepers, 1);
    v = Atomics.load(m, at);
  }
  return v;
}

/**
 * Who keys a run's trace: agent 1, while agent 0 runs the checks, where the
 * agents fit the cores (it would only wait for a core otherwise); else agent 0.
 */
const keyerOf = (m: Int32Array, L: Layout): number => (L.agents > 1 && m[L.batch + BA_SPIN] === 1 ? 1 : 0);

/**
 * Key the run in memory into record `r`, and run the detectors over it
 * (the agent that keys, while the lead runs the checks: the execution's
 * arrays and the detectors' are its own, reused).
 */
function keyInto(m: Int32Array, L: Layout, r: number, buffers: ExecutionBuffers, detectors: Detectors): void {
  const k = traceKeyWords(readExecution(m, L, buffers));
  const at = batchRecordAt(L, r);
  m[at + BR_KEY_HI] = k[0]!;
  m[at + BR_KEY_LO] = k[1]!;
  const d = detectors.check(m[L.sched + SC_STEP]!);
  m[at + BR_DETECTED] = (d.dataRace ? DETECTED_DATA_RACE : 0) | (d.lockOrder ? DETECTED_LOCK_ORDER : 0);
}

/** The other agents' side of a batch: each run agent 0 lets go, made by `oneRun`, then counted done (and, agent 1, keyed). */
export function followBatch(m: Int32Array, L: Layout, agent: number, oneRun: () => void, buffers: ExecutionBuffers, detectors: Detectors): void {
  const b = L.batch;
  const spins = m[b + BA_SPIN] === 1 ? SPIN_FIT : SPIN_OVER;
  const keys = keyerOf(m, L) === agent;
  let sub = 0;
  let go = 0;
  for (;;) {
    sub = waitChange(m, b + BA_SUB, sub, spins, b + BA_SUB_SLEEPERS);
    if (sub < 0) return;
    oneRun();
    if (Atomics.add(m, b + BA_DONE, 1) + 1 === L.agents - 1 && Atomics.load(m, b + BA_DONE_SLEEPING) !== 0) Atomics.notify(m, b + BA_DONE);
    if (!keys) continue;
    go = waitChange(m, b + BA_KEY_GO, go, spins, b + BA_KEY_SLEEPERS);
    keyInto(m, L, go - 1, buffers, detectors);
    Atomics.store(m, b + BA_KEYED, go);
    if (Atomics.load(m, b + BA_KEYED_SLEEPING) !== 0) Atomics.notify(m, b + BA_KEYED);
  }
}

/** Agent 0 cannot lead the batch: its first run is handed back, and the others let go. */
export function abandonBatch(m: Int32Array, L: Layout): void {
  const b = L.batch;
  Atomics.store(m, b + BA_HAND_BACK, 0);
  Atomics.store(m, b + BA_SUB, -1);
  if (Atomics.load(m, b + BA_SUB_SLEEPERS) !== 0) Atomics.notify(m, b + BA_SUB);
}

/** A run's setup, kept for its checks. */
interface RunSetup {
  findings: Findings;
  expectations: Expectations;
  setup: MainSetupContext;
}

/** Agent 0's side: the main thread's work between runs, on the main thread's slot. */
export class BatchDriver {
  private readonly rt: AgentRuntime;
  private readonly devices: number[];
  private readonly buffers = new ExecutionBuffers();
  private readonly detectors: Detectors;
  /** The run being checked: what its checks found, how the scheduler ended it. */
  private found: readonly number[] = [];
  private schedOutcome = '';

  constructor(
    sab: SharedArrayBuffer,
    private readonly L: Layout,
    private readonly design: Design,
  ) {
    // Unguarded: design code that loops here stops the batch, and the main thread, seeing it stopped, makes that run itself under its own watchdog.
    this.rt = new AgentRuntime(sab, L, design, L.mainSlot, -1, false);
    this.devices = design.agents.map((a) => a.device ?? -1);
    this.detectors = new Detectors(this.rt.m, L);
  }

  /** Make the batch the main thread asked for (agent 0's thread; `oneRun` makes agent 0's own part of a run). */
  lead(oneRun: () => void): void {
    const { L } = this;
    const m = this.rt.m;
    const b = L.batch;
    const runs = m[b + BA_RUNS]!;
    const first = m[b + BA_SEED]!;
    const spins = m[b + BA_SPIN] === 1 ? SPIN_FIT : SPIN_OVER;
    const keyer = keyerOf(m, L);
    let dirty: Dirty = { steps: m[b + BA_DIRTY_STEPS]!, switches: m[b + BA_DIRTY_SWITCHES]! };
    // Where the time goes, per phase (four clock reads a run, against hundreds of steps).
    let setupMs = 0;
    let stepsMs = 0;
    let checksMs = 0;
    try {
      for (let r = 0; r < runs; r++) {
        const seed = (first + r) >>> 0;
        const t0 = performance.now();
        let s: RunSetup;
        try {
          s = this.setUp(seed, dirty);
        } catch {
          Atomics.store(m, b + BA_HAND_BACK, r);
          break;
        }
        const t1 = performance.now();
        setupMs += t1 - t0;
        Atomics.store(m, b + BA_SUB, r + 1);
        if (Atomics.load(m, b + BA_SUB_SLEEPERS) !== 0) Atomics.notify(m, b + BA_SUB);
        oneRun();
        if (L.agents > 1) {
          waitCount(m, b + BA_DONE, L.agents - 1, spins, b + BA_DONE_SLEEPING);
          Atomics.store(m, b + BA_DONE, 0);
        }
        if (keyer !== 0) {
          // Every agent is done: agent 1 keys the trace while the checks run here.
          Atomics.store(m, b + BA_KEY_GO, r + 1);
          if (Atomics.load(m, b + BA_KEY_SLEEPERS) !== 0) Atomics.notify(m, b + BA_KEY_GO);
        }
        const t2 = performance.now();
        stepsMs += t2 - t1;
        const steps = m[L.sched + SC_STEP]!;
        dirty = { steps, switches: 0 };
        Atomics.store(m, b + BA_LAST_STEPS, steps);
        let keep: boolean;
        try {
          keep = this.check(s);
          if (keep && keyer === 0) keyInto(m, L, r, this.buffers, this.detectors);
        } catch {
          keep = false;
        }
        // The run's memory is read until it is keyed: the next setup (or the main thread's) clears it.
        if (keyer !== 0) waitCount(m, b + BA_KEYED, r + 1, spins, b + BA_KEYED_SLEEPING);
        if (keep) keep = this.outcome(r, steps);
        checksMs += performance.now() - t2;
        if (!keep) {
          Atomics.store(m, b + BA_HAND_BACK, r);
          break;
        }
        Atomics.store(m, b + BA_RAN, r + 1);
      }
    } finally {
      m[b + BA_SETUP_US] = Math.round(setupMs * 1000);
      m[b + BA_STEPS_US] = Math.round(stepsMs * 1000);
      m[b + BA_CHECKS_US] = Math.round(checksMs * 1000);
      Atomics.store(m, b + BA_SUB, -1);
      if (Atomics.load(m, b + BA_SUB_SLEEPERS) !== 0) Atomics.notify(m, b + BA_SUB);
    }
  }

  /** As Engine.run sets a run up: the memory cleared, the design's setup, the scheduler's block. */
  private setUp(seed: number, dirty: Dirty): RunSetup {
    const { L, design: d, rt } = this;
    const m = rt.m;
    const b = L.batch;
    clearShared(m, L, dirty);
    const findings = new Findings(d.invariants);
    const expectations: Expectations = new Map();
    const setup = new MainSetupContext(rt, findings, expectations);
    prepareShared(rt, seed, d.config.ops, setup);
    initSched(m, L, {
      strategy: STRATEGIES[m[b + BA_STRATEGY]!]!,
      seed,
      depth: m[b + BA_DEPTH]!,
      expectedSteps: m[b + BA_EXPECTED]!,
      maxSteps: MAX_STEPS,
      switches: [],
      stopAtViolation: true,
      tickEvery: m[b + BA_TICK_EVERY]!,
      spin: m[b + BA_SPIN] === 1,
    });
    return { findings, expectations, setup };
  }

  /** As Engine.run and explore check a run: the race's check and the audit (kept for the outcome). False: hand it back. */
  private check(s: RunSetup): boolean {
    const { L, design: d, rt } = this;
    const m = rt.m;
    const sc = L.sched;
    const outcome = OUTCOMES[m[sc + SC_OUTCOME]!] ?? 'unknown';
    if (outcome === 'crash') return false;
    if (!CUT_SHORT.has(outcome)) {
      rt.log.op = -1;
      if (d.race?.check) rt.call('race', 'check', () => d.race!.check!(s.setup));
      audit(m, rt.f, L, rt.mem, d, s.findings, s.expectations, this.devices, rt.call);
    }
    this.found = s.findings.counts;
    this.schedOutcome = outcome;
    return true;
  }

  /** The run's outcome, once its checks and its detectors (run by the keying agent) are done. False: forbidden, hand it back. */
  private outcome(r: number, steps: number): boolean {
    const { L, design: d, rt } = this;
    const m = rt.m;
    const at = batchRecordAt(L, r);
    const bits = m[at + BR_DETECTED]!;
    const detected = { dataRace: (bits & DETECTED_DATA_RACE) !== 0, lockOrder: (bits & DETECTED_LOCK_ORDER) !== 0 };
    const name = outcomeOfRun(d.invariants, rt.f, L, this.found, { outcome: this.schedOutcome, steps, progressStep: progressStepOf(m, L) }, detected);
    if (d.race === null || classOf(d.race, name) === 'forbidden') return false;
    m[at + BR_OUTCOME] = OUTCOME_DEFS.findIndex((o) => o.name === name);
    m[at + BR_STEPS] = steps;
    return true;
  }
}

/** Wait until `m[at]` reaches `n`: spin, then sleep with `flag` up (the agent that makes the count notifies if it sees it up). */
function waitCount(m: Int32Array, at: number, n: number, spins: number, flag: number): void {
  let v = Atomics.load(m, at);
  for (let i = 0; v < n && i < spins; i++) v = Atomics.load(m, at);
  while (v < n) {
    // Up before the last look: a count made after it sees the flag.
    Atomics.store(m, flag, 1);
    v = Atomics.load(m, at);
    if (v < n) Atomics.wait(m, at, v);
    Atomics.store(m, flag, 0);
    v = Atomics.load(m, at);
  }
}
