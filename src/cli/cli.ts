#!/usr/bin/env node
/**
 * iommu-stress command line. Every command checks all of its input before it
 * starts a worker: bad input exits 2 with a message naming the value and what
 * is allowed, and writes no file.
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import {
  type Config,
  type Field,
  DEFAULTS,
  FIELDS,
  allowedText,
  fieldByKey,
  parseFlag,
  parseInject,
  readConfigFile,
  resolveConfig,
} from './config.js';
import { EXIT_CLEAN, EXIT_HARNESS, EXIT_USAGE, EXIT_VIOLATIONS, HarnessError, UsageError } from './errors.js';
import { runHarness } from './harness.js';
import { LOCKS } from './locks/registry.js';
import { formatComparison, formatLockStat, formatRun, sharingFinding } from './report.js';
import type { RunResult } from './result.js';
import { checkWritable, writeJson, writeText } from './output.js';
import { type ListValue, parseList, parseShard, planSweep, runSweep } from './sweep.js';
import { readRecords, summarizePoints } from './sweep-record.js';
import { formatSummary } from './summary.js';
import { formatCompare, runCompare } from './compare.js';
import { SCENARIOS, scenarioByName } from './scenarios/index.js';
import { runScenario } from './scenarios/scenario.js';
import { formatScenario } from './scenarios/format.js';
import { RACES, raceByName } from './races/index.js';
import type { Race } from './races/race.js';
import { Controller, type RaceRun, explore, replay, shrink, stress } from './races/explore.js';
import { type Schedule, encodeSchedule, readSchedule } from './races/schedule.js';
import { formatHistogram, formatRaceList, formatRaceRun } from './races/format.js';
import { MAX_PCT_DEPTH } from './layout.js';

const VERSION = '0.1.0';

/**
 * Add the run configuration flags (from the FIELDS table) to a command.
 * `parse` turns a flag's text into its value (a list of values for sweeps).
 */
function addRunOptions(cmd: Command, parse: (f: Field, text: string) => unknown = parseFlag, listHelp = '', inject = true): Command {
  for (const f of FIELDS) {
    const def = DEFAULTS[f.key];
    const shown = f.key === 'granule' && def === 0 ? 'whole buffer' : String(def);
    const help = `${f.help} [${allowedText(f)}]${listHelp} (default: ${shown})`;
    cmd.addOption(new Option(`${f.flag} <${f.arg}>`, help).argParser((text: string) => parse(f, text)));
  }
  if (inject) cmd.addOption(new Option('--inject <KIND:DEVICE:OPS>', 'harness self-test: make a device throw, or hold its lock forever, after OPS operations').argParser(parseInject));
  cmd.option('--config <FILE>', 'read the configuration from a JSON file (keys as in the JSON result\'s "config"); flags override it');
  return cmd;
}

/** The flags a command was given, by config key. */
function flagsOf(opts: Record<string, unknown>): Partial<Record<keyof Config, unknown>> {
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const f of FIELDS) {
    const attr = new Option(`${f.flag} <x>`).attributeName();
    if (opts[attr] !== undefined) out[f.key] = opts[attr];
  }
  if (opts.inject !== undefined) out.inject = opts.inject;
  return out;
}

/** Config from a command's parsed options: base < --config file < flags. */
function configFrom(opts: Record<string, unknown>, base: Partial<Config> = {}): Config {
  const fromFile = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
  return resolveConfig({ ...base, ...fromFile, ...(flagsOf(opts) as Partial<Config>) });
}

function positiveInt(flag: string, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > max) throw new UsageError(`${flag} ${JSON.stringify(text)}: not a count (allowed: an integer from 1 to ${max})`);
    return n;
  };
}

