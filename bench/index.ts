/**
 * `npm run bench`: the environment line, then each section's table.
 *
 *   node dist/bench/index.js [--only locks,pgtable,overhead,native,twin,sampling,explore,instructions] [--quick]
 *
 * `instructions` (callgrind, minutes) runs only when named.
 *
 * Never part of `npm test`. Each section measures (plain numbers) and then
 * draws its table; the sections are named once, below.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { readEnv } from '../src/util/env.js';
import { envLine } from '../src/report/report.js';
import { formatLocks, measureLocks } from './locks.js';
import { formatPgtable, measurePgtable } from './pgtable.js';
import { formatOverhead, measureOverhead } from './overhead.js';
import { formatNative, measureNative } from './native.js';
import { formatTwin, measureTwin } from './twin.js';
import { formatInstructions, measureInstructions } from './instructions.js';
import { formatExplore, measureExplore } from './explore.js';
import { formatSampling, measureSampling } from './sampling.js';
import { FULL, QUICK, type Profile } from './tuning.js';
import { setV8Flags } from '../src/engine/engine.js';

interface Section {
  readonly name: string;
  /** Run only when named in --only (slow, or needs a tool not every machine has). */
  readonly optional?: boolean;
  run(p: Profile): Promise<string>;
}

const SECTIONS: readonly Section[] = [
  { name: 'locks', run: async (p) => formatLocks(await measureLocks(p)) },
  { name: 'pgtable', run: async (p) => formatPgtable(await measurePgtable(p)) },
  { name: 'overhead', run: async (p) => formatOverhead(await measureOverhead(p)) },
  { name: 'native', run: async (p) => formatNative(await measureNative(p)) },
  { name: 'twin', run: async (p) => formatTwin(await measureTwin(p)) },
  { name: 'sampling', run: async (p) => formatSampling(await measureSampling(p)) },
  { name: 'explore', run: async (p) => formatExplore(await measureExplore(p)) },
  { name: 'instructions', optional: true, run: async (p) => formatInstructions(await measureInstructions(p)) },
];
const NAMES = SECTIONS.map((s) => s.name);

const USAGE = `usage: npm run bench -- [--only ${NAMES.join('|')}[,...]] [--quick]`;

function selected(only: string | undefined): readonly Section[] {
  if (only === undefined) return SECTIONS.filter((s) => !s.optional);
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !NAMES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only ${JSON.stringify(only)}: unknown section (allowed: ${NAMES.join(', ')}, comma-separated)`);
  }
  return SECTIONS.filter((s) => names.includes(s.name));
}

async function main(): Promise<number> {
  let sections: readonly Section[];
  let profile: Profile;
  try {
    const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    sections = selected(values.only);
    profile = values.quick ? QUICK : FULL;
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  // V8's flags as the harness runs with them (Engine.open sets them too): every section measures code compiled the same way.
  setV8Flags();
  console.log(envLine(readEnv()));
  console.log(`profile: ${profile.name}${profile.name === 'quick' ? ' (short runs: expect wider spread)' : ''}; load average ${os.loadavg()[0]!.toFixed(2)} at the start (other work on the machine adds noise)`);
  const t0 = performance.now();
  for (const s of sections) {
    console.log('');
    try {
      console.log(await s.run(profile));
    } catch (e) {
      console.error(`bench: section ${s.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }
  console.log(`\nbench: ${sections.length} section(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = await main();
