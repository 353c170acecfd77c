/**
 * The run configuration: one table of fields (flag, range, meaning) from which
 * the CLI options, the config-file schema and every error message are made.
 * Defaults < config file (--config FILE, JSON with these keys) < flags.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { BROKEN_LOCK_NAMES, LOCK_NAMES } from './locks/registry.js';

export const LOCK_SCOPES = ['domain', 'device', 'none'] as const;
export type LockScope = (typeof LOCK_SCOPES)[number];

/**
 * How the page-table code is written:
 *  - refcount: live-entry counts per table updated under the page-table lock,
 *    intermediate tables installed with a plain store and freed when their
 *    count drops to zero (exynos-iommu lv2entcnt, tegra-smmu count[]).
 *    Correct only if one lock serialises every writer of a domain.
 *  - cmpxchg: tables installed by compare-and-swap (the loser frees its copy),
 *    never freed while the domain lives, leaves written independently
 *    (io-pgtable-arm). Correct for disjoint IOVAs even with no lock.
 * Deliberately broken variants, for race scenarios:
 *  - plain-install: cmpxchg style, but a missing table is installed with a
 *    plain store: two lock-free mappers both install, one loses its leaves.
 *  - cmpxchg-free: cmpxchg style that also frees a table when its (atomic)
 *    live count reaches zero, without waiting for walkers or mappers still
 *    inside it (no RCU, no lock).
 */
export const TABLE_STYLES = ['refcount', 'cmpxchg', 'plain-install', 'cmpxchg-free'] as const;
const BROKEN_TABLE_STYLES = ['plain-install', 'cmpxchg-free'];
export type TableStyle = (typeof TABLE_STYLES)[number];

/** Which in-flight buffer a worker completes (unmaps) when its ring is full. */
export const COMPLETIONS = ['random', 'fifo'] as const;
export type Completion = (typeof COMPLETIONS)[number];

/** The IOVA allocator: a bitmap behind the domain's allocator lock, or that plus Linux's per-CPU magazines (iova rcache) and a depot. */
export const ALLOCATORS = ['bitmap', 'rcache'] as const;
export type Allocator = (typeof ALLOCATORS)[number];

/**
 * IOTLB invalidation on unmap: strict (synchronous, under the page-table
 * lock), deferred (a per-worker flush queue, IOVAs freed only after their
 * flush), or deferred-early-free (BROKEN: IOVAs freed before their flush).
 */
export const FLUSHES = ['strict', 'deferred', 'deferred-early-free'] as const;
const BROKEN_FLUSHES = ['deferred-early-free'];
export type Flush = (typeof FLUSHES)[number];

/** What a map and an unmap are: the IOMMU's page tables, or a paravirtual IOMMU (a hypercall each, or bounce buffers in a pre-mapped pool). */
export const MODES = ['iommu', 'pv-hypercall', 'pv-bounce'] as const;
export type Mode = (typeof MODES)[number];

/** The domain a live switch installs: one that shares the default domain's table (correct), or an empty one (BROKEN: drops live mappings). */
export const SWITCH_TARGETS = ['shared-table', 'empty'] as const;
const BROKEN_SWITCH_TARGETS = ['empty'];
export type SwitchTarget = (typeof SWITCH_TARGETS)[number];

export const ON_OFF = ['on', 'off'] as const;
export type OnOff = (typeof ON_OFF)[number];

export const INJECT_KINDS = ['throw', 'hold-forever'] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

/**
 * A deliberate harness fault, to prove crash and hang reporting: after
 * `afterOps` operations the first worker of `device` throws (`throw`), or
 * takes its page-table lock and never returns (`hold-forever`, a holder stuck
 * in its critical section: everyone behind it waits, the watchdog must fire).
 */
export interface Inject {
  kind: InjectKind;
  device: number;
  afterOps: number;
}

export interface Config {
  devices: number;
  groupSize: number;
  queues: number;
  lock: string;
  lockScope: LockScope;
  tableStyle: TableStyle;
  pages: number;
  granule: number;
  inflight: number;
  completion: Completion;
  allocator: Allocator;
  pasids: number;
  dmaLive: OnOff;
  iotlbEntries: number;
  flush: Flush;
  fqSize: number;
  fqTimeoutMs: number;
  iotlbNs: number;
  delayNs: number;
  mode: Mode;
  hypercallNs: number;
  bufferBytes: number;
  dmaMaskBits: number;
  switchMs: number;
  switchTo: SwitchTarget;
  stats: OnOff;
  latencySample: number;
  durationSec: number;
  ops: number;
  seed: number;
  watchdogSec: number;
  holdSample: number;
  inject: Inject | null;
}

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

