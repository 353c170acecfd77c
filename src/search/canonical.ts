/**
 * The identity of a run's Mazurkiewicz trace: two runs whose steps differ
 * only in the order of independent steps (sched/dependence) are the same
 * trace and get the same key. Each step is named by its agent and its
 * place in that agent's sequence, and keyed by what it did and by the
 * steps it depends on directly (search/clocks: for each word it touches,
 * the last write, and for a write the reads since). Those edges are the
 * whole partial order of dependent steps, so equal keys mean equal traces
 * (barring a collision of the 64-bit hash).
 *
 * This is what random and PCT count as "distinct traces", and what the
 * tests use to check that dpor runs each trace once.
 */
import { type Clocks, clocksOf } from './clocks.js';
import type { Execution } from './execution.js';

function mix(h: number, x: number): number {
  h ^= x;
  h = Math.imul(h, 0x01000193);
  return h ^ (h >>> 15);
}

/** The 64-bit key of a run's trace, as 16 hex digits. */
export function traceKey(x: Execution, clocks: Clocks = clocksOf(x)): string {
  const A = x.agents;
  // Each step's name: its agent and its index among that agent's steps.
  const index = new Int32Array(x.n);
  const count = new Int32Array(A);
  for (let s = 0; s < x.n; s++) index[s] = count[x.agent[s]!]!++;
  const name = (s: number): number => x.agent[s]! * 0x100000 + index[s]!;
  const h1 = new Int32Array(A).fill(0x811c9dc5 | 0);
  const h2 = new Int32Array(A).fill(0x2545f491);
  for (let s = 0; s < x.n; s++) {
    const a = x.agent[s]!;
    // The steps it depends on are a set: summed, so their order in the list does not matter.
    let sum = 0;
    for (const p of clocks.preds[s]!) sum = (sum + mix(mix(0x9747b28c, name(p)), name(p) >>> 11)) | 0;
    for (const v of [x.access[s]!, x.addr[s]!, x.len[s]!, sum, clocks.preds[s]!.length]) {
      h1[a] = mix(h1[a]!, v);
      h2[a] = mix(h2[a]!, (v * 0x9e3779b1) | 0);
    }
  }
  let k1 = 0x811c9dc5 | 0;
  let k2 = 0x2545f491;
  for (let a = 0; a < A; a++) {
    k1 = mix(mix(k1, h1[a]!), count[a]!);
    k2 = mix(mix(k2, h2[a]!), count[a]!);
  }
  return (k1 >>> 0).toString(16).padStart(8, '0') + (k2 >>> 0).toString(16).padStart(8, '0');
}