/** Progress on stderr: a bar on a terminal, a line a run otherwise. */
function progress(label: string): { start(done: number, total: number, what: string): void; stop(): void } {
  if (!process.stderr.isTTY) {
    return {
      start: (done, total, what) => process.stderr.write(`${label} ${done + 1}/${total}: ${what}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} {bar} {value}/{total} runs | {eta_formatted} left | {what}`, stream: process.stderr, etaBuffer: 20, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(done, total, what) {
      if (!started) bar.start(total, done, { what });
      else bar.update(done, { what });
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function exitFor(r: RunResult): number {
  return r.violations.count > 0 ? EXIT_VIOLATIONS : EXIT_CLEAN;
}

export function buildProgram(): Command {
  const program = new Command('iommu-stress')
    .description('Measure and break the locking of IOMMU page tables: worker threads map and unmap through IO page tables in shared memory')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride();

  addRunOptions(
    program
      .command('run')
      .description('one run: devices map, DMA and unmap through their domains; prints throughput, lock statistics and checker findings')
      .option('--json <FILE>', 'write the whole result (configuration included) as JSON')
      .option('--lockstat', 'also print the lock statistics in the layout of Linux /proc/lock_stat'),
  ).action(async (opts: Record<string, unknown>) => {
    const cfg = configFrom(opts);
    const json = typeof opts.json === 'string' ? opts.json : null;
    if (json) checkWritable(json, '--json');
    const r = await runHarness(cfg);
    if (json) writeJson(json, r);
    process.stdout.write(formatRun(r) + '\n');
    if (opts.lockstat) process.stdout.write('\n' + formatLockStat(r) + '\n');
    process.exitCode = exitFor(r);
  });

  addRunOptions(
    program
      .command('demo')
      .description('private domains (group size 1) against one shared domain at 2 devices, side by side with their ratio')
      .option('--json <FILE>', 'write both results as JSON {private, shared}'),
  ).action(async (opts: Record<string, unknown>) => {
    const base = configFrom({ devices: 2, ...opts });
    const json = typeof opts.json === 'string' ? opts.json : null;
    if (json) checkWritable(json, '--json');
    const priv = await runHarness({ ...base, groupSize: 1 });
    const shared = await runHarness({ ...base, groupSize: base.devices });
    if (json) writeJson(json, { private: priv, shared });
    const out = [
      formatRun(priv, `private domains (group size 1)`),
      '',
      formatRun(shared, `one shared domain (group size ${base.devices})`),
      '',
      `private vs shared, ${base.devices} devices:`,
      formatComparison('private', priv, 'shared', shared),
      sharingFinding(priv, shared),
    ];
    process.stdout.write(out.join('\n') + '\n');
    process.exitCode = Math.max(exitFor(priv), exitFor(shared));
  });

  addRunOptions(
    program
      .command('sweep')
      .description('run every combination of lists of options (e.g. --devices 1,2,4,8 --group-size 1,all --lock all), each point --repeat times, interleaved')
      .option('--repeat <R>', 'runs of each point, in interleaved order (default: 1)', positiveInt('--repeat', 1000))
      .option('--out <FILE>', 'append each run to this NDJSON file as it ends; runs already in it are skipped')
      .option('--shard <k/n>', 'run only every n-th point, starting at the k-th (split a sweep across machines; concatenate the files)')
      .option('--dry-run', 'list the points and exit'),
    parseList,
    "; a comma list, 'all' for every value (group size: all = the point's devices)",
    false,
  ).action(async (opts: Record<string, unknown>) => {
    const lists: Partial<Record<keyof Config, ListValue[]>> = {};
    const base: Partial<Record<keyof Config, unknown>> = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
    for (const [k, v] of Object.entries(flagsOf(opts)) as [keyof Config, unknown][]) {
      const list = v as ListValue[];
      if (list.length > 1 || list[0] === 'all') lists[k] = list;
      else base[k] = list[0];
    }
    const plan = planSweep(base as Partial<Config>, lists);
    const repeat = (opts.repeat as number | undefined) ?? 1;
    const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : ([1, 1] as [number, number]);
    const out = typeof opts.out === 'string' ? opts.out : null;
    if (out) checkWritable(out, '--out');
    const what = (v: Record<string, ListValue>): string => Object.entries(v).map(([k, x]) => `${k}=${x}`).join(' ') || 'defaults';
    for (const s of plan.skipped) process.stderr.write(`skipped ${what(s.varied)}: ${s.reason}\n`);
    if (opts.dryRun) {
      for (const p of plan.points) if (p.index % shard[1] === shard[0] - 1) process.stdout.write(`#${p.index} ${what(p.varied)}\n`);
      return;
    }
    const bar = progress('sweep');
    const outcome = await runSweep(plan, {
      repeat,
      out,
      shard,
      onStart: (done, total, p, rep) => bar.start(done, total, `#${p.index} ${what(p.varied)}${repeat > 1 ? ` (rep ${rep + 1})` : ''}`),
    });
    bar.stop();
    const records = out ? readRecords(out, '--out').records : outcome.ran;
    if (outcome.reused > 0) process.stderr.write(`${outcome.reused} runs were already in ${out}, not run again\n`);
    process.stdout.write(formatSummary(summarizePoints(records)) + '\n');
  });

  addRunOptions(
    program
      .command('compare')
      .usage('[options] [A options] -- [B options]')
      .description('run configuration A and configuration B (A changed by the options after --) in alternation, and give B/A with its spread')
      .argument('[b...]', 'options of B, after --; B starts from A')
      .option('--repeat <R>', 'A/B pairs (default: 3)', positiveInt('--repeat', 1000))
      .option('--json <FILE>', 'write both configurations, every run and the ratios as JSON'),
  ).action(async (bArgs: string[], opts: Record<string, unknown>) => {
    const a = configFrom(opts);
    const bCmd = addRunOptions(new Command('B').exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(`B options: ${s}`) }));
    let b: Config;
    try {
      bCmd.parse(bArgs, { from: 'user' });
      b = configFrom(bCmd.opts(), a);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`B options: ${e.message}`);
      throw e;
    }
    const json = typeof opts.json === 'string' ? opts.json : null;
    if (json) checkWritable(json, '--json');
    const pairs = (opts.repeat as number | undefined) ?? 3;
    const bar = progress('compare');
    const o = await runCompare(a, b, pairs, (label, pair) => bar.start(pair * 2 + (label === 'B' ? 1 : 0), pairs * 2, `${label} (pair ${pair + 1})`));
    bar.stop();
    if (json) writeJson(json, o);
    process.stdout.write(formatCompare(o) + '\n');
    process.exitCode = o.runsA.concat(o.runsB).some((r) => r.violations.count > 0) ? EXIT_VIOLATIONS : EXIT_CLEAN;
  });

  program
    .command('report')
    .description('summarise a sweep\'s NDJSON file: a table and a bar chart of every point; --html FILE also writes a page of charts')
    .argument('<FILE>', 'NDJSON written by sweep --out (several files: concatenate them)')
    .option('--html <FILE>', 'also write one self-contained HTML page (charts as inline SVG, opens offline)')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const html = typeof opts.html === 'string' ? opts.html : null;
      if (html) checkWritable(html, '--html');
      const { records, skipped } = readRecords(file, 'report');
      if (skipped.length) process.stderr.write(`${file}: ${skipped.length} incomplete lines ignored (lines ${skipped.slice(0, 5).join(', ')})\n`);
      if (records.length === 0) throw new UsageError(`report ${JSON.stringify(file)}: no sweep records in it (allowed: an NDJSON file written by iommu-stress sweep --out)`);
      process.stdout.write(formatSummary(summarizePoints(records)) + '\n');
      if (html) {
        // Loaded here, not at the top: vega and vega-lite add about 0.3 s to
        // the start of every command, and only this one needs them.
        const { renderHtmlReport } = await import('./html-report.js');
        const onWarning = (chart: string, message: string): void => void process.stderr.write(`--html: chart ${chart}: ${message}\n`);
        writeText(html, await renderHtmlReport(records, { source: file, skippedLines: skipped, onWarning }));
        process.stderr.write(`wrote ${html}\n`);
      }
    });

  program
    .command('scenarios')
    .description('list the scenarios: the question each answers and the thread it comes from')
    .action(() => {
      for (const s of SCENARIOS) process.stdout.write(`${s.name}\n  question: ${s.question}\n  thread:   ${s.thread}\n`);
    });

  addRunOptions(
    program
      .command('scenario')
      .description('run one scenario: the competing designs side by side, a comparison table and a finding computed from it')
      .argument('<NAME>', `one of: ${SCENARIOS.map((s) => s.name).join(', ')}`)
      .option('--quick', 'a tiny version (fewer points, short runs): seconds instead of a minute')
      .option('--json <FILE>', 'write the whole result (tables, finding, every run) as JSON'),
    parseFlag,
    '',
    false,
  ).action(async (name: string, opts: Record<string, unknown>) => {
    const s = scenarioByName(name);
    if (!s) throw new UsageError(`scenario ${JSON.stringify(name)}: no such scenario (allowed: ${SCENARIOS.map((x) => x.name).join(', ')})`);
    const json = typeof opts.json === 'string' ? opts.json : null;
    if (json) checkWritable(json, '--json');
    const base = { ...(typeof opts.config === 'string' ? readConfigFile(opts.config) : {}), ...(flagsOf(opts) as Partial<Config>) };
    resolveConfig(base); // every option checked before the first run
    const quick = opts.quick === true;
    const durationSec = base.durationSec ?? (quick ? 0.25 : s.defaultDurationSec);
    delete base.durationSec;
    const bar = progress(`scenario ${s.name}`);
    const r = await runScenario(s, { base, durationSec, quick, onRun: (done, total, label) => bar.start(done, total, label) });
    bar.stop();
    if (json) writeJson(json, r);
    process.stdout.write(formatScenario(r) + '\n');
  });

  const raceArg = (name: string): Race => {
    const r = raceByName(name);
    if (!r) throw new UsageError(`race ${JSON.stringify(name)}: no such race (allowed: ${RACES.map((x) => x.name).join(', ')})`);
    return r;
  };
  /** Exit code of a race command: 1 forbidden, 3 deadlock (a harness-level hang), 0 otherwise. */
  const raceExit = (runs: RaceRun[]): number =>
    runs.some((r) => r.class === 'forbidden' && r.outcome === 'deadlock') ? EXIT_HARNESS : runs.some((r) => r.class === 'forbidden') ? EXIT_VIOLATIONS : EXIT_CLEAN;

  program
    .command('races')
    .description('list the race scenarios: the wrong design, the real one it gets wrong, its counterpart, the forbidden outcomes')
    .action(() => {
      process.stdout.write(formatRaceList(RACES) + '\n');
    });

  program
    .command('race')
    .description('free-running stress of a race scenario: runs with fresh seeds, how often each outcome occurred')
    .argument('<NAME>', `one of: ${RACES.map((r) => r.name).join(', ')}`)
    .option('--correct', 'run the correct counterpart instead')
    .option('--runs <N>', 'runs, each with a fresh seed (default: 5)', positiveInt('--runs', 100000))
    .option('--duration <S>', 'seconds a run (default: 1)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--seed <N>', 'seed of the first run (default: 1)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .action(async (name: string, opts: Record<string, unknown>) => {
      const race = raceArg(name);
      const variant = opts.correct ? 'correct' : 'broken';
      const runs = (opts.runs as number | undefined) ?? 5;
      const bar = progress(`race ${race.name}`);
      const o = await stress(race, variant, {
        durationSec: (opts.duration as number | undefined) ?? 1,
        seed: (opts.seed as number | undefined) ?? 1,
        stopAtForbidden: false,
        runs,
        timeSec: Infinity,
        onRun: (i) => bar.start(i + 1, runs, `run ${i + 1}`),
      });
      bar.stop();
      const out = [`race ${race.name} (${variant}): ${o.runs.length} free-running runs in ${o.elapsedSec.toFixed(1)} s`, formatHistogram(race, o.histogram)];
      if (o.firstForbidden) out.push('', `first forbidden outcome, run ${o.firstForbidden.index + 1} (seed ${o.firstForbidden.seed}):`, formatRaceRun(race, o.firstForbidden.run));
      process.stdout.write(out.join('\n') + '\n');
      process.exitCode = raceExit(o.runs);
    });

  program
    .command('hunt')
    .description('free-running stress with fresh seeds until a forbidden outcome or the time runs out; then a controlled schedule that reproduces it, and its replay command')
    .argument('<NAME>', `one of: ${RACES.map((r) => r.name).join(', ')}`)
    .option('--time <S>', 'seconds to hunt (default: 60)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--duration <S>', 'seconds a run (default: 1)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--seed <N>', 'seed of the first run (default: a fresh one from the clock)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .option('--correct', 'hunt in the correct counterpart instead')
    .option('--out <FILE>', 'write the reproducing schedule here (default: NAME.schedule)')
    .action(async (name: string, opts: Record<string, unknown>) => {
      const race = raceArg(name);
      const variant = opts.correct ? 'correct' : 'broken';
      const out = typeof opts.out === 'string' ? opts.out : `${race.name}.schedule`;
      checkWritable(out, '--out');
      const timeSec = (opts.time as number | undefined) ?? 60;
      const seed = (opts.seed as number | undefined) ?? (Date.now() % 1_000_000_007) >>> 0;
      process.stderr.write(`hunting ${race.name} (${variant}) for up to ${timeSec} s from seed ${seed}\n`);
      const o = await stress(race, variant, {
        durationSec: (opts.duration as number | undefined) ?? 1,
        seed,
        stopAtForbidden: true,
        runs: Infinity,
        timeSec,
        onRun: (i, run) => process.stderr.write(`  run ${i + 1} (seed ${(seed + i) >>> 0}): ${run.outcome}\n`),
      });
      const lines = [`hunt ${race.name} (${variant}): ${o.runs.length} runs in ${o.elapsedSec.toFixed(1)} s`, formatHistogram(race, o.histogram)];
      if (!o.firstForbidden) {
        lines.push('no forbidden outcome found');
        process.stdout.write(lines.join('\n') + '\n');
        return;
      }
      const hit = o.firstForbidden;
      lines.push('', `forbidden outcome after ${hit.index + 1} runs (${o.elapsedSec.toFixed(1)} s), seed ${hit.seed}:`, formatRaceRun(race, hit.run));
      // A free-running interleaving cannot be replayed: search the controlled scheduler for one with the same outcome.
      const ctl = new Controller();
      try {
        const ex = await explore(race, variant, { strategy: 'random', depth: 1, runs: 200, seed: hit.seed }, ctl);
        const same = ex.found;
        if (same?.schedule) {
          const text = encodeSchedule(same.schedule);
          writeText(out, text + '\n');
          lines.push('', `a controlled schedule reproduces a ${same.outcome} (found in ${ex.tried} schedules from seed ${hit.seed}), written to ${out}:`, `  ${text}`, `replay: iommu-stress replay ${out}`);
        } else {
          lines.push('', `no controlled schedule reproduced it in ${ex.tried} schedules; rerun the free-running seed: iommu-stress race ${race.name} --seed ${hit.seed} --runs 1`);
        }
      } finally {
        await ctl.close();
      }
      process.stdout.write(lines.join('\n') + '\n');
      process.exitCode = raceExit([hit.run]);
    });

  program
    .command('explore')
    .description('controlled runs: one worker passes each schedule point at a time, as a seeded strategy picks; stops at the first forbidden outcome and prints its schedule')
    .argument('<NAME>', `one of: ${RACES.map((r) => r.name).join(', ')}`)
    .option('--strategy <S>', 'random (a random walk) or pct (probabilistic concurrency testing) (default: random)', (t: string) => {
      if (t !== 'random' && t !== 'pct') throw new UsageError(`--strategy ${JSON.stringify(t)}: unknown (allowed: random, pct)`);
      return t;
    })
    .option('--depth <D>', 'PCT: the bug depth d, d-1 priority change points (default: 2)', positiveInt('--depth', MAX_PCT_DEPTH))
    .option('--runs <N>', 'schedules to try (default: 100)', positiveInt('--runs', 1_000_000))
    .option('--seed <N>', 'seed of the first schedule (default: 1)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .option('--correct', 'explore the correct counterpart (nothing forbidden must turn up)')
    .option('--out <FILE>', 'write the failing schedule here (default: NAME.schedule)')
    .action(async (name: string, opts: Record<string, unknown>) => {
      const race = raceArg(name);
      const variant = opts.correct ? 'correct' : 'broken';
      const out = typeof opts.out === 'string' ? opts.out : `${race.name}.schedule`;
      checkWritable(out, '--out');
      const strategy = (opts.strategy as 'random' | 'pct' | undefined) ?? 'random';
      const runs = (opts.runs as number | undefined) ?? 100;
      const bar = progress(`explore ${race.name}`);
      const ctl = new Controller();
      let o;
      try {
        o = await explore(race, variant, { strategy, depth: (opts.depth as number | undefined) ?? 2, runs, seed: (opts.seed as number | undefined) ?? 1, onRun: (i, r) => bar.start(i + 1, runs, r.outcome) }, ctl);
      } finally {
        bar.stop();
        await ctl.close();
      }
      const lines = [`explore ${race.name} (${variant}), ${strategy}${strategy === 'pct' ? ` depth ${(opts.depth as number | undefined) ?? 2} over ~${o.expectedSteps} steps` : ''}: ${o.tried} schedules`, formatHistogram(race, o.histogram)];
      if (o.found) {
        lines.push('', `forbidden outcome at schedule ${o.tried}:`, formatRaceRun(race, o.found));
        writeText(out, encodeSchedule(o.found.schedule!) + '\n');
        lines.push(`written to ${out}`);
      } else {
        lines.push(`no forbidden outcome in ${o.tried} schedules`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      process.exitCode = o.found ? raceExit([o.found]) : EXIT_CLEAN;
    });

  program
    .command('replay')
    .description('replay a schedule exactly: the same interleaving, the same trace hash, the same violations')
    .argument('<SCHEDULE>', 'a schedule string (v1:...) or a file holding one')
    .option('--repeat <N>', 'replay N times and check every trace hash is the same (default: 1)', positiveInt('--repeat', 10000))
    .action(async (arg: string, opts: Record<string, unknown>) => {
      const s = readSchedule(arg);
      const race = raceByName(s.race)!;
      const n = (opts.repeat as number | undefined) ?? 1;
      const ctl = new Controller();
      const runs: RaceRun[] = [];
      try {
        for (let i = 0; i < n; i++) runs.push(await replay(race, s, ctl));
      } finally {
        await ctl.close();
      }
      const hashes = new Set(runs.map((r) => r.result?.sched?.hash));
      const first = runs[0]!;
      const lines = [`replay of ${race.name} (${s.variant}), ${s.devices} devices, ${s.ops} ops, ${s.switches.length} switch points:`, formatRaceRun(race, first)];
      if (first.result?.sched?.outcome === 'replay-diverged') lines.push('the schedule does not apply to this build: a switch point named a worker that could not go on at that step');
      if (n > 1) {
        lines.push(hashes.size === 1 ? `trace hash ${[...hashes][0]} in all ${n} replays: the same interleaving every time` : `DIFFERENT trace hashes in ${n} replays: ${[...hashes].join(', ')}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      process.exitCode = hashes.size > 1 ? EXIT_HARNESS : raceExit(runs);
    });

  program
    .command('shrink')
    .description('make a failing schedule smaller (fewer switch points, operations, buffers, devices) while it still fails the same way')
    .argument('<SCHEDULE>', 'a schedule string (v1:...) or a file holding one')
    .option('--out <FILE>', 'write the smallest schedule here')
    .action(async (arg: string, opts: Record<string, unknown>) => {
      const s = readSchedule(arg);
      const race = raceByName(s.race)!;
      const out = typeof opts.out === 'string' ? opts.out : null;
      if (out) checkWritable(out, '--out');
      const ctl = new Controller();
      let o;
      try {
        o = await shrink(race, s, ctl);
      } finally {
        await ctl.close();
      }
      const size = (x: Schedule): string => `${x.devices} devices, ${x.ops} ops, ${x.inflight} in flight, ${x.switches.length} switch points`;
      const text = encodeSchedule(o.smallest);
      if (out) writeText(out, text + '\n');
      const lines = [
        `shrink ${race.name}: ${o.tried} replays`,
        `  from: ${size(o.original)}`,
        `  to:   ${size(o.smallest)} (still ${o.run.outcome})`,
        formatRaceRun(race, o.run),
      ];
      if (out) lines.push(`written to ${out}`);
      process.stdout.write(lines.join('\n') + '\n');
      process.exitCode = raceExit([o.run]);
    });

  program
    .command('locks')
    .description('list the lock algorithms')
    .action(() => {
      for (const a of LOCKS) {
        const ab = [a.abilities.fair ? 'fair' : 'unfair', a.abilities.parks ? 'parks' : 'spins', a.abilities.queued ? 'queued' : null].filter(Boolean).join(', ');
        process.stdout.write(`${a.name.padEnd(10)} ${a.summary} [${ab}]\n`);
      }
    });

  return program;
}

/** Map commander's own errors (already printed) onto exit 2, adding what is allowed. */
function commanderExit(e: CommanderError, program: Command, argv: string[]): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_CLEAN;
  const cmd = program.commands.find((c) => c.name() === argv[0]);
  if (e.code === 'commander.unknownOption' && cmd) {
    const flags = cmd.options.map((o) => o.long).filter(Boolean).join(', ');
    process.stderr.write(`(allowed options of ${cmd.name()}: ${flags}, --help)\n`);
  } else if (e.code === 'commander.unknownCommand' || e.code === 'commander.unknownOption') {
    process.stderr.write(`(allowed commands: ${program.commands.map((c) => c.name()).join(', ')})\n`);
  }
  return EXIT_USAGE;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_CLEAN;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e, program, argv);
    if (e instanceof UsageError) {
      process.stderr.write(`iommu-stress: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof HarnessError) {
      process.stderr.write(`iommu-stress: harness failure: ${e.message}\n${e.report}\n`);
      return EXIT_HARNESS;
    }
    process.stderr.write(`iommu-stress: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_HARNESS;
  }
}

// A closed pipe (`iommu-stress scenarios | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
