/**
 * The command line end to end: bad input (exit 2, the value and what is
 * allowed named, nothing written), whole runs and their JSON, violations
 * (exit 1), crashes and hangs (exit 3, what every agent was doing).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const root = mkdtempSync(join(tmpdir(), 'iommu-stress-cli-'));
let n = 0;
const tmp = (): string => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LOCKS_ALLOWED = 'tas, ttas, ticket, mcs, futex, spin-park; deliberately broken: racy-tas, futex-lostwake; or the path of a module: ./mine.mjs';

describe('bad input exits 2, names the value and what is allowed, writes nothing', () => {
  const cases: [string[], RegExp][] = [
    [['--devices', 'abc'], /--devices "abc": not a number \(allowed: an integer from 1 to 256\)/],
    [['--devices', '0'], /--devices "0": out of range \(allowed: an integer from 1 to 256\)/],
    [['--devices', '2.5'], /--devices "2.5": not an integer/],
    [['--devices', '1e309'], /--devices "1e309": not a finite number/],
    [['--devices', '4', '--group-size', '3'], /--group-size 3: must divide --devices 4 \(allowed: 1, 2, 4\)/],
    [['--lock', 'spinny'], new RegExp(`--lock "spinny": no built-in lock of that name \\(allowed: ${LOCKS_ALLOWED.replace(/[.()]/g, '\\$&')}\\)`)],
    [['--driver', 'radix'], /--driver "radix": no built-in driver of that name \(allowed: refcount, s390, nolock, cmpxchg, cmpxchg-locked; deliberately broken: plain-install, free-under-walker; or the path/],
    [['--allocator', 'buddy'], /--allocator "buddy": no built-in allocator of that name \(allowed: bitmap, rcache;/],
    [['--flush', 'lazy'], /--flush "lazy": no built-in flush of that name \(allowed: strict, deferred; deliberately broken: deferred-early-free;/],
    [['--lock-scope', 'cpu'], /--lock-scope "cpu": unknown value \(allowed: domain, device, none\)/],
    [['--table-style', 'frob'], /--table-style "frob": unknown value \(allowed: refcount, cmpxchg, plain-install, cmpxchg-free\)/],
    [['--driver', 'cmpxchg', '--table-style', 'refcount'], /disagree/],
    [['--pages', '4', '--granule', '8'], /--granule 8: larger than --pages 4/],
    [['--hold-sample', '3'], /--hold-sample "3": not a power of two/],
    [['--inject', 'explode'], /--inject "explode": expected KIND:DEVICE:AFTER_OPS \(allowed KIND: throw, hold-forever\)/],
    [['--frobnicate'], /unknown option '--frobnicate'\n\(allowed options of run: --json, --trace/],
    [['--mode', 'pv-bounce', '--buffer-bytes', '65536', '--inflight', '64', '--devices', '4', '--dma-mask-bits', '20'], /--dma-mask-bits 20: a bounce pool of 256 slots x 16 pages \(16384 KiB\) cannot lie below 2\^20 bytes \(allowed: at least 24 for this pool\)/],
    [['--flush', 'deferred'], /--flush deferred: defers IOTLB invalidation, which needs an IOTLB \(allowed: --iotlb-entries 1 or more with it, or --flush strict\)/],
    [['--pasids', '4'], /--pasids 4: more PASIDs than queues \(1\)/],
    [['--driver', './no-such-driver.mjs'], /--driver ".*no-such-driver\.mjs": no such file \(allowed: a built-in name, or the path of an \.mjs or \.js module\)/],
    [['--trace', ''], /--trace "": /],
  ];
  for (const [args, msg] of cases) {
    it(args.join(' '), () => {
      const dir = tmp();
      const json = join(dir, 'out.json');
      const r = cli('run', ...args, '--duration', '0.1', '--json', json);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.out).toBe('');
      expect(existsSync(json)).toBe(false);
    });
  }

  it('an empty --json path', () => {
    const r = cli('run', '--duration', '0.1', '--json', '');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--json "": /);
  });

  it('a --json path in a directory that does not exist, before the run', () => {
    const r = cli('run', '--duration', '5', '--json', '/nonexistent-dir/x.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--json "\/nonexistent-dir\/x.json": directory \/nonexistent-dir does not exist/);
    expect(r.out).toBe('');
  });

  it('an unknown command', () => {
    const r = cli('frob');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frob'/);
  });

  it('an unknown scenario or race names the ones there are', () => {
    expect(cli('scenario', 'nope').err).toMatch(/scenario "nope": no such scenario \(allowed: per-device-tables, map-batch/);
    const race = cli('explore', 'nope');
    expect(race.code).toBe(2);
    expect(race.err).toMatch(/race "nope": no built-in race of that name \(allowed: device-locks, no-lock, .*; or a module path/);
  });

  it('a schedule of an older format, or not one at all', () => {
    const old = cli('replay', 'v1:no-lock:broken:d2.o4.i1.s1:');
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/a v1 schedule, from a version of iommu-stress before designs were pluggable/);
    const dir = tmp();
    const bad = cli('replay', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/schedule ".*": is a directory/);
    const file = join(dir, 's.txt');
    writeFileSync(file, 'garbage\n');
    expect(cli('replay', file).code).toBe(2);
    expect(cli('shrink', file).code).toBe(2);
  });

  it('report of a file that does not exist, a directory, or a file without records', () => {
    const missing = cli('report', '/nonexistent.ndjson');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/report "\/nonexistent.ndjson": no such file \(allowed: an NDJSON file written by iommu-stress sweep\)/);
    const dir = tmp();
    const d = cli('report', dir);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/is a directory/);
    const file = join(dir, 'x.ndjson');
    writeFileSync(file, 'not json\n');
    const none = cli('report', file);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no sweep records in it/);
  });
});

describe('config files', () => {
  it('an unknown key names the file and the key', () => {
    const file = join(tmp(), 'c.json');
    writeFileSync(file, JSON.stringify({ devices: 2, colour: 'red' }));
    const r = cli('run', '--config', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/c\.json: unknown key "colour" \(allowed: devices, groupSize, queues, driver, lock/);
  });

  it('a bad value names the key in the file, not a flag', () => {
    const file = join(tmp(), 'c.json');
    writeFileSync(file, JSON.stringify({ devices: 'x' }));
    expect(cli('run', '--config', file).err).toMatch(/"devices" in .*c\.json "x": not a finite number \(allowed: an integer from 1 to 256\)/);
    writeFileSync(file, JSON.stringify({ lockScope: 'cpu' }));
    expect(cli('run', '--config', file).err).toMatch(/"lockScope" in .*c\.json "cpu": unknown value \(allowed: domain, device, none\)/);
  });

  it('takes its configuration from a file, flags overriding, and reads a result as its config', () => {
    const dir = tmp();
    const file = join(dir, 'c.json');
    const json = join(dir, 'r.json');
    writeFileSync(file, JSON.stringify({ devices: 3, lock: 'ticket', durationSec: 0.2, inject: null }));
    const r = cli('run', '--config', file, '--lock', 'futex', '--json', json);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.config).toMatchObject({ devices: 3, lock: 'futex', inject: null });
    // The result's own `config` (inject: null included) and the whole result both read back.
    writeFileSync(file, JSON.stringify(res.config));
    expect(cli('run', '--config', file, '--duration', '0.1').code).toBe(0);
    const again = join(dir, 'r2.json');
    expect(cli('run', '--config', json, '--duration', '0.1', '--json', again).code).toBe(0);
    expect(JSON.parse(readFileSync(again, 'utf8')).config).toMatchObject({ devices: 3, lock: 'futex' });
  });

  it('refuses a file larger than any configuration before reading it all, and a directory', () => {
    const t0 = Date.now();
    const zero = cli('run', '--config', '/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/--config "\/dev\/zero": more than 1048576 bytes, larger than any such file/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const dir = cli('run', '--config', tmp());
    expect(dir.code).toBe(2);
    expect(dir.err).toMatch(/--config ".*": is a directory/);
  });

  it('old keys tableStyle and lockScope read as the driver they name', () => {
    const dir = tmp();
    const file = join(dir, 'c.json');
    const json = join(dir, 'r.json');
    writeFileSync(file, JSON.stringify({ tableStyle: 'refcount', lockScope: 'device', devices: 2, durationSec: 0.1 }));
    expect(cli('run', '--config', file, '--json', json).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).config.driver).toBe('s390');
  });
});

describe("a user's module that cannot be used exits 2 naming the file, before any work", () => {
  const dir = tmp();
  const mod = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cases: [string, string, string, RegExp][] = [
    ['--lock', 'throws.mjs', 'throw new Error("boom at load");', /--lock ".*throws\.mjs": the module failed to load: Error: boom at load/],
    ['--driver', 'syntax.mjs', 'export default {', /--driver ".*syntax\.mjs": the module failed to load: SyntaxError/],
    ['--lock', 'nodefault.mjs', 'export const x = 1;', /--lock ".*nodefault\.mjs": its default export is not a lock: there is none \(allowed: export default defineLock/],
    ['--driver', 'half.mjs', 'export default { name: "half", summary: "s" };', /--driver ".*half\.mjs": its default export is not a driver: missing table .*; missing create/],
    ['--allocator', 'lock.mjs', 'export default { kind: "lock", name: "l" };', /--allocator ".*lock\.mjs": its default export is not an allocator: it is a lock, not an allocator/],
  ];
  for (const [flag, name, text, msg] of cases) {
    it(`${flag} ${name}`, () => {
      const json = join(dir, `${name}.json`);
      const r = cli('run', flag, mod(name, text), '--duration', '0.1', '--json', json);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.out).toBe('');
      expect(existsSync(json)).toBe(false);
    });
  }

  it('a race module that is not a race', () => {
    const r = cli('explore', mod('lockrace.mjs', 'export default { kind: "lock", name: "x" };'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/race ".*lockrace\.mjs": its default export is not a race/);
  });
});

describe("a user's module in a folder of its own, with no iommu-stress installed there", () => {
  it("imports 'iommu-stress' from the running harness, in the main thread and in the workers", () => {
    // Outside the package: Node's own resolution finds no iommu-stress from here.
    const dir = tmp();
    const file = join(dir, 'lost-update.mjs');
    writeFileSync(file, readFileSync(new URL('./fixtures/lost-update.mjs', import.meta.url), 'utf8'));
    const broken = cli('explore', file, '--runs', '100', '--out', join(dir, 'found.schedule'));
    expect(broken.err).toBe('');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/lost-mapping\s+forbidden\s+1\s/);
    expect(broken.out).toMatch(/lost-update\s+1\s/);
    const correct = cli('explore', file, '--correct', '--runs', '50');
    expect(correct.code).toBe(0);
    expect(correct.out).toMatch(/not exhaustive \(random samples schedules\): \d+ distinct traces? in 50 schedules, no forbidden outcome/);
  });
});

describe('iommu-stress run', () => {
  it('prints a report and writes the documented JSON shape', () => {
    const json = join(tmp(), 'r.json');
    const r = cli('run', '--devices', '2', '--group-size', '2', '--duration', '0.3', '--json', json);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^iommu-stress run: 2 devices x 1 queue, group size 2 \(1 domain\), driver refcount, lock mcs, allocator bitmap$/m);
    // Settings not in use are not printed (no IOTLB, no switch agent).
    expect(r.out).not.toMatch(/iotlb|switch/i);
    expect(r.out).toMatch(/throughput: .* ops\/s/);
    expect(r.out).toMatch(/^pgtable\s+1 domain\s/m);
    expect(r.out).toMatch(/^iova\s+1 domain\s/m);
    expect(r.out).toMatch(/^fairness: per-device ops min\/max/m);
    expect(r.out).toMatch(/^latency \(1 op in 256\): map avg/m);
    expect(r.out).toMatch(/^checker: clean, 0 violations/m);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.schema).toBe('iommu-stress/run@2');
    expect(res.status).toBe('clean');
    expect(res.config).toMatchObject({ devices: 2, groupSize: 2, driver: 'refcount', lock: 'mcs' });
    expect(res.design.driver).toMatchObject({ name: 'refcount', broken: false });
    expect(res.env.cores).toBeGreaterThan(0);
    expect(res.totals.ops).toBeGreaterThan(0);
    expect(res.totals.pages).toBe(res.totals.ops * res.config.pages);
    expect(res.devices).toHaveLength(2);
    expect(res.locks.map((l: { class: string }) => l.class)).toEqual(['pgtable', 'iova']);
    expect(res.locks.map((l: { kernelName: string }) => l.kernelName)).toEqual(['&domain->pgtable_lock', '&iovad->iova_rbtree_lock']);
    expect(res.locks[0].acquisitions).toBeGreaterThanOrEqual(res.totals.mapCalls);
    expect(res.latency.map.samples).toBeGreaterThan(0);
    expect(res.latency.map.p99Ns).toBeGreaterThanOrEqual(res.latency.map.p50Ns);
    expect(res.fairness.jain).toBeGreaterThan(0.5);
    expect(res.violations).toEqual({ count: 0, byInvariant: {}, meanings: {}, samples: [] });
  });

  it('with statistics off, prints "-" where a figure was not measured', () => {
    const r = cli('run', '--devices', '2', '--group-size', '2', '--duration', '0.2', '--stats', 'off');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^pgtable\s+1 domain\s+\S+\s+-\s+-\s+-/m);
  });

  it('exits 1 and describes the violations when a domain switch drops live mappings', () => {
    // Deterministic: after a switch to an empty domain, DMAs to live buffers fault whatever the timing.
    const json = join(tmp(), 'v.json');
    const r = cli('run', '--devices', '2', '--switch-ms', '5', '--switch-to', 'empty', '--dma-live', 'on', '--duration', '0.5', '--json', json);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATIONS/);
    expect(r.out).toMatch(/dma-fault\s+\d+\s+a DMA to an IOVA its device had mapped found no translation/);
    expect(r.out).toMatch(/first seen:/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.status).toBe('violations');
    expect(res.violations.byInvariant['dma-fault']).toBeGreaterThan(0);
    expect(res.violations.meanings['dma-fault']).toMatch(/no translation/);
  });

  it('exits 3 with each device\'s state and where it threw when a worker throws', () => {
    const r = cli('run', '--devices', '2', '--inject', 'throw:1:100', '--duration', '5');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/device 1 \(worker 1\) crashed: injected fault: device 1 throws after 100 operations/);
    expect(r.err).toMatch(/device 0 \(worker 0\): (running|done)/);
    expect(r.err).toMatch(/device 1 \(worker 1\): failed, 100 ops/);
    expect(r.err).toMatch(/where device 1 \(worker 1\) threw:\n\s+at /);
  });

  it('exits 3, not hangs, when a lock is never freed, naming the holder', () => {
    const t0 = Date.now();
    const r = cli('run', '--devices', '2', '--group-size', '2', '--inject', 'hold-forever:0:200', '--watchdog', '1', '--duration', '30');
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.err).toMatch(/no progress anywhere for 1 s \(no operation completed, no lock changed hands\)/);
    expect(r.err).toMatch(/device 1 \(worker 1\): running.*waiting for (pgtable|iova) lock of domain 0, held by device 0/);
    expect(r.err).toMatch(/locks held:\n\s+pgtable lock of domain 0: held by device 0/);
  });

  it('a run past its duration ends in bounded time, even when a FIFO lock starves its waiters', () => {
    // 16 workers on 2 cores behind one ticket lock: hand-offs to preempted
    // waiters. Whether the watchdog sees starvation depends on the machine;
    // what may not happen is a hang report or a run that does not end.
    const t0 = Date.now();
    const json = join(tmp(), 's.json');
    const r = cli('run', '--devices', '16', '--group-size', '16', '--lock', 'ticket', '--duration', '1', '--watchdog', '0.5', '--json', json);
    expect(r.code, r.err).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.err).not.toMatch(/harness failure/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    if (res.watchdog.starved > 0) expect(r.out).toMatch(/warning: starvation: \d+ of 16 workers made no progress/);
  });
});

describe('other commands', () => {
  it('sweep --dry-run lists the points and the skipped combinations', () => {
    const r = cli('sweep', '--devices', '1,2,3', '--group-size', '1,all', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(['#0 devices=1 groupSize=1', '#1 devices=2 groupSize=1', '#2 devices=2 groupSize=all', '#3 devices=3 groupSize=1', '#4 devices=3 groupSize=all']);
    expect(r.err).toMatch(/skipped devices=1 groupSize=all: the same configuration as point #0/);
  });

  it('sweep skips a combination its pieces refuse, and stops at a module that does not load', () => {
    const r = cli('sweep', '--flush', 'all', '--allocator', 'all', '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(['#0 allocator=bitmap flush=strict', '#1 allocator=rcache flush=strict']);
    expect(r.err).toMatch(/skipped allocator=bitmap flush=deferred: --flush deferred: defers IOTLB invalidation, which needs an IOTLB/);
    const bad = cli('sweep', '--driver', 'refcount,./no-such-driver.mjs', '--dry-run');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--driver ".*no-such-driver\.mjs": no such file/);
  });

  it('compare runs A and B, B starting from A', () => {
    const json = join(tmp(), 'c.json');
    const r = cli('compare', '--devices', '2', '--duration', '0.2', '--repeat', '2', '--json', json, '--', '--group-size', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/B differs from A in groupSize: 1 -> 2/);
    const o = JSON.parse(readFileSync(json, 'utf8'));
    expect(o.runsA).toHaveLength(2);
    expect(o.runsB[0].config).toMatchObject({ devices: 2, groupSize: 2 });
  });

  it('compare names a bad option of B', () => {
    const r = cli('compare', '--', '--lock', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/B options: --lock "nope": no built-in lock of that name/);
  });

  it('a scenario refuses a DMA mask its window cannot meet before it runs anything', () => {
    const json = join(tmp(), 's.json');
    const r = cli('scenario', 'pvdma', '--dma-mask-bits', '16', '--json', json);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--dma-mask-bits 16: .* cannot lie below 2\^16/);
    expect(r.out).toBe('');
    expect(existsSync(json)).toBe(false);
  });

  it('lists the locks, the deliberately broken ones marked', () => {
    const r = cli('locks');
    expect(r.code).toBe(0);
    for (const name of ['tas', 'ttas', 'ticket', 'mcs', 'futex', 'spin-park']) expect(r.out).toMatch(new RegExp(`^${name} +(?!BROKEN)\\S`, 'm'));
    for (const name of ['racy-tas', 'futex-lostwake']) expect(r.out).toMatch(new RegExp(`^${name} +BROKEN `, 'm'));
  });

  it('lists the drivers, allocators and flush policies with their sources and lock classes', () => {
    const r = cli('drivers');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}refcount +exynos\/tegra style/m);
    expect(r.out).toMatch(/locks: pgtable per domain \(&domain->pgtable_lock\)/);
    expect(r.out).toMatch(/^ {2}plain-install +BROKEN/m);
    expect(r.out).toMatch(/^IOVA allocators/m);
    expect(r.out).toMatch(/^ {2}deferred-early-free +BROKEN/m);
  });

  it('--help lists the exit codes', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const line of [/0\s+clean/, /1\s+.*violation/, /2\s+bad input/, /3\s+harness failure/]) expect(r.out).toMatch(line);
  });
});
