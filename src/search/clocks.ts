/**
 * Happens-before over one run's steps, as vector clocks: a step happens
 * after its agent's previous step and after every earlier step it depends
 * on (sched/dependence). `vc[s * agents + a]` is step s's clock entry for
 * agent a; step i happens before step j when j's entry for i's agent
 * reaches i's own. `preds[j]` are the last steps j depends on directly:
 * for each word it touches, the last write, and for a write also the reads
 * since (the candidates of a race with j, and the edges of its trace).
 */
import { A_NONE, A_SPIN, writes } from '../sched/access.js';
import { type AccessOf, FENCE_WORD } from '../sched/dependence.js';
import { type Execution, accessAt } from './execution.js';

export interface Clocks {
  vc: Int32Array;
  /** The agent's previous step before each step, -1 for its first. */
  prevOf: Int32Array;
  preds: number[][];
}

/** Ranges longer than this are handled as ranges (a table zeroed, an IOTLB invalidated), not word by word. */
const WORD_BY_WORD = 8;

/**
 * The last accesses of each word, as a run goes: the last write (a word's
 * own, or a bulk write covering it, whichever came later) and each agent's
 * last read since. A bulk write is one record, not one per word: a read
 * older than a word's last write is simply no longer counted.
 */
export class LastAccesses {
  private readonly write1 = new Map<number, number>();
  /** Bulk writes: addr, len, step, flat. */
  private readonly ranges: number[] = [];
  /** Per word, each agent's last read (older than the last write: stale, skipped). */
  private readonly reads = new Map<number, number[]>();

  constructor(private readonly agentOf: (s: number) => number) {}

  private lastWriteOf(w: number): number {
    let best = this.write1.get(w) ?? -1;
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 3) if (r[i + 2]! > best && w >= r[i]! && w < r[i]! + r[i + 1]!) best = r[i + 2]!;
    return best;
  }

  private word(w: number, isWrite: boolean, into: number[]): void {
    const lw = this.lastWriteOf(w);
    if (lw >= 0 && !into.includes(lw)) into.push(lw);
    if (!isWrite) return;
    for (const r of this.reads.get(w) ?? []) if (r > lw && !into.includes(r)) into.push(r);
  }

  /** The steps an access depends on (a write: on the reads since too), added to `into`, each once. */
  depends(a: AccessOf, into: number[]): void {
    const isWrite = writes(a.kind);
    if (a.full === true) this.word(FENCE_WORD, true, into);
    if (a.kind === A_NONE) return;
    if (a.kind === A_SPIN) {
      if (a.set) for (const w of a.set) this.word(w, false, into);
      else this.everything(into);
      return;
    }
    if (a.len <= WORD_BY_WORD) {
      for (let w = a.addr; w < a.addr + a.len; w++) this.word(w, isWrite, into);
      return;
    }
    // A range: the words within it that anyone touched, and the bulk writes over it not wholly written over since.
    const end = a.addr + a.len;
    for (const w of this.write1.keys()) if (w >= a.addr && w < end) this.word(w, isWrite, into);
    if (isWrite) for (const w of this.reads.keys()) if (w >= a.addr && w < end && !this.write1.has(w)) this.word(w, true, into);
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 3) {
      if (r[i]! < end && a.addr < r[i]! + r[i + 1]! && !into.includes(r[i + 2]!) && !this.covered(i, Math.max(a.addr, r[i]!), Math.min(end, r[i]! + r[i + 1]!))) into.push(r[i + 2]!);
    }
  }

  /** Is [from, to) written over by bulk writes after the one at r[i]? (Single writes over it are preds themselves, ordered after it.) */
  private covered(i: number, from: number, to: number): boolean {
    const r = this.ranges;
    let at = from;
    let moved = true;
    while (at < to && moved) {
      moved = false;
      for (let k = i + 3; k < r.length; k += 3) {
        if (r[k]! <= at && at < r[k]! + r[k + 1]!) {
          at = r[k]! + r[k + 1]!;
          moved = true;
        }
      }
    }
    return at >= to;
  }

  /** An overflowed spin read everything: the last write of every word written. */
  private everything(into: number[]): void {
    for (const w of this.write1.keys()) this.word(w, false, into);
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 3) if (!into.includes(r[i + 2]!)) into.push(r[i + 2]!);
  }

  /** Step `s` made access `a`. */
  took(s: number, a: AccessOf): void {
    if (a.full === true) this.write1.set(FENCE_WORD, s);
    if (a.kind === A_NONE) return;
    const isWrite = writes(a.kind);
    if (a.kind === A_SPIN) {
      if (a.set) for (const w of a.set) this.read(s, w);
      return;
    }
    if (isWrite && a.len > WORD_BY_WORD) {
      this.ranges.push(a.addr, a.len, s);
      return;
    }
    for (let w = a.addr; w < a.addr + a.len; w++) {
      if (isWrite) this.write1.set(w, s);
      else this.read(s, w);
    }
  }

  private read(s: number, w: number): void {
    let rs = this.reads.get(w);
    if (!rs) this.reads.set(w, (rs = []));
    // One read per agent: a later read of the same agent follows its earlier one.
    const agent = this.agentOf(s);
    const same = rs.findIndex((r) => this.agentOf(r) === agent);
    if (same >= 0) rs[same] = s;
    else rs.push(s);
  }
}

export function clocksOf(x: Execution): Clocks {
  const A = x.agents;
  const vc = new Int32Array(x.n * A);
  const prevOf = new Int32Array(x.n).fill(-1);
  const preds: number[][] = [];
  const lastOf = new Int32Array(A).fill(-1);
  const last = new LastAccesses((s) => x.agent[s]!);
  for (let j = 0; j < x.n; j++) {
    const p = x.agent[j]!;
    const prev = lastOf[p]!;
    prevOf[j] = prev;
    const at = j * A;
    if (prev >= 0) vc.copyWithin(at, prev * A, prev * A + A);
    const acc = accessAt(x, j);
    const mine: number[] = [];
    last.depends(acc, mine);
    for (const i of mine) for (let a = 0; a < A; a++) if (vc[i * A + a]! > vc[at + a]!) vc[at + a] = vc[i * A + a]!;
    vc[at + p]!++;
    last.took(j, acc);
    preds.push(mine);
    lastOf[p] = j;
  }
  return { vc, prevOf, preds };
}
