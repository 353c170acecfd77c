/**
 * The identity of a run's Mazurkiewicz trace: two runs whose steps differ
 * only in the order of independent steps (search/dependence) are the same
 * trace and get the same key. Each step is named by its agent and its
 * place in that agent's sequence; a read is keyed by the write it read
 * from, a write by the write it follows and the reads it follows since
 * then. Those edges are the whole partial order of dependent steps, so
 * equal keys mean equal traces (barring a hash collision: 64 bits).
 *
 * This is what random and PCT count as "distinct traces", and what the
 * tests use to check that dpor visits each trace once.
 */
import { A_NONE, A_SPIN, writes } from '../sched/access.js';
import type { Execution } from './execution.js';

function mix(h: number, x: number): number {
  h ^= x;
  h = Math.imul(h, 0x01000193);
  return h ^ (h >>> 15);
}

/** The 64-bit key of a run's trace, as 16 hex digits. */
export function traceKey(x: Execution): string {
  const A = x.agents;
  // Per agent: its steps so far (a step's name is agent * 2^20 + index), and two running hashes.
  const count = new Int32Array(A);
  const h1 = new Int32Array(A).fill(0x811c9dc5 | 0);
  const h2 = new Int32Array(A).fill(0x2545f491);
  /** Per word: the name of its last write (-1: none since the run began), and the reads since. */
  const lastWrite = new Map<number, number>();
  const readsSince = new Map<number, number[]>();
  const id = (a: number): number => a * 0x100000 + count[a]!;

  const note = (a: number, v: number): void => {
    h1[a] = mix(h1[a]!, v);
    h2[a] = mix(h2[a]!, (v * 0x9e3779b1) | 0);
  };
  const read = (a: number, me: number, w: number): void => {
    note(a, lastWrite.get(w) ?? -1);
    let r = readsSince.get(w);
    if (!r) readsSince.set(w, (r = []));
    r.push(me);
  };
  const write = (a: number, me: number, w: number): void => {
    note(a, lastWrite.get(w) ?? -1);
    const r = readsSince.get(w);
    if (r) {
      // Reads since the last write are unordered among themselves: hash them as a set.
      let s = 0;
      for (const v of r) s = (s + Math.imul(v | 1, 0x27d4eb2d)) | 0;
      note(a, s);
      note(a, r.length);
      r.length = 0;
    }
    lastWrite.set(w, me);
  };

  for (let s = 0; s < x.n; s++) {
    const a = x.agent[s]!;
    const me = id(a);
    const k = x.access[s]!;
    note(a, k);
    note(a, x.addr[s]!);
    if (k === A_SPIN) {
      const set = x.spinSets.get(s);
      if (set) for (const w of set) read(a, me, w);
      else for (const w of lastWrite.keys()) read(a, me, w); // an overflowed set read everything written so far
    } else if (k !== A_NONE) {
      if (writes(k)) write(a, me, x.addr[s]!);
      else read(a, me, x.addr[s]!);
    }
    count[a]!++;
  }
  let k1 = 0x811c9dc5 | 0;
  let k2 = 0x2545f491;
  for (let a = 0; a < A; a++) {
    k1 = mix(mix(k1, h1[a]!), count[a]!);
    k2 = mix(mix(k2, h2[a]!), count[a]!);
  }
  return (k1 >>> 0).toString(16).padStart(8, '0') + (k2 >>> 0).toString(16).padStart(8, '0');
}
