#!/usr/bin/env node
/**
 * iommu-stress command line. Every command checks all of its input before it
 * starts a worker (flags, config files, user modules, output paths): bad
 * input exits 2 with a message naming the value and what is allowed, and
 * writes nothing.
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../api/types.js';
import {
  ALIASES,
  type AliasField,
  DEFAULTS,
  FIELDS,
  type Field,
  aliasDriver,
  allowedText,
  checkCount,
  fieldByKey,
  ignoredOptions,
  parseFlag,
  parseInject,
  readConfigFile,
  resolveConfig,
} from '../config/config.js';
import { EXIT_CLEAN, EXIT_HARNESS, EXIT_INCONCLUSIVE, EXIT_USAGE, EXIT_VIOLATIONS, FindingError, HarnessError, UsageError } from '../util/errors.js';
import { runConfig } from '../engine/run.js';
import { designProblem, loadPiece, resolveDesign, loadRace, type LoadedRace } from '../modules/loader.js';
import { checkLock } from '../locks/validate.js';
import { GOOD_LOCKS, LOCKS } from '../locks/registry.js';
import { DRIVERS } from '../drivers/registry.js';
import { ALLOCATORS } from '../allocators/registry.js';
import { FLUSHES } from '../flush/registry.js';
import { RACES } from '../races/registry.js';
import { formatComparison, formatLockStat, formatRun, plural, sharingFinding, si } from '../report/report.js';
import type { RunResult } from '../results/result.js';
import { type OutputFile, checkOutputs } from './outputs.js';
import { createProgress, timeProgress } from './bars.js';
import { restoreTerminal } from './progress.js';
import { type ListValue, type SweepKey, parseList, parseShard, planSweep, runSweep, inspectSweepOut, tornLineMessage } from '../sweep/sweep.js';
import { conflictsMessage, duplicatesMessage, isOk, problemsMessage, readRecords, summarizePoints } from '../sweep/sweep-record.js';
import { formatSummary } from '../report/summary.js';
import { formatCompare, runCompare } from '../sweep/compare.js';
import { SCENARIOS, scenarioByName } from '../scenarios/index.js';
import { runScenario } from '../scenarios/scenario.js';
import { formatScenario } from '../scenarios/format.js';
import { Controller, DEFAULT_PREEMPTIONS, type RaceRun, baseWork, explore, exploreResult, replay, shrink, stress, hunt as huntRace } from '../races/explore.js';
import { SEARCH_STRATEGIES, STRATEGY_HELP, type SearchStrategy, type SearchSummary, defaultRuns } from '../search/strategies.js';
import { type Schedule, encodeSchedule, encodeScheduleFile, readSchedule } from '../sched/schedule.js';
import { formatHistogram, formatRaceList, formatRaceRun, replayCommand } from '../report/races.js';
import { MAX_PCT_DEPTH, MEMORY_MODELS, type MemoryModelName } from '../memory/layout.js';

const MEMORY_MODEL_HELP = 'sc (every access in one order), tso (each agent\'s stores wait in a store buffer, as on x86), weak (the kernel\'s model: a load may read any store coherence and happens-before allow; the IOMMU walker an observer of its own)';
import { buildRunTrace } from '../results/trace.js';
import { toChromeTrace } from '../report/chrome-trace.js';
import type { Variant } from '../engine/design.js';
import { Engine } from '../engine/engine.js';
import { litmusCommand, parseModel } from '../litmus/command.js';
import type { ModelName } from '../litmus/index.js';
import { onMainHang } from '../engine/main-watchdog.js';

const VERSION = '0.5.0';

const EXPLORE_EXIT_HELP = `
Exit codes: 0 no forbidden outcome in every schedule run, 1 a forbidden outcome (its schedule is written),
2 bad input, 3 a harness failure, 4 inconclusive: some runs reached the step limit without finishing and nothing forbidden was found in the rest.`;

const EXIT_CODES_HELP = `
Exit codes:
  0  clean: nothing wrong found (a race: no forbidden outcome)
  1  a finding: invariant violations, a livelock (a race: a forbidden outcome, a crash, a deadlock or a livelock included, with its schedule)
  2  bad input: a flag, a config file, a module (one that does not load in time included), a path, an impossible combination (nothing was run or written)
  3  harness failure: a thread that died outside the design's code, a run hung free running, the design's code on the main thread that did not return,
     an agent out of memory, or an output that could not be written after the run
  4  inconclusive (explore): some schedules reached the step limit unfinished, and nothing forbidden was found in the rest`;

/** Add the run configuration flags (FIELDS, then the aliases) to a command; `parse` turns a flag's text into its value (a list for sweeps). */
function addRunOptions(cmd: Command, parse: (f: Field | AliasField, text: string) => unknown = parseOne, listHelp = '', inject = true): Command {
  for (const f of FIELDS) {
    const def = DEFAULTS[f.key];
    const shown = f.key === 'granule' && def === 0 ? 'whole buffer' : String(def);
    cmd.addOption(new Option(`${f.flag} <${f.arg}>`, `${f.help} [${allowedText(f)}]${listHelp} (default: ${shown})`).argParser((text: string) => parse(f, text)));
  }
  for (const a of ALIASES) cmd.addOption(new Option(`${a.flag} <${a.arg}>`, `${a.help}${listHelp}`).argParser((text: string) => parse(a, text)));
  if (inject) cmd.addOption(new Option('--inject <KIND:DEVICE:OPS>', 'harness self-test: make a device throw, or hold its lock forever, after OPS operations').argParser((t: string) => parseInject(t)));
  cmd.option('--config <FILE>', "read the configuration from a JSON file (keys as in the JSON result's \"config\"); flags override it");
  return cmd;
}

function parseOne(f: Field | AliasField, text: string): unknown {
  if ('kind' in f) return parseFlag(f, text);
  if (!f.values.includes(text)) throw new UsageError(`${f.flag} ${JSON.stringify(text)}: unknown value (allowed: ${f.values.join(', ')})`);
  return text;
}

const attr = (flag: string): string => new Option(`${flag} <x>`).attributeName();

