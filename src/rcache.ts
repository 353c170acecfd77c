/**
 * Magazines of cached IOVA ranges (Linux lib/iova.c rcache): per worker and
 * domain, a loaded and a previous magazine for each range size (1 to 32
 * pages), and per domain a depot of full magazines behind the depot lock.
 * A magazine is a count then up to MAG_SIZE window offsets. The device loop
 * strings these one-liners together (rcache allocation: loaded, previous,
 * depot, then the global allocator; free: the same in reverse, and the
 * global allocator when the depot is full).
 */
import { DEPOT_MAGS, LINE_WORDS, MAG_ORDERS, MAG_SIZE, MAG_WORDS } from './layout.js';

/** Order of a range of `pages` pages, or -1 if too large to cache (> 128 KiB). */
export function orderOf(pages: number): number {
  let order = 0;
  while (1 << order < pages) order++;
  return order < MAG_ORDERS ? order : -1;
}

export const magFull = (m: Int32Array, mag: number): boolean => m[mag]! === MAG_SIZE;
export const magEmpty = (m: Int32Array, mag: number): boolean => m[mag]! === 0;
export function magPop(m: Int32Array, mag: number): number {
  const n = m[mag]! - 1;
  m[mag] = n;
  return m[mag + 1 + n]!;
}
export const magPush = (m: Int32Array, mag: number, off: number): void => {
  m[mag + 1 + m[mag]!] = off;
  m[mag] = m[mag]! + 1;
};
/** Exchange two magazines' contents (the loaded and the previous; no pointers to swap here). */
export function magSwap(m: Int32Array, a: number, b: number, scratch: Int32Array): void {
  for (let i = 0; i < MAG_WORDS; i++) scratch[i] = m[a + i]!;
  m.copyWithin(a, b, b + MAG_WORDS);
  for (let i = 0; i < MAG_WORDS; i++) m[b + i] = scratch[i]!;
}
/** Depot: word 0 counts the full magazines, which follow from the next line. */
export const depotCount = (m: Int32Array, depot: number): number => m[depot]!;
export const depotFull = (m: Int32Array, depot: number): boolean => m[depot]! === DEPOT_MAGS;
export const depotSlot = (depot: number, i: number): number => depot + LINE_WORDS + i * MAG_WORDS;
/** Move a full magazine into the depot (caller holds the depot lock). */
export function depotPush(m: Int32Array, depot: number, mag: number): void {
  m.copyWithin(depotSlot(depot, m[depot]!), mag, mag + MAG_WORDS);
  m[depot] = m[depot]! + 1;
  m[mag] = 0;
}
/** Take a full magazine from the depot into `mag` (caller holds the depot lock). */
export function depotPop(m: Int32Array, depot: number, mag: number): void {
  m[depot] = m[depot]! - 1;
  const slot = depotSlot(depot, m[depot]!);
  m.copyWithin(mag, slot, slot + MAG_WORDS);
}
