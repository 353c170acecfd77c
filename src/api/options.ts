/**
 * The options of the package API's functions, checked before anything
 * loads: a key a function does not take is refused (a typo would otherwise
 * run the defaults and pass a user's test), and each value is checked as the
 * matching CLI flag checks it, with the same ranges and words
 * (`explore() option runs "x": not a count (allowed: an integer from 1 to 100000000)`).
 */
import { checkCount, checkField, fieldByKey } from '../config/config.js';
import { MAX_PCT_DEPTH, MEMORY_MODELS } from '../memory/layout.js';
import { UsageError } from '../util/errors.js';
import { refuseUnknownKeys } from '../util/keys.js';
import { SEARCH_STRATEGIES } from '../search/strategies.js';


/** The check of one option's value; `where` names it (`explore() option runs`). */
type Check = (v: unknown, where: string) => void;

const shown = (v: unknown): string => (typeof v === 'function' ? 'a function' : (JSON.stringify(v) ?? String(v)));
const refuse = (where: string, v: unknown, why: string, allowed: string): UsageError => new UsageError(`${where} ${shown(v)}: ${why} (allowed: ${allowed})`);

const bool: Check = (v, where) => {
  if (typeof v !== 'boolean') throw refuse(where, v, 'not a boolean', 'true, false');
};
const fn: Check = (v, where) => {
  if (typeof v !== 'function') throw refuse(where, v, 'not a function', 'a function');
};
const signal: Check = (v, where) => {
  if (!(v instanceof AbortSignal)) throw refuse(where, v, 'not an AbortSignal', 'an AbortSignal, such as AbortSignal.timeout(ms) or the signal of an AbortController');
};
const strings: Check = (v, where) => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw refuse(where, v, 'not an array of strings', 'an array of strings');
};
const count =
  (min: number, max: number): Check =>
  (v, where) =>
    void checkCount(where, v, max, min);
const oneOf =
  (values: readonly string[]): Check =>
  (v, where) => {
    if (typeof v !== 'string' || !values.includes(v)) throw refuse(where, v, 'unknown', values.join(', '));
  };
const orNull =
  (check: Check): Check =>
  (v, where) => {
    if (v !== null) check(v, where);
  };

/** What each function takes; the ranges are those of the matching CLI flags (cli/cli.ts). */
const OPTIONS = {
  explore: {
    correct: bool,
    strategy: oneOf(SEARCH_STRATEGIES),
    depth: count(1, MAX_PCT_DEPTH),
    runs: count(1, 100_000_000),
    // The seed is the run configuration's: its range lives with the field.
    seed: (v, where) => void checkField(fieldByKey('seed'), v, { at: where }),
    all: bool,
    /** null: unbounded. */
    preemptions: orNull(count(0, 1000)),
    memoryModel: oneOf(MEMORY_MODELS),
    onRun: fn,
    signal,
  },
  hunt: {
    correct: bool,
    timeSec: (v, where) => void checkField(fieldByKey('durationSec'), v, { at: where }),
    durationSec: (v, where) => void checkField(fieldByKey('durationSec'), v, { at: where }),
    seed: (v, where) => void checkField(fieldByKey('seed'), v, { at: where }),
    onRun: fn,
    signal,
  },
  replay: { repeat: count(1, 10_000), signal },
  shrink: { budget: count(1, 100_000), signal },
  run: { onTick: fn, trace: bool, warnings: strings, signal },
  checkLock: { workers: count(1, 64), iterations: count(1, 100_000_000), stallSec: count(1, 3600), signal },
} satisfies Record<string, Record<string, Check>>;

export type ApiFunction = keyof typeof OPTIONS;

/**
 * Check the options argument of an API function: undefined, or an object
 * of its options (an absent or undefined value is the default); the first
 * problem is a UsageError.
 */
export function checkOptions(fn: ApiFunction, o: unknown): void {
  if (o === undefined) return;
  const table: Readonly<Record<string, Check>> = OPTIONS[fn];
  const allowed = Object.keys(table);
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`${fn}() options ${shown(o)}: not an object (allowed: undefined, or an object with keys among ${allowed.join(', ')})`);
  refuseUnknownKeys(o, allowed, `${fn}() options`);
  for (const [k, v] of Object.entries(o)) if (v !== undefined) table[k]!(v, `${fn}() option ${k}`);
}
