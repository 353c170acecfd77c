/**
 * The run configuration: one table of fields (flag, range, meaning) from which
 * the CLI options, the config-file reader and every error message are made.
 * Defaults < config file (--config FILE, JSON with these keys) < flags.
 *
 * The design's pieces (`driver`, `lock`, `allocator`, `flush`) are names of
 * built-ins or paths of user modules; this file checks their spelling, the
 * module loader (modules/loader.ts) checks that a module fits.
 */
import { readInputFile } from '../util/files.js';
import { UsageError } from '../util/errors.js';
import { refuseUnknownKeys } from '../util/keys.js';
import type { Config, Inject } from '../api/types.js';
import { DRIVERS } from '../drivers/registry.js';
import { LOCKS } from '../locks/registry.js';
import { ALLOCATORS } from '../allocators/registry.js';
import { FLUSHES } from '../flush/registry.js';

export type { Config, Inject } from '../api/types.js';

export const COMPLETIONS = ['random', 'fifo'] as const;
export const MODES = ['iommu', 'pv-hypercall', 'pv-bounce'] as const;
/** The domain a live switch installs: one sharing the default domain's table (correct), or an empty one (BROKEN: drops live mappings). */
export const SWITCH_TARGETS = ['shared-table', 'empty'] as const;
export const ON_OFF = ['on', 'off'] as const;
export const INJECT_KINDS = ['throw', 'hold-forever'] as const;

interface FieldBase {
  key: keyof Config;
  flag: string;
  arg: string;
  help: string;
}
interface NumberField extends FieldBase {
  kind: 'int' | 'number';
  min: number;
  max: number;
  /** Must be a power of two. */
  pow2?: boolean;
}
interface EnumField extends FieldBase {
  kind: 'enum';
  /** Every accepted value; `all` in a sweep means these minus the broken ones. */
  values: readonly string[];
  /** Deliberately broken values (race scenarios), accepted and named as such. */
  broken?: readonly string[];
}
/** A piece of the design: a built-in's name, or a path to a user module. */
interface PieceField extends FieldBase {
  kind: 'piece';
  values: readonly string[];
  broken: readonly string[];
}
export type Field = NumberField | EnumField | PieceField;

const names = (defs: readonly { name: string; broken?: boolean }[], broken: boolean): string[] => defs.filter((d) => (d.broken ?? false) === broken).map((d) => d.name);
const piece = (key: keyof Config, flag: string, defs: readonly { name: string; broken?: boolean }[], help: string): PieceField => ({
  key,
  flag,
  arg: 'NAME|PATH',
  kind: 'piece',
  values: [...names(defs, false), ...names(defs, true)],
  broken: names(defs, true),
  help,
});

/** The values `all` stands for: the correct ones. */
export const correctValues = (f: EnumField | PieceField): readonly string[] => f.values.filter((v) => !f.broken?.includes(v));

