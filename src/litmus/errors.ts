/**
 * The two ways a litmus file is turned away. A syntax error is the file's
 * fault; an unsupported construct is this interpreter's limit (RCU, SRCU,
 * pointers, loops, anything it does not know): it is named, never guessed
 * at, since a guess would make a result that looks like herd's and is not.
 */
import type { Pos } from './ast.js';

/** The file does not parse: `file:line:column: message`. */
export class LitmusSyntaxError extends Error {
  override readonly name = 'LitmusSyntaxError';
  constructor(
    readonly detail: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

/**
 * What a refused construct is, so that a caller can tell "needs RCU" from
 * "needs pointers" without reading the message.
 */
export type UnsupportedFamily = 'rcu' | 'srcu' | 'pointer' | 'loop' | 'architecture' | 'type' | 'operator' | 'unknown';

export interface UnsupportedConstruct {
  /** The construct as written: `rcu_read_lock`, `int **p`, `while`. */
  readonly construct: string;
  readonly family: UnsupportedFamily;
  readonly line: number;
  readonly column: number;
}

/**
 * The file uses something outside the accepted subset. The parser reads on
 * past a refused construct where it can, so `constructs` lists every one
 * it met, in source order; `construct` is the first.
 */
export class LitmusUnsupported extends Error {
  override readonly name = 'LitmusUnsupported';
  constructor(
    readonly file: string,
    readonly constructs: readonly UnsupportedConstruct[],
  ) {
    super(`${file}: unsupported: ${constructs.map((c) => `${c.construct} (${c.family}, line ${c.line}:${c.column})`).join(', ')}`);
  }

  get construct(): UnsupportedConstruct {
    return this.constructs[0]!;
  }
}

/** A construct at a position, for LitmusUnsupported. */
export const unsupportedAt = (construct: string, family: UnsupportedFamily, pos: Pos): UnsupportedConstruct => ({ construct, family, line: pos.line, column: pos.column });
