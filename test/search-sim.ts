/**
 * A model of the controlled scheduler for the search's own tests: agents
 * run small programs of accesses on a few words, chosen as the decider
 * chooses (the default rule, replayed switch points, blocking spins, dpor's
 * sleep sets), and each run comes back as an Execution, as one read from
 * shared memory does. Thousands of runs a second, no threads: enough to
 * compare dpor with dfs on many random programs.
 */
import { A_CAS, A_NONE, A_READ, A_RMW, A_SPIN, A_WRITE, writes } from '../src/sched/access.js';
import { type AccessOf, dependent } from '../src/sched/dependence.js';
import type { Execution } from '../src/search/execution.js';
import { type Prefix, SearchTree } from '../src/search/tree.js';

export type Op =
  | { op: 'load'; addr: number }
  | { op: 'store'; addr: number; value: number }
  | { op: 'add'; addr: number; value: number }
  | { op: 'cas'; addr: number; expect: number; value: number }
  /** while (load(addr) !== value) spin(): the spin waits for the word to change. */
  | { op: 'await'; addr: number; value: number }
  /** mem.bulk: `value` written to the `len` words from `addr` (a table zeroed, an IOTLB invalidated). */
  | { op: 'fill'; addr: number; len: number; value: number };

export type Program = Op[][];

interface Agent {
  pc: number;
  /** In an await: 0 about to load, 1 spinning. */
  phase: number;
  seen: number;
  regs: number[];
  spinning: boolean;
}

function pendingOf(p: Program, a: number, g: Agent): AccessOf {
  const op = p[a]![g.pc];
  if (!op) return { kind: A_NONE, addr: 0, len: 0, set: null };
  if (op.op === 'await' && g.phase === 1) return { kind: A_SPIN, addr: op.addr, len: 1, set: Int32Array.of(op.addr) };
  if (op.op === 'fill') return { kind: A_WRITE, addr: op.addr, len: op.len, set: null };
  const kind = op.op === 'load' || op.op === 'await' ? A_READ : op.op === 'store' ? A_WRITE : op.op === 'cas' ? A_CAS : A_RMW;
  return { kind, addr: op.addr, len: 1, set: null };
}

/** As the decider sees a sleeper's next step: a cas is what it would do now. */
function effectiveOf(p: Program, a: number, g: Agent, m: Int32Array): AccessOf {
  const acc = pendingOf(p, a, g);
  const op = p[a]![g.pc];
  if (op?.op === 'cas') return { ...acc, kind: m[op.addr] === op.expect ? A_RMW : A_READ };
  return acc;
}

export interface SimRun {
  x: Execution;
  outcome: string;
  deadlock: boolean;
  sleepBlocked: boolean;
}

