/**
 * Pieces by name or by path. Wherever a built-in is named, a user module
 * may be named by path instead (`--driver ./mine.mjs`, `--lock
 * ./locks.mjs#myLock`, `explore ./my-race.mjs`); a piece a race gives inline
 * is named by the race file's path and where in it (`./race.mjs#broken.driver`).
 * The main thread loads and checks every piece before any work starts (a
 * module that is missing, throws while loading or does not fit: a UsageError
 * naming the file and what is wrong); the workers load the same pieces again
 * from the same specs.
 *
 * A spec's URL carries the version of its module's import graph (the content
 * hashes of the module and every file it imports, modules/imports.ts), and
 * the resolve hook gives each imported file its own graph's version. A module
 * that changed since this process first imported it (or a file it imports)
 * so gets new URLs, and the main thread and the workers load the same new
 * code; where that cannot be done (a CommonJS file, or Vite importing under
 * vitest) a change is refused. A worker whose files are no longer what the
 * main thread loaded refuses to load, naming the file. An import that does
 * not finish within the time limit (a top-level await that never settles) is
 * a UsageError too.
 */
import { existsSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AgentDef, AllocatorDef, Config, DriverDef, FlushDef, LockDef, RaceDef, RaceVariant } from '../api/types.js';
import { UsageError } from '../util/errors.js';
import { freezeConfig, isModulePath, resolveConfig } from '../config/config.js';
import { DRIVERS } from '../drivers/registry.js';
import { LOCKS } from '../locks/registry.js';
import { ALLOCATORS } from '../allocators/registry.js';
import { FLUSHES } from '../flush/registry.js';
import { RACES } from '../races/registry.js';
import { liveSwitch } from '../agents/live-switch.js';
import { invariantsOf } from '../checker/invariants.js';
import type { Design, DesignSpec, PieceSpec, Variant } from '../engine/design.js';
import { type PieceKind, article, problemsOf } from './validate.js';
import { type GraphFile, firstChanged, importGraph, shownPath, versionOf, versionParam, versionedUrl } from './imports.js';

type PieceKey = 'driver' | 'lock' | 'allocator' | 'flush';
const BUILTINS: Record<PieceKey | 'race', readonly { name: string }[]> = { driver: DRIVERS, lock: LOCKS, allocator: ALLOCATORS, flush: FLUSHES, race: RACES };
const FLAG: Record<PieceKey, string> = { driver: '--driver', lock: '--lock', allocator: '--allocator', flush: '--flush' };

/** `./x.mjs#a.b` into its file and its property path. */
export function splitRef(ref: string): { file: string; exportPath: string | null } {
  const i = ref.indexOf('#');
  return i < 0 ? { file: ref, exportPath: null } : { file: ref.slice(0, i), exportPath: ref.slice(i + 1) || null };
}

/** Modules this thread imported, by versioned URL. */
const moduleCache = new Map<string, Record<string, unknown>>();

/**
 * Once a thread (the main thread and each worker load user modules): let a
 * user's `import ... from 'iommu-stress'` find the running harness when the
 * module has no copy of its own to find, and give each file a design
 * imports the version of its own graph (modules/resolve-hook.ts). True when
 * the hook is in place.
 */
let hookRegistered: boolean | null = null;
function registerSelfResolve(): boolean {
  if (hookRegistered !== null) return hookRegistered;
  const here = import.meta.url;
  // From the sources (vitest) the hook is the compiled one in dist/.
  const hook = new URL(here.endsWith('.ts') ? '../../dist/src/modules/resolve-hook.js' : './resolve-hook.js', here);
  hookRegistered = existsSync(fileURLToPath(hook));
  if (hookRegistered) register(hook.href, { data: { self: here } });
  return hookRegistered;
}

/**
 * Whether a changed ES module can be loaded again under a new URL with
 * every file it imports: only through the resolve hook, and only where Node
 * itself imports (from the sources, under vitest, Vite's module runner does,
 * and it keeps the first version of an imported file whatever the URL).
 */
const canReload = (): boolean => registerSelfResolve() && !import.meta.url.endsWith('.ts');

/** The content hash of each file as this thread first loaded it (what Node keeps for a module it cannot load again). */
const firstLoaded = new Map<string, string>();

