/**
 * A parser for herd7's C litmus format, the subset the Linux kernel's
 * memory-model tests use:
 *
 *   C name
 *   (* comment, where the kernel states herd's result: "Result: Never" *)
 *   { x=1; int y=2; atomic_t a = ATOMIC_INIT(1); 0:r0=3; }
 *   P0(int *x, spinlock_t *s) { int r0; r0 = READ_ONCE(*x); ... }
 *   ...
 *   locations [0:r1; x]
 *   filter (0:r0=1)
 *   exists (0:r0=0 /\ 1:r0=0)        (or ~exists, forall)
 *
 * The kernel's primitives are read as `linux-kernel.def` defines them (see
 * ast.ts). What the explorer cannot run faithfully is refused with
 * LitmusUnsupported naming it: RCU and SRCU, pointers (pointer-valued
 * locations, registers or initial values), loops, unknown functions and
 * types, other architectures. The parser reads on past a refused call, a
 * pointer declaration or a pointer value, so one refusal lists them all.
 */
import type { AtomicOp, BinaryOp, Condition, Expr, FenceKind, InitEntry, LitmusTest, LocRef, Observation, Param, Pos, Process, Prop, Quantifier, RmwOrder, Stmt } from './ast.js';
import { OBSERVATIONS } from './ast.js';
import { LitmusSyntaxError, LitmusUnsupported, type UnsupportedConstruct, type UnsupportedFamily, unsupportedAt } from './errors.js';
import { Lexer, type Token } from './lexer.js';

export { LitmusSyntaxError, LitmusUnsupported } from './errors.js';
export type * from './ast.js';

/** The one architecture read: herd's C (other litmus files start `X86`, `AArch64`, ...). */
const ARCH_C = 'C';
const EXPECTED_RESULT = new RegExp(`Result:\\s*(${OBSERVATIONS.join('|')})\\b`);
const PROCESS_NAME = /^P(\d+)$/;

/** Words a C type is made of (for declarations, parameters, the initial state). */
const TYPE_WORDS = new Set([
  ...['int', 'long', 'short', 'char', 'unsigned', 'signed', 'volatile', 'const', 'atomic_t', 'spinlock_t', 'intptr_t', 'uintptr_t'],
  ...['int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'],
]);
/** Qualifiers: part of a type, not its name. */
const QUALIFIERS = new Set(['volatile', 'const']);
/** C statements with no place in a loop-free litmus test: herd unrolls loops, this explorer does not. */
const LOOP_WORDS = new Set(['while', 'for', 'do', 'goto']);
/** Other C statements a litmus process has no use for. */
const OTHER_STATEMENTS = new Set(['return', 'switch', 'case', 'default', 'break', 'continue']);

/** The fences of linux-kernel.def, by the name a test calls. */
const FENCES: Record<string, FenceKind> = {
  smp_mb: 'mb',
  smp_rmb: 'rmb',
  smp_wmb: 'wmb',
  smp_mb__before_atomic: 'before-atomic',
  smp_mb__after_atomic: 'after-atomic',
  smp_mb__after_spinlock: 'after-spinlock',
  smp_mb__after_unlock_lock: 'after-unlock-lock',
  barrier: 'barrier',
};

/** The ordering suffixes of xchg, cmpxchg and the atomic_t operations (none: fully ordered). */
const RMW_SUFFIXES: readonly (readonly [string, RmwOrder])[] = [
  ['', 'mb'],
  ['_relaxed', 'once'],
  ['_acquire', 'acquire'],
  ['_release', 'release'],
];

/** The value-returning atomic_t operations: name stem, operation, operand taken as an argument (else 1), which value returns. */
const ATOMIC_RETURNING: readonly (readonly [string, AtomicOp, boolean, 'new' | 'old'])[] = [
  ['atomic_add_return', '+', true, 'new'],
  ['atomic_sub_return', '-', true, 'new'],
  ['atomic_inc_return', '+', false, 'new'],
  ['atomic_dec_return', '-', false, 'new'],
  ['atomic_fetch_add', '+', true, 'old'],
  ['atomic_fetch_sub', '-', true, 'old'],
  ['atomic_fetch_inc', '+', false, 'old'],
  ['atomic_fetch_dec', '-', false, 'old'],
];

