/**
 * Tokens of a C litmus file. herd reads the file in two languages: C in the
 * process bodies (`//` and `/* *\/` comments) and its own state language
 * around them (the initial state, the condition), where `(* ... *)` is a
 * comment (nesting, as in OCaml) and `/\`, `\/`, `=>` are connectives. The
 * parser says which it is reading (`mode`); in C `(*x)` is a parenthesised
 * dereference, not a comment.
 */
import type { Pos } from './ast.js';
import { LitmusSyntaxError } from './errors.js';

export type LexMode = 'c' | 'state';
export type TokenKind = 'ident' | 'number' | 'punct' | 'string' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** A number's value (0 for other tokens). */
  readonly value: number;
  readonly pos: Pos;
}

/** Longest first, so that `==` is not read as two `=`. */
const PUNCT_MULTI: Record<LexMode, readonly string[]> = {
  c: ['==', '!=', '<=', '>=', '&&', '||'],
  state: ['/\\', '\\/', '=>', '==', '!=', '<>'],
};
const PUNCT_SINGLE = '{}()[];,:=*&|^!~+-/%<>.?';
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const HEX_NUMBER = /^0[xX][0-9a-fA-F]+/;
const DEC_NUMBER = /^[0-9]+/;
/** The largest literal: an unsigned 32-bit int's (values are 32-bit ints, as herd's C ints are). */
export const MAX_LITERAL = 2 ** 32 - 1;

interface Cursor {
  offset: number;
  line: number;
  column: number;
}

export class Lexer {
  mode: LexMode = 'state';
  private cur: Cursor = { offset: 0, line: 1, column: 1 };
  /** The next token, read ahead in `mode`, and where the cursor stands after it. */
  private ahead: { token: Token; mode: LexMode; after: Cursor; before: Cursor } | null = null;

  constructor(
    private readonly src: string,
    readonly file: string,
  ) {}

  error(message: string, pos: Pos): LitmusSyntaxError {
    return new LitmusSyntaxError(message, this.file, pos.line, pos.column);
  }

  peek(): Token {
    // A token read ahead in the other language is read again: a comment in one may be code in the other.
    if (this.ahead && this.ahead.mode !== this.mode) {
      this.cur = this.ahead.before;
      this.ahead = null;
    }
    if (!this.ahead) {
      const before = { ...this.cur };
      const token = this.lex();
      this.ahead = { token, mode: this.mode, after: { ...this.cur }, before };
      this.cur = before;
    }
    return this.ahead.token;
  }

  next(): Token {
    const t = this.peek();
    this.cur = this.ahead!.after;
    this.ahead = null;
    return t;
  }

  /** The raw rest of the current line (the test's name after `C`), and the position it starts at. */
  restOfLine(): { text: string; pos: Pos } {
    this.ahead = null;
    while (this.src[this.cur.offset] === ' ' || this.src[this.cur.offset] === '\t') this.advance(1);
    const pos = { line: this.cur.line, column: this.cur.column };
    let end = this.src.indexOf('\n', this.cur.offset);
    if (end < 0) end = this.src.length;
    const text = this.src.slice(this.cur.offset, end);
    this.advance(end - this.cur.offset);
    return { text, pos };
  }

  private advance(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.src[this.cur.offset] === '\n') {
        this.cur.line++;
        this.cur.column = 1;
      } else this.cur.column++;
      this.cur.offset++;
    }
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.cur.offset);
  }

  private here(): Pos {
    return { line: this.cur.line, column: this.cur.column };
  }

  /** Skips blanks and the comments of the current language. */
  private skip(): void {
    for (;;) {
      const c = this.src[this.cur.offset];
      if (c === undefined) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.advance(1);
      else if (this.startsWith('//')) {
        while (this.cur.offset < this.src.length && this.src[this.cur.offset] !== '\n') this.advance(1);
      } else if (this.startsWith('/*')) {
        const start = this.here();
        const end = this.src.indexOf('*/', this.cur.offset + 2);
        if (end < 0) throw this.error('unterminated /* comment', start);
        this.advance(end + 2 - this.cur.offset);
      } else if (this.mode === 'state' && this.startsWith('(*')) this.skipStateComment();
      else return;
    }
  }

  private skipStateComment(): void {
    const start = this.here();
    let depth = 0;
    while (this.cur.offset < this.src.length) {
      if (this.startsWith('(*')) {
        depth++;
        this.advance(2);
      } else if (this.startsWith('*)')) {
        depth--;
        this.advance(2);
        if (depth === 0) return;
      } else this.advance(1);
    }
    throw this.error('unterminated (* comment', start);
  }

  /** The text of a `(* ... *)` comment starting here, if one does (read in state mode, before the init). */
  takeStateComment(): string | null {
    this.ahead = null;
    while (/\s/.test(this.src[this.cur.offset] ?? '')) this.advance(1);
    if (!this.startsWith('(*')) return null;
    const from = this.cur.offset;
    this.skipStateComment();
    return this.src.slice(from + 2, this.cur.offset - 2);
  }

  private lex(): Token {
    this.skip();
    const pos = this.here();
    const rest = this.src.slice(this.cur.offset, this.cur.offset + 32);
    const c = rest[0];
    if (c === undefined) return { kind: 'eof', text: '', value: 0, pos };
    if (IDENT_START.test(c)) {
      let n = 1;
      while (n < this.src.length - this.cur.offset && IDENT_PART.test(this.src[this.cur.offset + n]!)) n++;
      const text = this.src.slice(this.cur.offset, this.cur.offset + n);
      this.advance(n);
      return { kind: 'ident', text, value: 0, pos };
    }
    if (DIGIT.test(c)) {
      const m = HEX_NUMBER.exec(rest) ?? DEC_NUMBER.exec(rest);
      const text = m![0];
      const value = Number(text);
      if (!Number.isSafeInteger(value) || value > MAX_LITERAL) throw this.error(`number ${text} is too large`, pos);
      this.advance(text.length);
      if (IDENT_PART.test(this.src[this.cur.offset] ?? '')) throw this.error(`bad number ${text}${this.src[this.cur.offset]}`, pos);
      return { kind: 'number', text, value, pos };
    }
    if (c === '"' && this.mode === 'state') {
      const end = this.src.indexOf('"', this.cur.offset + 1);
      if (end < 0) throw this.error('unterminated string', pos);
      const text = this.src.slice(this.cur.offset + 1, end);
      this.advance(end + 1 - this.cur.offset);
      return { kind: 'string', text, value: 0, pos };
    }
    for (const p of PUNCT_MULTI[this.mode]) {
      if (rest.startsWith(p)) {
        this.advance(p.length);
        return { kind: 'punct', text: p, value: 0, pos };
      }
    }
    if (PUNCT_SINGLE.includes(c)) {
      this.advance(1);
      return { kind: 'punct', text: c, value: 0, pos };
    }
    throw this.error(`unexpected character ${JSON.stringify(c)}`, pos);
  }
}
