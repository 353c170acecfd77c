/**
 * Happens-before over one run's steps, as vector clocks: a step happens
 * after its agent's previous step and after every earlier step it depends
 * on (sched/dependence). `vc[s * agents + a]` is step s's clock entry for
 * agent a; step i happens before step j when j's entry for i's agent
 * reaches i's own. `preds[j]` are the last steps j depends on directly:
 * for each word it touches, the last write, and for a write also the reads
 * since (the candidates of a race with j).
 */
import { A_NONE, A_SPIN, writes } from '../sched/access.js';
import type { Execution } from './execution.js';

export interface Clocks {
  vc: Int32Array;
  /** The agent's previous step before each step, -1 for its first. */
  prevOf: Int32Array;
  preds: number[][];
}

export function clocksOf(x: Execution): Clocks {
  const A = x.agents;
  const vc = new Int32Array(x.n * A);
  const prevOf = new Int32Array(x.n).fill(-1);
  const preds: number[][] = [];
  const lastOf = new Int32Array(A).fill(-1);
  const lastWrite = new Map<number, number>();
  const readsSince = new Map<number, number[]>();
  for (let j = 0; j < x.n; j++) {
    const p = x.agent[j]!;
    const prev = lastOf[p]!;
    prevOf[j] = prev;
    const at = j * A;
    if (prev >= 0) vc.copyWithin(at, prev * A, prev * A + A);
    const k = x.access[j]!;
    const isWrite = writes(k);
    const words: Iterable<number> = k === A_NONE ? [] : k === A_SPIN ? (x.spinSets.get(j) ?? [...lastWrite.keys()]) : [x.addr[j]!];
    const mine: number[] = [];
    for (const w of words) {
      const lw = lastWrite.get(w);
      if (lw !== undefined) mine.push(lw);
      const rs = readsSince.get(w);
      if (isWrite && rs) mine.push(...rs);
    }
    for (const i of mine) for (let a = 0; a < A; a++) if (vc[i * A + a]! > vc[at + a]!) vc[at + a] = vc[i * A + a]!;
    vc[at + p]!++;
    for (const w of words) {
      if (isWrite) {
        lastWrite.set(w, j);
        readsSince.delete(w);
      } else {
        let rs = readsSince.get(w);
        if (!rs) readsSince.set(w, (rs = []));
        // One read per agent since the last write: a later read of the same agent follows its earlier one.
        const same = rs.findIndex((r) => x.agent[r] === p);
        if (same >= 0) rs[same] = j;
        else rs.push(j);
      }
    }
    preds.push(mine);
    lastOf[p] = j;
  }
  return { vc, prevOf, preds };
}
