/**
 * A parsed test turned into what the explorer steps through: per process,
 * a flat list of instructions in which every shared-memory access is an
 * instruction of its own (`mem`), and everything else (register
 * arithmetic, branches) is local. Local instructions touch nothing another
 * process can see, so the explorer runs them at once after each access
 * instead of interleaving them: the interleavings that matter are those of
 * the accesses.
 *
 * Expressions are evaluated left to right; an access inside an expression
 * reads into a hidden register (a temporary) first. `&&` and `||` keep C's
 * short circuit when their right side makes an access.
 */
import type { AtomicOp, BinaryOp, Expr, FenceKind, LitmusTest, LoadOrder, Pos, Prop, RmwOrder, Stmt, StoreOrder, UnaryOp } from './ast.js';
import { LOCK_FREE } from './model.js';

/** An expression over registers only. */
export type Pure =
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'reg'; readonly slot: number }
  | { readonly k: 'unary'; readonly op: UnaryOp; readonly a: Pure }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly a: Pure; readonly b: Pure };

/** An access with its operands still expressions; `loc` is an index into Program.locations. */
export type AccessTemplate =
  | { readonly kind: 'load'; readonly loc: number; readonly order: LoadOrder }
  | { readonly kind: 'store'; readonly loc: number; readonly order: StoreOrder; readonly value: Pure }
  | { readonly kind: 'xchg'; readonly loc: number; readonly order: RmwOrder; readonly value: Pure }
  | { readonly kind: 'cmpxchg'; readonly loc: number; readonly order: RmwOrder; readonly expected: Pure; readonly desired: Pure }
  /** atomic_t arithmetic; `returns` none for atomic_inc and kin (relaxed, as LKMM has them). */
  | { readonly kind: 'atomic'; readonly loc: number; readonly order: RmwOrder; readonly op: AtomicOp; readonly operand: Pure; readonly returns: 'new' | 'old' | 'none' }
  | { readonly kind: 'fence'; readonly fence: FenceKind }
  | { readonly kind: 'lock' | 'unlock' | 'trylock' | 'islocked'; readonly loc: number };

/** `reads`: the register slots an instruction's expressions read, for dependency tracking. */
export type Instr =
  | { readonly op: 'set'; readonly slot: number; readonly value: Pure; readonly reads: readonly number[] }
  /** Go to `target` when `cond` is 0. */
  | { readonly op: 'branchIfZero'; readonly cond: Pure; readonly target: number }
  | { readonly op: 'jump'; readonly target: number }
  /**
   * Entering and leaving the arms of a conditional: what is inside depends
   * on the reads the condition (registers `reads`) was computed from. Not
   * beyond the join: LKMM's control dependencies end with the if statement
   * (a compiler may hoist what follows it).
   */
  | { readonly op: 'ctrlPush'; readonly reads: readonly number[] }
  | { readonly op: 'ctrlPop' }
  /**
   * A shared-memory access; its value (if it has one) goes to register
   * `dest` (NO_DEST: dropped). `resultReadsOperands`: the value is computed
   * from the operands too (atomic_add_return), not only read.
   */
  | {
      readonly op: 'mem';
      readonly access: AccessTemplate;
      readonly dest: number;
      readonly reads: readonly number[];
      readonly resultReadsOperands: boolean;
      readonly pos: Pos;
    };

export const NO_DEST = -1;

export interface ThreadCode {
  readonly code: readonly Instr[];
  /** Slot i's register name; the test's registers come first, then temporaries (named `%tN`, which no condition can name). */
  readonly slots: readonly string[];
  readonly initialRegisters: readonly number[];
}

export interface Program {
  /** Every shared location, sorted by name. */
  readonly locations: readonly string[];
  readonly locationIndex: ReadonlyMap<string, number>;
  readonly initialMemory: readonly number[];
  readonly threads: readonly ThreadCode[];
}

/** C int arithmetic: 32-bit two's complement, comparisons and `!` give 0 or 1. */
export function evalPure(e: Pure, regs: readonly number[]): number {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'reg':
      return regs[e.slot]!;
    case 'unary': {
      const a = evalPure(e.a, regs);
      return e.op === '!' ? (a === 0 ? 1 : 0) : e.op === '-' ? -a | 0 : ~a;
    }
    case 'binary': {
      const a = evalPure(e.a, regs);
      // && and || reach here only with a pure right side: evaluating it eagerly has no effect.
      const b = evalPure(e.b, regs);
      return binary(e.op, a, b);
    }
  }
}

export function binary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

