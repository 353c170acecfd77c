/**
 * What a schedule was recorded against, so that a replay against changed
 * code says so instead of replaying something else: four short hashes, of
 * the harness's own code, of the race, of the modules the design loaded,
 * and of the configuration (the work a schedule names itself, devices,
 * operations, buffers and seed, left out: shrink changes those). The race
 * and the modules are hashed by content: each module with every file it
 * imports, transitively (modules/imports.ts), as loaded (the version its
 * spec's URL carries), wherever the files lie.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../api/types.js';
import type { DesignSpec, PieceSpec } from '../engine/design.js';
import { type GraphFile, importGraph, knownGraph, shownPath, versionOf, versionParam } from './imports.js';

export const FINGERPRINT_PARTS = ['harness', 'race', 'modules', 'configuration'] as const;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
const short = (s: string): string => fnv(0x811c9dc5, s).toString(16).padStart(8, '0').slice(0, 6);

let harnessHash: string | null = null;
/**
 * The parts of the harness that decide what a controlled run does (the
 * engine and its scheduler, the memory layout, the built-in pieces, the
 * checker, the defaults, the seeded generator), as compiled: a change to how
 * results are printed or saved leaves every schedule valid.
 */
const RUN_DIRS = ['engine', 'sched', 'memory', 'drivers', 'locks', 'allocators', 'flush', 'agents', 'races', 'checker', 'config', 'util'];

/** The compiled code that decides a controlled run (RUN_DIRS of dist/src), hashed once a process. */
function harness(): string {
  if (harnessHash !== null) return harnessHash;
  const here = import.meta.url;
  const root = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/src/' : '../', here));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.js')) files.push(p);
    }
  };
  let h = 0x811c9dc5;
  try {
    for (const d of RUN_DIRS) walk(join(root, d));
    for (const f of files) h = fnv(fnv(h, f.slice(root.length)), readFileSync(f, 'utf8'));
  } catch {
    h = fnv(h, 'unreadable');
  }
  harnessHash = h.toString(16).padStart(8, '0').slice(0, 6);
  return harnessHash;
}

/** A piece as hashed: a built-in by name, a module by export and its graph's version (as loaded, else as on disk now); and the graph's files where known. */
function piece(p: PieceSpec): { text: string; files: readonly GraphFile[] } {
  if ('builtin' in p) return { text: `builtin:${p.builtin}`, files: [] };
  const path = fileURLToPath(p.url);
  const pinned = versionParam(p.url);
  const files = pinned === null ? importGraph(path) : knownGraph(path, pinned);
  return { text: `${p.exportName ?? 'default'}:${pinned ?? versionOf(files ?? [])}`, files: files ?? [] };
}

/** The race part of a fingerprint, for a race module (to find a moved copy of it by content). */
export const racePart = (p: PieceSpec): string => short(piece(p).text);

/** The files each race and modules part seen in this process was computed from (to name what changed). */
const partFiles = new Map<string, readonly GraphFile[]>();
const PART_FILES_MAX = 256;

function remember(part: string, hash: string, files: readonly GraphFile[]): void {
  const key = `${part}:${hash}`;
  if (partFiles.has(key) || files.length === 0) return;
  if (partFiles.size >= PART_FILES_MAX) partFiles.delete(partFiles.keys().next().value!);
  partFiles.set(key, files);
}

/** The configuration's part: every key but the work a schedule carries and what a controlled run ignores. */
function configPart(c: Config): string {
  const skip = new Set(['devices', 'groupSize', 'ops', 'inflight', 'seed', 'durationSec', 'watchdogSec', 'stats', 'latencySample', 'holdSample', 'driver', 'lock', 'allocator', 'flush']);
  return JSON.stringify(Object.entries(c).filter(([k]) => !skip.has(k)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function fingerprint(spec: DesignSpec): string {
  const race = spec.race ? piece(spec.race.spec) : { text: 'none', files: [] };
  const modules = [spec.driver, spec.lock, spec.allocator, spec.flush].map(piece);
  const racePartHash = short(race.text);
  const modulesPartHash = short(modules.map((m) => m.text).join('\n'));
  remember('race', racePartHash, race.files);
  remember('modules', modulesPartHash, modules.flatMap((m) => m.files));
  return [harness(), racePartHash, modulesPartHash, short(configPart(spec.config))].join('-');
}

/** Which parts of two fingerprints differ, by name. */
export function fingerprintDiff(a: string, b: string): string[] {
  const x = a.split('-');
  const y = b.split('-');
  return FINGERPRINT_PARTS.filter((_, i) => x[i] !== y[i]);
}

/**
 * The files whose content differs between two fingerprints' race and
 * modules parts, as messages show them; empty where this process
 * never computed the recorded part (a schedule from another process: what
 * it recorded is a hash, so only the part can be named).
 */
export function changedFiles(recorded: string, now: string): string[] {
  const x = recorded.split('-');
  const y = now.split('-');
  const out = new Set<string>();
  for (const part of ['race', 'modules'] as const) {
    const i = FINGERPRINT_PARTS.indexOf(part);
    if (x[i] === y[i]) continue;
    const then = partFiles.get(`${part}:${x[i]}`);
    const cur = partFiles.get(`${part}:${y[i]}`);
    if (!then || !cur) continue;
    const was = new Map(then.map((f) => [f.path, f.hash]));
    const is = new Map(cur.map((f) => [f.path, f.hash]));
    for (const p of new Set([...was.keys(), ...is.keys()])) if (was.get(p) !== is.get(p)) out.add(shownPath(p));
  }
  return [...out];
}

/** What changed between a schedule's fingerprint and the code's now, in words: `the race, the modules changed (./examples/drivers/amd-v1.mjs)`. */
export function describeChange(recorded: string, now: string): string {
  const files = changedFiles(recorded, now);
  return `the ${fingerprintDiff(recorded, now).join(', the ')} changed${files.length > 0 ? ` (${files.join(', ')})` : ''}`;
}
