/**
 * Exploration speed, as a user meets it: `explore device-locks --correct
 * --runs 10000` as a whole command (start-up included), random and PCT,
 * and where a schedule's time goes: its phases as the exploration times
 * them (setup, steps, checks with the trace key: `perSchedule` in its
 * JSON), and, from runs side by side,
 *
 *   - the same command with IOMMU_STRESS_BATCH=0 (every schedule set up and
 *     checked by the main thread, waking it and the agents each time): what
 *     the batches save;
 *   - random and PCT with IOMMU_STRESS_DETECT=0 (no data-race or lock-order
 *     detector): what the detectors cost;
 *   - random and dpor under `--memory-model tso` and `weak` (loads choosing
 *     among stores, memory/model.ts): what the models cost a design whose
 *     accesses are fully ordered, against the same under sc;
 *   - `--runs 1`: the start-up (Node, the modules, the agents' threads).
 *
 * Each case is a child process (whole commands, alternated rep by rep so
 * the VM's drift falls on every case alike); its peak RSS from
 * /usr/bin/time where the machine has it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
import type { Profile } from './tuning.js';

/** The targets: schedules a second of the whole command, random; peak RSS. */
export const EXPLORE_TARGET_PER_SEC = 4000;
export const EXPLORE_RSS_TARGET_MB = 300;
/** What the detectors may cost random and PCT exploration, % of a whole command's time. */
export const DETECTOR_TARGET_PCT = 10;

const cli = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../dist/src/cli/cli.js' : '../src/cli/cli.js', import.meta.url));
const TIME = '/usr/bin/time';

interface Case {
  name: string;
  race: string;
  strategy: 'random' | 'pct' | 'dpor';
  runs: number;
  env?: Record<string, string>;
  args?: string[];
}

interface Measured {
  /** Whole command, s. */
  wallSec: number[];
  /** Schedules a second inside the exploration (its own clock, from the first schedule to the last). */
  innerPerSec: number[];
  stepsPerSchedule: number;
  rssMb: number[];
  /** The exploration's own phase times of a schedule, µs (null: not made in batches). */
  phases: { setupUs: number; stepsUs: number; checksUs: number }[];
}

type Phases = Measured['phases'][number];

