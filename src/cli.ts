#!/usr/bin/env node
/**
 * iommu-stress command line. Every command checks all of its input before it
 * starts a worker: bad input exits 2 with a message naming the value and what
 * is allowed, and writes no file.
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Config,
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
import { checkWritable, writeJson } from './output.js';

const VERSION = '0.1.0';

/** Add the run configuration flags (from the FIELDS table) to a command. */
function addRunOptions(cmd: Command): Command {
  for (const f of FIELDS) {
    const def = DEFAULTS[f.key];
    const shown = f.key === 'granule' && def === 0 ? 'whole buffer' : String(def);
    const help = `${f.help} [${f.kind === 'enum' ? f.values.join('|') : allowedText(f)}] (default: ${shown})`;
    cmd.addOption(new Option(`${f.flag} <${f.arg}>`, help).argParser((text: string) => parseFlag(f, text)));
  }
  cmd.addOption(new Option('--inject <KIND:DEVICE:OPS>', 'harness self-test: make a device throw, or hold its lock forever, after OPS operations').argParser(parseInject));
  cmd.option('--config <FILE>', 'read the configuration from a JSON file (keys as in the JSON result\'s "config"); flags override it');
  return cmd;
}

/** Config from a command's parsed options: defaults < --config file < flags. */
function configFrom(opts: Record<string, unknown>): Config {
  const fromFile = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
  const fromFlags: Partial<Record<keyof Config, unknown>> = {};
  for (const f of FIELDS) {
    const attr = new Option(`${f.flag} <x>`).attributeName();
    if (opts[attr] !== undefined) fromFlags[f.key] = opts[attr];
  }
  if (opts.inject !== undefined) fromFlags.inject = opts.inject;
  return resolveConfig({ ...fromFile, ...(fromFlags as Partial<Config>) });
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
