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

const VERSION = '0.1.0';

/**
 * Add the run configuration flags (from the FIELDS table) to a command.
 * `parse` turns a flag's text into its value (a list of values for sweeps).
 */
function addRunOptions(cmd: Command, parse: (f: Field, text: string) => unknown = parseFlag, listHelp = ''): Command {
  for (const f of FIELDS) {
    const def = DEFAULTS[f.key];
    const shown = f.key === 'granule' && def === 0 ? 'whole buffer' : String(def);
    const help = `${f.help} [${f.kind === 'enum' ? f.values.join('|') : allowedText(f)}]${listHelp} (default: ${shown})`;
    cmd.addOption(new Option(`${f.flag} <${f.arg}>`, help).argParser((text: string) => parse(f, text)));
  }
  cmd.addOption(new Option('--inject <KIND:DEVICE:OPS>', 'harness self-test: make a device throw, or hold its lock forever, after OPS operations').argParser(parseInject));
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
  ).action(async (opts: Record<string, unknown>) => {
    const lists: Partial<Record<keyof Config, ListValue[]>> = {};
    const base: Partial<Record<keyof Config, unknown>> = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
    for (const [k, v] of Object.entries(flagsOf(opts)) as [keyof Config, unknown][]) {
      if (k === 'inject') throw new UsageError('--inject: not allowed in a sweep (allowed: run)');
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
    bCmd.parse(bArgs, { from: 'user' });
    const b = configFrom(bCmd.opts(), a);
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

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