export const applyAtomic = (op: AtomicOp, old: number, operand: number): number => (op === '+' ? (old + operand) | 0 : (old - operand) | 0);

/** The value an access gives its destination register, from what it read. */
export function resultOf(a: AccessTemplate, read: number, regs: readonly number[]): number {
  switch (a.kind) {
    case 'atomic':
      return a.returns === 'new' ? applyAtomic(a.op, read, evalPure(a.operand, regs)) : read;
    case 'trylock':
      return read === LOCK_FREE ? 1 : 0;
    case 'islocked':
      return read === LOCK_FREE ? 0 : 1;
    default:
      return read;
  }
}

const TEMP_PREFIX = '%t';

/** The register slots a pure expression reads. */
export function slotsOf(e: Pure, out: number[] = []): number[] {
  switch (e.k) {
    case 'const':
      return out;
    case 'reg':
      if (!out.includes(e.slot)) out.push(e.slot);
      return out;
    case 'unary':
      return slotsOf(e.a, out);
    case 'binary':
      slotsOf(e.a, out);
      return slotsOf(e.b, out);
  }
}

/** The pure operands of an access. */
function operandsOf(a: AccessTemplate): Pure[] {
  switch (a.kind) {
    case 'store':
    case 'xchg':
      return [a.value];
    case 'cmpxchg':
      return [a.expected, a.desired];
    case 'atomic':
      return [a.operand];
    default:
      return [];
  }
}

function hasAccess(e: Expr): boolean {
  switch (e.kind) {
    case 'const':
    case 'reg':
      return false;
    case 'unary':
      return hasAccess(e.operand);
    case 'binary':
      return hasAccess(e.left) || hasAccess(e.right);
    default:
      return true;
  }
}

class ThreadCompiler {
  readonly code: Instr[] = [];
  readonly slots: string[];

  constructor(
    registers: readonly string[],
    private readonly loc: (name: string) => number,
  ) {
    this.slots = [...registers];
  }

  slotOf(name: string): number {
    const i = this.slots.indexOf(name);
    if (i < 0) throw new Error(`internal: register ${name} has no slot`);
    return i;
  }

  private temp(): number {
    this.slots.push(`${TEMP_PREFIX}${this.slots.length}`);
    return this.slots.length - 1;
  }

  private mem(access: AccessTemplate, pos: Pos, wanted: boolean): Pure {
    const dest = wanted ? this.temp() : NO_DEST;
    const reads: number[] = [];
    for (const p of operandsOf(access)) slotsOf(p, reads);
    this.code.push({ op: 'mem', access, dest, reads, resultReadsOperands: access.kind === 'atomic' && access.returns === 'new', pos });
    return wanted ? { k: 'reg', slot: dest } : { k: 'const', value: 0 };
  }

  /** Emit the accesses of `e` and return its value as a pure expression; `wanted` false: only its effects matter. */
  expr(e: Expr, wanted = true): Pure {
    switch (e.kind) {
      case 'const':
        return { k: 'const', value: e.value | 0 };
      case 'reg':
        return { k: 'reg', slot: this.slotOf(e.name) };
      case 'load':
        return this.mem({ kind: 'load', loc: this.loc(e.loc), order: e.order }, e.pos, wanted);
      case 'xchg': {
        const value = this.expr(e.value);
        return this.mem({ kind: 'xchg', loc: this.loc(e.loc), order: e.order, value }, e.pos, wanted);
      }
      case 'cmpxchg': {
        const expected = this.expr(e.expected);
        const desired = this.expr(e.desired);
        return this.mem({ kind: 'cmpxchg', loc: this.loc(e.loc), order: e.order, expected, desired }, e.pos, wanted);
      }
      case 'atomicReturn': {
        const operand = this.expr(e.operand);
        return this.mem({ kind: 'atomic', loc: this.loc(e.loc), order: e.order, op: e.op, operand, returns: e.returns }, e.pos, wanted);
      }
      case 'trylock':
      case 'islocked':
        return this.mem({ kind: e.kind, loc: this.loc(e.loc) }, e.pos, wanted);
      case 'unary':
        return { k: 'unary', op: e.op, a: this.expr(e.operand) };
      case 'binary': {
        if ((e.op === '&&' || e.op === '||') && hasAccess(e.right)) return this.shortCircuit(e.op, e.left, e.right);
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        return { k: 'binary', op: e.op, a, b };
      }
    }
  }