/**
 * Refuse a module whose graph holds a file this thread loaded before, that
 * changed since, and that Node will not load again: a CommonJS module (cached
 * by its file name), a file of another kind, or (no reload possible here)
 * any file. The workers, fresh threads, would load the new one.
 */
function refuseStale(files: readonly GraphFile[], where: string, file: string): void {
  const reload = canReload();
  for (const f of files) {
    const then = firstLoaded.get(f.path);
    if (then === undefined || then === f.hash) continue;
    if (reload && (f.format === 'module' || f.format === 'json' || f.format === 'missing')) continue;
    const why = !reload
      ? 'here the files it imports cannot be loaded again under new URLs (the harness runs from its TypeScript sources, or without its resolve hook)'
      : f.format === 'commonjs'
        ? 'a CommonJS module cannot be loaded again under a new URL (Node caches it by its file name)'
        : 'a file of this kind cannot be loaded again under a new URL';
    throw new UsageError(
      `${where} ${JSON.stringify(file)}: ${shownPath(f.path)} changed since this process first loaded it; Node keeps the first version of a module for the life of a process, and ${why}, while the workers would load the new one. Run it in a new process`,
    );
  }
}

const LOAD_TIMEOUT_ENV = 'IOMMU_STRESS_LOAD_TIMEOUT_SEC';
const LOAD_TIMEOUT_DEFAULT_SEC = 30;

/** How long a module may take to load: 30 s, or IOMMU_STRESS_LOAD_TIMEOUT_SEC. */
export function loadTimeoutSec(): number {
  const t = process.env[LOAD_TIMEOUT_ENV];
  if (t === undefined || t.trim() === '') return LOAD_TIMEOUT_DEFAULT_SEC;
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`${LOAD_TIMEOUT_ENV}=${JSON.stringify(t)}: not a time limit (allowed: seconds, above 0 and at most 86400; unset: ${LOAD_TIMEOUT_DEFAULT_SEC})`);
  return n;
}

/**
 * `p`, or the error of `expired()` after `sec` seconds. The timer keeps the
 * event loop alive while an import is pending (nothing else does: a
 * top-level await that never settles would let the process exit, silent),
 * and is cleared when `p` settles, so it never holds a process open.
 */
async function withTimeLimit<T>(p: Promise<T>, sec: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), sec * 1000);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Import a user module once a version; a failure is a UsageError naming the
 * file. The URL carries the version of the module's import graph, so a
 * module that changed (or a file it imports) is loaded afresh rather than
 * served from Node's cache. `pinned`: the version the main thread loaded (a
 * spec's URL says it); a graph that is no longer that is refused, naming the
 * file that changed, instead of loading other code than the main thread's.
 */
async function importModule(file: string, where: string, pinned: string | null = null): Promise<{ ns: Record<string, unknown>; url: string }> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new UsageError(`${where} ${JSON.stringify(file)}: no such file (allowed: a built-in name, or the path of an .mjs or .js module)`);
  if (statSync(abs).isDirectory()) throw new UsageError(`${where} ${JSON.stringify(file)}: is a directory (allowed: the path of an .mjs or .js module)`);
  if (!/\.(mjs|js|cjs)$/.test(abs)) throw new UsageError(`${where} ${JSON.stringify(file)}: not a JavaScript module (allowed: .mjs or .js; Node 20 runs no .ts: compile it first)`);
  const pinnedCached = pinned === null ? undefined : moduleCache.get(versionedUrl(abs, pinned));
  if (pinnedCached) return { ns: pinnedCached, url: versionedUrl(abs, pinned!) };
  const files = importGraph(abs);
  const version = versionOf(files);
  if (pinned !== null && version !== pinned) {
    const f = firstChanged(pinned, files) ?? files[0]!;
    throw new UsageError(
      `${where} ${JSON.stringify(file)}: ${shownPath(f.path)} changed after the main thread loaded the design (it is not the content the run was fingerprinted with): this thread would run other code than the main thread. Run it again`,
    );
  }
  const url = versionedUrl(abs, version);
  const cached = moduleCache.get(url);
  if (cached) return { ns: cached, url };
  refuseStale(files, where, file);
  registerSelfResolve();
  const sec = loadTimeoutSec();
  const loading = (import(url) as Promise<Record<string, unknown>>).catch((e: unknown) => {
    const err = e as Error;
    // The line of the module's own frame, its URL shown without the version query.
    const first = ((err.stack ?? '').split('\n').find((l) => l.includes(abs) || l.includes(url)) ?? '').replace(/\?v=[0-9a-z.]+/g, '');
    throw new UsageError(`${where} ${JSON.stringify(file)}: the module failed to load: ${err.name}: ${err.message}${first ? ` (${first.trim()})` : ''}`);
  });
  const ns = await withTimeLimit(loading, sec, () => new UsageError(`${where} ${JSON.stringify(file)}: the module did not finish loading in ${sec} s (a top-level await that never settles?); ${LOAD_TIMEOUT_ENV} sets the limit`));
  // What Node read is what was hashed only if nothing changed meanwhile.
  const after = importGraph(abs);
  if (versionOf(after) !== version) {
    const f = firstChanged(version, after) ?? files[0]!;
    throw new UsageError(`${where} ${JSON.stringify(file)}: ${shownPath(f.path)} changed while the module was loading. Run it again`);
  }
  for (const f of files) if (!firstLoaded.has(f.path)) firstLoaded.set(f.path, f.hash);
  moduleCache.set(url, ns);
  return { ns, url };
}

