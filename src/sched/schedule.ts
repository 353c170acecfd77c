/**
 * A schedule: everything a replay needs to reproduce one controlled run
 * exactly. The race (a built-in's name or a module's path) and variant fix
 * the design; devices, operations, buffers in flight and the seed fix the
 * work; the fingerprint names the code and configuration it was recorded
 * against; the switch points fix the interleaving (every other step takes
 * the default choice: the last agent again if it can go on, else the lowest
 * that can).
 *
 *   v3:device-locks:broken:d2.o6.i2.s3:a1b2c3-d4e5f6-0789ab-cdef01:12@1.40@0.55@1
 *      race         variant  work       fingerprint                 switch points step@agent
 *
 * Under a memory model other than sc the work says which (`.mtso`,
 * `.mweak`) and the points also hold the loads that took another store than
 * the newest, `STEPrCHOICE` (choice 1: the store before the newest the load
 * could take, and so on):
 *
 *   v3:./publish.mjs:broken:d2.o1.i1.s1.mweak:...:31@1.40r1
 *
 * A race by path is named from where the schedule lives: a schedule file
 * names it relative to the file's own directory (so the file replays from
 * any cwd, and moves with the race), a schedule string relative to the cwd.
 * A race that is not where the schedule says is looked for by content: a
 * moved copy whose race fingerprint part is the recorded one.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../util/errors.js';
import { readInputFile } from '../util/files.js';
import { isModulePath } from '../config/config.js';
import { splitRef } from '../modules/loader.js';
import { racePart } from '../modules/fingerprint.js';
import { modulePathFrom } from '../modules/imports.js';
import type { ReadChoice, SwitchPoint } from './control.js';
import { MEMORY_MODELS, type MemoryModelName } from '../memory/layout.js';

/** The format's version, the prefix of every schedule string: v3 since spinning waiters block until a word they read changes (0.3.0). */
export const SCHEDULE_VERSION = 'v3';

export type Variant = 'broken' | 'correct';

export interface Schedule {
  race: string;
  variant: Variant;
  devices: number;
  ops: number;
  inflight: number;
  seed: number;
  fingerprint: string;
  switches: SwitchPoint[];
  /** The memory model it ran under [sc]. */
  memoryModel?: MemoryModelName;
  /** Under tso or weak: the loads that took another store than the newest [none]. */
  reads?: ReadChoice[];
}

export function encodeSchedule(s: Schedule): string {
  const mm = s.memoryModel !== undefined && s.memoryModel !== 'sc' ? `.m${s.memoryModel}` : '';
  const work = `d${s.devices}.o${s.ops}.i${s.inflight}.s${s.seed}${mm}`;
  const points: [number, string][] = [...s.switches.map(([step, w]): [number, string] => [step, `${step}@${w}`]), ...(s.reads ?? []).map(([step, c]): [number, string] => [step, `${step}r${c}`])];
  // By step; a step's switch before its read (stable: switches come first).
  points.sort((a, b) => a[0] - b[0]);
  return `${SCHEDULE_VERSION}:${s.race}:${s.variant}:${work}:${s.fingerprint}:${points.map((p) => p[1]).join('.')}`;
}

const FORMAT = `${SCHEDULE_VERSION}:RACE:broken|correct:dN.oN.iN.sN[.mtso|.mweak]:FINGERPRINT:STEP@AGENT.STEP@AGENT... (under tso or weak also STEPrCHOICE), or a file holding one`;
const bad = (text: string, why: string): UsageError =>
  new UsageError(`schedule ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '...' : text)}: ${why} (allowed: ${FORMAT})`);

export function parseSchedule(text: string): Schedule {
  const t = text.trim();
  const parts = t.split(':');
  if (parts[0] === 'v1') throw bad(t, 'a v1 schedule, from a version of iommu-stress before designs were pluggable: it cannot be replayed here; explore the race again');
  if (parts[0] === 'v2') {
    throw bad(t, 'a v2 schedule, recorded before iommu-stress 0.3.0 blocked spinning waiters until a word they read changes: its switch points name other steps here, so it cannot be replayed; explore the race again');
  }
  if (parts[0] !== SCHEDULE_VERSION || parts.length < 6) throw bad(t, `not a ${SCHEDULE_VERSION} schedule of six fields`);
  const n = parts.length;
  const race = parts.slice(1, n - 4).join(':');
  const [variant, work, fp, sw] = parts.slice(n - 4) as [string, string, string, string];
  if (race === '') throw bad(t, 'no race');
  if (variant !== 'broken' && variant !== 'correct') throw bad(t, `variant ${JSON.stringify(variant)} is neither broken nor correct`);
  const w = /^d(\d+)\.o(\d+)\.i(\d+)\.s(\d+)(?:\.m([a-z]+))?$/.exec(work);
  if (!w) throw bad(t, `work ${JSON.stringify(work)} is not dN.oN.iN.sN[.mMODEL]`);
  const mm = (w[5] ?? 'sc') as MemoryModelName;
  if (!MEMORY_MODELS.includes(mm) || w[5] === 'sc') throw bad(t, `memory model ${JSON.stringify(w[5])} in the work is not one of ${MEMORY_MODELS.filter((x) => x !== 'sc').join(', ')} (sc is written as no .m part)`);
  if (!/^[0-9a-f]{6}(-[0-9a-f]{6}){3}$/.test(fp)) throw bad(t, `fingerprint ${JSON.stringify(fp)} is not four groups of six hex digits`);
  const switches: SwitchPoint[] = [];
  const reads: ReadChoice[] = [];
  if (sw !== '') {
    for (const p of sw.split('.')) {
      const r = /^(\d+)r(\d+)$/.exec(p);
      if (r) {
        if (mm === 'sc') throw bad(t, `read choice ${JSON.stringify(p)} in a schedule under sc (loads choose among stores only under tso or weak: .mtso, .mweak)`);
        const step = Number(r[1]);
        if (reads.length > 0 && step <= reads[reads.length - 1]![0]) throw bad(t, `read choices must be in increasing step order (${p})`);
        if (Number(r[2]) < 1) throw bad(t, `read choice ${JSON.stringify(p)}: choice 0 (the newest store) is the default and is not written`);
        reads.push([step, Number(r[2])]);
        continue;
      }
      const m = /^(\d+)@(\d+)$/.exec(p);
      if (!m) throw bad(t, `switch point ${JSON.stringify(p)} is not STEP@AGENT${mm === 'sc' ? '' : ' or STEPrCHOICE'}`);
      const step = Number(m[1]);
      if (switches.length > 0 && step <= switches[switches.length - 1]![0]) throw bad(t, `switch points must be in increasing step order (${p})`);
      switches.push([step, Number(m[2])]);
    }
  }
  return {
    race,
    variant,
    devices: Number(w[1]),
    ops: Number(w[2]),
    inflight: Number(w[3]),
    seed: Number(w[4]),
    fingerprint: fp,
    switches,
    ...(mm !== 'sc' ? { memoryModel: mm, reads } : {}),
  };
}