/** The flags a command was given, by config key (the aliases folded into --driver). */
function flagsOf(opts: Record<string, unknown>): Partial<Config> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (opts[attr(f.flag)] !== undefined) out[f.key] = opts[attr(f.flag)];
  if (opts.inject !== undefined) out.inject = opts.inject;
  const style = opts[attr('--table-style')] as string | undefined;
  const scope = opts[attr('--lock-scope')] as string | undefined;
  if (style !== undefined || scope !== undefined) {
    const d = aliasDriver(style, scope);
    if (out.driver !== undefined && out.driver !== d) throw new UsageError(`--driver ${String(out.driver)} and --table-style/--lock-scope (driver ${d}) disagree (allowed: one of them)`);
    out.driver = d;
  }
  return out as Partial<Config>;
}

/** Config from a command's parsed options: base < --config file < flags; and what the user set, for warnings. */
function configFrom(opts: Record<string, unknown>, base: Partial<Config> = {}): { config: Config; given: Partial<Config> } {
  const fromFile = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
  const given = { ...fromFile, ...flagsOf(opts) };
  return { config: resolveConfig({ ...base, ...given }), given };
}

function positiveInt(flag: string, max: number): (text: string) => number {
  return (text) => checkCount(flag, /^\d+$/.test(text) ? Number(text) : NaN, max, 1, JSON.stringify(text));
}

const exitFor = (r: RunResult): number => (r.violations.count > 0 ? EXIT_VIOLATIONS : EXIT_CLEAN);