/** Follow `a.b.c` from a module's namespace (an export, else a property of the default export). */
function pick(ns: Record<string, unknown>, exportPath: string | null, kind: PieceKind): { value: unknown; path: string } {
  if (exportPath === null) {
    if (ns.default !== undefined) return { value: ns.default, path: 'default' };
    // No default: the one export of the right kind, if there is exactly one.
    const found = Object.entries(ns).filter(([, v]) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind);
    if (found.length === 1) return { value: found[0]![1], path: found[0]![0] };
    return { value: undefined, path: 'default' };
  }
  const parts = exportPath.split('.');
  let v: unknown = parts[0]! in ns ? ns : ns.default;
  const start = parts[0]! in ns ? '' : 'default.';
  for (const p of parts) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  return { value: v, path: start + exportPath };
}

/** The piece a spec names (workers and the main thread alike). */
export async function fromSpec<T>(kind: PieceKind, spec: PieceSpec, where: string): Promise<T> {
  return (await pinnedFromSpec<T>(kind, spec, where)).value;
}

/**
 * The piece a spec names, and the spec pinned to what was loaded: a module's
 * URL carries its graph's version, so a thread that loads the spec again (a
 * worker) gets the same code, or a UsageError naming the file that changed.
 */
async function pinnedFromSpec<T>(kind: PieceKind, spec: PieceSpec, where: string): Promise<{ value: T; spec: PieceSpec }> {
  if ('builtin' in spec) {
    const d = BUILTINS[kind as PieceKey | 'race'].find((x) => x.name === spec.builtin);
    if (!d) throw new UsageError(`${where} ${JSON.stringify(spec.builtin)}: no built-in of that name`);
    return { value: d as T, spec };
  }
  const file = fileURLToPath(spec.url);
  const { ns, url } = await importModule(file, where, versionParam(spec.url));
  const { value, path } = pick(ns, spec.exportName, kind);
  const problems = problemsOf(kind, value);
  if (problems.length > 0) {
    throw new UsageError(`${where} ${JSON.stringify(file)}: its ${path === 'default' ? 'default export' : `export ${path}`} is not ${article(kind)}: ${problems.join('; ')}`);
  }
  return { value: value as T, spec: { url, exportName: spec.exportName } };
}

/** A name or a path (relative to `base`) as a spec. */
export function specOf(kind: PieceKind, ref: string, base: string, where: string): PieceSpec {
  if (!isModulePath(ref)) {
    if (!BUILTINS[kind as PieceKey | 'race'].some((d) => d.name === ref)) {
      const names = BUILTINS[kind as PieceKey | 'race'].map((d) => d.name).join(', ');
      throw new UsageError(`${where} ${JSON.stringify(ref)}: no built-in ${kind} of that name (allowed: ${names}; or a module path such as ./mine.mjs)`);
    }
    return { builtin: ref };
  }
  const { file, exportPath } = splitRef(ref);
  return { url: pathToFileURL(resolve(base, file)).href, exportName: exportPath };
}