/** Does a piece value name a module by path rather than a built-in? */
export const isModulePath = (v: string): boolean => /[/\\]/.test(v) || /\.(m?js|cjs)(#.*)?$/.test(v);

export const FIELDS: readonly Field[] = [
  { key: 'devices', flag: '--devices', arg: 'N', kind: 'int', min: 1, max: 256, help: 'DMA devices, one worker thread each (times --queues)' },
  { key: 'groupSize', flag: '--group-size', arg: 'G', kind: 'int', min: 1, max: 256, help: 'devices per domain; must divide --devices (1: a table per device, as s390; N: one shared domain)' },
  { key: 'queues', flag: '--queues', arg: 'Q', kind: 'int', min: 1, max: 64, help: 'worker threads per device (CPUs mapping for one device, or its PASID clients)' },
  piece('driver', '--driver', DRIVERS, 'page-table driver: its table format and its locking (see `iommu-stress drivers`), or a module path'),
  piece('lock', '--lock', LOCKS, 'lock algorithm for every lock (see `iommu-stress locks`), or a module path'),
  piece('allocator', '--allocator', ALLOCATORS, 'IOVA allocator: bitmap (one lock a domain) or rcache (plus per-worker magazines and a depot, as Linux iova.c), or a module path'),
  piece('flush', '--flush', FLUSHES, 'IOTLB invalidation: strict, deferred (flush queue), deferred-early-free (BROKEN), or a module path'),
  { key: 'pages', flag: '--pages', arg: 'K', kind: 'int', min: 1, max: 4096, help: 'pages (4 KiB) per DMA buffer' },
  { key: 'granule', flag: '--granule', arg: 'P', kind: 'int', min: 0, max: 4096, help: 'pages per map/unmap call, 1 = a call (and lock round trip) per page; 0 = whole buffer' },
  { key: 'inflight', flag: '--inflight', arg: 'M', kind: 'int', min: 1, max: 1024, help: 'buffers each worker keeps mapped at once (a ring: map the newest, unmap one when full)' },
  { key: 'completion', flag: '--completion', arg: 'ORDER', kind: 'enum', values: COMPLETIONS, help: 'which buffer completes when the ring is full: random (seeded, out of order, as storage) or fifo (in order, as a NIC ring)' },
  { key: 'pasids', flag: '--pasids', arg: 'K', kind: 'int', min: 1, max: 64, help: 'PASIDs per device, each an index into its own domain; queue q uses PASID q mod K' },
  { key: 'dmaLive', flag: '--dma-live', arg: 'on|off', kind: 'enum', values: ON_OFF, help: 'each operation also DMAs into one older live buffer (a NIC filling its RX ring), so lost mappings fault at once' },
  { key: 'iotlbEntries', flag: '--iotlb-entries', arg: 'E', kind: 'int', min: 0, max: 4096, pow2: true, help: 'per-device IOTLB entries the DMA consults before walking (0: no IOTLB)' },
  { key: 'fqSize', flag: '--fq-size', arg: 'N', kind: 'int', min: 1, max: 4096, help: 'flush queue entries per worker (deferred flush); a full queue flushes' },
  { key: 'fqTimeoutMs', flag: '--fq-timeout', arg: 'MS', kind: 'number', min: 0.1, max: 10000, help: 'a non-empty flush queue is flushed at least this often (the fq timer)' },
  { key: 'iotlbNs', flag: '--iotlb-ns', arg: 'NS', kind: 'number', min: 0, max: 1e7, help: 'simulated IOTLB invalidation cost per command, busy-waited' },
  { key: 'delayNs', flag: '--delay-ns', arg: 'NS', kind: 'number', min: 0, max: 1e9, help: 'time each buffer stays busy after its DMA, busy-waited outside any lock (dma_map_benchmark -x)' },
  { key: 'mode', flag: '--mode', arg: 'MODE', kind: 'enum', values: MODES, help: 'iommu page tables, or a paravirtual IOMMU: pv-hypercall (a hypercall a map and an unmap call) or pv-bounce (bounce through a pre-mapped pool)' },
  { key: 'hypercallNs', flag: '--hypercall-ns', arg: 'NS', kind: 'number', min: 0, max: 1e7, help: 'cost of one hypercall in pv-hypercall mode, busy-waited' },
  { key: 'bufferBytes', flag: '--buffer-bytes', arg: 'B', kind: 'int', min: 0, max: 1 << 24, help: 'bytes a buffer carries (pv-bounce copies them); 0: --pages x 4096; sets --pages to the pages it spans' },
  { key: 'dmaMaskBits', flag: '--dma-mask-bits', arg: 'B', kind: 'int', min: 12, max: 64, help: 'device DMA mask: IOVAs (and the pv-bounce pool) must lie below 2^B' },
  { key: 'switchMs', flag: '--switch-ms', arg: 'MS', kind: 'number', min: 0, max: 60000, help: 'a thread switches device 0 between its default domain and a PASID-capable one every MS (0: never)' },
  { key: 'switchTo', flag: '--switch-to', arg: 'KIND', kind: 'enum', values: SWITCH_TARGETS, broken: ['empty'], help: 'the domain a switch installs: shared-table (keeps live mappings) or empty (BROKEN: drops them)' },
  { key: 'durationSec', flag: '--duration', arg: 'S', kind: 'number', min: 0.01, max: 86400, help: 'seconds to run (ignored when --ops is set)' },
  { key: 'ops', flag: '--ops', arg: 'N', kind: 'int', min: 0, max: 1e12, help: 'operations per worker instead of a duration (0: use --duration)' },
  { key: 'seed', flag: '--seed', arg: 'N', kind: 'int', min: 0, max: 0xffffffff, help: 'seed of the per-worker PRNGs' },
  { key: 'watchdogSec', flag: '--watchdog', arg: 'S', kind: 'number', min: 0.1, max: 3600, help: 'seconds without progress anywhere before the run counts as hung (exit 3)' },
  { key: 'stats', flag: '--stats', arg: 'on|off', kind: 'enum', values: ON_OFF, help: 'lock_stat accounting and latency sampling; off measures the harness without its own counters' },
  { key: 'latencySample', flag: '--latency-sample', arg: 'N', kind: 'int', min: 0, max: 1 << 20, pow2: true, help: 'time the map and unmap of one operation in N (a power of two; 0: none)' },
  { key: 'holdSample', flag: '--hold-sample', arg: 'N', kind: 'int', min: 1, max: 1 << 20, pow2: true, help: 'time the holds, and the waits of contended acquisitions, of every lock taken in one operation in N (a power of two; 1: all)' },
];

/**
 * The two options the driver replaced, kept as aliases so that existing
 * commands, scenarios, config files and saved results still run: a table
 * style and a lock scope name one driver (`aliasDriver`).
 */
export const TABLE_STYLES = ['refcount', 'cmpxchg', 'plain-install', 'cmpxchg-free'] as const;
export const LOCK_SCOPES = ['domain', 'device', 'none'] as const;
export interface AliasField {
  key: 'tableStyle' | 'lockScope';
  flag: string;
  arg: string;
  values: readonly string[];
  help: string;
}
export const ALIASES: readonly AliasField[] = [
  { key: 'tableStyle', flag: '--table-style', arg: 'STYLE', values: TABLE_STYLES, help: 'alias of --driver (with --lock-scope): refcount, cmpxchg, plain-install, cmpxchg-free' },
  { key: 'lockScope', flag: '--lock-scope', arg: 'SCOPE', values: LOCK_SCOPES, help: 'alias of --driver (with --table-style): what the page-table lock belongs to: domain, device, none' },
];

/** A table style and lock scope as a driver name; what was given decides the error. */
const ALIAS_DRIVERS: Record<string, Record<string, string>> = {
  refcount: { domain: 'refcount', device: 's390', none: 'nolock' },
  cmpxchg: { domain: 'cmpxchg-locked', none: 'cmpxchg' },
  'plain-install': { none: 'plain-install' },
  'cmpxchg-free': { none: 'free-under-walker' },
};
/** The scope each style means when no --lock-scope is given. */
const ALIAS_DEFAULT_SCOPE: Record<string, string> = { refcount: 'domain', cmpxchg: 'domain', 'plain-install': 'none', 'cmpxchg-free': 'none' };

/** The driver a --table-style / --lock-scope pair names (either may be absent). */
export function aliasDriver(style: string | undefined, scope: string | undefined, where = ''): string {
  const s = style ?? 'refcount';
  const table = ALIAS_DRIVERS[s];
  if (!table) throw new UsageError(`${where}--table-style ${JSON.stringify(s)}: unknown value (allowed: ${TABLE_STYLES.join(', ')})`);
  const sc = scope ?? ALIAS_DEFAULT_SCOPE[s]!;
  if (!LOCK_SCOPES.includes(sc as (typeof LOCK_SCOPES)[number])) throw new UsageError(`${where}--lock-scope ${JSON.stringify(sc)}: unknown value (allowed: ${LOCK_SCOPES.join(', ')})`);
  const d = table[sc];
  if (!d) {
    const ok = Object.entries(ALIAS_DRIVERS)
      .flatMap(([st, m]) => Object.keys(m).map((sp) => `${st}/${sp}`))
      .join(', ');
    throw new UsageError(`${where}--table-style ${s} with --lock-scope ${sc}: no driver is written that way (allowed pairs: ${ok}; or --driver NAME)`);
  }
  return d;
}

export const DEFAULTS: Config = deepFreeze({
  devices: 2,
  groupSize: 1,
  queues: 1,
  driver: 'refcount',
  lock: 'mcs',
  allocator: 'bitmap',
  flush: 'strict',
  pages: 1,
  granule: 0,
  inflight: 4,
  completion: 'random',
  pasids: 1,
  dmaLive: 'off',
  iotlbEntries: 0,
  fqSize: 256,
  fqTimeoutMs: 10,
  iotlbNs: 0,
  delayNs: 0,
  mode: 'iommu',
  hypercallNs: 3000,
  bufferBytes: 0,
  dmaMaskBits: 64,
  switchMs: 0,
  switchTo: 'shared-table',
  stats: 'on',
  latencySample: 256,
  holdSample: 256,
  durationSec: 2,
  ops: 0,
  seed: 1,
  watchdogSec: 5,
  inject: null,
});

/** `o` and every object it holds, frozen: writing to them throws (ES modules are strict). */
function deepFreeze<T>(o: T): T {
  if (typeof o !== 'object' || o === null) return o;
  Object.freeze(o);
  for (const v of Object.values(o)) deepFreeze(v);
  return o;
}

/**
 * A configuration as a run uses it, deeply frozen (its inject too): the
 * main thread's (resolveConfig) and each worker's structured-cloned copy
 * (loadDesign), so that a design writing to `ctx.config` throws instead of
 * changing what the report says was run.
 */
export const freezeConfig = (c: Config): Config => deepFreeze(c);

export function fieldByKey(key: keyof Config): Field {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`no config field ${key}`);
  return f;
}

