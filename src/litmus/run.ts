/**
 * The exhaustive explorer: every execution of a litmus test under a memory
 * model, in-process, and herd7's verdict on them.
 *
 * Depth first over the choices: which process takes its next access, and
 * which internal step the model takes (a TSO buffer draining). States are
 * merged by a key (every process's program counter, registers and reads,
 * the model's state), so each is expanded once however many interleavings
 * reach it. A state with every process finished and the model settled is
 * final; one where no step is possible before that is a deadlock (counted,
 * not a final state: herd has no such execution either).
 *
 * An execution is counted as herd counts them, by what its reads read from
 * and each location's coherence order; `positive` is the number of
 * executions whose final state satisfies the condition's proposition,
 * `negative` the rest (both after the filter). The verdict is herd's
 * Observation: Never when none satisfies it, Always when all do, else
 * Sometimes, whatever the quantifier: for `~exists p` and `forall p` it
 * too is about p, which is what the kernel's "Result:" lines state.
 */
import type { LitmusTest, LocRef, Observation, Prop, Quantifier } from './ast.js';
import { type AccessTemplate, type Program, applyAtomic, compile, evalPure, type Instr, resultOf, type ThreadCode } from './compile.js';
import type { Access, Deps, EventId, MemoryModel } from './model.js';
import { sameLoc } from './parse.js';

/** More distinct states than this and the test is too big to explore here: it stops with an error rather than run on. */
export const MAX_STATES = 2_000_000;

/** The flag line formatResult prints when some runs deadlocked. */
export const DEADLOCK_FLAG = 'Flag deadlock';

/** herd's name for each quantifier's test kind (`Test SB Allowed`). */
export const KIND_OF: Record<Quantifier, 'Allowed' | 'Forbidden' | 'Required'> = {
  exists: 'Allowed',
  'not-exists': 'Forbidden',
  forall: 'Required',
};

/** The compact result of one test under one model. */
export interface LitmusResult {
  readonly name: string;
  readonly model: string;
  readonly kind: 'Allowed' | 'Forbidden' | 'Required';
  readonly result: Observation;
  /** The distinct final states, restricted to the shown locations, as herd prints them (`0:r0=0; [x]=1;`), in herd's order. */
  readonly states: readonly string[];
  /** Executions whose final state satisfies the proposition, and those whose state does not. */
  readonly positive: number;
  readonly negative: number;
  /** herd's Ok/No: exists: some execution satisfies it; ~exists: none does; forall: all do. */
  readonly ok: boolean;
  /** The condition as herd prints it: `exists (0:r0=0 /\ 1:r0=0)`. */
  readonly condition: string;
  /** The result the test's comment states (herd's under LKMM, for the kernel's tests). */
  readonly expected?: Observation;
  /** Distinct states the explorer expanded, and states where every process still running was blocked. */
  readonly explored: number;
  readonly deadlocks: number;
}

export interface RunOptions {
  readonly maxStates?: number;
}

interface ThreadState {
  readonly pc: number;
  readonly regs: readonly number[];
  /** What its reads read from so far, as `pc<eventId;` entries: part of the execution. */
  readonly rf: string;
  /**
   * Per register, the reads its value was computed from; and, per
   * conditional the process is inside, the reads its condition was computed
   * from. Left out of the state key: both follow from the path taken, which
   * the reads-from entries and the pc fix (jumps only go forward, so each
   * instruction runs at most once).
   */
  readonly taint: readonly (readonly EventId[])[];
  readonly ctrl: readonly (readonly EventId[])[];
  /** The stores it ran ahead of their turn (their pcs, ascending; only under a model that `reordersWrites`): skipped when reached. */
  readonly early: readonly number[];
}

const NO_EVENTS: readonly EventId[] = [];