export async function loadPiece<T>(kind: PieceKind, ref: string, base: string, where: string): Promise<{ def: T; spec: PieceSpec }> {
  const { value, spec } = await pinnedFromSpec<T>(kind, specOf(kind, ref, base, where), where);
  return { def: value, spec };
}

/** A race by built-in name or path: its definition, and how to load it again. */
export interface LoadedRace {
  readonly race: RaceDef;
  readonly spec: PieceSpec;
  /** The directory its relative references are resolved from (null: a built-in). */
  readonly dir: string | null;
  /** What the user named it by (a name, or the path as given). */
  readonly ref: string;
}

export async function loadRace(ref: string, where = 'race'): Promise<LoadedRace> {
  const { value: race, spec } = await pinnedFromSpec<RaceDef>('race', specOf('race', ref, process.cwd(), where), where);
  return { race, spec, dir: 'url' in spec ? dirname(fileURLToPath(spec.url)) : null, ref };
}

/** The config of a race run: its workload, its variant's options and pieces (as refs the loader can follow), then the caller's overrides. */
export function raceConfig(lr: LoadedRace, variant: Variant, over: Partial<Config> = {}): Partial<Config> {
  const v: RaceVariant = lr.race[variant];
  const out: Record<string, unknown> = { ...lr.race.workload };
  for (const [k, x] of Object.entries(v)) {
    if (k === 'agents') continue;
    if (k === 'driver' || k === 'lock' || k === 'allocator' || k === 'flush') out[k] = pieceRef(lr, variant, k, x);
    else out[k] = x;
  }
  return { ...out, ...over } as Partial<Config>;
}

/** How a race's variant names a piece, as a config value: a built-in name, an absolute path, or the race file with the path inside it. */
function pieceRef(lr: LoadedRace, variant: Variant, key: PieceKey, x: unknown): string {
  if (typeof x === 'string') {
    if (!isModulePath(x)) return x;
    if (lr.dir === null) throw new Error(`built-in race ${lr.race.name}: a piece by path (${x})`);
    const { file, exportPath } = splitRef(x);
    return resolve(lr.dir, file) + (exportPath ? `#${exportPath}` : '');
  }
  if ('builtin' in lr.spec) throw new Error(`built-in race ${lr.race.name}: an inline ${key}`);
  const { exportName } = lr.spec;
  return `${fileURLToPath(lr.spec.url)}#${exportName && exportName !== 'default' ? `${exportName}.` : ''}${variant}.${key}`;
}

/** Load and check every piece of a configuration (and its race), for the main thread: the design, and the spec workers load it from. */
export async function resolveDesign(config: Config, race: { loaded: LoadedRace; variant: Variant } | null = null): Promise<{ design: Design; spec: DesignSpec }> {
  const base = process.cwd();
  const spec: DesignSpec = {
    config,
    driver: specOf('driver', config.driver, base, FLAG.driver),
    lock: specOf('lock', config.lock, base, FLAG.lock),
    allocator: specOf('allocator', config.allocator, base, FLAG.allocator),
    flush: specOf('flush', config.flush, base, FLAG.flush),
    race: race ? { spec: race.loaded.spec, variant: race.variant } : null,
  };
  const pinned = await pinDesign(spec);
  checkDesign(pinned.design);
  return pinned;
}

/**
 * Why a configuration's design cannot run (a combination its pieces refuse,
 * such as a deferred flush with no IOTLB), or null when it can. A piece that
 * does not load or fit is still an error (UsageError): that is bad input,
 * not a combination to skip.
 */
