/**
 * Does an object fit the interface it is loaded as? Structural checks of a
 * user's driver, lock, allocator, flush policy, agent or race, each problem
 * named, so that a module that does not fit is refused (exit 2) before any
 * work starts, with what is missing or wrong. A key the interface does not
 * have is refused too (`invariant` for `invariants`, a run option of a race
 * misspelt): ignored, it would run the defaults and pass for success.
 */
import type { AgentDef, AllocatorDef, Config, DriverDef, FlushDef, LockDef, RaceDef, RaceVariant } from '../api/types.js';
import { CONFIG_KEYS, checkConfigValue } from '../config/config.js';
import { UsageError } from '../util/errors.js';
import { unknownKeys } from '../util/keys.js';
import { MEMORY_MODELS, type MemoryModelName } from '../memory/layout.js';

export type PieceKind = 'driver' | 'lock' | 'allocator' | 'flush' | 'agent' | 'race';

const SCOPES = ['domain', 'device', 'table', 'global'];
const OUTCOMES = ['misdirected-dma', 'lost-mapping', 'corrupt-bookkeeping'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  need(o: Obj, key: string, type: 'string' | 'function' | 'object' | 'number' | 'boolean', what = ''): void {
    const v = o[key];
    const ok = type === 'object' ? isObj(v) : typeof v === type;
    if (!ok) this.list.push(v === undefined ? `missing ${key}${what ? ` (${what})` : ''}` : `${key} is ${describe(v)}, not ${type === 'object' ? 'an object' : `a ${type}`}`);
  }
  maybe(o: Obj, key: string, type: 'string' | 'function' | 'object' | 'number' | 'boolean'): void {
    if (o[key] !== undefined) this.need(o, key, type);
  }
  int(o: Obj, key: string, min: number, max: number, required: boolean): void {
    const v = o[key];
    if (v === undefined && !required) return;
    if (typeof v === 'function') return; // sized from the run's shape
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.list.push(`${key} is ${describe(v)}, not an integer from ${min} to ${max}`);
  }
  add(s: string): void {
    this.list.push(s);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? v.slice(0, 30) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `a ${typeof v}`;
}

function checkLockClasses(p: Problems, o: Obj): void {
  const locks = o.locks;
  if (locks === undefined) return;
  if (!isObj(locks)) return p.add(`locks is ${describe(locks)}, not an object of lock classes`);
  let guards = 0;
  for (const [name, d] of Object.entries(locks)) {
    if (!isObj(d)) {
      p.add(`locks.${name} is ${describe(d)}, not { per, kernelName? }`);
      continue;
    }
    if (!SCOPES.includes(d.per as string)) p.add(`locks.${name}.per is ${describe(d.per)} (allowed: ${SCOPES.join(', ')})`);
    if (d.kernelName !== undefined && typeof d.kernelName !== 'string') p.add(`locks.${name}.kernelName is ${describe(d.kernelName)}, not a string`);
    if (d.guardsTables) guards++;
  }
  if (guards > 1) p.add('more than one lock class says guardsTables');
}

function checkInvariants(p: Problems, o: Obj): void {
  const inv = o.invariants;
  if (inv === undefined) return;
  if (!isObj(inv)) return p.add(`invariants is ${describe(inv)}, not an object of { meaning, outcome? }`);
  for (const [name, d] of Object.entries(inv)) {
    if (!isObj(d) || typeof d.meaning !== 'string') p.add(`invariants.${name} needs a meaning (a string)`);
    else if (d.outcome !== undefined && !OUTCOMES.includes(d.outcome as string)) p.add(`invariants.${name}.outcome is ${describe(d.outcome)} (allowed: ${OUTCOMES.join(', ')})`);
  }
}

/** `a lock`, `an allocator`. */
export const article = (noun: string): string => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/**
 * The check of one key of a definition: `name` is how messages name it
 * (`broken.lock` inside a race's variant, the key itself at the top).
 */
type Check = (p: Problems, o: Obj, key: string, name: string) => void;
/** Every key of an interface, each with its check: a key the table lacks is refused. */
type Fields<T> = Readonly<Record<keyof T, Check>>;

const need =
  (type: Parameters<Problems['need']>[2], what = ''): Check =>
  (p, o, key) =>
    p.need(o, key, type, what);
const maybe =
  (type: Parameters<Problems['maybe']>[2]): Check =>
  (p, o, key) =>
    p.maybe(o, key, type);
const int =
  (min: number, max: number): Check =>
  (p, o, key) =>
    p.int(o, key, min, max, false);
/** `kind`: checked before any field (a definition of another kind is refused outright). */
const known: Check = () => {};
const lockClasses: Check = (p, o) => checkLockClasses(p, o);
/** A race's memory model: one of MEMORY_MODELS. */
const memoryModel: Check = (p, o, key) => {
  if (o[key] !== undefined && !MEMORY_MODELS.includes(o[key] as MemoryModelName)) p.add(`${key} is ${describe(o[key])} (allowed: ${MEMORY_MODELS.join(', ')})`);
};
const invariants: Check = (p, o) => checkInvariants(p, o);

/** A run option of a race (its workload, or a variant's): the same check as a config file's key, named `workload.devices`. */
const option: Check = (p, o, key, name) => {
  if (!Object.hasOwn(o, key)) return;
  try {
    checkConfigValue(key as keyof Config, o[key], { at: name });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    p.add(e.message);
  }
};

/** A piece of a race's variant: a built-in's name or a path (checked as a config value), or given inline (checked as that kind). */
const piece =
  (kind: 'driver' | 'lock' | 'allocator' | 'flush'): Check =>
  (p, o, key, name) => {
    if (!isObj(o[key])) return option(p, o, key, name);
    const inner = problemsOf(kind, o[key]);
    if (inner.length > 0) p.add(`${name} is not ${article(kind)}: ${inner.join('; ')}`);
  };

const agentList: Check = (p, o, key, name) => {
  const a = o[key];
  if (a !== undefined && (!Array.isArray(a) || a.some((x) => problemsOf('agent', x).length > 0))) {
    p.add(`${name} must be a list of agents ({ name, run(ctx), device? })${Array.isArray(a) ? `: ${a.map((x, i) => problemsOf('agent', x).map((s) => `agent ${i}: ${s}`)).flat().join('; ')}` : ''}`);
  }
};

/** Run each check of `fields` on `o`, and refuse each key `fields` does not have; `prefix` names `o` inside its definition (`broken.`). */
function checkFields(p: Problems, o: Obj, fields: Readonly<Record<string, Check>>, prefix = ''): void {
  for (const [key, check] of Object.entries(fields)) check(p, o, key, prefix + key);
  for (const s of unknownKeys(o, Object.keys(fields))) p.add(prefix ? `${prefix.slice(0, -1)}: ${s}` : s);
}

/** An object of `fields` at `key` (a race's workload, a variant), `what` in the message when it is missing. */
const nested =
  (fields: Readonly<Record<string, Check>>, what: string): Check =>
  (p, o, key, name) => {
    p.need(o, key, 'object', what);
    if (isObj(o[key])) checkFields(p, o[key], fields, `${name}.`);
  };

/** A race's workload: any run option, by Config key (pieces by name or path). */
const WORKLOAD: Fields<Config> = Object.fromEntries(CONFIG_KEYS.map((k) => [k, option])) as Record<keyof Config, Check>;

/** A race's variant: its pieces (by name, path or inline), its own agents, and any other run option. */
const VARIANT: Fields<RaceVariant> = {
  ...(Object.fromEntries(CONFIG_KEYS.map((k) => [k, option])) as Record<keyof Config, Check>),
  driver: piece('driver'),
  lock: piece('lock'),
  allocator: piece('allocator'),
  flush: piece('flush'),
  agents: agentList,
};

// One table a kind, in the order problems are named; `satisfies` keeps each in step with its interface in api/types.ts.
/** The keys every piece of a run's design has (driver, lock, allocator, flush). */
const PIECE = {
  kind: known,
  name: need('string'),
  summary: need('string'),
  broken: maybe('boolean'),
};
const DRIVER = {
  ...PIECE,
  source: maybe('string'),
  table: (p, o) => {
    p.need(o, 'table', 'object', '{ entries, entryWords?, metaWords? }');
    if (!isObj(o.table)) return;
    p.int(o.table, 'entries', 2, 1 << 16, true);
    p.int(o.table, 'entryWords', 1, 16, false);
    p.int(o.table, 'metaWords', 0, 1024, false);
  },
  domainWords: int(0, 1 << 16),
  deviceWords: int(0, 1 << 16),
  levels: maybe('string'),
  locks: lockClasses,
  invariants,
  initDomain: maybe('function'),
  create: need('function', 'create(ctx) returning { map, unmap, walk }'),
  audit: need('function', 'audit(ctx, domain)'),
} satisfies Fields<DriverDef>;

const LOCK = {
  ...PIECE,
  abilities: maybe('object'),
  nodeWords: int(0, 16),
  init: need('function'),
  lock: need('function'),
  trylock: need('function'),
  unlock: need('function'),
  locked: need('function'),
} satisfies Fields<LockDef>;

const ALLOCATOR = {
  ...PIECE,
  source: maybe('string'),
  domainWords: int(0, 1 << 26),
  workerWords: int(0, 1 << 20),
  locks: lockClasses,
  round: maybe('function'),
  cachedPages: maybe('function'),
  initDomain: need('function'),
  create: need('function', 'create(ctx) returning { alloc, free }'),
  audit: need('function', 'audit(ctx, domain)'),
} satisfies Fields<AllocatorDef>;

const FLUSH = {
  ...PIECE,
  source: maybe('string'),
  needsIotlb: maybe('boolean'),
  workerWords: int(0, 1 << 20),
  pendingPages: maybe('function'),
  create: need('function', 'create(ctx) returning { invalidate, unmapped, tick }'),
  audit: maybe('function'),
} satisfies Fields<FlushDef>;

const AGENT = {
  kind: known,
  name: need('string'),
  run: need('function', 'run(ctx)'),
  device: int(0, 255),
} satisfies Fields<AgentDef>;

const RACE = {
  kind: known,
  name: need('string'),
  design: need('string', 'the wrong design, in a sentence'),
  counterpart: need('string', 'the correct counterpart, in a sentence'),
  source: maybe('string'),
  workload: nested(WORKLOAD, 'run options both variants share'),
  broken: nested(VARIANT, 'the wrong variant: { driver?, lock?, allocator?, flush?, ...options }'),
  correct: nested(VARIANT, 'the correct variant'),
  agents: agentList,
  invariants,
  classes: maybe('object'),
  setup: maybe('function'),
  check: maybe('function'),
  deviceLoop: maybe('boolean'),
  timerEverySteps: int(0, 1 << 20),
  sharedWords: int(0, 1 << 16),
  memoryModel,
} satisfies Fields<RaceDef>;

const FIELDS_OF: Record<PieceKind, Readonly<Record<string, Check>>> = { driver: DRIVER, lock: LOCK, allocator: ALLOCATOR, flush: FLUSH, agent: AGENT, race: RACE };

/** Every problem with `v` as a `kind`; empty when it fits. */
export function problemsOf(kind: PieceKind, v: unknown): string[] {
  if (v === undefined) return [`there is none (allowed: export default define${kind[0]!.toUpperCase()}${kind.slice(1)}({ ... }))`];
  if (!isObj(v)) return [`it is ${describe(v)}, not an object`];
  if (v.kind !== undefined && v.kind !== kind) return [`it is ${article(String(v.kind))}, not ${article(kind)}`];
  const p = new Problems();
  checkFields(p, v, FIELDS_OF[kind]);
  return p.list;
}