function once(c: Case, dir: string): { wallSec: number; innerPerSec: number; steps: number; rssMb: number | null; phases: Phases | null } {
  const json = join(dir, `${c.name.replace(/\W+/g, '-')}.json`);
  const args = [cli, 'explore', c.race, '--correct', '--runs', String(c.runs), '--strategy', c.strategy, '--json', json, ...(c.args ?? [])];
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = spawnSync(timed ? TIME : process.execPath, timed ? ['-f', 'maxrss %M', process.execPath, ...args] : args, { encoding: 'utf8', env: { ...process.env, ...c.env } });
  const wallSec = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`explore ${c.race} (${c.name}) exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const x = JSON.parse(readFileSync(json, 'utf8')) as { schedulesPerSec: number; stepsPerSec: number; perSchedule: Phases | null };
  const rss = /maxrss (\d+)/.exec(r.stderr);
  return { wallSec, innerPerSec: x.schedulesPerSec, steps: x.stepsPerSec / x.schedulesPerSec, rssMb: rss ? Number(rss[1]) / 1024 : null, phases: x.perSchedule };
}

export interface ExploreBench {
  reps: number;
  cases: { c: Case; m: Measured }[];
}

export async function measureExplore(p: Profile): Promise<ExploreBench> {
  const runs = p.name === 'quick' ? 2000 : 10_000;
  const reps = p.name === 'quick' ? 1 : 3;
  const cases: Case[] = [
    { name: 'random', race: 'device-locks', strategy: 'random', runs },
    { name: 'pct', race: 'device-locks', strategy: 'pct', runs },
    { name: 'random, IOMMU_STRESS_BATCH=0', race: 'device-locks', strategy: 'random', runs, env: { IOMMU_STRESS_BATCH: '0' } },
    { name: 'random, IOMMU_STRESS_DETECT=0', race: 'device-locks', strategy: 'random', runs, env: { IOMMU_STRESS_DETECT: '0' } },
    { name: 'pct, IOMMU_STRESS_DETECT=0', race: 'device-locks', strategy: 'pct', runs, env: { IOMMU_STRESS_DETECT: '0' } },
    { name: 'random, --memory-model tso', race: 'device-locks', strategy: 'random', runs, args: ['--memory-model', 'tso'] },
    { name: 'random, --memory-model weak', race: 'device-locks', strategy: 'random', runs, args: ['--memory-model', 'weak'] },
    { name: 'dpor', race: 'device-locks', strategy: 'dpor', runs: runs / 2 },
    { name: 'dpor, --memory-model weak', race: 'device-locks', strategy: 'dpor', runs: runs / 2, args: ['--memory-model', 'weak'] },
    { name: 'start-up (--runs 1)', race: 'device-locks', strategy: 'random', runs: 1 },
  ];
  const out = cases.map((c) => ({ c, m: { wallSec: [], innerPerSec: [], stepsPerSchedule: 0, rssMb: [], phases: [] } as Measured }));
  const dir = mkdtempSync(join(tmpdir(), 'iommu-stress-bench-'));
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const o of out) {
        const r = once(o.c, dir);
        o.m.wallSec.push(r.wallSec);
        o.m.innerPerSec.push(r.innerPerSec);
        o.m.stepsPerSchedule = r.steps;
        if (r.rssMb !== null) o.m.rssMb.push(r.rssMb);
        if (r.phases !== null) o.m.phases.push(r.phases);
      }
      await new Promise((res) => setImmediate(res));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { reps, cases: out };
}

export function formatExplore(b: ExploreBench): string {
  const rows = b.cases.map(({ c, m }) => {
    const wall = median(m.wallSec);
    return [
      c.name,
      String(c.runs),
      `${wall.toFixed(2)} s`,
      c.runs > 1 ? (c.runs / wall).toFixed(0) : '',
      c.runs > 1 ? median(m.innerPerSec).toFixed(0) : '',
      m.stepsPerSchedule.toFixed(0),
      m.rssMb.length > 0 ? `${Math.max(...m.rssMb).toFixed(0)} MB` : 'n/a',
    ];
  });
  const get = (name: string): Measured => b.cases.find((x) => x.c.name === name)!.m;
  const random = get('random');
  const per = (m: Measured): number => 1e6 / median(m.innerPerSec);
  const whole = b.cases[0]!.c.runs / median(random.wallSec);
  const schedule = per(random);
  const phase = (k: keyof Phases): number => median(random.phases.map((x) => x[k]));
  const unbatched = per(get('random, IOMMU_STRESS_BATCH=0'));
  const startSec = median(get('start-up (--runs 1)').wallSec);
  const rss = Math.max(...b.cases.flatMap((x) => x.m.rssMb), 0);
  // What the detectors cost: the whole command with them against without, side by side.
  const costPct = (k: string): number => (median(get(k).wallSec) / median(get(`${k}, IOMMU_STRESS_DETECT=0`).wallSec) - 1) * 100;
  const detectorCost = (k: string): string => `${k} ${costPct(k) >= 0 ? '+' : ''}${costPct(k).toFixed(1)}% time`;
  const worstCost = Math.max(costPct('random'), costPct('pct'));
  const modelCost = (k: string, mm: string): string => {
    const r = median(get(`${k}, --memory-model ${mm}`).innerPerSec) / median(get(k).innerPerSec);
    return `${k} under ${mm} ${(r * 100).toFixed(0)}% of sc`;
  };
  const lines = [
    `explore: explore device-locks --correct as whole commands, median of ${b.reps} alternated (schedules a second: of the command, start-up included, and of the exploration's own clock)`,
    table(['case', 'runs', 'wall', 'sched/s', 'inner sched/s', 'steps/sched', 'peak RSS'], rows),
    '',
    `where a random schedule's time goes (${schedule.toFixed(0)} us, ${random.stepsPerSchedule.toFixed(0)} steps): ` +
      (random.phases.length > 0
        ? `${phase('setupUs').toFixed(0)} us its setup, ${phase('stepsUs').toFixed(0)} us its steps (${((phase('stepsUs') / Math.max(1, random.stepsPerSchedule)) * 1000).toFixed(0)} ns a step, hand-offs between the agents' threads included), ${phase('checksUs').toFixed(0)} us its checks and trace key; `
        : '') +
      `made one at a time by the main thread it takes ${unbatched.toFixed(0)} us (${(unbatched - schedule).toFixed(0)} us more: wake-ups of the agents and of the main thread, the main thread's turn); start-up ${startSec.toFixed(2)} s a command`,
    `the detectors (data race, lock order): ${detectorCost('random')}; ${detectorCost('pct')} (target: at most ${DETECTOR_TARGET_PCT}% slower: ${worstCost <= DETECTOR_TARGET_PCT ? 'PASS' : 'FAIL'})`,
    `the memory models against sc, schedules a second inside the exploration: ${modelCost('random', 'tso')}; ${modelCost('random', 'weak')}; ${modelCost('dpor', 'weak')}`,
    `target: random ${whole.toFixed(0)} schedules/s as a whole command (at least ${EXPLORE_TARGET_PER_SEC}): ${whole >= EXPLORE_TARGET_PER_SEC ? 'PASS' : 'FAIL'}; ` +
      (rss > 0 ? `peak RSS ${rss.toFixed(0)} MB (at most ${EXPLORE_RSS_TARGET_MB}): ${rss <= EXPLORE_RSS_TARGET_MB ? 'PASS' : 'FAIL'}` : 'peak RSS not measured (no /usr/bin/time)'),
  ];
  return lines.join('\n');
}