export async function designProblem(config: Config): Promise<string | null> {
  const base = process.cwd();
  const design = await loadDesign({
    config,
    driver: specOf('driver', config.driver, base, FLAG.driver),
    lock: specOf('lock', config.lock, base, FLAG.lock),
    allocator: specOf('allocator', config.allocator, base, FLAG.allocator),
    flush: specOf('flush', config.flush, base, FLAG.flush),
    race: null,
  });
  try {
    checkDesign(design);
    return null;
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

/** The same design from its spec (workers; the main thread through resolveDesign). */
export async function loadDesign(spec: DesignSpec): Promise<Design> {
  return (await pinDesign(spec)).design;
}

/** A design from its spec, and the spec pinned to the versions of the modules loaded (what workers load it from). */
async function pinDesign(spec: DesignSpec): Promise<{ design: Design; spec: DesignSpec }> {
  const [driver, lock, allocator, flush] = await Promise.all([
    pinnedFromSpec<DriverDef>('driver', spec.driver, FLAG.driver),
    pinnedFromSpec<LockDef>('lock', spec.lock, FLAG.lock),
    pinnedFromSpec<AllocatorDef>('allocator', spec.allocator, FLAG.allocator),
    pinnedFromSpec<FlushDef>('flush', spec.flush, FLAG.flush),
  ]);
  const r = spec.race ? await pinnedFromSpec<RaceDef>('race', spec.race.spec, 'race') : null;
  const race = r?.value ?? null;
  const variant = spec.race?.variant ?? null;
  const agents: AgentDef[] = [...(race?.agents ?? []), ...(race && variant ? (race[variant].agents ?? []) : [])];
  if (spec.config.switchMs > 0) agents.push(liveSwitch);
  const design: Design = {
    // Frozen here for the workers too: theirs arrives structured-cloned, a fresh unfrozen copy.
    config: freezeConfig(spec.config),
    driver: driver.value,
    lock: lock.value,
    allocator: allocator.value,
    flush: flush.value,
    agents,
    deviceLoop: race?.deviceLoop ?? true,
    race,
    variant,
    invariants: invariantsOf([driver.value.invariants, race?.invariants]),
    timerEverySteps: race?.timerEverySteps ?? 0,
    sharedWords: race?.sharedWords ?? 0,
    where: {
      driver: whereOf(spec.driver),
      lock: whereOf(spec.lock),
      allocator: whereOf(spec.allocator),
      flush: whereOf(spec.flush),
      race: spec.race ? whereOf(spec.race.spec) : 'none',
    },
  };
  const pinned: DesignSpec = { ...spec, driver: driver.spec, lock: lock.spec, allocator: allocator.spec, flush: flush.spec, race: r && spec.race ? { spec: r.spec, variant: spec.race.variant } : null };
  return { design, spec: pinned };
}

/** Where a piece comes from, for reports: `built-in`, or its file (relative to the cwd) and export. */
function whereOf(p: PieceSpec): string {
  if ('builtin' in p) return 'built-in';
  const file = fileURLToPath(p.url.replace(/\?.*$/, ''));
  const r = relative(process.cwd(), file);
  return `${r.startsWith('..') ? file : r}${p.exportName && p.exportName !== 'default' ? `#${p.exportName}` : ''}`;
}

/** Combinations a design cannot run, refused before any work starts. */
function checkDesign(d: Design): void {
  const c = d.config;
  if (d.flush.needsIotlb && c.iotlbEntries === 0 && c.mode !== 'pv-bounce') {
    throw new UsageError(`--flush ${c.flush}: defers IOTLB invalidation, which needs an IOTLB (allowed: --iotlb-entries 1 or more with it, or --flush strict)`);
  }
  for (const a of d.agents) {
    if (a.device !== undefined && a.device >= c.devices) throw new UsageError(`race ${d.race?.name ?? ''}: agent ${a.name} acts as device ${a.device}, but the run has ${c.devices} devices (allowed: 0 to ${c.devices - 1})`);
  }
  if (c.inject?.kind === 'hold-forever' && !Object.values(d.driver.locks ?? {}).some((l) => l.guardsTables) && !Object.values(d.allocator.locks ?? {}).length) {
    throw new UsageError(`--inject hold-forever: driver ${d.driver.name} and allocator ${d.allocator.name} take no lock to hold (allowed: a design with a lock)`);
  }
  if (d.race && d.deviceLoop === false && d.agents.length === 0) throw new UsageError(`race ${d.race.name}: deviceLoop is false and it has no agents: nothing would run`);
}

/** Resolve a race run's configuration (workload, variant, overrides) and load its design. */
export async function raceDesign(lr: LoadedRace, variant: Variant, over: Partial<Config> = {}): Promise<{ design: Design; spec: DesignSpec }> {
  const cfg = resolveConfig(raceConfig(lr, variant, over));
  return resolveDesign(cfg, { loaded: lr, variant });
}