/** Write every output asked for after the report was printed; a failure now is one line and exit 3 (the report is out). */
function finish(outputs: [OutputFile | null, () => string][]): void {
  for (const [o, text] of outputs) {
    if (!o) continue;
    try {
      o.write(text());
    } catch (e) {
      process.stderr.write(`iommu-stress: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_HARNESS;
    }
  }
}

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/** A race by name or path, its pieces loaded and checked. */
async function raceArg(ref: string): Promise<LoadedRace> {
  return loadRace(ref);
}

/** Exit code of a race command: 1 a forbidden outcome (a deadlock, a livelock and a crash included), 4 a run cut at the step limit (inconclusive), 0 otherwise. */
const raceExit = (runs: readonly RaceRun[]): number =>
  runs.some((r) => r.class === 'forbidden') ? EXIT_VIOLATIONS : runs.some((r) => r.outcome === 'step-limit') ? EXIT_INCONCLUSIVE : EXIT_CLEAN;

const boundText = (b: SearchSummary['bound']): string => (b === null ? 'with no preemption bound' : `within ${plural(b.preemptions, 'preemption')}`);

/** How explore ends: what it covered, and what that means. */
function verdictLine(x: SearchSummary, found: boolean, all: boolean): string {
  const v = verdictOf(x, found, all);
  return x.note ? `${v}\n(${x.note})` : v;
}

function verdictOf(x: SearchSummary, found: boolean, all: boolean): string {
  const exhaustive = x.strategy === 'dfs' || x.strategy === 'dpor';
  const traces = `${plural(x.traces, 'distinct trace')}${x.schedules !== x.traces ? ` in ${plural(x.schedules, 'schedule')}` : ''}${x.redundant > 0 ? ` (${x.redundant} cut short by sleep sets as repeats)` : ''}`;
  const cut = x.inconclusive > 0 ? `; ${x.inconclusive} reached the step limit${x.memoryModel !== 'sc' ? " or the memory model's room" : ''} still making progress (inconclusive: not checked)` : '';
  if (found && !all) return `stopped at the first forbidden outcome, after ${traces}${cut} (--all goes on)`;
  const what = found ? 'FORBIDDEN outcomes found (above)' : x.inconclusive > 0 ? 'no forbidden outcome in the runs that finished: INCONCLUSIVE' : 'no forbidden outcome';
  if (!exhaustive) return `not exhaustive (${x.strategy} samples schedules): ${traces}${cut}, ${what}`;
  const within = boundText(x.bound);
  if (x.exhaustive) return `exhaustive ${within}: ${traces}, ${what}`;
  if (!x.budgetReached) return `every schedule ${within} was run, but not every run finished: ${traces}${cut}, ${what}`;
  return `budget reached after ${traces}${cut}: not exhaustive ${within} (raise --runs), ${what}`;
}

/** A RunTrace file for a race run, in Chrome Trace Event Format. */
function traceText(e: Engine | null, run: RaceRun, title: string, report: string): string {
  const r = run.result;
  if (!r) return json({ traceEvents: [], otherData: { note: 'the run left no trace (a free-running hang)' } });
  const t = r.trace ?? (e ? buildRunTrace(e, r, title, run.schedule ? replayCommand(encodeSchedule(run.schedule)) : null, report) : null);
  return json(t ? toChromeTrace(t) : { traceEvents: [] });
}

export function buildProgram(): Command {
  const program = new Command('iommu-stress')
    .description('Measure and break the locking of IOMMU page tables: worker threads map and unmap through IO page tables in shared memory; bring your own driver, lock, allocator, flush policy or race by path')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();

  addRunOptions(
    program
      .command('run')
      .description('one run: devices map, DMA and unmap through their domains; prints throughput, lock statistics and checker findings')
      .option('--json <FILE>', 'write the whole result (configuration included) as JSON')
      .option('--trace <FILE>', 'write the interleaving the trace rings kept, in Chrome Trace Event Format (open in ui.perfetto.dev)')
      .option('--lockstat', 'also print the lock statistics in the layout of Linux /proc/lock_stat')
      .addHelpText('after', EXIT_CODES_HELP),
  ).action(async (opts: Record<string, unknown>) => {
    const { config, given } = configFrom(opts);
    const [jsonOut, traceOut] = checkOutputs([
      ['--json', opts.json],
      ['--trace', opts.trace],
    ]);
    await resolveDesign(config);
    const bar = timeProgress('run', config.ops > 0 ? 0 : config.durationSec);
    let r: RunResult;
    try {
      r = await runConfig(config, { onTick: (s) => bar.tick(s), trace: traceOut !== null, warnings: ignoredOptions(config, given) });
    } finally {
      bar.stop();
    }
    process.stdout.write(formatRun(r) + '\n');
    if (opts.lockstat) process.stdout.write('\n' + formatLockStat(r) + '\n');
    process.exitCode = exitFor(r);
    finish([
      [jsonOut, () => json({ ...r, trace: undefined })],
      [traceOut, () => json(r.trace ? toChromeTrace(r.trace) : { traceEvents: [] })],
    ]);
  });

  addRunOptions(
    program
      .command('demo')
      .description('private domains (group size 1) against one shared domain at 2 devices, side by side with their ratio')
      .option('--json <FILE>', 'write both results as JSON {private, shared}'),
  ).action(async (opts: Record<string, unknown>) => {
    if (opts[attr('--group-size')] !== undefined) throw new UsageError('demo --group-size: the demo compares group size 1 with group size --devices itself (allowed: leave it out; run --group-size G for one group size)');
    const { config: base, given } = configFrom({ devices: 2, ...opts });
    const [jsonOut] = checkOutputs([['--json', opts.json]]);
    await resolveDesign(base);
    const warnings = ignoredOptions(base, given);
    const bar = timeProgress('demo', base.ops > 0 ? 0 : 2 * base.durationSec);
    let priv: RunResult;
    let shared: RunResult;
    try {
      priv = await runConfig({ ...base, groupSize: 1 }, { onTick: (s) => bar.tick(s), warnings });
      shared = await runConfig({ ...base, groupSize: base.devices }, { onTick: (s) => bar.tick(base.durationSec + s), warnings });
    } finally {
      bar.stop();
    }
    const out = [
      formatRun(priv, 'private domains (group size 1)'),
      '',
      formatRun(shared, `one shared domain (group size ${base.devices})`),
      '',
      `private vs shared, ${base.devices} devices:`,
      formatComparison('private', priv, 'shared', shared),
      sharingFinding(priv, shared),
    ];
    process.stdout.write(out.join('\n') + '\n');
    process.exitCode = Math.max(exitFor(priv), exitFor(shared));
    finish([[jsonOut, () => json({ private: priv, shared })]]);
  });

  addRunOptions(
    program
      .command('sweep')
      .description('run every combination of lists of options (e.g. --devices 1,2,4,8 --group-size 1,all --lock all --driver refcount,./mine.mjs), each point --repeat times, interleaved')
      .option('--repeat <R>', 'runs of each point, in interleaved order (default: 1)', positiveInt('--repeat', 1000))
      .option('--out <FILE>', 'append each run to this NDJSON file as it ends; runs already in it are skipped')
      .option('--retry-failed', 'run again the runs the --out file records as failed (default: a failed run counts as done)')
      .option('--shard <k/n>', 'run only every n-th point, starting at the k-th (split a sweep across machines; concatenate the files)')
      .option('--dry-run', 'list the points and exit'),
    parseList,
    "; a comma list, 'all' for every value (group size: all = the point's devices)",
    false,
  ).action(async (opts: Record<string, unknown>) => {
    const lists: Partial<Record<SweepKey, ListValue[]>> = {};
    const base: Record<string, unknown> = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
    for (const f of [...FIELDS, ...ALIASES]) {
      const list = opts[attr(f.flag)] as ListValue[] | undefined;
      if (list === undefined) continue;
      if (list.length > 1 || list[0] === 'all') lists[f.key] = list;
      else base[f.key] = list[0];
    }
    if (base.tableStyle !== undefined || base.lockScope !== undefined) {
      base.driver = aliasDriver(base.tableStyle as string | undefined, base.lockScope as string | undefined);
      delete base.tableStyle;
      delete base.lockScope;
    }
    const plan = planSweep(base as Partial<Config>, lists);
    const repeat = (opts.repeat as number | undefined) ?? 1;
    const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : ([1, 1] as [number, number]);
    const out = typeof opts.out === 'string' ? opts.out : null;
    if (out !== null) {
      checkOutputs([['--out', out, { allowStream: false }]]);
      const state = inspectSweepOut(out);
      if (state.torn) process.stderr.write(tornLineMessage(out, state.torn) + '\n');
    }
    // Every piece of every point loads and fits before the first run (a bad module is exit 2);
    // a combination the pieces refuse (a deferred flush with no IOTLB) is skipped like any invalid one.
    const runnable: typeof plan.points = [];
    for (const p of plan.points) {
      const why = await designProblem(p.config);
      if (why === null) runnable.push({ ...p, index: runnable.length });
      else plan.skipped.push({ varied: p.varied, reason: why });
    }
    if (runnable.length === 0) throw new UsageError(`the sweep has no valid point (${plan.skipped.length} combinations skipped, first: ${plan.skipped[0]?.reason ?? 'none'})`);
    plan.points = runnable;
    const what = (v: Record<string, ListValue>): string => Object.entries(v).map(([k, x]) => `${k}=${x}`).join(' ') || 'defaults';
    for (const s of plan.skipped) process.stderr.write(`skipped ${what(s.varied)}: ${s.reason}\n`);
    if (opts.dryRun) {
      for (const p of plan.points) if (p.index % shard[1] === shard[0] - 1) process.stdout.write(`#${p.index} ${what(p.varied)}\n`);
      return;
    }
    const bar = createProgress({ label: 'sweep', unit: 'runs' });
    let outcome;
    try {
      outcome = await runSweep(plan, {
        repeat,
        out,
        shard,
        retryFailed: opts.retryFailed === true,
        onStart: (done, total, p, rep) => {
          bar.setTotal(total);
          bar.update(done, `#${p.index} ${what(p.varied)}${repeat > 1 ? ` (rep ${rep + 1})` : ''}`);
        },
        onRun: (info) => {
          if (!isOk(info.record)) {
            bar.log(`sweep: #${info.point.index} ${what(info.point.varied)}${repeat > 1 ? ` (rep ${info.rep + 1})` : ''} failed: ${info.record.error.message}; recorded, the sweep goes on`);
          }
        },
      });
    } finally {
      bar.stop();
    }
    const records = out ? readRecords(out, '--out').records : outcome.ran;
    if (outcome.reused > 0) {
      process.stderr.write(`${outcome.reused} runs were already in ${out}, not run again${outcome.reusedFailed > 0 ? ` (${outcome.reusedFailed} of them failed; --retry-failed runs those again)` : ''}\n`);
    }
    process.stdout.write(formatSummary(summarizePoints(records)) + '\n');
    if (outcome.failed + outcome.reusedFailed > 0) process.exitCode = EXIT_HARNESS;
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
    const { config: a } = configFrom(opts);
    const bCmd = addRunOptions(new Command('B').exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(`B options: ${s}`) }));
    let b: Config;
    try {
      bCmd.parse(bArgs, { from: 'user' });
      b = configFrom(bCmd.opts(), a).config;
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`B options: ${e.message}`);
      throw e;
    }
    const [jsonOut] = checkOutputs([['--json', opts.json]]);
    await resolveDesign(a);
    await resolveDesign(b);
    const pairs = (opts.repeat as number | undefined) ?? 3;
    const bar = createProgress({ label: 'compare', unit: 'runs', total: pairs * 2 });
    let o;
    try {
      o = await runCompare(a, b, pairs, (label, pair) => bar.update(pair * 2 + (label === 'B' ? 1 : 0), `${label} (pair ${pair + 1})`));
    } finally {
      bar.stop();
    }
    process.stdout.write(formatCompare(o) + '\n');
    process.exitCode = o.runsA.concat(o.runsB).some((r) => r.violations.count > 0) ? EXIT_VIOLATIONS : EXIT_CLEAN;
    finish([[jsonOut, () => json(o)]]);
  });

  program
    .command('report')
    .description("summarise a sweep's NDJSON file: a table and a bar chart of every point; --html FILE also writes a page of charts")
    .argument('<FILE>', 'NDJSON written by sweep --out (several files: concatenate them)')
    .option('--html <FILE>', 'also write one self-contained HTML page (charts as inline SVG, opens offline)')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const [htmlOut] = checkOutputs([['--html', opts.html]]);
      const r = readRecords(file, 'report');
      if (r.problems.length) process.stderr.write(problemsMessage(file, r.problems) + '\n');
      if (r.duplicates.length) process.stderr.write(duplicatesMessage(r.duplicates.length) + '\n');
      if (r.conflicts.length) process.stderr.write(conflictsMessage(r.conflicts) + '\n');
      if (r.records.length === 0) throw new UsageError(`report ${JSON.stringify(file)}: no sweep records in it (allowed: an NDJSON file written by iommu-stress sweep --out)`);
      process.stdout.write(formatSummary(summarizePoints(r.records)) + '\n');
      if (htmlOut) {
        // Loaded here, not at the top: vega and vega-lite add about 0.3 s to the start of every command, and only this one needs them.
        const { renderHtmlReport } = await import('../report/html-report.js');
        const onWarning = (chart: string, message: string): void => void process.stderr.write(`--html: chart ${chart}: ${message}\n`);
        const page = await renderHtmlReport(r.records, { source: file, skippedLines: r.skipped, onWarning });
        finish([[htmlOut, () => page]]);
        if (process.exitCode !== EXIT_HARNESS) process.stderr.write(`wrote ${htmlOut.path}\n`);
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
    parseOne,
    '',
    false,
  ).action(async (name: string, opts: Record<string, unknown>) => {
    const s = scenarioByName(name);
    if (!s) throw new UsageError(`scenario ${JSON.stringify(name)}: no such scenario (allowed: ${SCENARIOS.map((x) => x.name).join(', ')})`);
    const [jsonOut] = checkOutputs([['--json', opts.json]]);
    const base = { ...(typeof opts.config === 'string' ? readConfigFile(opts.config) : {}), ...flagsOf(opts) };
    await resolveDesign(resolveConfig(base)); // every option and piece checked before the first run
    const quick = opts.quick === true;
    const durationSec = base.durationSec ?? (quick ? 0.25 : s.defaultDurationSec);
    delete base.durationSec;
    const bar = createProgress({ label: `scenario ${s.name}`, unit: 'runs' });
    let r;
    try {
      r = await runScenario(s, {
        base,
        durationSec,
        quick,
        onRun: (done, total, label) => {
          bar.setTotal(total);
          bar.update(done, label);
        },
      });
    } finally {
      bar.stop();
    }
    process.stdout.write(formatScenario(r) + '\n');
    finish([[jsonOut, () => json(r)]]);
  });

  program
    .command('races')
    .description('list the built-in races: the wrong design, the real one it gets wrong, its counterpart, the forbidden outcomes')
    .action(() => {
      process.stdout.write(formatRaceList(RACES) + '\n');
    });

  program
    .command('race')
    .description('free-running stress of a race (a built-in name, or the path of a race module): runs with fresh seeds, how often each outcome occurred')
    .argument('<RACE>', `a built-in (${RACES.map((r) => r.name).join(', ')}) or a module path (./my-race.mjs)`)
    .option('--correct', 'run the correct counterpart instead')
    .option('--runs <N>', 'runs, each with a fresh seed (default: 5)', positiveInt('--runs', 100000))
    .option('--duration <S>', 'seconds a run (default: 1)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--seed <N>', 'seed of the first run (default: 1)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .option('--json <FILE>', 'write the outcomes and the first forbidden run as JSON')
    .option('--trace <FILE>', "write the first forbidden run's interleaving in Chrome Trace Event Format")
    .action(async (ref: string, opts: Record<string, unknown>) => {
      const [jsonOut, traceOut] = checkOutputs([
        ['--json', opts.json],
        ['--trace', opts.trace],
      ]);
      const lr = await raceArg(ref);
      const variant: Variant = opts.correct ? 'correct' : 'broken';
      const runs = (opts.runs as number | undefined) ?? 5;
      const bar = createProgress({ label: `race ${lr.race.name}`, unit: 'runs', total: runs });
      const ctl = new Controller();
      let o;
      try {
        o = await stress(lr, variant, {
          durationSec: (opts.duration as number | undefined) ?? 1,
          seed: (opts.seed as number | undefined) ?? 1,
          stopAtForbidden: false,
          runs,
          timeSec: Infinity,
          onRun: (i, r) => bar.update(i + 1, r.outcome),
        }, ctl);
      } finally {
        bar.stop();
        await ctl.close();
      }
      const out = [`race ${lr.race.name} (${variant}): ${o.runs.length} free-running runs in ${o.elapsedSec.toFixed(1)} s`, formatHistogram(lr.race, o.histogram)];
      if (o.firstForbidden) out.push('', `first forbidden outcome, run ${o.firstForbidden.index + 1} (seed ${o.firstForbidden.seed}):`, formatRaceRun(lr.race, o.firstForbidden.run));
      process.stdout.write(out.join('\n') + '\n');
      process.exitCode = raceExit(o.runs);
      const first = o.firstForbidden;
      finish([
        [jsonOut, () => json({ schema: 'iommu-stress/race@1', race: lr.race.name, variant, runs: o.runs.length, histogram: o.histogram, firstForbidden: first ? { seed: first.seed, index: first.index, outcome: first.run.outcome, result: first.run.result } : null })],
        [traceOut, () => (first ? traceText(null, first.run, `${lr.race.name} (${variant}), free running`, '') : json({ traceEvents: [] }))],
      ]);
    });

  program
    .command('hunt')
    .description('free-running stress with fresh seeds until a forbidden outcome or the time runs out; then a controlled schedule that reproduces it, and its replay command')
    .argument('<RACE>', 'a built-in race or a module path')
    .option('--time <S>', 'seconds to hunt (default: 60)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--duration <S>', 'seconds a run (default: 1)', (t: string) => parseFlag(fieldByKey('durationSec'), t) as number)
    .option('--seed <N>', 'seed of the first run (default: a fresh one from the clock)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .option('--correct', 'hunt in the correct counterpart instead')
    .option('--out <FILE>', 'write the reproducing schedule here (default: RACE.schedule)')
    .option('--trace <FILE>', "write the reproducing schedule's interleaving in Chrome Trace Event Format")
    .action(async (ref: string, opts: Record<string, unknown>) => {
      const lr = await raceArg(ref);
      const variant: Variant = opts.correct ? 'correct' : 'broken';
      const [schedOut, traceOut] = checkOutputs([
        ['--out', typeof opts.out === 'string' ? opts.out : `${lr.race.name}.schedule`],
        ['--trace', opts.trace],
      ]);
      const timeSec = (opts.time as number | undefined) ?? 60;
      const seed = (opts.seed as number | undefined) ?? (Date.now() % 1_000_000_007) >>> 0;
      process.stderr.write(`hunting ${lr.race.name} (${variant}) for up to ${timeSec} s from seed ${seed}\n`);
      const bar = createProgress({ label: `hunt ${lr.race.name}`, unit: 'runs' });
      const ctl = new Controller();
      try {
        const h = await huntRace(lr, variant, { durationSec: (opts.duration as number | undefined) ?? 1, seed, timeSec, onRun: (i, run) => bar.update(i + 1, `seed ${(seed + i) >>> 0}: ${run.outcome}`) }, ctl);
        const o = h.stress;
        bar.stop();
        const lines = [`hunt ${lr.race.name} (${variant}): ${o.runs.length} runs in ${o.elapsedSec.toFixed(1)} s`, formatHistogram(lr.race, o.histogram)];
        if (!o.firstForbidden) {
          lines.push('no forbidden outcome found');
          process.stdout.write(lines.join('\n') + '\n');
          return;
        }
        const hit = o.firstForbidden;
        lines.push('', `forbidden outcome after ${hit.index + 1} runs (${o.elapsedSec.toFixed(1)} s), seed ${hit.seed}:`, formatRaceRun(lr.race, hit.run));
        // A free-running interleaving cannot be replayed: the controlled scheduler searched for one with a forbidden outcome.
        const same = h.reproduced;
        if (same?.schedule) {
          const text = encodeSchedule(same.schedule);
          lines.push('', `a controlled schedule reproduces a ${same.outcome} (found in ${h.reproduceTried} schedules from seed ${hit.seed}), written to ${schedOut!.path}:`, `  ${text}`, `replay: iommu-stress replay ${schedOut!.path}`);
          process.stdout.write(lines.join('\n') + '\n');
          const e = await ctl.engine(lr, variant, same.schedule, true);
          finish([
            [schedOut, () => encodeScheduleFile(same.schedule!, schedOut!.path) + '\n'],
            [traceOut, () => traceText(e, same, `${lr.race.name} (${variant})`, formatRaceRun(lr.race, same))],
          ]);
        } else {
          lines.push('', `no controlled schedule reproduced it in ${h.reproduceTried} schedules; rerun the free-running seed: iommu-stress race ${ref} --seed ${hit.seed} --runs 1`);
          process.stdout.write(lines.join('\n') + '\n');
        }
        process.exitCode = raceExit([hit.run]);
      } finally {
        bar.stop();
        await ctl.close();
      }
    });

  program
    .command('explore')
    .description('controlled runs: one agent passes each schedule point at a time; random and pct sample schedules, dfs and dpor cover every one within a preemption bound; stops at the first forbidden outcome and prints its schedule')
    .argument('<RACE>', 'a built-in race or a module path (./my-race.mjs)')
    .option('--strategy <S>', `${SEARCH_STRATEGIES.join(', ')} (default: random): ${SEARCH_STRATEGIES.map((k) => `${k}: ${STRATEGY_HELP[k]}`).join('; ')}`, (t: string) => {
      if (!(SEARCH_STRATEGIES as readonly string[]).includes(t)) throw new UsageError(`--strategy ${JSON.stringify(t)}: unknown (allowed: ${SEARCH_STRATEGIES.join(', ')})`);
      return t;
    })
    .option('--preemptions <K>', `dfs, dpor: preemptions allowed on a path, or none for no bound (default: ${DEFAULT_PREEMPTIONS})`, (t: string) => {
      // Commander drops a null from a parser: 'none' is -1 here, null below.
      if (t === 'none') return -1;
      const n = Number(t);
      if (!/^\d+$/.test(t) || n > 1000) throw new UsageError(`--preemptions ${JSON.stringify(t)}: not a bound (allowed: an integer from 0 to 1000, or none)`);
      return n;
    })
    .option('--depth <D>', 'PCT: the bug depth d, d-1 priority change points (default: 2)', positiveInt('--depth', MAX_PCT_DEPTH))
    .option('--runs <N>', 'schedules to try at most (default: 100; dfs and dpor: 100000)', positiveInt('--runs', 100_000_000))
    .option('--seed <N>', 'seed of the first schedule (default: 1)', (t: string) => parseFlag(fieldByKey('seed'), t) as number)
    .option('--memory-model <M>', `what loads may read: ${MEMORY_MODEL_HELP} (default: the race's memoryModel, else sc)`, (t: string) => {
      if (!(MEMORY_MODELS as readonly string[]).includes(t)) throw new UsageError(`--memory-model ${JSON.stringify(t)}: unknown (allowed: ${MEMORY_MODELS.join(', ')})`);
      return t;
    })
    .option('--all', 'go on after the first forbidden outcome and count every outcome')
    .option('--correct', 'explore the correct counterpart (nothing forbidden must turn up)')
    .option('--out <FILE>', 'write the failing schedule here (default: RACE.schedule)')
    .option('--json <FILE>', 'write the exploration (outcomes, what the search covered, rates, the finding with its full result) as JSON')
    .option('--trace <FILE>', "write the failing schedule's interleaving in Chrome Trace Event Format")
    .addHelpText('after', EXPLORE_EXIT_HELP)
    .action(async (ref: string, opts: Record<string, unknown>) => {
      const lr = await raceArg(ref);
      const variant: Variant = opts.correct ? 'correct' : 'broken';
      const [schedOut, jsonOut, traceOut] = checkOutputs([
        ['--out', typeof opts.out === 'string' ? opts.out : `${lr.race.name}.schedule`],
        ['--json', opts.json],
        ['--trace', opts.trace],
      ]);
      const strategy = (opts.strategy as SearchStrategy | undefined) ?? 'random';
      const exhaustive = strategy === 'dfs' || strategy === 'dpor';
      if (opts.preemptions !== undefined && !exhaustive) throw new UsageError(`--preemptions: bounds the exhaustive searches only (allowed with --strategy dfs or dpor; ${strategy} samples schedules)`);
      if (opts.depth !== undefined && strategy !== 'pct') throw new UsageError(`--depth: PCT's bug depth (allowed with --strategy pct only)`);
      const depth = (opts.depth as number | undefined) ?? 2;
      const runs = (opts.runs as number | undefined) ?? defaultRuns(strategy);
      const preemptions = opts.preemptions === undefined ? DEFAULT_PREEMPTIONS : opts.preemptions === -1 ? null : (opts.preemptions as number);
      const memoryModel = opts.memoryModel as MemoryModelName | undefined;
      const bar = createProgress({ label: `explore ${lr.race.name}`, unit: 'schedules', ...(exhaustive ? {} : { total: runs }) });
      const ctl = new Controller();
      try {
        const o = await explore(
          lr,
          variant,
          {
            strategy,
            depth,
            runs,
            seed: (opts.seed as number | undefined) ?? 1,
            preemptions,
            stopAtForbidden: opts.all !== true,
            onRun: (i, r) => bar.update(i + 1, r.outcome),
            ...(memoryModel ? { work: { memoryModel } } : {}),
          },
          ctl,
        );
        bar.stop();
        const rate = o.elapsedSec > 0 ? `${(o.tried / o.elapsedSec).toFixed(0)} schedules/s, ${si(Math.round(o.steps / o.elapsedSec))} steps/s` : '';
        const mm = baseWork(lr, memoryModel ? { memoryModel } : {}).memoryModel ?? 'sc';
        const how = `${strategy === 'pct' ? `pct depth ${depth} over ~${o.expectedSteps} steps` : exhaustive ? `${strategy} ${boundText(o.search.bound)}` : strategy}${mm === 'sc' ? '' : `, ${mm} memory model`}`;
        const lines = [
          `explore ${lr.race.name} (${variant}), ${how}: ${plural(o.tried, 'schedule')} in ${o.elapsedSec.toFixed(1)} s (${rate}; ${plural(baseWork(lr).devices, 'device')}, ${o.tried > 0 ? Math.round(o.steps / o.tried) : 0} steps a schedule)`,
        ];
        const ps = o.perSchedule;
        // Where a schedule's time went, once there are enough to say (the first ones run before the JIT compiled them).
        if (ps && ps.schedules >= 100) {
          const us = (x: number): string => x.toFixed(0);
          lines.push(`a schedule's time: ${us(ps.setupUs + ps.stepsUs + ps.checksUs)} us = ${us(ps.setupUs)} setup + ${us(ps.stepsUs)} steps + ${us(ps.checksUs)} checks and trace key (mean over ${ps.schedules} schedules run in the agents' threads)`);
        }
        lines.push(formatHistogram(lr.race, o.histogram));
        const f = o.found;
        if (f?.schedule) lines.push('', `forbidden outcome at schedule ${o.tried}:`, formatRaceRun(lr.race, f), `written to ${schedOut!.path}`);
        lines.push(verdictLine(o.search, f !== null, opts.all === true));
        process.stdout.write(lines.join('\n') + '\n');
        process.exitCode = f ? raceExit([f]) : o.search.inconclusive > 0 ? EXIT_INCONCLUSIVE : EXIT_CLEAN;
        const result = exploreResult(lr, variant, strategy, depth, o);
        const e = f?.schedule ? await ctl.engine(lr, variant, f.schedule, true) : null;
        finish([
          [f?.schedule ? schedOut : null, () => encodeScheduleFile(f!.schedule!, schedOut!.path) + '\n'],
          [jsonOut, () => json(result)],
          [f ? traceOut : null, () => traceText(e, f!, `${lr.race.name} (${variant})`, formatRaceRun(lr.race, f!))],
        ]);
      } finally {
        bar.stop();
        await ctl.close();
      }
    });

  program
    .command('replay')
    .description('replay a schedule exactly: the same interleaving, the same trace hash, the same violations')
    .argument('<SCHEDULE>', 'a schedule string (v2:...) or a file holding one')
    .option('--repeat <N>', 'replay N times and check every trace hash is the same (default: 1)', positiveInt('--repeat', 10000))
    .option('--json <FILE>', 'write the replay (outcome, hashes, full result) as JSON')
    .option('--trace <FILE>', 'write the interleaving in Chrome Trace Event Format (open in ui.perfetto.dev)')
    .option('--html <FILE>', 'write the interleaving as one self-contained page: swimlanes, a column per agent, the violation, the replay command')
    .action(async (arg: string, opts: Record<string, unknown>) => {
      const [jsonOut, traceOut, htmlOut] = checkOutputs([
        ['--json', opts.json],
        ['--trace', opts.trace],
        ['--html', opts.html],
      ]);
      const s = readSchedule(arg);
      const lr = await raceArg(s.race);
      const n = (opts.repeat as number | undefined) ?? 1;
      const ctl = new Controller();
      try {
        const runs: RaceRun[] = [];
        for (let i = 0; i < n; i++) runs.push(await replay(lr, s, ctl));
        const hashes = runs.map((r) => r.result?.sched?.hash ?? '');
        const distinct = new Set(hashes);
        const first = runs[0]!;
        const lines = [`replay of ${lr.race.name} (${s.variant}), ${plural(s.devices, 'device')}, ${plural(s.ops, 'op')}, ${s.switches.length} switch points:`, formatRaceRun(lr.race, first)];
        if (n > 1) lines.push(distinct.size === 1 ? `trace hash ${hashes[0]} in all ${n} replays: the same interleaving every time` : `DIFFERENT trace hashes in ${n} replays: ${[...distinct].join(', ')}`);
        process.stdout.write(lines.join('\n') + '\n');
        // A schedule that stops applying part-way is bad input (edited by hand, or not of this code).
        process.exitCode = distinct.size > 1 ? EXIT_HARNESS : first.outcome === 'replay-diverged' ? EXIT_USAGE : raceExit(runs);
        const e = await ctl.engine(lr, s.variant, s, true);
        const report = formatRaceRun(lr.race, first);
        const trace = first.result ? buildRunTrace(e, first.result, `${lr.race.name} (${s.variant}), replay`, replayCommand(encodeSchedule(s)), report) : null;
        let page = '';
        if (htmlOut && trace) {
          const { renderReplayHtml } = await import('../report/replay-html.js');
          page = await renderReplayHtml(trace);
        }
        finish([
          [jsonOut, () => json({ schema: 'iommu-stress/replay@1', schedule: encodeSchedule(s), outcome: first.outcome, class: first.class, hashes, result: first.result })],
          [traceOut, () => json(trace ? toChromeTrace(trace) : { traceEvents: [] })],
          [htmlOut, () => page],
        ]);
      } finally {
        await ctl.close();
      }
    });

  program
    .command('shrink')
    .description('make a failing schedule smaller (fewer switch points, operations, buffers, devices) while it still fails the same way')
    .argument('<SCHEDULE>', 'a schedule string (v2:...) or a file holding one')
    .option('--out <FILE>', 'write the smallest schedule here')
    .option('--json <FILE>', 'write the shrink (both schedules, the full result of the smallest) as JSON')
    .action(async (arg: string, opts: Record<string, unknown>) => {
      const [schedOut, jsonOut] = checkOutputs([
        ['--out', opts.out],
        ['--json', opts.json],
      ]);
      const s = readSchedule(arg);
      const lr = await raceArg(s.race);
      const ctl = new Controller();
      try {
        const o = await shrink(lr, s, ctl);
        const size = (x: Schedule): string => `${plural(x.devices, 'device')}, ${plural(x.ops, 'op')}, ${x.inflight} in flight, ${plural(x.switches.length, 'switch point')}`;
        const text = encodeSchedule(o.smallest);
        const lines = [`shrink ${lr.race.name}: ${o.tried} replays`, `  from: ${size(o.original)}`, `  to:   ${size(o.smallest)} (still ${o.run.outcome})`, formatRaceRun(lr.race, o.run)];
        if (schedOut) lines.push(`written to ${schedOut.path}`);
        process.stdout.write(lines.join('\n') + '\n');
        process.exitCode = raceExit([o.run]);
        finish([
          [schedOut, () => encodeScheduleFile(o.smallest, schedOut!.path) + '\n'],
          [jsonOut, () => json({ schema: 'iommu-stress/shrink@1', original: encodeSchedule(o.original), smallest: text, outcome: o.run.outcome, tried: o.tried, result: o.run.result })],
        ]);
      } finally {
        await ctl.close();
      }
    });

  program
    .command('locks')
    .description('list the lock algorithms, the deliberately broken ones marked')
    .action(() => {
      for (const a of LOCKS) {
        const ab = a.abilities ?? {};
        const traits = [ab.fair ? 'fair' : 'unfair', ab.parks ? 'parks' : 'spins', ab.queued ? 'queued' : null].filter(Boolean).join(', ');
        process.stdout.write(`${a.name.padEnd(15)} ${a.broken ? 'BROKEN  ' : ''}${a.summary.replace(/^BROKEN: /, '')} [${traits}]\n`);
      }
    });

  program
    .command('litmus')
    .description("the Linux kernel's herd7 C litmus tests (tools/memory-model/litmus-tests): every execution of each explored under a memory model, the result printed as herd7 prints it, and checked against the result the file states")
    .argument('<FILE...>', 'herd7 C litmus files')
    .option('--memory-model <M>', 'sc (one order of every access), tso (store buffers: x86) or weak (views, as LKMM allows: every test of the kernel suite it runs gives the result its file states) (default: sc)', parseModel)
    .option('--skip-unsupported', 'list tests using what the model leaves out (RCU, srcu) as refused and run the rest (default: such a test is bad input)')
    .addHelpText('after', '\nExit codes: 0 every test run and no result contradicts the one its file states, 1 a result contradicts it, 2 bad input (a file that cannot be read or parsed, a construct the model leaves out).')
    .action((files: string[], opts: Record<string, unknown>) => {
      const s = litmusCommand(files, { model: (opts.memoryModel as ModelName | undefined) ?? 'sc', skipUnsupported: opts.skipUnsupported === true }, (t) => process.stdout.write(t));
      process.exitCode = s.contradicted.length > 0 ? EXIT_VIOLATIONS : EXIT_CLEAN;
    });

  program
    .command('check-lock')
    .description("validate locks (a built-in name, or the path of your own lock module): threads take it (one time in 4 by trylock) and increment a counter inside with a plain read and write; a lock that lets two in loses updates")
    .argument('<LOCK...>', 'built-in lock names or module paths (./my-lock.mjs); `all` for every correct built-in')
    .option('--workers <N>', 'threads taking the lock (default: 2; more than the cores adds preemption)', positiveInt('--workers', 64))
    .option('--iterations <N>', 'acquisitions by each thread (default: 100000)', positiveInt('--iterations', 100_000_000))
    .option('--stall <S>', 'seconds with no acquisition anywhere before the check is called hung (default: 10)', positiveInt('--stall', 3600))
    .addHelpText('after', '\nExit codes: 0 every lock correct, 1 a lock let two in or lost an update, 2 bad input, 3 a lock hung (never freed, lost wake-up) or threw.')
    .action(async (names: string[], opts: Record<string, unknown>) => {
      const list = names.flatMap((n) => (n === 'all' ? GOOD_LOCKS.map((l) => l.name) : [n]));
      // Every lock loads before any is checked: a bad name or module is exit 2 with nothing run.
      for (const n of list) await loadPiece('lock', n, process.cwd(), 'check-lock');
      const o = { workers: (opts.workers as number | undefined) ?? 2, iterations: (opts.iterations as number | undefined) ?? 100_000, stallSec: (opts.stall as number | undefined) ?? 10 };
      let failed = false;
      let hung = false;
      for (const n of list) {
        let r;
        try {
          r = await checkLock(n, o);
        } catch (e) {
          if (!(e instanceof HarnessError)) throw e;
          hung = true;
          process.stdout.write(`${n.padEnd(15)} HUNG     ${e.message.replace(/^lock \S+: /, '')}; ${e.report}\n`);
          continue;
        }
        const verdict = r.correct ? 'correct' : 'BROKEN';
        failed ||= !r.correct;
        process.stdout.write(
          `${r.lock.padEnd(15)} ${verdict.padEnd(8)} counter ${r.counted} of ${r.expected}, ${r.overlaps} times two inside, ` +
            `locked() false while held ${r.unlockedInside} times; ${r.workers} threads x ${r.iterations} (${r.trylocks} by trylock) in ${r.elapsedSec.toFixed(2)} s\n`,
        );
      }
      process.exitCode = hung ? EXIT_HARNESS : failed ? EXIT_VIOLATIONS : EXIT_CLEAN;
    });

  program
    .command('drivers')
    .description('list the page-table drivers, IOVA allocators and flush policies, the deliberately broken ones marked')
    .action(() => {
      const line = (d: { name: string; summary: string; broken?: boolean; source?: string }): string =>
        `  ${d.name.padEnd(20)} ${d.broken ? 'BROKEN  ' : ''}${d.summary.replace(/^BROKEN: /, '')}${d.source ? `\n  ${''.padEnd(20)} (${d.source})` : ''}`;
      const locksOf = (d: { locks?: Readonly<Record<string, { per: string; kernelName?: string }>> }): string => {
        const l = Object.entries(d.locks ?? {});
        return l.length ? l.map(([n, x]) => `${n} per ${x.per}${x.kernelName ? ` (${x.kernelName})` : ''}`).join(', ') : 'no lock';
      };
      const out = ['page-table drivers (--driver NAME or ./module.mjs):'];
      for (const d of DRIVERS) out.push(line(d), `  ${''.padEnd(20)} locks: ${locksOf(d)}`);
      out.push('IOVA allocators (--allocator):', ...ALLOCATORS.map(line), 'IOTLB flush policies (--flush):', ...FLUSHES.map(line));
      process.stdout.write(out.join('\n') + '\n');
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
  // Design code that hung on the main thread was stopped by its watchdog: the command cannot go on.
  const off = onMainHang((e) => {
    restoreTerminal();
    process.stderr.write(`iommu-stress: harness failure: ${e.message}\n${e.report}\n`);
    process.exit(EXIT_HARNESS);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_CLEAN;
  } catch (e) {
    restoreTerminal();
    if (e instanceof CommanderError) return commanderExit(e, program, argv);
    if (e instanceof UsageError) {
      process.stderr.write(`iommu-stress: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof HarnessError) {
      process.stderr.write(`iommu-stress: harness failure: ${e.message}\n${e.report}\n`);
      return EXIT_HARNESS;
    }
    if (e instanceof FindingError) {
      process.stdout.write(`${e.message}\n${e.report}\n`);
      return EXIT_VIOLATIONS;
    }
    process.stderr.write(`iommu-stress: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_HARNESS;
  } finally {
    off();
  }
}

/**
 * The command is done: exit now, once what it printed has reached its
 * reader. A design module may have left a timer or a handle behind (a
 * top-level setInterval) that would keep the process alive for ever.
 */
async function exitWith(code: number): Promise<never> {
  for (const out of [process.stdout, process.stderr]) {
    if (out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
  }
  finished = true;
  process.exit(code);
}

/** The command reached its end (exitWith): any other way out of the process is not a clean result. */
let finished = false;

/**
 * A process that ends before its command did (a design's code calling process.exit(0), or nothing left
 * for the event loop to wait on) would exit 0 having checked nothing: it is a harness failure, said so.
 */
function refuseEarlyExit(): void {
  process.on('exit', (code) => {
    if (finished || code !== 0) return;
    restoreTerminal();
    process.stderr.write('iommu-stress: harness failure: the process was ending before the command finished (process.exit called by the design\'s code?), so nothing it would have checked is known\n');
    process.exitCode = EXIT_HARNESS;
  });
}

// A closed pipe (`iommu-stress scenarios | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    finished = true;
    process.exit(0);
  }
  throw e;
});

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  refuseEarlyExit();
  void main(process.argv.slice(2)).then(exitWith);
}