export function allowedText(f: Field): string {
  if (f.kind === 'enum' || f.kind === 'piece') {
    const good = correctValues(f).join(', ');
    const text = f.broken?.length ? `${good}; deliberately broken: ${f.broken.join(', ')}` : good;
    return f.kind === 'piece' ? `${text}; or the path of a module: ./mine.mjs` : text;
  }
  const range = `${f.kind === 'int' ? 'an integer' : 'a number'} from ${f.min} to ${f.max}`;
  return f.pow2 ? `${range}, a power of two` : range;
}

/** Where a value came from, for messages: a flag, a key of a config file, or a place named in full (`workload.devices` of a race). */
export type Origin = { flag: true } | { file: string } | { at: string };
const whereOf = (f: { key: string; flag: string }, o: Origin): string => ('file' in o ? `${JSON.stringify(f.key)} in ${o.file}` : 'at' in o ? o.at : f.flag);

function bad(f: Field, shown: string, why: string, o: Origin): UsageError {
  return new UsageError(`${whereOf(f, o)} ${shown}: ${why} (allowed: ${allowedText(f)})`);
}

/** Check one value against its field; returns it typed. `shown` is how the value reads in a message (the user's own text). */
export function checkField(f: Field, value: unknown, o: Origin = { flag: true }, shown = JSON.stringify(value) ?? String(value)): string | number {
  if (f.kind === 'enum') {
    if (typeof value !== 'string' || !f.values.includes(value)) throw bad(f, shown, 'unknown value', o);
    return value;
  }
  if (f.kind === 'piece') {
    if (typeof value !== 'string' || value === '') throw bad(f, shown, 'not a name or a path', o);
    if (!f.values.includes(value) && !isModulePath(value)) throw bad(f, shown, `no built-in ${f.key} of that name`, o);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(f, shown, 'not a finite number', o);
  if (f.kind === 'int' && !Number.isInteger(value)) throw bad(f, shown, 'not an integer', o);
  if (value < f.min || value > f.max) throw bad(f, shown, 'out of range', o);
  if (f.pow2 && (value & (value - 1)) !== 0) throw bad(f, shown, 'not a power of two', o);
  return value;
}

/** Parse a flag's text into its value; the message quotes the text as given. */
export function parseFlag(f: Field, text: string): string | number {
  if (f.kind !== 'int' && f.kind !== 'number') return checkField(f, text, { flag: true }, JSON.stringify(text));
  const t = text.trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) || /^0x[0-9a-f]+$/i.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) throw bad(f, JSON.stringify(text), 'not a number', { flag: true });
  return checkField(f, n, { flag: true }, JSON.stringify(text));
}

