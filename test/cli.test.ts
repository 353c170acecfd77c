import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = (): string => mkdtempSync(join(tmpdir(), 'iommu-stress-'));

describe('bad input exits 2, names the value and what is allowed, writes nothing', () => {
  const cases: [string[], RegExp][] = [
    [['--devices', 'abc'], /--devices "abc": not a number \(allowed: an integer from 1 to 256\)/],
    [['--devices', '0'], /--devices 0: out of range/],
    [['--devices', '2.5'], /--devices 2.5: not an integer/],
    [['--devices', '4', '--group-size', '3'], /--group-size 3: must divide --devices 4 \(allowed: 1, 2, 4\)/],
    [['--lock', 'spinny'], /--lock "spinny": unknown value \(allowed: tas, ttas, ticket, mcs, futex, spin-park; deliberately broken: racy-tas, futex-lostwake\)/],
    [['--lock-scope', 'cpu'], /--lock-scope "cpu": unknown value \(allowed: domain, device, none\)/],
    [['--pages', '4', '--granule', '8'], /--granule 8: larger than --pages 4/],
    [['--hold-sample', '3'], /--hold-sample 3: not a power of two/],
    [['--inject', 'explode'], /--inject "explode": expected KIND:DEVICE:AFTER_OPS/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['--mode', 'pv-bounce', '--buffer-bytes', '65536', '--inflight', '64', '--devices', '4', '--dma-mask-bits', '20'], /--dma-mask-bits 20: a bounce pool of 256 slots x 16 pages \(16384 KiB\) cannot lie below 2\^20 bytes \(allowed: at least 24 for this pool\)/],
    [['--flush', 'deferred'], /--flush deferred: needs an IOTLB to defer/],
    [['--pasids', '4'], /--pasids 4: more PASIDs than queues/],
  ];
  for (const [args, msg] of cases) {
    it(args.join(' '), () => {
      const dir = tmp();
      const json = join(dir, 'out.json');
      const r = cli('run', ...args, '--duration', '0.1', '--json', json);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(existsSync(json)).toBe(false);
    });
  }

  it('a config file with an unknown key', () => {
    const dir = tmp();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ devices: 2, colour: 'red' }));
    const r = cli('run', '--config', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown key "colour" \(allowed: devices, groupSize/);
  });

  it('a config file with a bad value', () => {
    const dir = tmp();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ lockScope: 'cpu' }));
    expect(cli('run', '--config', file).err).toMatch(/--lock-scope "cpu": unknown value/);
  });

  it('a --json path in a directory that does not exist', () => {
    const r = cli('run', '--json', '/nonexistent-dir/x.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--json "\/nonexistent-dir\/x.json": directory \/nonexistent-dir does not exist/);
  });

  it('an unknown command', () => {
    const r = cli('frob');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frob'/);
  });
});