/** The values `all` stands for: the correct ones. */
export const correctValues = (f: EnumField): readonly string[] => f.values.filter((v) => !f.broken?.includes(v));
export type Field = NumberField | EnumField;

/** Granule 0 means "the whole buffer in one call". */
export const FIELDS: readonly Field[] = [
  { key: 'devices', flag: '--devices', arg: 'N', kind: 'int', min: 1, max: 256, help: 'DMA devices, one worker thread each (times --queues)' },
  { key: 'groupSize', flag: '--group-size', arg: 'G', kind: 'int', min: 1, max: 256, help: 'devices per domain; must divide --devices (1: a table per device, as s390; N: one shared domain)' },
  { key: 'queues', flag: '--queues', arg: 'Q', kind: 'int', min: 1, max: 64, help: 'worker threads per device (CPUs mapping for one device, or its PASID clients)' },
  { key: 'lock', flag: '--lock', arg: 'NAME', kind: 'enum', values: [...LOCK_NAMES, ...BROKEN_LOCK_NAMES], broken: BROKEN_LOCK_NAMES, help: 'lock algorithm for every lock (see `iommu-stress locks`)' },
  { key: 'lockScope', flag: '--lock-scope', arg: 'SCOPE', kind: 'enum', values: LOCK_SCOPES, help: 'what the page-table lock belongs to: the domain, each device, or no lock at all' },
  { key: 'tableStyle', flag: '--table-style', arg: 'STYLE', kind: 'enum', values: TABLE_STYLES, broken: BROKEN_TABLE_STYLES, help: 'page-table code: refcount (counts and frees tables under the lock) or cmpxchg (io-pgtable-arm, lock-free installs)' },
  { key: 'pages', flag: '--pages', arg: 'K', kind: 'int', min: 1, max: 4096, help: 'pages (4 KiB) per DMA buffer' },
  { key: 'granule', flag: '--granule', arg: 'P', kind: 'int', min: 0, max: 4096, help: 'pages per map/unmap call, 1 = a call (and lock round trip) per page; 0 = whole buffer' },
  { key: 'inflight', flag: '--inflight', arg: 'M', kind: 'int', min: 1, max: 1024, help: 'buffers each worker keeps mapped at once (a ring: map the newest, unmap the oldest)' },
  { key: 'completion', flag: '--completion', arg: 'ORDER', kind: 'enum', values: COMPLETIONS, help: 'which buffer completes when the ring is full: random (seeded, out of order, as storage) or fifo (in order, as a NIC ring)' },
  { key: 'allocator', flag: '--allocator', arg: 'KIND', kind: 'enum', values: ALLOCATORS, help: 'IOVA allocator: bitmap (one lock a domain) or rcache (plus per-worker magazines of 127 ranges and a depot, as Linux iova.c)' },
  { key: 'pasids', flag: '--pasids', arg: 'K', kind: 'int', min: 1, max: 64, help: 'PASIDs per device, each an index into its own domain; queue q uses PASID q mod K' },
  { key: 'dmaLive', flag: '--dma-live', arg: 'on|off', kind: 'enum', values: ON_OFF, help: 'each operation also DMAs into one older live buffer (a NIC filling its RX ring), so lost mappings fault at once' },
  { key: 'iotlbEntries', flag: '--iotlb-entries', arg: 'E', kind: 'int', min: 0, max: 4096, pow2: true, help: 'per-device IOTLB entries the DMA consults before walking (0: no IOTLB)' },
  { key: 'flush', flag: '--flush', arg: 'KIND', kind: 'enum', values: FLUSHES, broken: BROKEN_FLUSHES, help: 'IOTLB invalidation: strict, deferred (flush queue), or deferred-early-free (BROKEN: IOVA freed before the flush)' },
  { key: 'fqSize', flag: '--fq-size', arg: 'N', kind: 'int', min: 1, max: 4096, help: 'flush queue entries per worker; a full queue flushes' },
  { key: 'fqTimeoutMs', flag: '--fq-timeout', arg: 'MS', kind: 'number', min: 0.1, max: 10000, help: 'a non-empty flush queue is flushed at least this often (the fq timer)' },
  { key: 'iotlbNs', flag: '--iotlb-ns', arg: 'NS', kind: 'number', min: 0, max: 1e7, help: 'simulated IOTLB invalidation cost per unmap call, busy-waited under the page-table lock' },
  { key: 'delayNs', flag: '--delay-ns', arg: 'NS', kind: 'number', min: 0, max: 1e9, help: 'time each buffer stays busy after its DMA, busy-waited outside any lock (dma_map_benchmark -x)' },
  { key: 'mode', flag: '--mode', arg: 'MODE', kind: 'enum', values: MODES, help: 'iommu page tables, or a paravirtual IOMMU: pv-hypercall (a hypercall a map and an unmap) or pv-bounce (bounce through a pre-mapped pool)' },
  { key: 'hypercallNs', flag: '--hypercall-ns', arg: 'NS', kind: 'number', min: 0, max: 1e7, help: 'cost of one hypercall in pv-hypercall mode, busy-waited' },
  { key: 'bufferBytes', flag: '--buffer-bytes', arg: 'B', kind: 'int', min: 0, max: 1 << 24, help: 'bytes a buffer carries (pv modes copy them); 0: --pages x 4096; sets --pages to the pages it spans' },
  { key: 'dmaMaskBits', flag: '--dma-mask-bits', arg: 'B', kind: 'int', min: 12, max: 64, help: 'device DMA mask: IOVAs (and the pv-bounce pool) must lie below 2^B' },
  { key: 'switchMs', flag: '--switch-ms', arg: 'MS', kind: 'number', min: 0, max: 60000, help: 'switch device 0 between its default domain and a PASID-capable one every MS (0: never)' },
  { key: 'switchTo', flag: '--switch-to', arg: 'KIND', kind: 'enum', values: SWITCH_TARGETS, broken: BROKEN_SWITCH_TARGETS, help: 'the domain a switch installs: shared-table (keeps live mappings) or empty (BROKEN: drops them)' },
  { key: 'durationSec', flag: '--duration', arg: 'S', kind: 'number', min: 0.01, max: 86400, help: 'seconds to run (ignored when --ops is set)' },
  { key: 'ops', flag: '--ops', arg: 'N', kind: 'int', min: 0, max: 1e12, help: 'operations per worker instead of a duration (0: use --duration)' },
  { key: 'seed', flag: '--seed', arg: 'N', kind: 'int', min: 0, max: 0xffffffff, help: 'seed of the per-worker PRNGs' },
  { key: 'watchdogSec', flag: '--watchdog', arg: 'S', kind: 'number', min: 0.1, max: 3600, help: 'seconds without progress before a worker is reported hung (exit 3)' },
  { key: 'stats', flag: '--stats', arg: 'on|off', kind: 'enum', values: ON_OFF, help: 'lock_stat accounting and latency sampling; off measures the harness without its own counters' },
  { key: 'latencySample', flag: '--latency-sample', arg: 'N', kind: 'int', min: 0, max: 1 << 20, pow2: true, help: 'time the map and unmap of one operation in N (a power of two; 0: none)' },
  { key: 'holdSample', flag: '--hold-sample', arg: 'N', kind: 'int', min: 1, max: 1 << 20, pow2: true, help: 'time the holds of every lock taken in one operation in N (a power of two)' },
];