/** The reads the registers `slots` were computed from, together. */
function taintOf(taint: readonly (readonly EventId[])[], slots: readonly number[], extra: readonly EventId[] = NO_EVENTS): readonly EventId[] {
  if (slots.length === 0) return extra;
  const out = new Set(extra);
  for (const s of slots) for (const e of taint[s]!) out.add(e);
  return out.size === 0 ? NO_EVENTS : [...out].sort();
}

interface Node<S> {
  readonly threads: readonly ThreadState[];
  readonly model: S;
}

/** `list` with element i replaced. */
function replaced<T>(list: readonly T[], i: number, value: T): readonly T[] {
  const out = list.slice();
  out[i] = value;
  return out;
}

/** Run the local instructions from `t.pc` up to the next access (or the end). */
function advance(tc: ThreadCode, t: ThreadState): ThreadState {
  let { pc, regs, taint, ctrl } = t;
  for (;;) {
    const ins: Instr | undefined = tc.code[pc];
    if (ins?.op === 'mem' && t.early.includes(pc)) {
      pc++;
      continue;
    }
    if (!ins || ins.op === 'mem') break;
    if (ins.op === 'set') {
      regs = replaced(regs, ins.slot, evalPure(ins.value, regs));
      taint = replaced(taint, ins.slot, taintOf(taint, ins.reads));
      pc++;
    } else if (ins.op === 'jump') pc = ins.target;
    else if (ins.op === 'branchIfZero') pc = evalPure(ins.cond, regs) === 0 ? ins.target : pc + 1;
    else if (ins.op === 'ctrlPush') {
      ctrl = [...ctrl, taintOf(taint, ins.reads)];
      pc++;
    } else {
      ctrl = ctrl.slice(0, -1);
      pc++;
    }
  }
  return pc === t.pc ? t : { pc, regs, rf: t.rf, taint, ctrl, early: t.early };
}

/**
 * The later stores of a process that may run before the access at its pc:
 * a plain or once store, in the straight-line code ahead (no conditional,
 * jump, fence, acquire, release, lock or fully ordered access before it),
 * to a location no access between touches, with no operand a register that
 * an access or assignment between (the one at pc included) writes: so no
 * dependency on a read not yet run, and the value it stores is final now.
 */
function earlyStores(tc: ThreadCode, t: ThreadState): number[] {
  const out: number[] = [];
  const written = new Set<number>();
  const locs = new Set<number>();
  for (let k = t.pc; k < tc.code.length; k++) {
    const ins = tc.code[k]!;
    if (ins.op === 'set') {
      written.add(ins.slot);
      continue;
    }
    if (ins.op !== 'mem') break;
    const a = ins.access;
    if (a.kind === 'fence') break;
    const done = t.early.includes(k);
    if (k > t.pc && !done && a.kind === 'store' && a.order !== 'release' && !locs.has(a.loc) && ins.reads.every((r) => !written.has(r))) out.push(k);
    const relaxed = (a.kind === 'load' && a.order !== 'acquire') || (a.kind === 'store' && a.order !== 'release') || ((a.kind === 'xchg' || a.kind === 'cmpxchg' || a.kind === 'atomic') && a.order === 'once');
    if (!relaxed) break;
    locs.add(a.loc);
    if (ins.dest >= 0) written.add(ins.dest);
  }
  return out;
}

const eventIdOf = (proc: number, pc: number): EventId => `${proc}:${pc}`;