  /** `l && r` / `l || r` whose right side makes an access: evaluate r only when l does not decide. */
  private shortCircuit(op: '&&' | '||', left: Expr, right: Expr): Pure {
    const t = this.temp();
    const truth = (p: Pure): Pure => ({ k: 'unary', op: '!', a: { k: 'unary', op: '!', a: p } });
    this.set(t, truth(this.expr(left)));
    // && goes on to the right side when t is 1, || when t is 0; the right side depends on the left.
    const cond: Pure = op === '&&' ? { k: 'reg', slot: t } : { k: 'unary', op: '!', a: { k: 'reg', slot: t } };
    this.code.push({ op: 'ctrlPush', reads: [t] });
    const branchAt = this.code.length;
    this.code.push({ op: 'branchIfZero', cond, target: -1 });
    this.set(t, truth(this.expr(right)));
    this.patch(branchAt);
    this.code.push({ op: 'ctrlPop' });
    return { k: 'reg', slot: t };
  }

  private set(slot: number, value: Pure): void {
    this.code.push({ op: 'set', slot, value, reads: slotsOf(value) });
  }

  /** Point the branch or jump at `at` to the next instruction. */
  private patch(at: number): void {
    const ins = this.code[at]!;
    if (ins.op === 'branchIfZero' || ins.op === 'jump') this.code[at] = { ...ins, target: this.code.length };
  }

  stmts(list: readonly Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'assign':
        this.set(this.slotOf(s.reg), this.expr(s.value));
        return;
      case 'store': {
        const value = this.expr(s.value);
        this.mem({ kind: 'store', loc: this.loc(s.loc), order: s.order, value }, s.pos, false);
        return;
      }
      case 'fence':
        this.mem({ kind: 'fence', fence: s.fence }, s.pos, false);
        return;
      case 'atomicOp': {
        const operand = this.expr(s.operand);
        this.mem({ kind: 'atomic', loc: this.loc(s.loc), order: 'once', op: s.op, operand, returns: 'none' }, s.pos, false);
        return;
      }
      case 'lock':
      case 'unlock':
        this.mem({ kind: s.kind, loc: this.loc(s.loc) }, s.pos, false);
        return;
      case 'eval':
        this.expr(s.expr, false);
        return;
      case 'if': {
        const cond = this.expr(s.cond);
        this.code.push({ op: 'ctrlPush', reads: slotsOf(cond) });
        const branchAt = this.code.length;
        this.code.push({ op: 'branchIfZero', cond, target: -1 });
        this.stmts(s.then);
        if (s.else.length > 0) {
          const jumpAt = this.code.length;
          this.code.push({ op: 'jump', target: -1 });
          this.patch(branchAt);
          this.stmts(s.else);
          this.patch(jumpAt);
        } else this.patch(branchAt);
        this.code.push({ op: 'ctrlPop' });
        return;
      }
    }
  }
}

/** Every global a proposition names. */
export function propGlobals(p: Prop, out: Set<string>): Set<string> {
  switch (p.kind) {
    case 'atom':
      if (p.loc.kind === 'global') out.add(p.loc.name);
      return out;
    case 'true':
    case 'false':
      return out;
    case 'not':
      return propGlobals(p.prop, out);
    default:
      propGlobals(p.left, out);
      return propGlobals(p.right, out);
  }
}

export function compile(test: LitmusTest): Program {
  const names = new Set<string>();
  for (const p of test.processes) for (const param of p.params) names.add(param.name);
  for (const e of test.init) if (e.loc.kind === 'global') names.add(e.loc.name);
  for (const l of test.locations) if (l.kind === 'global') names.add(l.name);
  propGlobals(test.condition.prop, names);
  if (test.filter) propGlobals(test.filter, names);
  const locations = [...names].sort();
  const locationIndex = new Map(locations.map((n, i) => [n, i]));
  const loc = (name: string): number => {
    const i = locationIndex.get(name);
    if (i === undefined) throw new Error(`internal: location ${name} has no index`);
    return i;
  };
  const initialMemory = locations.map(() => 0);
  for (const e of test.init) if (e.loc.kind === 'global') initialMemory[loc(e.loc.name)] = e.value | 0;
  const threads = test.processes.map((p): ThreadCode => {
    const c = new ThreadCompiler(p.registers, loc);
    c.stmts(p.body);
    const initialRegisters = c.slots.map(() => 0);
    for (const e of test.init) if (e.loc.kind === 'register' && e.loc.proc === p.index) initialRegisters[c.slotOf(e.loc.name)] = e.value | 0;
    return { code: c.code, slots: c.slots, initialRegisters };
  });
  return { locations, locationIndex, initialMemory, threads };
}
