/**
 * Objects whose keys are fixed (a configuration, a definition, the options
 * of an API function): a key that is not one of them is refused, named with
 * the nearest allowed key when one is close (a typo, a wrong case) and every
 * allowed one. One wording for config files, `run()` configs, race and
 * piece definitions and API options.
 */
import { UsageError } from './errors.js';

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The allowed key `word` was most likely meant to be, or null when none is
 * close. Case is ignored (`groupsize` is `groupSize`); otherwise one edit is
 * close for a short word and two for one of 6 letters or more.
 */
export function nearest(word: string, among: readonly string[]): string | null {
  const w = word.toLowerCase();
  const limit = Math.min(2, Math.max(1, Math.floor(w.length / 3)));
  let best: string | null = null;
  let bestD = limit + 1;
  for (const k of among) {
    const d = distance(w, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** `unknown key "groupsize" (did you mean "groupSize"? allowed: devices, groupSize, ...)`. */
export function unknownKey(key: string, allowed: readonly string[]): string {
  const near = nearest(key, allowed);
  return `unknown key ${JSON.stringify(key)} (${near === null ? '' : `did you mean ${JSON.stringify(near)}? `}allowed: ${allowed.join(', ')})`;
}

/** One `unknownKey` text for each key of `o` that is not allowed. */
export function unknownKeys(o: object, allowed: readonly string[]): string[] {
  return Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => unknownKey(k, allowed));
}

/** Throw a UsageError naming `source` and the first key of `o` that is not allowed. */
export function refuseUnknownKeys(o: object, allowed: readonly string[], source: string): void {
  const [first] = unknownKeys(o, allowed);
  if (first !== undefined) throw new UsageError(`${source}: ${first}`);
}