/** An access template with its operands evaluated in the process's registers. */
function instantiate(a: AccessTemplate, regs: readonly number[], id: EventId, deps: Deps): Access {
  switch (a.kind) {
    case 'load':
      return { kind: 'load', loc: a.loc, order: a.order, id, deps };
    case 'store':
      return { kind: 'store', loc: a.loc, value: evalPure(a.value, regs), order: a.order, id, deps };
    case 'xchg': {
      const v = evalPure(a.value, regs);
      return { kind: 'rmw', loc: a.loc, order: a.order, update: () => v, id, deps };
    }
    case 'cmpxchg': {
      const expected = evalPure(a.expected, regs);
      const desired = evalPure(a.desired, regs);
      return { kind: 'rmw', loc: a.loc, order: a.order, update: (old) => (old === expected ? desired : null), id, deps };
    }
    case 'atomic': {
      const operand = evalPure(a.operand, regs);
      return { kind: 'rmw', loc: a.loc, order: a.order, update: (old) => applyAtomic(a.op, old, operand), id, deps };
    }
    case 'fence':
      return { kind: 'fence', fence: a.fence, id, deps };
    case 'lock':
    case 'unlock':
    case 'trylock':
    case 'islocked':
      return { kind: a.kind, loc: a.loc, id, deps };
  }
}

/** One final state reached: the values of every register and location, and the execution that reached it. */
interface Final {
  readonly registers: readonly (readonly number[])[];
  readonly memory: readonly number[];
  readonly execution: string;
}

function nodeKey<S>(model: MemoryModel<S>, n: Node<S>): string {
  let k = '';
  for (const t of n.threads) k += `${t.pc}:${t.regs.join(',')}:${t.rf}${t.early.length > 0 ? `:${t.early.join(',')}` : ''}/`;
  return `${k}#${model.key(n.model)}`;
}

/** Every final state of `prog` under `model`, one per execution. */
export function explore<S>(prog: Program, model: MemoryModel<S>, options: RunOptions = {}): { finals: Final[]; explored: number; deadlocks: number } {
  const maxStates = options.maxStates ?? MAX_STATES;
  const start: Node<S> = {
    threads: prog.threads.map((tc) => advance(tc, { pc: 0, regs: tc.initialRegisters, rf: '', taint: tc.slots.map(() => NO_EVENTS), ctrl: [], early: [] })),
    model: model.initial(prog.initialMemory, prog.threads.length),
  };
  const seen = new Set<string>([nodeKey(model, start)]);
  const stack: Node<S>[] = [start];
  const finals = new Map<string, Final>();
  let deadlocks = 0;
  const push = (n: Node<S>): void => {
    const k = nodeKey(model, n);
    if (seen.has(k)) return;
    if (seen.size >= maxStates) throw new Error(`litmus: more than ${maxStates} states under ${model.name}: too big to explore exhaustively`);
    seen.add(k);
    stack.push(n);
  };
  for (let node = stack.pop(); node; node = stack.pop()) {
    let moved = false;
    let running = false;
    node.threads.forEach((t, proc) => {
      const tc = prog.threads[proc]!;
      const ins = tc.code[t.pc];
      if (!ins) return;
      running = true;
      if (ins.op !== 'mem') throw new Error('internal: a process stopped at a local instruction');
      const id = eventIdOf(proc, t.pc);
      const data = taintOf(t.taint, ins.reads);
      const ctrl = t.ctrl.length === 0 ? NO_EVENTS : t.ctrl.length === 1 ? t.ctrl[0]! : [...new Set(t.ctrl.flat())].sort();
      const access = instantiate(ins.access, t.regs, id, { data, ctrl });
      for (const o of model.step(node.model, proc, access)) {
        moved = true;
        let { regs, taint } = t;
        if (ins.dest >= 0) {
          if (!o.read) throw new Error(`internal: ${model.name} gave no value for a ${access.kind}`);
          regs = replaced(regs, ins.dest, resultOf(ins.access, o.read.value, t.regs));
          taint = replaced(taint, ins.dest, ins.resultReadsOperands ? taintOf(t.taint, ins.reads, [id]) : [id]);
        }
        const rf = o.read ? `${t.rf}${t.pc}<${o.read.from};` : t.rf;
        push({ threads: replaced(node.threads, proc, advance(tc, { pc: t.pc + 1, regs, rf, taint, ctrl: t.ctrl, early: t.early })), model: o.state });
      }
      if (!model.reordersWrites) return;
      for (const j of earlyStores(tc, t)) {
        const later = tc.code[j]!;
        if (later.op !== 'mem') continue;
        const store = instantiate(later.access, t.regs, eventIdOf(proc, j), { data: taintOf(t.taint, later.reads), ctrl });
        const early = [...t.early, j].sort((x, y) => x - y);
        for (const o of model.step(node.model, proc, store)) {
          moved = true;
          push({ threads: replaced(node.threads, proc, { ...t, early }), model: o.state });
        }
      }
    });
    for (const m of model.internal(node.model)) {
      moved = true;
      push({ threads: node.threads, model: m });
    }
    if (moved) continue;
    if (running || !model.settled(node.model)) {
      deadlocks++;
      continue;
    }
    const co = model.coherence(node.model);
    const execution = `${node.threads.map((t) => t.rf).join('/')}#${co.map((c) => c.join(' ')).join('/')}`;
    finals.set(execution, { registers: node.threads.map((t) => t.regs), memory: model.memory(node.model), execution });
  }
  return { finals: [...finals.values()], explored: seen.size, deadlocks };
}