/**
 * A count (runs, workers, a repeat), an integer from `min` to `max`: the
 * CLI's count flags (their text read as a number) and the API's options
 * are refused in the same words. `shown` is how the value reads in a message.
 */
export function checkCount(where: string, value: unknown, max: number, min = 1, shown = JSON.stringify(value) ?? String(value)): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new UsageError(`${where} ${shown}: not a count (allowed: an integer from ${min} to ${max})`);
  return value;
}

export function parseInject(text: string, where = '--inject'): Inject {
  const m = /^([a-z-]+):(\d+):(\d+)$/.exec(text);
  const kind = m?.[1];
  if (!m || !INJECT_KINDS.includes(kind as Inject['kind'])) {
    throw new UsageError(`${where} ${JSON.stringify(text)}: expected KIND:DEVICE:AFTER_OPS (allowed KIND: ${INJECT_KINDS.join(', ')})`);
  }
  return { kind: kind as Inject['kind'], device: Number(m[2]), afterOps: Number(m[3]) };
}

/** Larger than any real configuration: a config file beyond it is refused before it is read. */
export const CONFIG_FILE_MAX_BYTES = 1 << 20;

/** The keys of a Config, in the order of FIELDS; `inject` last. */
export const CONFIG_KEYS: readonly (keyof Config)[] = [...FIELDS.map((f) => f.key), 'inject'];
/** What a configuration object may hold: its keys, and the aliases. */
const ALL_KEYS: readonly string[] = [...FIELDS.map((f) => f.key), ...ALIASES.map((a) => a.key), 'inject'];
const INJECT_KEYS: readonly (keyof Inject)[] = ['kind', 'device', 'afterOps'];