export const DEFAULTS: Config = {
  devices: 2,
  groupSize: 1,
  queues: 1,
  lock: 'mcs',
  lockScope: 'domain',
  tableStyle: 'refcount',
  pages: 1,
  granule: 0,
  inflight: 4,
  completion: 'random',
  allocator: 'bitmap',
  pasids: 1,
  dmaLive: 'off',
  iotlbEntries: 0,
  flush: 'strict',
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
  durationSec: 2,
  ops: 0,
  seed: 1,
  watchdogSec: 5,
  holdSample: 256,
  inject: null,
};

export function fieldByKey(key: keyof Config): Field {
  const f = FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`no config field ${key}`);
  return f;
}

export function allowedText(f: Field): string {
  if (f.kind === 'enum') {
    const good = correctValues(f).join(', ');
    return f.broken?.length ? `${good}; deliberately broken: ${f.broken.join(', ')}` : good;
  }
  const range = `${f.kind === 'int' ? 'an integer' : 'a number'} from ${f.min} to ${f.max}`;
  return f.pow2 ? `${range}, a power of two` : range;
}

function bad(f: Field, value: unknown, why: string): UsageError {
  return new UsageError(`${f.flag} ${JSON.stringify(value)}: ${why} (allowed: ${allowedText(f)})`);
}