/** One run: the prefix's switch points replayed, then the default choice (sleep-aware from `sleep.from`). */
export function simulate(p: Program, words: number, switches: [number, number][], sleep: Prefix['sleep']): SimRun {
  const A = p.length;
  const m = new Int32Array(words);
  const ag: Agent[] = p.map(() => ({ pc: 0, phase: 0, seen: 0, regs: [], spinning: false }));
  const steps: { agent: number; acc: AccessOf; declared: number; enabled: number; sleep: number }[] = [];
  let last = -1;
  let sl = 0;
  let sw = 0;
  let deadlock = false;
  let sleepBlocked = false;
  for (let step = 0; step < 10_000; step++) {
    let enabled = 0;
    let live = 0;
    for (let a = 0; a < A; a++) {
      const g = ag[a]!;
      if (g.pc >= p[a]!.length) continue;
      live++;
      if (g.spinning && m[(p[a]![g.pc] as { addr: number }).addr] !== g.seen) g.spinning = false;
      if (!g.spinning) enabled |= 1 << a;
    }
    if (live === 0) break;
    if (enabled === 0) {
      deadlock = true;
      break;
    }
    // The last step, done, wakes the sleepers it depends on (as the decider does: what it did, not what it announced).
    if (sleep && step === sleep.from) sl = sleep.mask;
    const prev = steps[steps.length - 1];
    if (prev) for (let b = 0; b < A; b++) if ((sl & (1 << b)) !== 0 && dependent(prev.acc, effectiveOf(p, b, ag[b]!, m))) sl &= ~(1 << b);
    const plain = SearchTree.defaultAt(enabled, last);
    let best = plain;
    if (sl !== 0 && (sl & (1 << plain)) !== 0) {
      const awake = enabled & ~sl;
      if (awake === 0) {
        sleepBlocked = true;
        break;
      }
      best = 31 - Math.clz32(awake & -awake);
    }
    if (sw < switches.length && switches[sw]![0] === step) best = switches[sw++]![1];
    if ((enabled & (1 << best)) === 0) throw new Error(`switch to a disabled agent at ${step}`);
    const acc = pendingOf(p, best, ag[best]!);
    steps.push({ agent: best, acc, declared: acc.kind, enabled, sleep: sl });
    // Take the step.
    const g = ag[best]!;
    const op = p[best]![g.pc]!;
    if (op.op === 'load') {
      g.regs.push(m[op.addr]!);
      g.pc++;
    } else if (op.op === 'store') {
      m[op.addr] = op.value;
      g.pc++;
    } else if (op.op === 'fill') {
      m.fill(op.value, op.addr, op.addr + op.len);
      g.pc++;
    } else if (op.op === 'add') {
      g.regs.push(m[op.addr]!);
      m[op.addr] = m[op.addr]! + op.value;
      g.pc++;
    } else if (op.op === 'cas') {
      const old = m[op.addr]!;
      g.regs.push(old);
      if (old === op.expect) m[op.addr] = op.value;
      steps[steps.length - 1]!.acc = { kind: old === op.expect ? A_RMW : A_READ, addr: op.addr, len: 1, set: null };
      g.pc++;
    } else if (g.phase === 0) {
      const v = m[op.addr]!;
      if (v === op.value) g.pc++;
      else {
        g.phase = 1;
        g.seen = v;
        g.spinning = true;
      }
    } else {
      g.phase = 0; // passed the spin: load again
    }
    last = best;
  }
  const n = steps.length;
  const x: Execution = {
    n,
    agents: A,
    agent: Int32Array.from(steps, (s) => s.agent),
    access: Int32Array.from(steps, (s) => s.acc.kind),
    declared: Int32Array.from(steps, (s) => s.declared),
    addr: Int32Array.from(steps, (s) => s.acc.addr),
    len: Int32Array.from(steps, (s) => s.acc.len),
    enabled: Int32Array.from(steps, (s) => s.enabled),
    sleep: Int32Array.from(steps, (s) => s.sleep),
    rfn: new Int32Array(n),
    rf: new Int32Array(n),
    order: new Int32Array(n),
    weak: false,
    spinSets: new Map(steps.flatMap((s, i) => (s.acc.kind === A_SPIN ? [[i, s.acc.set] as [number, Int32Array | null]] : []))),
    pending: ag.map((g, a) => (g.pc >= p[a]!.length ? { kind: A_NONE, addr: 0, len: 0, set: null } : pendingOf(p, a, g))),
    done: ag.map((g, a) => g.pc >= p[a]!.length),
  };
  const outcome = deadlock ? 'deadlock' : `${[...m].join(',')}|${ag.map((g) => g.regs.join('.')).join('/')}`;
  return { x, outcome, deadlock, sleepBlocked };
}

export interface SimSearch {
  outcomes: Set<string>;
  traces: Set<string>;
  runs: number;
  complete: number;
  exhausted: boolean;
}

/** A whole search of a program by dfs or dpor, within `bound` preemptions (null: none). */
export function search(p: Program, words: number, kind: 'dfs' | 'dpor', bound: number | null, key: (x: Execution) => string, budget = 200_000): SimSearch {
  const tree = new SearchTree(kind, bound);
  const outcomes = new Set<string>();
  const traces = new Set<string>();
  let complete = 0;
  for (let i = 0; i < budget; i++) {
    const prefix = tree.next();
    if (!prefix) return { outcomes, traces, runs: tree.runs, complete, exhausted: true };
    const r = simulate(p, words, tree.switchesOf(prefix), prefix.sleep);
    tree.record(r.x, true);
    if (r.sleepBlocked) continue;
    complete++;
    outcomes.add(r.outcome);
    traces.add(key(r.x));
  }
  return { outcomes, traces, runs: tree.runs, complete, exhausted: false };
}

/** A random small program: `agents` agents of up to `ops` accesses on `words` words. */
export function randomProgram(rng: () => number, agents: number, ops: number, words: number): Program {
  const pick = (n: number): number => Math.floor(rng() * n);
  return Array.from({ length: agents }, () =>
    Array.from({ length: 1 + pick(ops) }, (): Op => {
      const addr = pick(words);
      const r = rng();
      if (r < 0.35) return { op: 'load', addr };
      if (r < 0.7) return { op: 'store', addr, value: 1 + pick(2) };
      if (r < 0.85) return { op: 'add', addr, value: 1 };
      if (r < 0.9) return { op: 'cas', addr, expect: pick(2), value: 2 };
      if (r < 0.95 && words > 1) return { op: 'fill', addr: 0, len: 1 + pick(words), value: 3 };
      return { op: 'await', addr, value: pick(2) };
    }),
  );
}

export { writes };
