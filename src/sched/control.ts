/**
 * The controlled scheduler, main-thread side: set up the scheduler block of
 * a run before the agents start, and read what the run did after it ended.
 */
import {
  type Layout,
  MAX_PCT_DEPTH,
  SC_CHANGES,
  SC_CHOICES,
  SC_DEPTH,
  SC_HASH,
  SC_LAST,
  SC_MAX_STEPS,
  SC_MODE,
  SC_OUTCOME,
  SC_RF_N,
  SC_RNG,
  SC_RUNNING,
  SC_SLEEP_FROM,
  SC_SLEEP_INIT,
  SC_SPIN,
  SC_STEP,
  SC_STOP_AT_VIOLATION,
  SC_STRATEGY,
  SC_TICK_EVERY,
  SC_VIOLATION_STEP,
  SK_DEFAULT,
  SK_FORCED,
  SK_PREEMPT,
  ST_ACCESS,
  ST_AGENT,
  ST_ARG,
  ST_KIND,
  ST_POINT,
  ST_RF,
  ST_RFN,
  ST_RF_FROM,
  ST_VALUE,
  RFP_WORDS,
  SW_PRIO,
  SW_PROGRESS,
  SW_SPIN_N,
  SW_SPIN_SET,
  SW_STATE,
  SW_WAIT_ADDR,
  SWP_WORDS,
  schedAgentAt,
  schedStepAt,
} from '../memory/layout.js';
import { seedState, xorshift32 } from '../util/prng.js';
import { modelFull, resetModel } from '../memory/model.js';
import { FNV_SEED, OUTCOMES, SS_SLEEP, SS_SPIN, STRATEGIES, type Strategy } from './scheduler.js';

/** A step at which a controlled run chose another agent than the default (the last one again, else the lowest). */
export type SwitchPoint = [step: number, agent: number];
/** Under tso or weak, a step whose load took another store than the newest: the choice (1: the one before the newest it could take, ...). */
export type ReadChoice = [step: number, choice: number];

/** A controlled run: who passes each schedule point is decided by `strategy`. */
export interface SchedSpec {
  strategy: Strategy;
  seed: number;
  /** PCT: bug depth d (d-1 priority change points). */
  depth: number;
  /** PCT: the run length the change points are drawn from. */
  expectedSteps: number;
  maxSteps: number;
  /** Replay: the switch points; every other step takes the default choice. */
  switches: readonly SwitchPoint[];
  stopAtViolation: boolean;
  /** Steps between flush-queue timer ticks (0: never). */
  tickEvery: number;
  /** Hand control over by spinning (agents do not outnumber cores), else by sleeping. */
  spin: boolean;
  /** dpor: from step `from`, the agents of `mask` are asleep (search/dpor.ts). */
  sleep?: { from: number; mask: number };
  /** Replay under tso or weak: the read choices (every other load takes the newest store it can). */
  reads?: readonly ReadChoice[];
}

/** Set up the scheduler block of a controlled run (main thread, before the agents start; the block is zero). */
export function initSched(m: Int32Array, L: Layout, spec: SchedSpec): void {
  const sc = L.sched;
  m[sc + SC_MODE] = 1;
  m[sc + SC_RUNNING] = L.agents;
  m[sc + SC_MAX_STEPS] = Math.min(spec.maxSteps, L.schedSteps);
  m[sc + SC_STRATEGY] = STRATEGIES.indexOf(spec.strategy);
  let rng = seedState(spec.seed, 0x5ced);
  m[sc + SC_RNG] = rng;
  m[sc + SC_HASH] = FNV_SEED;
  m[sc + SC_STOP_AT_VIOLATION] = spec.stopAtViolation ? 1 : 0;
  m[sc + SC_TICK_EVERY] = spec.tickEvery;
  m[sc + SC_SPIN] = spec.spin ? 1 : 0;
  const depth = Math.min(Math.max(spec.depth, 1), MAX_PCT_DEPTH);
  m[sc + SC_DEPTH] = depth;
  const draw = (n: number): number => {
    rng = xorshift32(rng);
    return (rng >>> 0) % n;
  };
  // PCT: a random permutation of priorities depth .. depth+n-1, and d-1 change points in [1, k].
  const prios = Array.from({ length: L.agents }, (_, i) => depth + i);
  for (let i = prios.length - 1; i > 0; i--) {
    const j = draw(i + 1);
    [prios[i], prios[j]] = [prios[j]!, prios[i]!];
  }
  prios.forEach((p, v) => (m[schedAgentAt(L, v) + SW_PRIO] = p));
  for (let i = 0; i < depth - 1; i++) m[sc + SC_CHANGES + i] = 1 + draw(Math.max(1, spec.expectedSteps));
  m[sc + SC_LAST] = -1;
  m[sc + SC_SLEEP_FROM] = spec.sleep ? spec.sleep.from : -1;
  m[sc + SC_SLEEP_INIT] = spec.sleep ? spec.sleep.mask : 0;
  const n = Math.min(spec.switches.length, L.schedSteps);
  m[sc + SC_CHOICES] = n;
  for (let i = 0; i < n; i++) {
    const [step, agent] = spec.switches[i]!;
    m[L.schedSwitches + i * SWP_WORDS] = step;
    m[L.schedSwitches + i * SWP_WORDS + 1] = agent;
  }
  if (L.mm !== 0) {
    const reads = spec.reads ?? [];
    const k = Math.min(reads.length, L.schedSteps);
    m[sc + SC_RF_N] = k;
    for (let i = 0; i < k; i++) {
      m[L.schedReads + i * RFP_WORDS] = reads[i]![0];
      m[L.schedReads + i * RFP_WORDS + 1] = reads[i]![1];
    }
    resetModel(m, L);
  }
}