describe('iommu-stress run', () => {
  it('prints a report and writes the documented JSON shape', () => {
    const dir = tmp();
    const json = join(dir, 'r.json');
    const r = cli('run', '--devices', '2', '--group-size', '2', '--duration', '0.3', '--json', json);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/throughput: .* ops\/s/);
    expect(r.out).toMatch(/^pgtable\s+1 domain\s/m);
    expect(r.out).toMatch(/^fairness: per-device ops min\/max/m);
    expect(r.out).toMatch(/^latency \(1 op in 256\): map avg/m);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    expect(res.config).toMatchObject({ devices: 2, groupSize: 2 });
    expect(res.env.cores).toBeGreaterThan(0);
    expect(res.totals.ops).toBeGreaterThan(0);
    expect(res.totals.pages).toBe(res.totals.ops * res.config.pages);
    expect(res.totals.opsPerSec).toBeGreaterThan(0);
    expect(res.devices).toHaveLength(2);
    expect(res.locks.map((l: { class: string }) => l.class)).toEqual(['pgtable', 'device', 'iova', 'depot', 'bounce']);
    expect(res.locks.map((l: { instances: number }) => l.instances)).toEqual([1, 0, 1, 0, 0]);
    expect(res.latency.map.samples).toBeGreaterThan(0);
    expect(res.latency.map.p99Ns).toBeGreaterThanOrEqual(res.latency.map.p50Ns);
    expect(res.fairness.jain).toBeGreaterThan(0.5);
    expect(res.violations).toEqual({ count: 0, byInvariant: {}, samples: [] });
  });

  it('takes its configuration from a file, flags overriding', () => {
    const dir = tmp();
    const file = join(dir, 'c.json');
    const json = join(dir, 'r.json');
    writeFileSync(file, JSON.stringify({ devices: 3, lock: 'ticket', durationSec: 0.2 }));
    expect(cli('run', '--config', file, '--lock', 'futex', '--json', json).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).config).toMatchObject({ devices: 3, lock: 'futex' });
  });

  it('exits 1 and describes the violations when a domain switch drops live mappings', () => {
    // Deterministic: after a switch to an empty domain, DMAs to live buffers fault whatever the timing.
    const r = cli('run', '--devices', '2', '--switch-ms', '5', '--switch-to', 'empty', '--dma-live', 'on', '--duration', '0.5');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATIONS/);
    expect(r.out).toMatch(/dma-fault/);
    expect(r.out).toMatch(/first seen:/);
  });

  it('exits 3 with each device\'s state when a worker throws', () => {
    const r = cli('run', '--devices', '2', '--inject', 'throw:1:100', '--duration', '5');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/worker 1 \(device 1\) crashed: injected fault/);
    expect(r.err).toMatch(/device 0 \(worker 0\): (running|done)/);
    expect(r.err).toMatch(/device 1 \(worker 1\): failed, 100 ops/);
  });

  it('exits 3, not hangs, when a lock is never freed, naming the holder', () => {
    const t0 = Date.now();
    const r = cli('run', '--devices', '2', '--group-size', '2', '--inject', 'hold-forever:0:200', '--watchdog', '1', '--duration', '30');
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.err).toMatch(/no progress for 1 s/);
    expect(r.err).toMatch(/device 1 \(worker 1\): running.*waiting for (pgtable|iova) lock of domain 0, held by device 0/);
  });

  it('sweep --dry-run lists the points and the skipped combinations', () => {
    const r = cli('sweep', '--devices', '1,2,3', '--group-size', '1,all', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(['#0 devices=1 groupSize=1', '#1 devices=2 groupSize=1', '#2 devices=2 groupSize=all', '#3 devices=3 groupSize=1', '#4 devices=3 groupSize=all']);
    expect(r.err).toMatch(/skipped devices=1 groupSize=all: the same configuration as point #0/);
  });

  it('compare runs A and B, B starting from A', () => {
    const dir = tmp();
    const json = join(dir, 'c.json');
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
    expect(r.err).toMatch(/B options: --lock "nope": unknown value/);
  });

  it('a scenario refuses a DMA mask its pool cannot meet before it runs anything', () => {
    const dir = tmp();
    const json = join(dir, 's.json');
    const r = cli('scenario', 'pvdma', '--dma-mask-bits', '16', '--json', json);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--dma-mask-bits 16: .* cannot lie below 2\^16/);
    expect(r.err).not.toMatch(/scenario pvdma 1\//);
    expect(existsSync(json)).toBe(false);
  });

  it('an unknown scenario or race is named with the ones there are', () => {
    expect(cli('scenario', 'nope').err).toMatch(/scenario "nope": no such scenario \(allowed: per-device-tables, map-batch/);
    expect(cli('explore', 'nope').err).toMatch(/race "nope": no such race \(allowed: device-locks, no-lock/);
    expect(cli('replay', 'v1:no-lock:broken:dx:').code).toBe(2);
  });

  it('report of a file that does not exist', () => {
    const r = cli('report', '/nonexistent.ndjson');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/report "\/nonexistent.ndjson": no such file/);
  });

  it('lists the lock algorithms', () => {
    const r = cli('locks');
    expect(r.code).toBe(0);
    for (const name of ['tas', 'ttas', 'ticket', 'mcs', 'futex', 'spin-park']) expect(r.out).toMatch(new RegExp(`^${name} `, 'm'));
  });
});
