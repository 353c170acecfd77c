/**
 * What an agent's throw becomes: its message, where in the design's code it
 * happened (the first frame of the stack outside the harness's own files,
 * relative to the working directory) and a few frames, as one line of JSON
 * an agent writes into shared memory (sched/scheduler.ts `fail`) and the
 * main thread reads back after the run. The same throw gives the same text
 * on every replay: nothing in it depends on time or on which thread read it
 * first.
 */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FL_AGENT, FL_CHARS, FL_LEN, FL_STEP, FL_TEXT, type Layout } from '../memory/layout.js';

export interface Crash {
  /** `TypeError: x is undefined`. */
  message: string;
  /** `examples/races/mine.mjs:12:9`, or '' when no frame of the stack is outside the harness. */
  where: string;
  /** The stack's first frames, as printed. */
  stack: string[];
  /** Thrown by the harness's API at the design (an undeclared invariant): bad input, not a finding. */
  usage: boolean;
}

/** The harness's own compiled files: frames there are not the design's. */
const HARNESS_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/' : '../../', import.meta.url));

const FRAMES = 6;
/** A message longer than this is cut (the failure block holds FL_CHARS characters in all). */
const MESSAGE_CHARS = 800;

/** `file:///x/y.mjs:3:4` (or `...y.mjs?v=1a2b:3:4`) or `/x/y.mjs:3:4` in a stack line, as a path and its position. */
function frameLocation(line: string): { file: string; pos: string } | null {
  // A user module is imported with a version query (`x.mjs?v=...`, modules/loader.ts): the location drops it.
  const m = /(?:\(|at )((?:file:\/\/)?\/[^():?]+(?:\.[cm]?js|\.ts))(?:\?[^:()]*)?:(\d+):(\d+)\)?\s*$/.exec(line);
  if (!m) return null;
  const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
  return { file, pos: `${m[2]}:${m[3]}` };
}

const shown = (file: string): string => {
  const r = relative(process.cwd(), file);
  return r.startsWith('..') || r === '' ? file : r.split(sep).join('/');
};

export function describeThrow(err: unknown): Crash {
  const e = err instanceof Error ? err : null;
  const full = e ? `${e.name}: ${e.message}` : `a non-Error was thrown: ${String(err)}`;
  const message = full.length > MESSAGE_CHARS ? `${full.slice(0, MESSAGE_CHARS)}...` : full;
  const lines = (e?.stack ?? '').split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('at '));
  // The design's frames only, with paths as the user would type them: the harness's own say nothing about the design.
  const stack: string[] = [];
  for (const l of lines) {
    const loc = frameLocation(l);
    if (!loc || loc.file.startsWith(HARNESS_DIR)) continue;
    const fn = /^at (.+?) \(/.exec(l)?.[1];
    stack.push(`at ${fn ? `${fn} (${shown(loc.file)}:${loc.pos})` : `${shown(loc.file)}:${loc.pos}`}`);
  }
  const where = stack.length > 0 ? /([^\s(]+:\d+:\d+)\)?$/.exec(stack[0]!)![1]! : '';
  return { message, where, stack: stack.slice(0, FRAMES), usage: e?.name === 'UsageError' };
}

export const encodeCrash = (c: Crash): string => JSON.stringify(c);

export function decodeCrash(text: string): Crash {
  try {
    const c = JSON.parse(text) as Crash;
    if (typeof c.message === 'string') return c;
  } catch {
    // cut short by the failure block's size: keep what there is
  }
  return { message: text, where: '', stack: [], usage: false };
}

/** One line: `TypeError: x is undefined (at examples/races/mine.mjs:12:9)`. */
export const crashLine = (c: Crash): string => `${c.message}${c.where ? ` (at ${c.where})` : ''}`;

/**
 * Keep the first failure of a run in shared memory (any agent, any mode):
 * written before the agent counts itself done, so the main thread always
 * finds it there, whichever message arrives first.
 */
export function writeFailure(m: Int32Array, L: Layout, agent: number, step: number, text: string): void {
  const f = L.failure;
  if (Atomics.compareExchange(m, f + FL_AGENT, 0, agent + 1) !== 0) return;
  m[f + FL_STEP] = step;
  const n = Math.min(text.length, FL_CHARS);
  for (let i = 0; i < n; i++) m[f + FL_TEXT + i] = text.charCodeAt(i);
  Atomics.store(m, f + FL_LEN, n);
}

/** The run's first failure, or null (main thread, after the run). */
export function readFailure(m: Int32Array, L: Layout): { agent: number; step: number; crash: Crash } | null {
  const f = L.failure;
  const a = Atomics.load(m, f + FL_AGENT);
  if (a === 0) return null;
  const n = Atomics.load(m, f + FL_LEN);
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCharCode(m[f + FL_TEXT + i]!);
  return { agent: a - 1, step: m[f + FL_STEP]!, crash: decodeCrash(text) };
}

/** Clear the failure block for a new run. */
export function clearFailure(m: Int32Array, L: Layout): void {
  m[L.failure + FL_AGENT] = 0;
  m[L.failure + FL_LEN] = 0;
  m[L.failure + FL_STEP] = -1;
}