/** The directory a schedule file names its race from: its own (a stream, /dev/stdout or a FIFO, has none: the cwd). */
function baseDirOf(file: string): string {
  try {
    if (!statSync(file).isFile()) return process.cwd();
  } catch {
    // Not there yet: the file about to be written.
  }
  return dirname(resolve(file));
}

/** A race as named from directory `to` instead of `from` (a built-in as it is). */
function rebaseRace(race: string, from: string, to: string): string {
  if (!isModulePath(race)) return race;
  const { file, exportPath } = splitRef(race);
  return modulePathFrom(to, resolve(from, file)) + (exportPath ? `#${exportPath}` : '');
}

/** A schedule as written to `file`: its race by path named from the file's directory (the string printed for the terminal stays `encodeSchedule`, from the cwd). */
export function encodeScheduleFile(s: Schedule, file: string): string {
  return encodeSchedule({ ...s, race: rebaseRace(s.race, process.cwd(), baseDirOf(file)) });
}

/** Where a moved race may be: the .mjs and .js files a few levels under these directories (breadth first, in name order; no node_modules, no dot-directories), at most MAX_CANDIDATES. */
const CANDIDATE_DEPTH = 3;
const MAX_CANDIDATES = 2000;

function moduleFilesUnder(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let level = dirs.map((dir) => ({ dir, depth: 0 }));
  while (level.length > 0 && out.length < MAX_CANDIDATES) {
    const next: typeof level = [];
    for (const { dir, depth } of level) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const n of names) {
        if (n.startsWith('.') || n === 'node_modules') continue;
        const p = join(dir, n);
        let isDir = false;
        try {
          isDir = statSync(p).isDirectory();
        } catch {
          continue;
        }
        if (isDir && depth < CANDIDATE_DEPTH) next.push({ dir: p, depth: depth + 1 });
        else if (!isDir && /\.(mjs|js)$/.test(n) && out.length < MAX_CANDIDATES) out.push(p);
      }
    }
    level = next;
  }
  return out;
}

/** Say on stderr what was done about a schedule (a moved race found). */
const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * The schedule, its race found: where it says (from the cwd), or, not
 * there, a moved copy under `dirs` or the cwd whose content (with what it
 * imports) gives the recorded race part of the fingerprint, said by `note`.
 */
function withRaceFound(s: Schedule, dirs: readonly string[], note: (line: string) => void): Schedule {
  if (!isModulePath(s.race)) return s;
  const { file, exportPath } = splitRef(s.race);
  if (existsSync(resolve(file))) return s;
  const recorded = s.fingerprint.split('-')[1];
  const copy = moduleFilesUnder([...dirs, process.cwd()]).find((c) => racePart({ url: pathToFileURL(c).href, exportName: exportPath }) === recorded);
  if (copy === undefined) return s;
  const race = modulePathFrom(process.cwd(), copy) + (exportPath ? `#${exportPath}` : '');
  note(`race ${s.race} not found; using ${race}, whose content matches the schedule`);
  return { ...s, race };
}

/**
 * A schedule given on the command line or to the API: the string itself
 * (its race from the cwd), or a file holding it (its race from the file's
 * directory; returned named from the cwd, as the terminal shows it).
 */
export function readSchedule(arg: string, note: (line: string) => void = toStderr): Schedule {
  if (/^v\d+:/.test(arg)) return withRaceFound(parseSchedule(arg), [], note);
  if (!existsSync(arg)) throw new UsageError(`schedule ${JSON.stringify(arg)}: no such file, and not a schedule string (allowed: ${FORMAT})`);
  const s = parseSchedule(readInputFile(arg, { what: 'schedule', allowed: FORMAT, maxBytes: 1 << 22 }).toString('utf8').trim());
  const dir = baseDirOf(arg);
  return withRaceFound({ ...s, race: rebaseRace(s.race, dir, process.cwd()) }, [dir], note);
}

/** Smaller is simpler: fewer devices, then fewer operations, buffers, switch points, loads of older stores. */
export function scheduleSize(s: Schedule): number[] {
  return [s.devices, s.ops, s.inflight, s.switches.length, s.reads?.length ?? 0];
}

export function smaller(a: Schedule, b: Schedule): boolean {
  const x = scheduleSize(a);
  const y = scheduleSize(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