/** The atomic_t operations that return nothing (relaxed in LKMM). */
const ATOMIC_VOID: Record<string, readonly [AtomicOp, boolean]> = {
  atomic_add: ['+', true],
  atomic_sub: ['-', true],
  atomic_inc: ['+', false],
  atomic_dec: ['-', false],
};

/** `atomic_sub_and_test` and kin: a fully ordered op-return compared with 0, as linux-kernel.def writes them. */
const ATOMIC_TESTS: Record<string, readonly [AtomicOp, boolean, BinaryOp]> = {
  atomic_sub_and_test: ['-', true, '=='],
  atomic_dec_and_test: ['-', false, '=='],
  atomic_inc_and_test: ['+', false, '=='],
  atomic_add_negative: ['+', true, '<'],
};

/** Binary operators by precedence (C's), lowest first; `/` and `%` are refused (division by zero has no herd meaning to copy). */
const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '+': 8,
  '-': 8,
  '*': 9,
  '/': 9,
  '%': 9,
};
const REFUSED_OPERATORS = new Set(['/', '%']);

/** What a refused function call is: RCU and SRCU by their prefixes, anything else unknown. */
function familyOfCall(name: string): UnsupportedFamily {
  if (/^(srcu_|synchronize_srcu|call_srcu|cleanup_srcu|init_srcu)/.test(name)) return 'srcu';
  if (/(^|_)rcu(_|$)/.test(name)) return 'rcu';
  return 'unknown';
}

/** Parse a C litmus file. Throws LitmusSyntaxError (with file, line, column) or LitmusUnsupported. */
export function parseLitmus(source: string, file = '<input>'): LitmusTest {
  return new Parser(source, file).parse();
}

/** One process's names while its body is read. */
interface Scope {
  readonly index: number;
  readonly params: Map<string, Param>;
  readonly registers: string[];
}

/** A parsed call: statements when it has no value (WRITE_ONCE), an expression when it has (READ_ONCE). */
type Call = { readonly stmts: readonly Stmt[] } | { readonly expr: Expr };

class Parser {
  private readonly lx: Lexer;
  private readonly refused: UnsupportedConstruct[] = [];
  private scope: Scope | null = null;
  /** Every process's parameters (shared locations) and registers, for the condition. */
  private readonly globals = new Set<string>();
  private readonly processes: Process[] = [];

  constructor(
    source: string,
    private readonly file: string,
  ) {
    this.lx = new Lexer(source, file);
  }

