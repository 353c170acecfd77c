/**
 * herd7 C litmus tests (the Linux kernel's LKMM suite): parse, explore
 * every execution under a memory model, print herd's verdict.
 *
 *   const r = runModel(parseLitmus(text, file), 'tso');
 *   process.stdout.write(formatResult(r));
 */
import type { LitmusTest } from './ast.js';
import { sc } from './models/sc.js';
import { tso } from './models/tso.js';
import { weak } from './models/weak.js';
import { type LitmusResult, type RunOptions, runLitmus } from './run.js';

export * from './ast.js';
export * from './errors.js';
export type * from './model.js';
export { INIT_WRITE, LOCK_FREE, LOCK_HELD } from './model.js';
export { parseLitmus } from './parse.js';
export { agreesWithWeaker, explore, formatCondition, formatResult, type LitmusResult, MAX_STATES, observationOf, type RunOptions, runLitmus, shownLocations } from './run.js';
export { sc, type ScState } from './models/sc.js';
export { tso, type TsoState } from './models/tso.js';
export { weak, type WeakState } from './models/weak.js';

/** The models by name: sequential consistency, x86-TSO, and a weak (LKMM-like, view-based) model. */
export const MODEL_NAMES = ['sc', 'tso', 'weak'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export function runModel(test: LitmusTest, name: ModelName, options: RunOptions = {}): LitmusResult {
  return name === 'sc' ? runLitmus(test, sc, options) : name === 'tso' ? runLitmus(test, tso, options) : runLitmus(test, weak, options);
}
