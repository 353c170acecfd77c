/**
 * `iommu-stress litmus FILE...`: the kernel's herd7 C litmus tests, each
 * explored exhaustively under a memory model, printed as herd prints them,
 * and checked against the result the file states (herd7 under the Linux
 * kernel memory model): a model at least as strong as LKMM (sc, tso) may
 * find fewer outcomes than LKMM allows, never one LKMM forbids; weak, an
 * operational approximation of LKMM, is held to the same (and, on the
 * kernel's suite, gives the stated result for every accepted test).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../util/errors.js';
import { LitmusSyntaxError, LitmusUnsupported } from './errors.js';
import { MODEL_NAMES, type ModelName, agreesWithWeaker, formatResult, parseLitmus, runModel } from './index.js';
import type { LitmusTest } from './ast.js';

export interface LitmusCommandOptions {
  model: ModelName;
  /** List the tests whose constructs the model leaves out (RCU, ...) as refused and run the rest; without it, any such test is bad input. */
  skipUnsupported: boolean;
}

export interface LitmusSummary {
  run: number;
  refused: { file: string; why: string }[];
  /** Tests whose result contradicts the one the file states (a model stronger than LKMM allowed what LKMM forbids). */
  contradicted: string[];
  byResult: Record<string, number>;
}

export function parseModel(v: string): ModelName {
  if ((MODEL_NAMES as readonly string[]).includes(v)) return v as ModelName;
  throw new UsageError(`--memory-model ${JSON.stringify(v)}: unknown (allowed: ${MODEL_NAMES.join(', ')})`);
}

/** Read and parse every file before anything runs: a missing file, a syntax error, or (without skipUnsupported) a refused construct is bad input. */
function load(files: readonly string[], o: LitmusCommandOptions): { tests: LitmusTest[]; refused: LitmusSummary['refused'] } {
  const tests: LitmusTest[] = [];
  const refused: LitmusSummary['refused'] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new UsageError(`litmus ${JSON.stringify(f)}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}; allowed: herd7 C litmus files)`);
    }
    try {
      tests.push(parseLitmus(text, f));
    } catch (e) {
      if (e instanceof LitmusSyntaxError) throw new UsageError(`litmus: ${e.message}`);
      if (e instanceof LitmusUnsupported) {
        if (!o.skipUnsupported) throw new UsageError(`litmus: ${e.message} (the model leaves these out: --skip-unsupported lists such tests as refused and runs the rest)`);
        refused.push({ file: f, why: e.message });
        continue;
      }
      throw e;
    }
  }
  return { tests, refused };
}

export function litmusCommand(files: readonly string[], o: LitmusCommandOptions, write: (s: string) => void): LitmusSummary {
  const { tests, refused } = load(files, o);
  const s: LitmusSummary = { run: 0, refused, contradicted: [], byResult: {} };
  for (const t of tests) {
    const r = runModel(t, o.model);
    s.run++;
    s.byResult[r.result] = (s.byResult[r.result] ?? 0) + 1;
    write(formatResult(r));
    if (r.expected !== undefined) {
      const ok = agreesWithWeaker(r.expected, r);
      if (!ok) s.contradicted.push(r.name);
      write(`Stated ${r.name} ${r.expected} (herd7, LKMM): ${ok ? (r.expected === r.result ? 'agrees' : `consistent (${o.model} is stronger than LKMM)`) : `CONTRADICTED: ${o.model} allows what LKMM forbids`}\n\n`);
    }
  }
  for (const x of refused) write(`Refused ${x.why}\n`);
  const results = Object.entries(s.byResult).map(([k, n]) => `${n} ${k}`).join(', ');
  write(`\nlitmus under ${o.model}: ${s.run} tests run (${results || 'none'})${refused.length > 0 ? `, ${refused.length} refused (constructs the model leaves out)` : ''}; ${s.contradicted.length === 0 ? 'no result contradicts the one its file states' : `${s.contradicted.length} contradict the result their file states: ${s.contradicted.join(', ')}`}\n`);
  return s;
}
