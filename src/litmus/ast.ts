/**
 * The parsed form of a herd7 C litmus test (the subset the Linux kernel's
 * `tools/memory-model/litmus-tests` use): what `parseLitmus` returns and
 * what the explorer runs. Every kernel primitive is kept as the LKMM
 * definition file (`linux-kernel.def`) spells it out (`atomic_read(x)` is
 * a `once` load, `smp_store_mb(*x, v)` a `once` store then an `mb` fence),
 * so a model sees only the few access kinds below and their ordering
 * annotations, never the kernel's names.
 */

/** Where a construct starts in the source: 1-based line and column. */
export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** herd's three answers: does the condition's proposition hold in no, some or every final state. */
export const OBSERVATIONS = ['Never', 'Sometimes', 'Always'] as const;
export type Observation = (typeof OBSERVATIONS)[number];

/** A load's annotation: `*x` (plain), `READ_ONCE` (once), `smp_load_acquire` (acquire). */
export type LoadOrder = 'plain' | 'once' | 'acquire';
/** A store's annotation: `*x = v` (plain), `WRITE_ONCE` (once), `smp_store_release` (release). */
export type StoreOrder = 'plain' | 'once' | 'release';
/** A read-modify-write's: the `_relaxed` (once), `_acquire`, `_release` forms, or the unsuffixed fully ordered one (mb). */
export type RmwOrder = 'once' | 'acquire' | 'release' | 'mb';
/** The fences `linux-kernel.def` defines, named as there (`smp_mb__before_atomic` is before-atomic). */
export type FenceKind = 'mb' | 'rmb' | 'wmb' | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock' | 'barrier';
/** The arithmetic of the atomic_t operations (`atomic_add`, `atomic_sub_return`, ...). */
export type AtomicOp = '+' | '-';

export type UnaryOp = '!' | '-' | '~';
export type BinaryOp = '+' | '-' | '*' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/**
 * An expression. Loads and read-modify-writes are expressions (they have a
 * value); `loc` names a shared location (a process parameter, which herd
 * makes a global of the same name).
 */
export type Expr =
  | { readonly kind: 'const'; readonly value: number; readonly pos: Pos }
  | { readonly kind: 'reg'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'load'; readonly loc: string; readonly order: LoadOrder; readonly pos: Pos }
  /** `xchg(x, v)` and forms: writes v, returns the old value. */
  | { readonly kind: 'xchg'; readonly loc: string; readonly value: Expr; readonly order: RmwOrder; readonly pos: Pos }
  /** `cmpxchg(x, old, new)` and forms: writes new only if x held old; returns what x held. */
  | { readonly kind: 'cmpxchg'; readonly loc: string; readonly expected: Expr; readonly desired: Expr; readonly order: RmwOrder; readonly pos: Pos }
  /** `atomic_add_return` (returns the new value) and `atomic_fetch_add` (the old one), and their forms. */
  | {
      readonly kind: 'atomicReturn';
      readonly loc: string;
      readonly op: AtomicOp;
      readonly operand: Expr;
      readonly order: RmwOrder;
      readonly returns: 'new' | 'old';
      readonly pos: Pos;
    }
  /** `spin_trylock(s)`: takes the lock if free; 1 if it did, else 0. */
  | { readonly kind: 'trylock'; readonly loc: string; readonly pos: Pos }
  /** `spin_is_locked(s)`: 1 while someone holds the lock, else 0. */
  | { readonly kind: 'islocked'; readonly loc: string; readonly pos: Pos }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly pos: Pos }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos };

export type Stmt =
  /** `r = e;` or `int r = e;` (a register of this process). */
  | { readonly kind: 'assign'; readonly reg: string; readonly value: Expr; readonly pos: Pos }
  | { readonly kind: 'store'; readonly loc: string; readonly value: Expr; readonly order: StoreOrder; readonly pos: Pos }
  | { readonly kind: 'fence'; readonly fence: FenceKind; readonly pos: Pos }
  /** `atomic_inc(x)`, `atomic_add(v, x)`, ...: no value, relaxed in LKMM. */
  | { readonly kind: 'atomicOp'; readonly loc: string; readonly op: AtomicOp; readonly operand: Expr; readonly pos: Pos }
  | { readonly kind: 'lock'; readonly loc: string; readonly pos: Pos }
  | { readonly kind: 'unlock'; readonly loc: string; readonly pos: Pos }
  /** An expression run for its effect: `xchg(x, 1);`. */
  | { readonly kind: 'eval'; readonly expr: Expr; readonly pos: Pos }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else: readonly Stmt[]; readonly pos: Pos };

/** A process parameter: `int *x` makes `x` a shared location of C type `int`. */
export interface Param {
  readonly name: string;
  readonly type: string;
  readonly pos: Pos;
}

export interface Process {
  /** n of `Pn`; processes are numbered 0, 1, ... in order. */
  readonly index: number;
  readonly params: readonly Param[];
  /** Its registers, in the order they are first declared or assigned. */
  readonly registers: readonly string[];
  readonly body: readonly Stmt[];
  readonly pos: Pos;
}

/** A location a condition, `locations [...]` or the initial state names: `0:r0` or `x`. */
export type LocRef = { readonly kind: 'register'; readonly proc: number; readonly name: string } | { readonly kind: 'global'; readonly name: string };

/** One initial value: `x=1;`, `int x = 1;`, `atomic_t a = ATOMIC_INIT(1);`, `0:r0=1;`. Unnamed locations start at 0. */
export interface InitEntry {
  readonly loc: LocRef;
  readonly value: number;
  readonly type?: string;
  readonly pos: Pos;
}

/** A proposition over final values, with herd's connectives (`~`, `/\`, `\/`, `=>`). `x != v` is parsed as herd does: not (x=v). */
export type Prop =
  | { readonly kind: 'atom'; readonly loc: LocRef; readonly value: number }
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'not'; readonly prop: Prop }
  | { readonly kind: 'and'; readonly left: Prop; readonly right: Prop }
  | { readonly kind: 'or'; readonly left: Prop; readonly right: Prop }
  | { readonly kind: 'implies'; readonly left: Prop; readonly right: Prop };

/** `exists`, `~exists` or `forall`; a bare `(p)` is an exists, as in herd. */
export type Quantifier = 'exists' | 'not-exists' | 'forall';

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Prop;
  readonly pos: Pos;
}

export interface LitmusTest {
  readonly name: string;
  /** The file it came from, for messages ('<input>' when parsed from a string). */
  readonly file: string;
  /** The text of the `(* ... *)` block after the name line, if any. */
  readonly comment?: string;
  /** The result the comment states (`Result: Never`): herd's under LKMM, for the kernel's tests. */
  readonly expected?: Observation;
  readonly init: readonly InitEntry[];
  readonly processes: readonly Process[];
  /** `locations [...]`: more locations to show in each final state. */
  readonly locations: readonly LocRef[];
  /** `filter p`: executions whose final state fails p are left out altogether. */
  readonly filter?: Prop;
  readonly condition: Condition;
}
