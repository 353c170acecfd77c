/**
 * The identity of a run's Mazurkiewicz trace: two runs whose steps differ
 * only in the order of independent steps (sched/dependence) are the same
 * trace and get the same key (under tso or weak, a load that took another
 * store than the newest makes another key). Each step is named by its agent and its
 * place in that agent's sequence; a read is keyed by the write it read
 * from, a write by the write it follows and by the reads of its word since
 * that write (a set: summed). Those edges are the whole partial order of
 * dependent steps, so equal keys mean equal traces (barring a collision of
 * the 64-bit hash).
 *
 * This is what random and PCT count as "distinct traces" (every schedule:
 * kept cheap, a few dozen instructions a step, on typed arrays stamped per
 * run instead of cleared), and what the tests use to check that dpor runs
 * each trace once.
 */
import { A_NONE, A_SPIN, writes } from '../sched/access.js';
import type { Execution } from './execution.js';

function mix(h: number, x: number): number {
  h ^= x;
  h = Math.imul(h, 0x01000193);
  return h ^ (h >>> 15);
}

/**
 * Per word, for the current run (`stamp`): the spread name of its last write
 * (0: none yet), and the sum and count of the spread names of the reads since.
 */
class Words {
  stamp = new Int32Array(0);
  lastWrite = new Int32Array(0);
  readSum = new Int32Array(0);
  readCount = new Int32Array(0);
  /** The words written this run (what an overflowed spin reads). */
  written: number[] = [];
  run = 0;

  fit(words: number): void {
    if (words <= this.stamp.length) return;
    const n = Math.max(words, this.stamp.length * 2, 1024);
    this.stamp = new Int32Array(n);
    this.lastWrite = new Int32Array(n);
    this.readSum = new Int32Array(n);
    this.readCount = new Int32Array(n);
  }
}
const words = new Words();

/** A step's name spread over 32 bits, never 0 (0 is "no write yet"). */
const spread = (me: number): number => mix(mix(0x9747b28c, me), me >>> 11) | 1;

/**
 * The 64-bit key of a run's trace, as 16 hex digits.
 *
 * A step's dependences are sets (the writes it follows, the reads a write
 * follows, over every word it covers), so each is hashed as a sum of spread
 * names: a few additions a word, no multiply chain, which keeps a bulk
 * access of hundreds of words (a table zeroed, an IOTLB invalidated) cheap.
 */
export function traceKey(x: Execution): string {
  const k = traceKeyWords(x);
  return keyText(k[0]!, k[1]!);
}

/** A key's two 32-bit words (traceKeyWords) as its 16 hex digits. */
export const keyText = (hi: number, lo: number): string => (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');

/** The key's two 32-bit halves (high, low), in an array the next call overwrites. */
const KEY = new Int32Array(2);

/** The key of a run's trace as two 32-bit words (traceKey's hex digits are these). */
export function traceKeyWords(x: Execution): Int32Array {
  const A = x.agents;
  let top = 0;
  for (let s = 0; s < x.n; s++) if (x.access[s] !== A_NONE) top = Math.max(top, x.addr[s]! + x.len[s]!);
  for (const set of x.spinSets.values()) if (set) for (const w of set) top = Math.max(top, w + 1);
  const W = words;
  W.fit(top);
  W.run = (W.run + 1) | 0 || 1;
  W.written.length = 0;
  const { stamp, lastWrite, readSum, readCount, written } = W;
  const run = W.run;
  const count = new Int32Array(A);
  // Two independent 32-bit hashes an agent (the key is 64 bits), fed the same values.
  const h1 = new Int32Array(A).fill(0x811c9dc5 | 0);
  const h2 = new Int32Array(A).fill(0x2545f491);
  // Words first written this run, kept only where an overflowed spin will read them all.
  let keepWritten = false;
  for (const set of x.spinSets.values()) if (set === null) keepWritten = true;
  for (let s = 0; s < x.n; s++) {
    const a = x.agent[s]!;
    const k = x.access[s]!;
    const addr = x.addr[s]!;
    const len = x.len[s]!;
    let g1 = mix(mix(h1[a]!, k + (len << 3)), addr);
    let g2 = mix(mix(h2[a]!, k * 3 + (len << 5)), addr * 5);
    if (k !== A_NONE) {
      const me = spread(a * 0x100000 + count[a]!);
      // Sums over the words: of the last writes (and, for a write, of the reads since and their count), and of their squares.
      let sw = 0;
      let sq = 0;
      let sr = 0;
      let sc = 0;
      if (k === A_SPIN) {
        const set = x.spinSets.get(s) ?? Int32Array.from(written); // an overflowed spin read everything written so far
        for (let i = 0; i < set.length; i++) {
          const w = set[i]!;
          if (stamp[w] !== run) {
            stamp[w] = run;
            lastWrite[w] = 0;
            readSum[w] = 0;
            readCount[w] = 0;
          }
          const lw = lastWrite[w]!;
          sw = (sw + lw) | 0;
          sq = (sq + Math.imul(lw, lw | 1)) | 0;
          readSum[w] = (readSum[w]! + me) | 0;
          readCount[w]!++;
        }
      } else if (writes(k)) {
        for (let w = addr; w < addr + len; w++) {
          let lw = 0;
          if (stamp[w] !== run) {
            stamp[w] = run;
            if (keepWritten) written.push(w);
          } else {
            lw = lastWrite[w]!;
            sw = (sw + lw) | 0;
            sq = (sq + Math.imul(lw, lw | 1)) | 0;
            sr = (sr + readSum[w]!) | 0;
            sc = (sc + readCount[w]!) | 0;
          }
          lastWrite[w] = me;
          readSum[w] = 0;
          readCount[w] = 0;
        }
      } else {
        for (let w = addr; w < addr + len; w++) {
          if (stamp[w] !== run) {
            stamp[w] = run;
            lastWrite[w] = 0;
            readSum[w] = me;
            readCount[w] = 1;
          } else {
            const lw = lastWrite[w]!;
            sw = (sw + lw) | 0;
            sq = (sq + Math.imul(lw, lw | 1)) | 0;
            readSum[w] = (readSum[w]! + me) | 0;
            readCount[w]!++;
          }
        }
      }
      g1 = mix(mix(mix(g1, sw), sr), sc);
      g2 = mix(mix(mix(g2, sq), Math.imul(sr, 0x2c1b3c6d)), sc * 13);
      // Under tso or weak, a load that took an older store than the newest is another execution.
      const rf = x.rf[s]!;
      if (rf !== 0) {
        g1 = mix(g1, rf * 0x45d9f3b + 1);
        g2 = mix(g2, Math.imul(rf, 0x27d4eb2d) ^ 0x165667b1);
      }
    }
    h1[a] = g1;
    h2[a] = g2;
    count[a]!++;
  }
  let k1 = 0x811c9dc5 | 0;
  let k2 = 0x2545f491;
  for (let b = 0; b < A; b++) {
    k1 = mix(mix(k1, h1[b]!), count[b]!);
    k2 = mix(mix(k2, h2[b]!), count[b]!);
  }
  KEY[0] = k1;
  KEY[1] = k2;
  return KEY;
}
