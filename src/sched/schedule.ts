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
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../util/errors.js';
import { readInputFile } from '../util/files.js';
import type { SwitchPoint } from './control.js';

export type Variant = 'broken' | 'correct';

/** The schedule format: v3 since spinning waiters block until a word they read changes (0.3.0). */
export const VERSION = 'v3';

export interface Schedule {
  race: string;
  variant: Variant;
  devices: number;
  ops: number;
  inflight: number;
  seed: number;
  fingerprint: string;
  switches: SwitchPoint[];
}

export function encodeSchedule(s: Schedule): string {
  const work = `d${s.devices}.o${s.ops}.i${s.inflight}.s${s.seed}`;
  return `${VERSION}:${s.race}:${s.variant}:${work}:${s.fingerprint}:${s.switches.map(([step, w]) => `${step}@${w}`).join('.')}`;
}

const FORMAT = 'v3:RACE:broken|correct:dN.oN.iN.sN:FINGERPRINT:STEP@AGENT.STEP@AGENT..., or a file holding one';
const bad = (text: string, why: string): UsageError =>
  new UsageError(`schedule ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '...' : text)}: ${why} (allowed: ${FORMAT})`);

export function parseSchedule(text: string): Schedule {
  const t = text.trim();
  const parts = t.split(':');
  if (parts[0] === 'v1') throw bad(t, 'a v1 schedule, from a version of iommu-stress before designs were pluggable: it cannot be replayed here; explore the race again');
  if (parts[0] === 'v2') {
    throw bad(t, 'a v2 schedule, recorded before iommu-stress 0.3.0 blocked spinning waiters until a word they read changes: its switch points name other steps here, so it cannot be replayed; explore the race again');
  }
  if (parts[0] !== VERSION || parts.length < 6) throw bad(t, `not a ${VERSION} schedule of six fields`);
  const n = parts.length;
  const race = parts.slice(1, n - 4).join(':');
  const [variant, work, fp, sw] = parts.slice(n - 4) as [string, string, string, string];
  if (race === '') throw bad(t, 'no race');
  if (variant !== 'broken' && variant !== 'correct') throw bad(t, `variant ${JSON.stringify(variant)} is neither broken nor correct`);
  const w = /^d(\d+)\.o(\d+)\.i(\d+)\.s(\d+)$/.exec(work);
  if (!w) throw bad(t, `work ${JSON.stringify(work)} is not dN.oN.iN.sN`);
  if (!/^[0-9a-f]{6}(-[0-9a-f]{6}){3}$/.test(fp)) throw bad(t, `fingerprint ${JSON.stringify(fp)} is not four groups of six hex digits`);
  const switches: SwitchPoint[] = [];
  if (sw !== '') {
    for (const p of sw.split('.')) {
      const m = /^(\d+)@(\d+)$/.exec(p);
      if (!m) throw bad(t, `switch point ${JSON.stringify(p)} is not STEP@AGENT`);
      const step = Number(m[1]);
      if (switches.length > 0 && step <= switches[switches.length - 1]![0]) throw bad(t, `switch points must be in increasing step order (${p})`);
      switches.push([step, Number(m[2])]);
    }
  }
  return { race, variant, devices: Number(w[1]), ops: Number(w[2]), inflight: Number(w[3]), seed: Number(w[4]), fingerprint: fp, switches };
}

/** A schedule given on the command line: the string itself, or a file holding it. */
export function readSchedule(arg: string): Schedule {
  if (/^v\d+:/.test(arg)) return parseSchedule(arg);
  if (!existsSync(arg)) throw new UsageError(`schedule ${JSON.stringify(arg)}: no such file, and not a schedule string (allowed: ${FORMAT})`);
  return parseSchedule(readInputFile(arg, { what: 'schedule', allowed: FORMAT, maxBytes: 1 << 22 }).toString('utf8').trim());
}

/** Smaller is simpler: fewer devices, then fewer operations, buffers, switch points. */
export function scheduleSize(s: Schedule): number[] {
  return [s.devices, s.ops, s.inflight, s.switches.length];
}

export function smaller(a: Schedule, b: Schedule): boolean {
  const x = scheduleSize(a);
  const y = scheduleSize(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