/** herd's order of shown locations: registers (by process, then name) before shared locations (by name). */
export function compareLocRefs(a: LocRef, b: LocRef): number {
  if (a.kind === 'register' && b.kind === 'register') return a.proc - b.proc || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (a.kind === 'global' && b.kind === 'global') return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return a.kind === 'register' ? -1 : 1;
}

function propLocs(p: Prop, out: LocRef[]): LocRef[] {
  switch (p.kind) {
    case 'atom':
      if (!out.some((l) => sameLoc(l, p.loc))) out.push(p.loc);
      return out;
    case 'true':
    case 'false':
      return out;
    case 'not':
      return propLocs(p.prop, out);
    default:
      propLocs(p.left, out);
      return propLocs(p.right, out);
  }
}

/** The locations herd shows in each final state: those of `locations [...]` and of the condition. */
export function shownLocations(test: LitmusTest): LocRef[] {
  return propLocs(test.condition.prop, [...test.locations]).sort(compareLocRefs);
}

/** A location as herd 7.5x prints it: `0:r0`, `[x]`. */
export const formatLocRef = (l: LocRef): string => (l.kind === 'register' ? `${l.proc}:${l.name}` : `[${l.name}]`);

type Operator = 'top' | 'and' | 'or' | 'implies';

/** Whether herd parenthesises a `here` inside an `above` (its ConstrGen.is_paren). */
function needsParens(above: Operator, here: Operator): boolean {
  if (above === 'top') return false;
  if (above === 'implies') return here !== 'implies';
  if (above === 'and') return here !== 'and';
  return here === 'implies';
}

/** A proposition as herd prints it: `/\`, `\/`, `=>`, `not (...)`, `true`, `false`. */
export function formatProp(p: Prop, above: Operator = 'top'): string {
  const wrap = (here: Operator, s: string): string => (needsParens(above, here) ? `(${s})` : s);
  switch (p.kind) {
    case 'atom':
      return `${formatLocRef(p.loc)}=${p.value}`;
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'not':
      return `not (${formatProp(p.prop)})`;
    case 'and':
      return wrap('and', `${formatProp(p.left, 'and')} /\\ ${formatProp(p.right, 'and')}`);
    case 'or':
      return wrap('or', `${formatProp(p.left, 'or')} \\/ ${formatProp(p.right, 'or')}`);
    case 'implies':
      return wrap('implies', `${formatProp(p.left, 'implies')} => ${formatProp(p.right, 'implies')}`);
  }
}

const QUANTIFIER_TEXT: Record<Quantifier, string> = { exists: 'exists', 'not-exists': '~exists', forall: 'forall' };

export const formatCondition = (test: LitmusTest): string => `${QUANTIFIER_TEXT[test.condition.quantifier]} (${formatProp(test.condition.prop)})`;