/** Check one value against its field; returns it typed. */
export function checkField(f: Field, value: unknown): string | number {
  if (f.kind === 'enum') {
    if (typeof value !== 'string' || !f.values.includes(value)) throw bad(f, value, 'unknown value');
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(f, value, 'not a number');
  if (f.kind === 'int' && !Number.isInteger(value)) throw bad(f, value, 'not an integer');
  if (value < f.min || value > f.max) throw bad(f, value, 'out of range');
  if (f.pow2 && (value & (value - 1)) !== 0) throw bad(f, value, 'not a power of two');
  return value;
}

/** Parse a flag's text into its value; the message names flag, text and range. */
export function parseFlag(f: Field, text: string): string | number {
  if (f.kind === 'enum') return checkField(f, text);
  const t = text.trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) || /^0x[0-9a-f]+$/i.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) throw bad(f, text, 'not a number');
  return checkField(f, n);
}

export function parseInject(text: string): Inject {
  const m = /^([a-z-]+):(\d+):(\d+)$/.exec(text);
  const kind = m?.[1];
  if (!m || !INJECT_KINDS.includes(kind as InjectKind)) {
    throw new UsageError(`--inject ${JSON.stringify(text)}: expected KIND:DEVICE:AFTER_OPS (allowed KIND: ${INJECT_KINDS.join(', ')})`);
  }
  return { kind: kind as InjectKind, device: Number(m[2]), afterOps: Number(m[3]) };
}

/** The config file: a JSON object of Config keys, nothing else. */
const fileSchema = z
  .object(Object.fromEntries(FIELDS.map((f) => [f.key, z.unknown().optional()])) as Record<keyof Config, z.ZodOptional<z.ZodUnknown>>)
  .extend({ inject: z.string().optional() })
  .strict();

export function readConfigFile(path: string): Partial<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${JSON.stringify(path)}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${JSON.stringify(path)}: not valid JSON (${(e as Error).message})`);
  }
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const keys = [...FIELDS.map((f) => f.key), 'inject'].join(', ');
    if (issue?.code === 'unrecognized_keys') {
      throw new UsageError(`--config ${JSON.stringify(path)}: unknown key ${JSON.stringify(issue.keys[0])} (allowed: ${keys})`);
    }
    throw new UsageError(`--config ${JSON.stringify(path)}: must be a JSON object with keys among ${keys}`);
  }
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = (r.data as Record<string, unknown>)[f.key];
    if (v !== undefined) out[f.key] = checkField(f, v);
  }
  if (r.data.inject !== undefined) out.inject = parseInject(r.data.inject);
  return out as Partial<Config>;
}

/** Fill defaults and check the combination. Every field is checked again. */
export function resolveConfig(partial: Partial<Config>): Config {
  const c: Config = { ...DEFAULTS, ...partial };
  for (const f of FIELDS) checkField(f, c[f.key]);
  if (c.bufferBytes > 0) {
    const pages = Math.ceil(c.bufferBytes / 4096);
    if (partial.pages !== undefined && partial.pages !== pages && partial.pages !== DEFAULTS.pages) {
      throw new UsageError(`--buffer-bytes ${c.bufferBytes} spans ${pages} pages but --pages is ${partial.pages} (allowed: leave --pages out, or ${pages})`);
    }
    c.pages = pages;
  }
  if (c.mode === 'pv-bounce' && c.bufferBytes === 0) c.bufferBytes = c.pages * 4096;
  if (c.flush !== 'strict' && c.iotlbEntries === 0) {
    throw new UsageError(`--flush ${c.flush}: needs an IOTLB to defer (allowed: --iotlb-entries 1 or more with a deferred flush, or --flush strict)`);
  }
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
  return c;
}