/** An inject as a configuration gives it: null, `"KIND:DEVICE:AFTER_OPS"`, or `{ kind, device, afterOps }` and no other key. */
export function injectValue(v: unknown, where: string): Inject | null {
  if (v === null) return null;
  if (typeof v === 'string') return parseInject(v, where);
  if (typeof v === 'object' && !Array.isArray(v)) {
    refuseUnknownKeys(v, INJECT_KEYS, where);
    const x = v as Record<string, unknown>;
    return parseInject(`${String(x.kind)}:${String(x.device)}:${String(x.afterOps)}`, where);
  }
  throw new UsageError(`${where} ${JSON.stringify(v)}: expected null, "KIND:DEVICE:AFTER_OPS" or {kind, device, afterOps}`);
}

/** One value of a Config key, checked as its field (or the inject) checks it; `o` names where it came from. */
export function checkConfigValue(key: keyof Config, v: unknown, o: Origin): string | number | Inject | null {
  if (key === 'inject') return injectValue(v, whereOf({ key, flag: '--inject' }, o));
  return checkField(fieldByKey(key), v, o);
}

/** A configuration object's keys checked (an object, each key a Config key or an alias); `source` names it in messages. */
function checkConfigKeys(json: unknown, source: string): asserts json is Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`${source}: must be an object with keys among ${ALL_KEYS.join(', ')}`);
  }
  refuseUnknownKeys(json, ALL_KEYS, source);
}

