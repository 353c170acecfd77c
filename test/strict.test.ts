/**
 * Unchecked input never passes as success: an unknown key in a `run()`
 * config, in a race's workload or variants, or at the top of a definition,
 * and an API option of the wrong type or range, are refused with a
 * UsageError (exit 2 on the command line) before anything runs; and the
 * configuration a run uses is frozen wherever a design sees it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UsageError, checkLock, explore, hunt, replay, resolveConfig, run, shrink } from '../src/api/index.js';
import { configFromObject } from '../src/config/config.js';
import { type PieceKind, problemsOf } from '../src/modules/validate.js';
import { loadDesign, loadRace, resolveDesign } from '../src/modules/loader.js';
import { DRIVERS } from '../src/drivers/registry.js';
import { LOCKS } from '../src/locks/registry.js';
import { ALLOCATORS } from '../src/allocators/registry.js';
import { FLUSHES } from '../src/flush/registry.js';
import { RACES } from '../src/races/registry.js';
import { liveSwitch } from '../src/agents/live-switch.js';

const fx = (p: string): string => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, cwd: tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('run() configs: an unknown key is refused, named with the nearest allowed one', () => {
  it('groupsize: did you mean groupSize', async () => {
    const p = run({ groupsize: 2 } as never);
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow(/^config: unknown key "groupsize" \(did you mean "groupSize"\? allowed: devices, groupSize, queues, /);
  });
  it('a key close to none is named with the allowed ones only; an inject with a key of its own is refused', () => {
    expect(() => resolveConfig({ bogusKey: 1 } as never)).toThrow(/^config: unknown key "bogusKey" \(allowed: devices, /);
    expect(() => resolveConfig({ inject: { kind: 'throw', device: 0, afterOps: 5, when: 1 } } as never)).toThrow(/inject: unknown key "when" \(allowed: kind, device, afterOps\)/);
  });
  it('the aliases tableStyle and lockScope are still accepted', () => {
    expect(resolveConfig({ tableStyle: 'refcount', lockScope: 'device' } as never).driver).toBe('s390');
  });
  it('a config file is refused in the same words', () => {
    expect(() => configFromObject({ devcies: 2 }, 'c.json')).toThrow(/^c\.json: unknown key "devcies" \(did you mean "devices"\? allowed: /);
  });
});

describe("a race module's definition is checked when it loads", () => {
  it('an unknown workload key is refused at explore(), naming the file, the key and its suggestion', async () => {
    const p = explore(fx('refused/workload-typo.mjs'), { runs: 1 });
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow(/workload-typo\.mjs": its default export is not a race: workload: unknown key "groupsize" \(did you mean "groupSize"\? allowed: devices, /);
  });
  it('an unknown variant key is refused at explore()', async () => {
    await expect(explore(fx('refused/variant-typo.mjs'), { runs: 1 })).rejects.toThrow(/variant-typo\.mjs": .*broken: unknown key "nonsense" \(allowed: devices, .*, agents\)/);
  });
  it('bad values and an unknown top-level key are each named', async () => {
    const p = loadRace(fx('refused/bad-values.mjs'));
    await expect(p).rejects.toThrow(/workload\.devices 0: out of range \(allowed: an integer from 1 to 256\)/);
    await expect(p).rejects.toThrow(/correct\.lock "spinny": no built-in lock of that name \(allowed: tas, /);
    await expect(p).rejects.toThrow(/unknown key "invariant" \(did you mean "invariants"\? allowed: kind, name, design, /);
  });
  it('the CLI explore exits 2 on both, saying why', () => {
    for (const [file, msg] of [
      ['refused/workload-typo.mjs', /workload: unknown key "groupsize" \(did you mean "groupSize"\?/],
      ['refused/variant-typo.mjs', /broken: unknown key "nonsense"/],
    ] as const) {
      const r = cli('explore', fx(file), '--runs', '1');
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.out).toBe('');
    }
  });
  it('a piece with an unknown top-level key is refused', () => {
    expect(problemsOf('lock', { ...LOCKS[0]!, unlcok: () => {} })).toEqual([expect.stringMatching(/^unknown key "unlcok" \(did you mean "unlock"\? allowed: kind, name, summary, /)]);
    expect(problemsOf('race', { ...RACES[0]!, correct: { driver: { name: 'half', summary: 's' } } })).toEqual([expect.stringMatching(/^correct\.driver is not a driver: missing table/)]);
  });
});

describe('every built-in and every example and fixture definition still loads', () => {
  const builtins: [PieceKind, readonly unknown[]][] = [
    ['driver', DRIVERS],
    ['lock', LOCKS],
    ['allocator', ALLOCATORS],
    ['flush', FLUSHES],
    ['race', RACES],
    ['agent', [liveSwitch]],
  ];
  for (const [kind, list] of builtins) {
    it(`every built-in ${kind}`, () => {
      for (const d of list) expect(problemsOf(kind, d), (d as { name: string }).name).toEqual([]);
    });
  }
  const files = [
    ...['drivers', 'locks', 'races'].flatMap((d) => readdirSync(new URL(`../examples/${d}/`, import.meta.url)).map((f) => `../../examples/${d}/${f}`)),
    // The modules in fixtures/refused/ are refused on purpose.
    ...readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.mjs')),
  ];
  it(`every export of ${files.length} example and fixture modules that is a definition`, async () => {
    let checked = 0;
    for (const f of files) {
      const ns = (await import(fx(f))) as Record<string, unknown>;
      for (const [name, v] of Object.entries(ns)) {
        // never-unlocks.mjs is a plain object with a kind; amd-v1.mjs also exports its factory.
        const kind = (v as { kind?: PieceKind } | null)?.kind;
        if (kind === undefined) continue;
        expect(problemsOf(kind, v), `${f}#${name}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(files.length);
  });
});

describe('API options are checked as the CLI flags are', () => {
  it('explore(race, { runs: "x" }) rejects: no more tried 0, found null', async () => {
    const p = explore(fx('lost-update.mjs'), { runs: 'x' as never });
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow('explore() option runs "x": not a count (allowed: an integer from 1 to 100000000)');
  });
  it("checkLock('tas', { workers: 0 }) rejects", async () => {
    await expect(checkLock('tas', { workers: 0 })).rejects.toThrow('checkLock() option workers 0: not a count (allowed: an integer from 1 to 64)');
  });
  it('each function refuses an unknown key, a wrong type and a non-object, before anything loads', async () => {
    // A race or schedule that does not exist: the options are refused first.
    await expect(explore('no-such-race', { rnus: 5 } as never)).rejects.toThrow(/^explore\(\) options: unknown key "rnus" \(did you mean "runs"\? allowed: correct, strategy, depth, runs, seed, all, preemptions, memoryModel, onRun, signal\)$/);
    await expect(explore('no-such-race', { strategy: 'bfs' } as never)).rejects.toThrow('explore() option strategy "bfs": unknown (allowed: random, pct, dfs, dpor)');
    await expect(explore('no-such-race', { seed: -1 })).rejects.toThrow('explore() option seed -1: out of range (allowed: an integer from 0 to 4294967295)');
    await expect(explore('no-such-race', { depth: 33 })).rejects.toThrow(/option depth 33: not a count \(allowed: an integer from 1 to 32\)/);
    await expect(explore('no-such-race', { preemptions: 1001 } as never)).rejects.toThrow(/option preemptions 1001: not a count \(allowed: an integer from 0 to 1000\)/);
    await expect(explore('no-such-race', { correct: 'yes' } as never)).rejects.toThrow(/option correct "yes": not a boolean/);
    await expect(explore('no-such-race', { signal: {} } as never)).rejects.toThrow(/option signal \{\}: not an AbortSignal/);
    await expect(explore('no-such-race', null as never)).rejects.toThrow(/^explore\(\) options null: not an object/);
    await expect(replay('v2:nonsense', { repeat: 0 })).rejects.toThrow('replay() option repeat 0: not a count (allowed: an integer from 1 to 10000)');
    await expect(shrink('v2:nonsense', { budget: 1.5 })).rejects.toThrow('shrink() option budget 1.5: not a count (allowed: an integer from 1 to 100000)');
    await expect(run({}, { warnings: [1] } as never)).rejects.toThrow(/run\(\) option warnings \[1\]: not an array of strings/);
    await expect(run({}, { trace: 1 } as never)).rejects.toThrow(/run\(\) option trace 1: not a boolean/);
    await expect(checkLock('tas', { stallSec: 0.5 })).rejects.toThrow(/checkLock\(\) option stallSec 0.5: not a count \(allowed: an integer from 1 to 3600\)/);
    await expect(hunt('no-such-race', { time: 5 } as never)).rejects.toThrow(/^hunt\(\) options: unknown key "time" \(allowed: correct, timeSec, durationSec, seed, onRun, signal\)$/);
    await expect(hunt('no-such-race', { timeSec: 'x' } as never)).rejects.toThrow(/^hunt\(\) option timeSec "x": /);
  });
  it('hunt() finds a broken race free running and gives a controlled schedule that replays it; the correct one runs out its time clean', async () => {
    const seen: string[] = [];
    // Free running, two single increments overlap by chance: 20 to 500 runs of about 25 ms each here (0.3.1 alike), so a minute, not 20 s.
    const h = await hunt(fx('lost-update.mjs'), { timeSec: 60, durationSec: 0.2, onRun: (_i, outcome) => seen.push(outcome) });
    expect(h.schema).toBe('iommu-stress/hunt@1');
    expect(h.found?.class).toBe('forbidden');
    expect(seen.length).toBe(h.runs);
    const rep = h.found!.reproduced!;
    expect(rep.class).toBe('forbidden');
    expect((await replay(rep.schedule)).outcome).toBe(rep.outcome);
    const clean = await hunt(fx('lost-update.mjs'), { correct: true, timeSec: 1, durationSec: 0.2 });
    expect(clean.found).toBeNull();
    expect(clean.runs).toBeGreaterThan(0);
    expect(Object.values(clean.classes).every((c) => c !== 'forbidden')).toBe(true);
  }, 120_000);
  it("explore(race, { strategy: 'dpor' }) runs its search to the end unless told otherwise, as the CLI does (100 runs left it at 80 traces, not exhaustive)", async () => {
    const r = await explore(fileURLToPath(new URL('../examples/races/amd-dte-after-root.mjs', import.meta.url)), { correct: true, strategy: 'dpor' });
    expect(r.tried).toBeGreaterThan(100);
    expect(r.search.exhaustive).toBe(true);
    expect(r.found).toBeNull();
  });
  it('valid options, undefined ones, null preemptions and an AbortSignal pass', async () => {
    const r = await explore(fx('lost-update.mjs'), { runs: 2, seed: undefined, preemptions: null, signal: new AbortController().signal } as never);
    expect(r.found?.outcome).toBe('lost-mapping');
  });
});

describe('the configuration a run uses is frozen wherever a design sees it', () => {
  it("resolveConfig's result, its inject included, and DEFAULTS", async () => {
    const c = resolveConfig({ inject: { kind: 'throw', device: 0, afterOps: 5 } });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.inject)).toBe(true);
    expect(() => {
      (c as { devices: number }).devices = 3;
    }).toThrow(TypeError);
    const { DEFAULTS } = await import('../src/api/index.js');
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
  });
  it("a driver whose initDomain writes ctx.config.ops throws, on the main thread", async () => {
    await expect(run({ driver: `${fx('writes-config.mjs')}#driverWrites`, ops: 5 })).rejects.toThrow(/Cannot assign to read only property 'ops'/);
  });
  it("a race whose setup writes ctx.config (ops, or its inject's) throws", async () => {
    await expect(explore(`${fx('writes-config.mjs')}#setupWrites`, { runs: 1 })).rejects.toThrow(/Cannot assign to read only property 'ops'/);
    await expect(explore(`${fx('writes-config.mjs')}#injectWrites`, { runs: 1 })).rejects.toThrow(/Cannot assign to read only property 'afterOps'/);
  });
  it("a worker's copy, structured-cloned, is frozen where its design is loaded", async () => {
    const { spec } = await resolveDesign(resolveConfig({ inject: { kind: 'throw', device: 0, afterOps: 5 } }));
    const design = await loadDesign(structuredClone(spec));
    expect(Object.isFrozen(design.config)).toBe(true);
    expect(Object.isFrozen(design.config.inject)).toBe(true);
  });
  it('an agent writing ctx.config in a worker crashes it, and the result says what was run', async () => {
    // The throw is the run's outcome (a crash, with the message and the line), the same every time; the write never lands.
    const r = await explore(`${fx('writes-config.mjs')}#agentWrites`, { runs: 1 });
    expect(r.found?.outcome).toBe('crash');
    expect(r.found?.result.config.devices).toBe(1);
  });
});