/** An agent that could not go on when the run ended: asleep on a futex word, or spinning on the words it read. */
export interface Blocked {
  agent: number;
  how: 'sleep' | 'spin';
  /** The futex word, or the spinner's wait set: each word and the value it saw there. */
  words: { addr: number; value: number }[];
  /** A spinner whose wait set overflowed: it waits for any write. */
  anyWrite: boolean;
}

/** What a controlled run did: its outcome, its steps, and their hash. */
export interface SchedOutcome {
  strategy: Strategy;
  seed: number;
  outcome: string;
  steps: number;
  /** FNV-1a of every step's (agent, point, arg): equal hashes, equal interleavings. */
  hash: string;
  /** The schedule, as the steps that departed from the default choice. */
  switches: SwitchPoint[];
  /** Under tso or weak, the loads that took another store than the newest. */
  reads: ReadChoice[];
  /** Under tso or weak, the run filled the memory model's room (its words or views) and ended inconclusive. */
  modelFull: boolean;
  /** Of those, the ones that preempted an agent that could have gone on. */
  preemptions: number;
  /** Step of the first violation, -1 if none. */
  violationStep: number;
  /** The last step at which an agent completed an operation or an event, or finished (livelock: long ago). */
  progressStep: number;
  /** The agents that were waiting when the run ended (every unfinished one, in a deadlock). */
  blocked: Blocked[];
}

/** Who was waiting, and on what, when the run ended. */
function readBlocked(m: Int32Array, L: Layout): Blocked[] {
  const out: Blocked[] = [];
  for (let a = 0; a < L.agents; a++) {
    const w = schedAgentAt(L, a);
    const st = m[w + SW_STATE]!;
    if (st === SS_SLEEP) {
      const addr = m[w + SW_WAIT_ADDR]!;
      out.push({ agent: a, how: 'sleep', words: [{ addr, value: m[addr]! }], anyWrite: false });
    } else if (st === SS_SPIN) {
      const n = m[w + SW_SPIN_N]!;
      const words = [];
      for (let i = 0; i < n; i++) words.push({ addr: m[w + SW_SPIN_SET + 2 * i]!, value: m[w + SW_SPIN_SET + 2 * i + 1]! });
      out.push({ agent: a, how: 'spin', words, anyWrite: n < 0 });
    }
  }
  return out;
}

/** The last step at which an agent completed an operation or an event, or finished (a livelock's is long ago). */
export function progressStepOf(m: Int32Array, L: Layout): number {
  let progressStep = 0;
  for (let a = 0; a < L.agents; a++) progressStep = Math.max(progressStep, m[schedAgentAt(L, a) + SW_PROGRESS]!);
  return progressStep;
}

/** The run's outcome and schedule, without naming its steps (cheap: explore reads this for every schedule). */
export function readSched(m: Int32Array, L: Layout, strategy: Strategy, seed: number): SchedOutcome {
  const sc = L.sched;
  const steps = m[sc + SC_STEP]!;
  const switches: SwitchPoint[] = [];
  const reads: ReadChoice[] = [];
  let preemptions = 0;
  for (let s = 0; s < steps; s++) {
    const at = schedStepAt(L, s);
    const kind = m[at + ST_KIND]!;
    if (kind !== SK_DEFAULT) switches.push([s, m[at + ST_AGENT]!]);
    if (kind === SK_PREEMPT) preemptions++;
    if (m[at + ST_RF] !== 0) reads.push([s, m[at + ST_RF]!]);
  }
  const progressStep = progressStepOf(m, L);
  const outcome = OUTCOMES[m[sc + SC_OUTCOME]!] ?? 'unknown';
  return {
    strategy,
    seed,
    outcome,
    steps,
    hash: (m[sc + SC_HASH]! >>> 0).toString(16).padStart(8, '0'),
    switches,
    reads,
    modelFull: modelFull(m, L),
    preemptions,
    violationStep: m[sc + SC_VIOLATION_STEP]! - 1,
    progressStep,
    blocked: outcome === 'running' || outcome === 'done' ? [] : readBlocked(m, L),
  };
}

/** One step of a controlled run, raw: agent, point (a label hash), argument, its access and value, and how it was chosen. */
export interface RawStep {
  step: number;
  agent: number;
  point: number;
  arg: number;
  /** The access it made (sched/access.ts). */
  access: number;
  /** The value it read, or a store wrote. */
  value: number;
  preempted: boolean;
  forced: boolean;
  /** Under tso or weak: the stores its load could take (0, 1: no choice), which it took (0: the newest), and the step that stored it (-1: the run's starting value). */
  rfn: number;
  rf: number;
  rfFrom: number;
}

/** Steps `from` .. `to` - 1 of the run. */
export function readSteps(m: Int32Array, L: Layout, from: number, to: number): RawStep[] {
  const out: RawStep[] = [];
  for (let s = Math.max(0, from); s < to; s++) {
    const at = schedStepAt(L, s);
    out.push({
      step: s,
      agent: m[at + ST_AGENT]!,
      point: m[at + ST_POINT]!,
      arg: m[at + ST_ARG]!,
      access: m[at + ST_ACCESS]!,
      value: m[at + ST_VALUE]!,
      preempted: m[at + ST_KIND] === SK_PREEMPT,
      forced: m[at + ST_KIND] === SK_FORCED,
      rfn: m[at + ST_RFN]!,
      rf: m[at + ST_RF]!,
      rfFrom: m[at + ST_RF_FROM]!,
    });
  }
  return out;
}