/**
 * Read a configuration file: a JSON object with Config keys (a result's
 * `config`, as `--json` writes it, is one; a whole result is read as its
 * `config`). Messages name the file and the
 * key. The old keys `tableStyle` and `lockScope` are read as aliases.
 */
export function readConfigFile(path: string): Partial<Config> {
  const text = readInputFile(path, { what: '--config', allowed: 'a JSON object of configuration keys, such as the `config` of a result', maxBytes: CONFIG_FILE_MAX_BYTES }).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${JSON.stringify(path)}: not valid JSON (${(e as Error).message})`);
  }
  // A whole result (`run --json`): its configuration is the `config` inside.
  const r = json as { schema?: unknown; config?: unknown } | null;
  if (r && typeof r === 'object' && typeof r.schema === 'string' && /\/run@\d+$/.test(r.schema) && r.config !== undefined) return configFromObject(r.config, `${path} (its "config")`);
  return configFromObject(json, path);
}

/** A config object (a file's, a result's `config`), checked key by key; `source` names it in messages. */
export function configFromObject(json: unknown, source: string): Partial<Config> {
  checkConfigKeys(json, source);
  const o: Origin = { file: source };
  const out: Record<string, unknown> = {};
  const aliases: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(json)) {
    const a = ALIASES.find((x) => x.key === k);
    if (a) {
      if (typeof v !== 'string' || !a.values.includes(v)) throw new UsageError(`${JSON.stringify(k)} in ${source} ${JSON.stringify(v)}: unknown value (allowed: ${a.values.join(', ')})`);
      aliases[k] = v;
      continue;
    }
    out[k] = checkConfigValue(k as keyof Config, v, o); // checkConfigKeys let only Config keys through
  }
  if (aliases.tableStyle !== undefined || aliases.lockScope !== undefined) {
    const d = aliasDriver(aliases.tableStyle, aliases.lockScope, `${source}: `);
    if (out.driver !== undefined && out.driver !== d) {
      throw new UsageError(`${source}: "driver" ${JSON.stringify(out.driver)} and the aliases tableStyle/lockScope (driver ${d}) disagree (allowed: one of them)`);
    }
    out.driver = d;
  }
  return out as Partial<Config>;
}

/** The driver a configuration names, also for configs from before version 2 (a table style and a lock scope). */
export function driverOfConfig(c: Partial<Config> & { tableStyle?: string; lockScope?: string }): string {
  if (typeof c.driver === 'string') return c.driver;
  try {
    return aliasDriver(c.tableStyle, c.lockScope);
  } catch {
    return `${c.tableStyle ?? 'refcount'}/${c.lockScope ?? 'domain'}`;
  }
}

/**
 * Fill defaults and check the combination. Every field is checked again, and
 * a key that is not a Config key (nor an alias) is refused; `source` names
 * the object in that message. The old keys tableStyle and lockScope are read
 * as the driver they name. The result is frozen (freezeConfig).
 */
export function resolveConfig(partial: Partial<Config>, source = 'config'): Config {
  checkConfigKeys(partial, source);
  const { tableStyle, lockScope, ...rest } = partial as Partial<Config> & { tableStyle?: string; lockScope?: string };
  if (tableStyle !== undefined || lockScope !== undefined) {
    const d = aliasDriver(tableStyle, lockScope);
    if (rest.driver !== undefined && rest.driver !== d) throw new UsageError(`driver ${JSON.stringify(rest.driver)} and tableStyle/lockScope (driver ${d}) disagree (allowed: one of them)`);
    rest.driver = d;
  }
  partial = rest;
  const c: Config = { ...DEFAULTS, ...partial };
  for (const f of FIELDS) checkField(f, c[f.key]);
  // A copy of the caller's inject, its keys checked: undefined, as the type's absent key, is none.
  c.inject = c.inject === undefined ? null : injectValue(c.inject, 'inject');
  if (c.bufferBytes > 0) {
    const pages = Math.ceil(c.bufferBytes / 4096);
    if (partial.pages !== undefined && partial.pages !== pages) {
      throw new UsageError(`--buffer-bytes ${c.bufferBytes} spans ${pages} pages but --pages is ${partial.pages} (allowed: leave --pages out, or ${pages})`);
    }
    c.pages = pages;
  }
  if (c.mode === 'pv-bounce' && c.bufferBytes === 0) c.bufferBytes = c.pages * 4096;
  if (c.pasids > c.queues && c.pasids > 1) {
    throw new UsageError(`--pasids ${c.pasids}: more PASIDs than queues (${c.queues}) to use them (allowed: 1 to ${c.queues})`);
  }
  if (c.switchMs > 0 && c.pasids > 1) {
    throw new UsageError(`--switch-ms ${c.switchMs} with --pasids ${c.pasids}: the live switch moves a device's default domain only (allowed: --pasids 1)`);
  }
  if (c.mode !== 'iommu' && (c.switchMs > 0 || c.pasids > 1)) {
    throw new UsageError(`--mode ${c.mode}: a paravirtual IOMMU has no PASIDs or domain switches (allowed: --mode iommu with --pasids or --switch-ms)`);
  }
  if (c.devices % c.groupSize !== 0) {
    const divisors = [];
    for (let g = 1; g <= c.devices; g++) if (c.devices % g === 0) divisors.push(g);
    throw new UsageError(`--group-size ${c.groupSize}: must divide --devices ${c.devices} (allowed: ${divisors.join(', ')})`);
  }
  if (c.granule > c.pages) {
    throw new UsageError(`--granule ${c.granule}: larger than --pages ${c.pages} (allowed: 0 to ${c.pages})`);
  }
  if (c.devices * c.queues > 256) {
    throw new UsageError(`--devices ${c.devices} x --queues ${c.queues}: ${c.devices * c.queues} workers (allowed: at most 256)`);
  }
  if (c.inject && c.inject.device >= c.devices) {
    throw new UsageError(`--inject device ${c.inject.device}: no such device (allowed: 0 to ${c.devices - 1})`);
  }
  return freezeConfig(c);
}