/** Evaluate a proposition on a final state. */
function holds(p: Prop, value: (l: LocRef) => number): boolean {
  switch (p.kind) {
    case 'atom':
      return value(p.loc) === p.value;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !holds(p.prop, value);
    case 'and':
      return holds(p.left, value) && holds(p.right, value);
    case 'or':
      return holds(p.left, value) || holds(p.right, value);
    case 'implies':
      return !holds(p.left, value) || holds(p.right, value);
  }
}

/** herd's Observation from the counts: Never when nothing satisfies the proposition, Always when nothing fails it. */
export const observationOf = (positive: number, negative: number): Observation => (positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes');

/** Run `test` under `model`: every execution, and herd's verdict. */
export function runLitmus<S>(test: LitmusTest, model: MemoryModel<S>, options: RunOptions = {}): LitmusResult {
  const prog = compile(test);
  const { finals, explored, deadlocks } = explore(prog, model, options);
  const shown = shownLocations(test);
  const slot = (l: LocRef & { kind: 'register' }): number => prog.threads[l.proc]!.slots.indexOf(l.name);
  const states = new Map<string, readonly number[]>();
  let positive = 0;
  let negative = 0;
  for (const f of finals) {
    const value = (l: LocRef): number => (l.kind === 'register' ? f.registers[l.proc]![slot(l)]! : f.memory[prog.locationIndex.get(l.name)!]!);
    if (test.filter && !holds(test.filter, value)) continue;
    if (holds(test.condition.prop, value)) positive++;
    else negative++;
    const values = shown.map(value);
    states.set(values.join(','), values);
  }
  const sorted = [...states.values()].sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  const q = test.condition.quantifier;
  return {
    name: test.name,
    model: model.name,
    kind: KIND_OF[q],
    result: observationOf(positive, negative),
    states: sorted.map((values) => values.map((v, i) => `${formatLocRef(shown[i]!)}=${v};`).join(' ')),
    positive,
    negative,
    ok: q === 'exists' ? positive > 0 : q === 'not-exists' ? positive === 0 : negative === 0,
    condition: formatCondition(test),
    ...(test.expected && { expected: test.expected }),
    explored,
    deadlocks,
  };
}

/**
 * The result as herd7 prints it, less its Time and Hash lines (the one
 * varies, the other is a digest of herd's own normalised test text). For
 * ~exists the Witnesses line swaps the counts, as herd's does; the
 * Observation line keeps them about the proposition. Runs that deadlocked
 * have no final state, so they are in no count: a `Flag deadlock` line,
 * where herd prints its flags, says there were some, lest a test whose
 * every run deadlocks read as a plain Never.
 */
export function formatResult(r: LitmusResult): string {
  const [wPos, wNeg] = r.kind === 'Forbidden' ? [r.negative, r.positive] : [r.positive, r.negative];
  return [
    `Test ${r.name} ${r.kind}`,
    `States ${r.states.length}`,
    ...r.states,
    r.ok ? 'Ok' : 'No',
    'Witnesses',
    `Positive: ${wPos} Negative: ${wNeg}`,
    ...(r.deadlocks > 0 ? [DEADLOCK_FLAG] : []),
    `Condition ${r.condition}`,
    `Observation ${r.name} ${r.result} ${r.positive} ${r.negative}`,
    '',
  ].join('\n');
}

/**
 * Can a model at least as strong as the one `stated` came from give these
 * counts? Every execution it allows, the weaker allows too; so where the
 * weaker says Never none of its executions may satisfy the proposition,
 * and where the weaker says Always none may fail it. Sometimes allows
 * anything.
 */
export function agreesWithWeaker(stated: Observation, got: Pick<LitmusResult, 'positive' | 'negative'>): boolean {
  if (stated === 'Never') return got.positive === 0;
  if (stated === 'Always') return got.negative === 0;
  return true;
}
