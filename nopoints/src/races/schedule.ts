/**
 * A schedule: everything a replay needs to reproduce one controlled run
 * exactly. The race and variant fix the design; devices, operations,
 * buffers in flight and the seed fix the work; the switch points fix the
 * interleaving (every other step takes the default choice: the last worker
 * again if it can go on, else the lowest that can).
 *
 *   v1:device-locks:broken:d2.o6.i2.s3:12@1.40@0.55@1
 *      race         variant  work       switch points step@worker
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolveConfig, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import type { SwitchPoint } from '../harness.js';
import { raceByName, RACES } from './index.js';
import { raceConfig } from './race.js';

export type Variant = 'broken' | 'correct';

export interface Schedule {
  race: string;
  variant: Variant;
  devices: number;
  ops: number;
  inflight: number;
  seed: number;
  switches: SwitchPoint[];
}

export function encodeSchedule(s: Schedule): string {
  const work = `d${s.devices}.o${s.ops}.i${s.inflight}.s${s.seed}`;
  return `v1:${s.race}:${s.variant}:${work}:${s.switches.map(([step, w]) => `${step}@${w}`).join('.')}`;
}

const bad = (text: string, why: string): UsageError =>
  new UsageError(`schedule ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '...' : text)}: ${why} (allowed: v1:RACE:broken|correct:dN.oN.iN.sN:STEP@WORKER.STEP@WORKER..., or a file holding one)`);

export function parseSchedule(text: string): Schedule {
  const t = text.trim();
  const parts = t.split(':');
  if (parts.length !== 5 || parts[0] !== 'v1') throw bad(t, 'not a v1 schedule of five fields');
  const [, race, variant, work, sw] = parts as [string, string, string, string, string];
  if (!raceByName(race)) throw bad(t, `no race ${JSON.stringify(race)} (races: ${RACES.map((r) => r.name).join(', ')})`);
  if (variant !== 'broken' && variant !== 'correct') throw bad(t, `variant ${JSON.stringify(variant)} is neither broken nor correct`);
  const w = /^d(\d+)\.o(\d+)\.i(\d+)\.s(\d+)$/.exec(work);
  if (!w) throw bad(t, `work ${JSON.stringify(work)} is not dN.oN.iN.sN`);
  const switches: SwitchPoint[] = [];
  if (sw !== '') {
    for (const p of sw.split('.')) {
      const m = /^(\d+)@(\d+)$/.exec(p);
      if (!m) throw bad(t, `switch point ${JSON.stringify(p)} is not STEP@WORKER`);
      const step = Number(m[1]);
      if (switches.length > 0 && step <= switches[switches.length - 1]![0]) throw bad(t, `switch points must be in increasing step order (${p})`);
      switches.push([step, Number(m[2])]);
    }
  }
  return { race, variant, devices: Number(w[1]), ops: Number(w[2]), inflight: Number(w[3]), seed: Number(w[4]), switches };
}

/** A schedule given on the command line: the string itself, or a file holding it. */
export function readSchedule(arg: string): Schedule {
  if (!arg.startsWith('v1:') && existsSync(arg)) return parseSchedule(readFileSync(arg, 'utf8'));
  return parseSchedule(arg);
}

/** The run configuration a schedule replays. */
export function scheduleConfig(s: Schedule): Config {
  const race = raceByName(s.race)!;
  // A race whose devices share a domain keeps them sharing one at any device count.
  const shared = (race.base.groupSize ?? 1) > 1;
  return resolveConfig(
    raceConfig(race, s.variant, { devices: s.devices, groupSize: shared ? s.devices : 1, ops: s.ops, inflight: s.inflight, seed: s.seed }),
  );
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
