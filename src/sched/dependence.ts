/**
 * When two steps are dependent: they touch a common word and one of them
 * writes it (sched/access.ts). Swapping two adjacent independent steps of
 * different agents changes nothing any agent can see; swapping dependent
 * ones may. This is the relation the exhaustive search (search/dpor.ts)
 * reduces by, and the decider's sleep sets use it online (a step taken
 * against what each sleeper's line announces it will do next), so that
 * both sides agree.
 *
 * An access covers one word, or (mem.bulk) a range of them. A spin step
 * reads its whole wait set (or, when the set overflowed, everything: it is
 * then dependent with every write).
 *
 * Under the weak memory model (memory/model.ts) what a load may read also
 * depends on the order of the full fences of different agents (smp_mb and
 * every fully ordered access: they join one global view), so any two of
 * them are dependent too, as if each read and wrote one word of its own.
 */
import { type Layout, MM_WEAK, ST_ACCESS, ST_ARG, ST_LEN, ST_ORDER, ST_SPIN, SW_ACCESS, SW_ARG, SW_EXPECT, SW_LEN, SW_ORDER, SW_SPIN_N, SW_SPIN_SET } from '../memory/layout.js';
import { A_CAS, A_NONE, A_READ, A_RMW, A_SPIN, F_MB, F_MB_AFTER_ATOMIC, F_MB_BEFORE_ATOMIC, O_FULL, writes } from './access.js';

/** Is a step of this ordering a full fence (smp_mb, or a fully ordered access), which orders itself with every other under weak? */
export const isFullFence = (order: number): boolean => order === O_FULL || order === F_MB || order === F_MB_BEFORE_ATOMIC || order === F_MB_AFTER_ATOMIC;

/** The word the full fences are taken to touch, for the searches' bookkeeping (no real word is negative). */
export const FENCE_WORD = -1;

/** Is a word of the spin log entry at `offset` (-1: it read everything) in [addr, addr + len)? */
function inLoggedSet(m: Int32Array, L: Layout, offset: number, addr: number, len: number): boolean {
  if (offset < 0) return true;
  const at = L.spinLog + offset;
  for (let i = 0; i < m[at]!; i++) if (m[at + 1 + i]! >= addr && m[at + 1 + i]! < addr + len) return true;
  return false;
}

/** Is a word of the wait set on agent line `w` in [addr, addr + len)? */
function waitSetMeets(m: Int32Array, w: number, addr: number, len: number): boolean {
  const n = m[w + SW_SPIN_N]!;
  if (n < 0) return true;
  for (let i = 0; i < n; i++) if (m[w + SW_SPIN_SET + 2 * i]! >= addr && m[w + SW_SPIN_SET + 2 * i]! < addr + len) return true;
  return false;
}

/** Do [a, a + la) and [b, b + lb) overlap? */
export const overlap = (a: number, la: number, b: number, lb: number): boolean => a < b + lb && b < a + la;

/**
 * Is the step record at `at` (what it did) dependent with the next step of
 * the agent on line `w`? A cas is what it would do now: a read-modify-write
 * if the word holds the value it expects, else a read (as the kernel's
 * cmpxchg that fails: no write).
 */
export function dependentOnStep(m: Int32Array, L: Layout, at: number, w: number): boolean {
  const ka = m[at + ST_ACCESS]!;
  let kb = m[w + SW_ACCESS]!;
  if (kb === A_CAS) kb = m[m[w + SW_ARG]!] === m[w + SW_EXPECT] ? A_RMW : A_READ;
  // A cas about to fail orders nothing (the kernel's rule), whatever its form.
  if (L.model === MM_WEAK && isFullFence(m[at + ST_ORDER]!) && isFullFence(m[w + SW_ORDER]!) && !(m[w + SW_ACCESS] === A_CAS && kb === A_READ)) return true;
  if (ka === A_NONE || kb === A_NONE) return false;
  if (!writes(ka) && !writes(kb)) return false;
  // Two spins only read; so here the other one writes.
  if (ka === A_SPIN) return inLoggedSet(m, L, m[at + ST_SPIN]!, m[w + SW_ARG]!, m[w + SW_LEN]!);
  if (kb === A_SPIN) return waitSetMeets(m, w, m[at + ST_ARG]!, m[at + ST_LEN]!);
  return overlap(m[at + ST_ARG]!, m[at + ST_LEN]!, m[w + SW_ARG]!, m[w + SW_LEN]!);
}

/** An access as the searches hold it: its kind, its words (`len` from `addr`), and a spin's wait set (null: every word). */
export interface AccessOf {
  kind: number;
  addr: number;
  len: number;
  /** A spin's words; null for a spin whose set overflowed (it reads everything). Unused for other kinds. */
  set: Int32Array | null;
  /** Under weak: a full fence (isFullFence), dependent with every other [false]. */
  full?: boolean;
}

const hits = (spin: AccessOf, x: AccessOf): boolean => spin.set === null || spin.set.some((w) => w >= x.addr && w < x.addr + x.len);

/** The same relation over two accesses held as values (search/). */
export function dependent(a: AccessOf, b: AccessOf): boolean {
  if (a.full === true && b.full === true) return true;
  if (a.kind === A_NONE || b.kind === A_NONE) return false;
  if (!writes(a.kind) && !writes(b.kind)) return false;
  if (a.kind === A_SPIN) return hits(a, b);
  if (b.kind === A_SPIN) return hits(b, a);
  return overlap(a.addr, a.len, b.addr, b.len);
}

/** The words an access touches (a spin: its wait set; an overflowed spin: `everything`, the words written so far). */
export function wordsOf(a: AccessOf, everything: () => Iterable<number>): Iterable<number> {
  if (a.kind === A_NONE) return [];
  if (a.kind === A_SPIN) return a.set ?? everything();
  if (a.len === 1) return [a.addr];
  return rangeOf(a.addr, a.len);
}

function* rangeOf(addr: number, len: number): Iterable<number> {
  for (let i = 0; i < len; i++) yield addr + i;
}