/**
 * Options that mean nothing in a configuration: said as warnings (a run
 * does what it says it does), e.g. a flush policy with --mode pv-bounce.
 * Only options the user set (present in `given`) are named.
 */
export function ignoredOptions(c: Config, given: Partial<Record<keyof Config, unknown>>): string[] {
  const out: string[] = [];
  const set = (k: keyof Config): boolean => given[k] !== undefined && given[k] !== DEFAULTS[k];
  if (c.mode === 'pv-bounce') {
    for (const k of ['driver', 'flush', 'granule', 'iotlbEntries', 'iotlbNs', 'fqSize', 'fqTimeoutMs', 'allocator'] as const) {
      if (set(k)) out.push(`${fieldByKey(k).flag} ${String(c[k])} has no effect with --mode pv-bounce (a bounce pool mapped once replaces the page-table driver, the IOVA allocator and IOTLB invalidation)`);
    }
  }
  if (c.mode !== 'pv-hypercall' && set('hypercallNs')) out.push(`--hypercall-ns ${c.hypercallNs} has no effect without --mode pv-hypercall`);
  if (c.switchMs === 0 && set('switchTo')) out.push(`--switch-to ${c.switchTo} has no effect without --switch-ms`);
  if (c.iotlbEntries === 0 && (set('fqSize') || set('fqTimeoutMs'))) out.push('--fq-size / --fq-timeout have no effect without a deferred flush and an IOTLB (--iotlb-entries)');
  if (c.ops > 0 && set('durationSec')) out.push(`--duration ${c.durationSec} has no effect with --ops ${c.ops} (a fixed number of operations)`);
  if (c.stats === 'off' && (set('latencySample') || set('holdSample'))) out.push('--latency-sample / --hold-sample have no effect with --stats off');
  return out;
}