  parse(): LitmusTest {
    const arch = this.lx.next();
    if (arch.kind !== 'ident') throw this.syntax(`expected the architecture (C) and the test's name`, arch);
    if (arch.text !== ARCH_C) throw new LitmusUnsupported(this.file, [unsupportedAt(`architecture ${arch.text}`, 'architecture', arch.pos)]);
    const nameLine = this.lx.restOfLine();
    const name = nameLine.text.trim().split(/\s+/)[0] ?? '';
    if (name === '') throw new LitmusSyntaxError('expected the test name after C', this.file, nameLine.pos.line, nameLine.pos.column);
    const comment = this.lx.takeStateComment() ?? undefined;
    const stated = comment === undefined ? null : EXPECTED_RESULT.exec(comment);
    // herd allows a quoted doc string after the name.
    if (this.lx.peek().kind === 'string') this.lx.next();
    const init = this.parseInit();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== 'ident' || !(PROCESS_NAME.test(t.text) || t.text === 'void')) break;
      this.processes.push(this.parseProcess());
    }
    if (this.processes.length === 0) throw this.syntax('expected a process P0(...) { ... }', this.lx.peek());
    for (const e of init) if (e.loc.kind === 'register') this.checkRegister(e.loc, e.pos);
    const locations = this.parseLocations();
    const filter = this.parseFilter();
    const condition = this.parseCondition();
    if (this.lx.peek().text === ';') this.lx.next();
    const end = this.lx.next();
    if (end.kind !== 'eof') throw this.syntax(`unexpected ${this.describe(end)} after the condition`, end);
    if (this.refused.length > 0) throw new LitmusUnsupported(this.file, [...this.refused].sort((a, b) => a.line - b.line || a.column - b.column));
    return {
      name,
      file: this.file,
      ...(comment !== undefined && { comment }),
      ...(stated && { expected: stated[1] as Observation }),
      init,
      processes: this.processes,
      locations,
      ...(filter && { filter }),
      condition,
    };
  }

  // ---- tokens

  private syntax(message: string, at: Token | Pos): LitmusSyntaxError {
    const pos = 'pos' in at ? at.pos : at;
    return new LitmusSyntaxError(message, this.file, pos.line, pos.column);
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
  }

  private expect(text: string, what = `'${text}'`): Token {
    const t = this.lx.next();
    if (t.text !== text || t.kind === 'string') throw this.syntax(`expected ${what}, found ${this.describe(t)}`, t);
    return t;
  }

  private accept(text: string): boolean {
    const t = this.lx.peek();
    if (t.text !== text || t.kind === 'string') return false;
    this.lx.next();
    return true;
  }

  private ident(what: string): Token {
    const t = this.lx.next();
    if (t.kind !== 'ident') throw this.syntax(`expected ${what}, found ${this.describe(t)}`, t);
    return t;
  }

  private refuse(construct: string, family: UnsupportedFamily, pos: Pos): void {
    this.refused.push(unsupportedAt(construct, family, pos));
  }

  /** Refuse and stop: what follows cannot be read without the construct's meaning. */
  private refuseNow(construct: string, family: UnsupportedFamily, pos: Pos): never {
    this.refuse(construct, family, pos);
    throw new LitmusUnsupported(this.file, this.refused);
  }

  /** Skip a parenthesised argument list whose meaning is refused anyway. */
  private skipParens(): void {
    this.expect('(');
    let depth = 1;
    while (depth > 0) {
      const t = this.lx.next();
      if (t.kind === 'eof') throw this.syntax(`unclosed '('`, t);
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    }
  }

  // ---- types

  /**
   * A run of type words (`unsigned long`, `atomic_t`, `struct srcu_struct`)
   * and the stars after it. Refuses what the explorer has no meaning for.
   */
  private parseType(): { type: string; stars: number; pos: Pos } {
    const first = this.lx.peek();
    const words: string[] = [];
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== 'ident') break;
      if (t.text === 'struct') {
        this.lx.next();
        const tag = this.ident('a struct name');
        if (tag.text === 'srcu_struct') this.refuse('struct srcu_struct', 'srcu', t.pos);
        else this.refuse(`struct ${tag.text}`, 'type', t.pos);
        words.push(`struct ${tag.text}`);
        continue;
      }
      if (!TYPE_WORDS.has(t.text)) break;
      this.lx.next();
      if (!QUALIFIERS.has(t.text)) words.push(t.text);
    }
    let stars = 0;
    while (this.accept('*')) stars++;
    return { type: words.join(' ') || 'int', stars, pos: first.pos };
  }

  private isTypeStart(t: Token): boolean {
    return t.kind === 'ident' && (TYPE_WORDS.has(t.text) || t.text === 'struct');
  }

  // ---- initial state

  private parseInit(): InitEntry[] {
    const entries: InitEntry[] = [];
    this.expect('{', `'{' to open the initial state`);
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const start = this.lx.peek();
      let type: string | undefined;
      let loc: LocRef;
      if (start.kind === 'number') {
        const proc = this.lx.next().value;
        this.expect(':');
        loc = { kind: 'register', proc, name: this.ident('a register').text };
      } else {
        const typed = this.isTypeStart(start) ? this.parseType() : null;
        if (typed && typed.stars > 0) this.refuse(`pointer ${typed.type} ${'*'.repeat(typed.stars)}`, 'pointer', typed.pos);
        type = typed?.type;
        loc = { kind: 'global', name: this.ident('a location').text };
      }
      let value = 0;
      if (this.accept('=')) value = this.parseInitValue();
      if (loc.kind === 'global') this.globals.add(loc.name);
      if (entries.some((e) => sameLoc(e.loc, loc))) throw this.syntax(`${formatLocRefPlain(loc)} is given twice`, start);
      entries.push({ loc, value, ...(type !== undefined && { type }), pos: start.pos });
      const t = this.lx.peek();
      if (t.text !== ';' && t.text !== '}') throw this.syntax(`expected ';' or '}' in the initial state, found ${this.describe(t)}`, t);
    }
    return entries;
  }

  private parseInitValue(): number {
    const t = this.lx.peek();
    if (t.text === '-') {
      this.lx.next();
      return -this.number();
    }
    if (t.kind === 'number') return this.number();
    if (t.kind === 'ident' && t.text === 'ATOMIC_INIT') {
      this.lx.next();
      this.expect('(');
      const negative = this.accept('-');
      const v = this.number();
      this.expect(')');
      return negative ? -v : v;
    }
    if (t.text === '&' || t.kind === 'ident') {
      const amp = this.accept('&');
      const target = this.ident('a value');
      this.refuse(`pointer initial value ${amp ? '&' : ''}${target.text}`, 'pointer', t.pos);
      return 0;
    }
    throw this.syntax(`expected an initial value, found ${this.describe(t)}`, t);
  }

  private number(): number {
    const t = this.lx.next();
    if (t.kind !== 'number') throw this.syntax(`expected a number, found ${this.describe(t)}`, t);
    return t.value;
  }

  // ---- processes

  private parseProcess(): Process {
    if (this.lx.peek().text === 'void') this.lx.next();
    const head = this.ident('a process name P0, P1, ...');
    const m = PROCESS_NAME.exec(head.text);
    if (!m) throw this.syntax(`expected a process name P${this.processes.length}, found '${head.text}'`, head);
    const index = Number(m[1]);
    if (index !== this.processes.length) throw this.syntax(`expected P${this.processes.length}, found ${head.text}: processes are numbered from 0 in order`, head);
    this.lx.mode = 'c';
    const scope: Scope = { index, params: new Map(), registers: [] };
    this.scope = scope;
    this.expect('(');
    if (!this.accept(')')) {
      do {
        const typed = this.parseType();
        const name = this.ident('a parameter name');
        if (typed.stars === 0) throw this.syntax(`parameter ${name.text} must be a pointer (int *${name.text}): herd passes shared locations`, name);
        if (typed.stars > 1) this.refuse(`pointer-to-pointer parameter ${typed.type} ${'*'.repeat(typed.stars)}${name.text}`, 'pointer', typed.pos);
        if (scope.params.has(name.text)) throw this.syntax(`parameter ${name.text} is given twice`, name);
        scope.params.set(name.text, { name: name.text, type: typed.type, pos: name.pos });
        this.globals.add(name.text);
      } while (this.accept(','));
      this.expect(')');
    }
    const body = this.parseBlock();
    this.lx.mode = 'state';
    this.scope = null;
    return { index, params: [...scope.params.values()], registers: scope.registers, body, pos: head.pos };
  }

  private parseBlock(): Stmt[] {
    this.expect('{');
    const out: Stmt[] = [];
    while (!this.accept('}')) {
      if (this.lx.peek().kind === 'eof') throw this.syntax(`unclosed '{'`, this.lx.peek());
      out.push(...this.parseStmt());
    }
    return out;
  }

  private get current(): Scope {
    return this.scope!;
  }

  private declare(name: Token): void {
    const s = this.current;
    if (s.params.has(name.text)) throw this.syntax(`${name.text} is a parameter of P${s.index}, not a register`, name);
    if (s.registers.includes(name.text)) throw this.syntax(`register ${name.text} is declared twice`, name);
    s.registers.push(name.text);
  }

  private parseStmt(): Stmt[] {
    const t = this.lx.peek();
    if (t.text === '{') return this.parseBlock();
    if (this.accept(';')) return [];
    if (t.kind === 'ident' && LOOP_WORDS.has(t.text)) this.refuseNow(t.text, 'loop', t.pos);
    if (t.kind === 'ident' && OTHER_STATEMENTS.has(t.text)) this.refuseNow(t.text, 'unknown', t.pos);
    if (t.kind === 'ident' && t.text === 'if') return [this.parseIf()];
    if (this.isTypeStart(t)) return this.parseDeclaration();
    if (t.text === '*') return [this.parsePlainStore()];
    if (t.text === '(') {
      // `(void)xchg(x, 1);`: a cast to void of an expression statement.
      const e = this.parseExpr();
      this.expect(';');
      return [{ kind: 'eval', expr: e, pos: t.pos }];
    }
    if (t.kind === 'ident') {
      this.lx.next();
      const after = this.lx.peek();
      if (after.text === '=') {
        this.lx.next();
        if (this.current.params.has(t.text)) this.refuse(`assignment to pointer parameter ${t.text}`, 'pointer', t.pos);
        else if (!this.current.registers.includes(t.text)) this.current.registers.push(t.text); // herd needs no declaration
        const value = this.parseExpr();
        this.expect(';');
        return [{ kind: 'assign', reg: t.text, value, pos: t.pos }];
      }
      if (after.text === '(') {
        const call = this.parseCall(t);
        if ('stmts' in call) {
          this.expect(';');
          return [...call.stmts];
        }
        const e = this.parseBinary(1, call.expr);
        this.expect(';');
        return [{ kind: 'eval', expr: e, pos: t.pos }];
      }
      if (after.kind === 'ident' && !this.current.registers.includes(t.text)) this.refuseNow(`type ${t.text}`, 'type', t.pos);
      const e = this.parseBinary(1, this.nameExpr(t));
      this.expect(';');
      return [{ kind: 'eval', expr: e, pos: t.pos }];
    }
    throw this.syntax(`expected a statement, found ${this.describe(t)}`, t);
  }

  private parseIf(): Stmt {
    const at = this.lx.next();
    this.expect('(');
    const cond = this.parseExpr();
    this.expect(')');
    const then = this.parseStmt();
    const t = this.lx.peek();
    const otherwise = t.kind === 'ident' && t.text === 'else' ? (this.lx.next(), this.parseStmt()) : [];
    return { kind: 'if', cond, then, else: otherwise, pos: at.pos };
  }

  /** `int r0;`, `int r0 = e;`, `int r0, r1 = 2;`. A pointer register is refused. */
  private parseDeclaration(): Stmt[] {
    const typed = this.parseType();
    const out: Stmt[] = [];
    let stars = typed.stars;
    for (;;) {
      const name = this.ident('a register name');
      if (stars > 0) this.refuse(`pointer register ${typed.type} ${'*'.repeat(stars)}${name.text}`, 'pointer', typed.pos);
      this.declare(name);
      if (this.accept('=')) out.push({ kind: 'assign', reg: name.text, value: this.parseExpr(), pos: name.pos });
      if (!this.accept(',')) break;
      stars = 0;
      while (this.accept('*')) stars++;
    }
    this.expect(';');
    return out;
  }

  /** `*x = e;`: a plain store. */
  private parsePlainStore(): Stmt {
    const at = this.lx.peek();
    const loc = this.parseDerefLocation();
    this.expect('=');
    const value = this.parseExpr();
    this.expect(';');
    return { kind: 'store', loc, value, order: 'plain', pos: at.pos };
  }

  /** `*x` where x is a parameter: the location x. */
  private parseDerefLocation(): string {
    const star = this.expect('*', `'*x' (a location)`);
    if (this.lx.peek().text === '*') {
      this.lx.next();
      const inner = this.ident('a location');
      this.refuse(`double dereference **${inner.text}`, 'pointer', star.pos);
      return '';
    }
    const name = this.ident('a location');
    return this.locationNamed(name, `*${name.text}`, star.pos);
  }

  /** `x` where x is a parameter (smp_load_acquire(x), spin_lock(s)). */
  private parsePointerLocation(): string {
    const t = this.lx.peek();
    if (t.text === '&') {
      this.lx.next();
      const name = this.ident('a location');
      this.refuse(`address-of &${name.text}`, 'pointer', t.pos);
      return '';
    }
    if (t.text === '*') {
      this.lx.next();
      const name = this.ident('a location');
      this.refuse(`pointer-valued location *${name.text}`, 'pointer', t.pos);
      return '';
    }
    const name = this.ident('a location (a parameter)');
    return this.locationNamed(name, name.text, t.pos);
  }

  private locationNamed(name: Token, written: string, pos: Pos): string {
    const s = this.current;
    if (s.params.has(name.text)) return name.text;
    if (s.registers.includes(name.text)) {
      this.refuse(`register used as a pointer ${written}`, 'pointer', pos);
      return '';
    }
    throw this.syntax(`${name.text} is not a parameter of P${s.index}`, name);
  }

  // ---- expressions

  private parseExpr(): Expr {
    return this.parseBinary(1, this.parseUnary());
  }

  /** Precedence climbing from an already parsed left operand. */
  private parseBinary(minPrec: number, left: Expr): Expr {
    for (;;) {
      const t = this.lx.peek();
      const prec = t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.lx.next();
      if (REFUSED_OPERATORS.has(t.text)) this.refuse(`operator ${t.text}`, 'operator', t.pos);
      let right = this.parseUnary();
      for (;;) {
        const n = this.lx.peek();
        const p = n.kind === 'punct' ? BINARY_PRECEDENCE[n.text] : undefined;
        if (p === undefined || p <= prec) break;
        right = this.parseBinary(p, right);
      }
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
  }

  private parseUnary(): Expr {
    const t = this.lx.peek();
    if (t.text === '!' || t.text === '-' || t.text === '~') {
      this.lx.next();
      const operand = this.parseUnary();
      if (t.text === '-' && operand.kind === 'const') return { kind: 'const', value: -operand.value, pos: t.pos };
      return { kind: 'unary', op: t.text, operand, pos: t.pos };
    }
    if (t.text === '+') {
      this.lx.next();
      return this.parseUnary();
    }
    if (t.text === '*') return { kind: 'load', loc: this.parseDerefLocation(), order: 'plain', pos: t.pos };
    if (t.text === '&') {
      this.lx.next();
      const name = this.ident('a location');
      this.refuse(`address-of &${name.text}`, 'pointer', t.pos);
      return { kind: 'const', value: 0, pos: t.pos };
    }
    if (t.text === '(') {
      this.lx.next();
      if (this.isTypeStart(this.lx.peek()) || this.lx.peek().text === 'void') {
        // A cast: to an integer type it changes nothing here; to a pointer it is refused.
        if (this.lx.peek().text === 'void') this.lx.next();
        else {
          const typed = this.parseType();
          if (typed.stars > 0) this.refuse(`pointer cast (${typed.type} ${'*'.repeat(typed.stars)})`, 'pointer', t.pos);
        }
        this.expect(')');
        return this.parseUnary();
      }
      const e = this.parseExpr();
      this.expect(')');
      return e;
    }
    if (t.kind === 'number') {
      this.lx.next();
      return { kind: 'const', value: t.value, pos: t.pos };
    }
    if (t.kind === 'ident') {
      this.lx.next();
      if (this.lx.peek().text === '(') {
        const call = this.parseCall(t);
        if ('stmts' in call) throw this.syntax(`${t.text}() has no value`, t);
        return call.expr;
      }
      return this.nameExpr(t);
    }
    throw this.syntax(`expected an expression, found ${this.describe(t)}`, t);
  }

  /** A bare name in an expression: a register (a parameter would be a pointer value). */
  private nameExpr(t: Token): Expr {
    const s = this.current;
    if (s.registers.includes(t.text)) return { kind: 'reg', name: t.text, pos: t.pos };
    if (s.params.has(t.text)) {
      this.refuse(`pointer value ${t.text}`, 'pointer', t.pos);
      return { kind: 'const', value: 0, pos: t.pos };
    }
    throw this.syntax(`${t.text} is not declared in P${s.index}`, t);
  }

  /** Arguments: `(` then each by its reader, `,` between, `)`. */
  private args<T extends unknown[]>(...readers: { [K in keyof T]: () => T[K] }): T {
    this.expect('(');
    const out: unknown[] = [];
    readers.forEach((read, i) => {
      if (i > 0) this.expect(',');
      out.push(read());
    });
    this.expect(')');
    return out as T;
  }

  /** A call of a kernel primitive, `name` read and `(` next. */
  private parseCall(name: Token): Call {
    const n = name.text;
    const pos = name.pos;
    const deref = (): string => this.parseDerefLocation();
    const ptr = (): string => this.parsePointerLocation();
    const value = (): Expr => this.parseExpr();

    const fence = FENCES[n];
    if (fence) {
      this.args();
      return { stmts: [{ kind: 'fence', fence, pos }] };
    }
    switch (n) {
      case 'READ_ONCE':
        return { expr: { kind: 'load', loc: this.args(deref)[0], order: 'once', pos } };
      case 'WRITE_ONCE': {
        const [loc, v] = this.args(deref, value);
        return { stmts: [{ kind: 'store', loc, value: v, order: 'once', pos }] };
      }
      case 'smp_load_acquire':
      case 'atomic_read_acquire':
        return { expr: { kind: 'load', loc: this.args(ptr)[0], order: 'acquire', pos } };
      case 'atomic_read':
        return { expr: { kind: 'load', loc: this.args(ptr)[0], order: 'once', pos } };
      case 'smp_store_release':
      case 'atomic_set_release': {
        const [loc, v] = this.args(ptr, value);
        return { stmts: [{ kind: 'store', loc, value: v, order: 'release', pos }] };
      }
      case 'atomic_set': {
        const [loc, v] = this.args(ptr, value);
        return { stmts: [{ kind: 'store', loc, value: v, order: 'once', pos }] };
      }
      case 'smp_store_mb': {
        const [loc, v] = this.args(deref, value);
        return {
          stmts: [
            { kind: 'store', loc, value: v, order: 'once', pos },
            { kind: 'fence', fence: 'mb', pos },
          ],
        };
      }
      case 'spin_lock': {
        const [loc] = this.args(ptr);
        return { stmts: [{ kind: 'lock', loc, pos }] };
      }
      case 'spin_unlock': {
        const [loc] = this.args(ptr);
        return { stmts: [{ kind: 'unlock', loc, pos }] };
      }
      case 'spin_trylock':
        return { expr: { kind: 'trylock', loc: this.args(ptr)[0], pos } };
      case 'spin_is_locked':
        return { expr: { kind: 'islocked', loc: this.args(ptr)[0], pos } };
    }
    for (const [suffix, order] of RMW_SUFFIXES) {
      if (n === `xchg${suffix}` || n === `atomic_xchg${suffix}`) {
        const [loc, v] = this.args(ptr, value);
        return { expr: { kind: 'xchg', loc, value: v, order, pos } };
      }
      if (n === `cmpxchg${suffix}` || n === `atomic_cmpxchg${suffix}`) {
        const [loc, expected, desired] = this.args(ptr, value, value);
        return { expr: { kind: 'cmpxchg', loc, expected, desired, order, pos } };
      }
      for (const [stem, op, takesOperand, returns] of ATOMIC_RETURNING) {
        if (n !== `${stem}${suffix}`) continue;
        const [operand, loc] = takesOperand ? this.args(value, ptr) : [{ kind: 'const', value: 1, pos } as const, this.args(ptr)[0]];
        return { expr: { kind: 'atomicReturn', loc, op, operand, order, returns, pos } };
      }
    }
    const atomicVoid = ATOMIC_VOID[n];
    if (atomicVoid) {
      const [op, takesOperand] = atomicVoid;
      const [operand, loc] = takesOperand ? this.args(value, ptr) : [{ kind: 'const', value: 1, pos } as const, this.args(ptr)[0]];
      return { stmts: [{ kind: 'atomicOp', loc, op, operand, pos }] };
    }
    const atomicTest = ATOMIC_TESTS[n];
    if (atomicTest) {
      const [op, takesOperand, compare] = atomicTest;
      const [operand, loc] = takesOperand ? this.args(value, ptr) : [{ kind: 'const', value: 1, pos } as const, this.args(ptr)[0]];
      const ret: Expr = { kind: 'atomicReturn', loc, op, operand, order: 'mb', returns: 'new', pos };
      return { expr: { kind: 'binary', op: compare, left: ret, right: { kind: 'const', value: 0, pos }, pos } };
    }
    this.refuse(n, familyOfCall(n), pos);
    this.skipParens();
    return { expr: { kind: 'const', value: 0, pos } };
  }

  // ---- the condition

  private parseLocations(): LocRef[] {
    const t = this.lx.peek();
    if (t.kind !== 'ident' || t.text !== 'locations') return [];
    this.lx.next();
    this.expect('[');
    const out: LocRef[] = [];
    while (!this.accept(']')) {
      if (this.accept(';')) continue;
      const at = this.lx.peek();
      const loc = this.parseLocRef();
      this.checkLocRef(loc, at.pos);
      if (!out.some((l) => sameLoc(l, loc))) out.push(loc);
    }
    return out;
  }

  private parseFilter(): Prop | undefined {
    const t = this.lx.peek();
    if (t.kind !== 'ident' || t.text !== 'filter') return undefined;
    this.lx.next();
    return this.parseProp();
  }

  private parseCondition(): Condition {
    const t = this.lx.peek();
    let quantifier: Quantifier = 'exists';
    if (t.kind === 'ident' && (t.text === 'exists' || t.text === 'forall')) {
      this.lx.next();
      quantifier = t.text;
    } else if (t.text === '~' || (t.kind === 'ident' && t.text === 'not')) {
      this.lx.next();
      const e = this.ident(`'exists' after '~'`);
      if (e.text !== 'exists') throw this.syntax(`expected 'exists' after '~', found '${e.text}'`, e);
      quantifier = 'not-exists';
    } else if (t.kind === 'eof') {
      // herd reads a file with no condition as `exists (true)`.
      return { quantifier, prop: { kind: 'true' }, pos: t.pos };
    } else if (t.text !== '(') {
      throw this.syntax(`expected exists, ~exists, forall, locations or filter, found ${this.describe(t)}`, t);
    }
    return { quantifier, prop: this.parseProp(), pos: t.pos };
  }

  /** herd's precedence: `\/` lowest, then `/\`, then `=>` (right-associative), then `~`. */
  private parseProp(): Prop {
    let left = this.parsePropAnd();
    while (this.accept('\\/')) left = { kind: 'or', left, right: this.parsePropAnd() };
    return left;
  }

  private parsePropAnd(): Prop {
    let left = this.parsePropImplies();
    while (this.accept('/\\')) left = { kind: 'and', left, right: this.parsePropImplies() };
    return left;
  }

  private parsePropImplies(): Prop {
    const left = this.parsePropUnary();
    if (this.accept('=>')) return { kind: 'implies', left, right: this.parsePropImplies() };
    return left;
  }

  private parsePropUnary(): Prop {
    const t = this.lx.peek();
    if (t.text === '~' || (t.kind === 'ident' && t.text === 'not')) {
      this.lx.next();
      return { kind: 'not', prop: this.parsePropUnary() };
    }
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) {
      this.lx.next();
      return { kind: t.text };
    }
    if (this.accept('(')) {
      const p = this.parseProp();
      this.expect(')');
      return p;
    }
    const loc = this.parseLocRef();
    this.checkLocRef(loc, t.pos);
    const op = this.lx.next();
    if (op.text !== '=' && op.text !== '==' && op.text !== '!=' && op.text !== '<>') throw this.syntax(`expected '=' or '!=' after ${formatLocRefPlain(loc)}, found ${this.describe(op)}`, op);
    const atom: Prop = { kind: 'atom', loc, value: this.parseCondValue() };
    return op.text === '=' || op.text === '==' ? atom : { kind: 'not', prop: atom };
  }

  /** `0:r0` (a register of P0), `x` or `[x]` (a shared location). */
  private parseLocRef(): LocRef {
    const t = this.lx.next();
    if (t.kind === 'number') {
      this.expect(':');
      return { kind: 'register', proc: t.value, name: this.ident('a register').text };
    }
    if (t.text === '[') {
      const name = this.ident('a location');
      this.expect(']');
      return { kind: 'global', name: name.text };
    }
    if (t.kind === 'ident') return { kind: 'global', name: t.text };
    throw this.syntax(`expected a location (0:r0 or x), found ${this.describe(t)}`, t);
  }

  private parseCondValue(): number {
    const t = this.lx.peek();
    if (t.text === '-') {
      this.lx.next();
      return -this.number();
    }
    if (t.kind === 'ident') {
      this.lx.next();
      this.refuse(`pointer value ${t.text} in the condition`, 'pointer', t.pos);
      return 0;
    }
    return this.number();
  }

  private checkLocRef(loc: LocRef, pos: Pos): void {
    if (loc.kind === 'register') this.checkRegister(loc, pos);
    else if (!this.globals.has(loc.name)) throw this.syntax(`${loc.name} is not a location of this test (no process takes it, the initial state does not name it)`, pos);
  }

  private checkRegister(loc: LocRef & { kind: 'register' }, pos: Pos): void {
    const p = this.processes[loc.proc];
    if (!p) throw this.syntax(`there is no P${loc.proc}`, pos);
    if (!p.registers.includes(loc.name)) throw this.syntax(`${loc.name} is not a register of P${loc.proc}`, pos);
  }
}

export function sameLoc(a: LocRef, b: LocRef): boolean {
  return a.kind === 'register' ? b.kind === 'register' && a.proc === b.proc && a.name === b.name : b.kind === 'global' && a.name === b.name;
}

/** `0:r0` or `x`, as written in a test. */
export function formatLocRefPlain(loc: LocRef): string {
  return loc.kind === 'register' ? `${loc.proc}:${loc.name}` : loc.name;
}
