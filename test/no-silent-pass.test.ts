/**
 * No path from a hostile or broken module to a silent pass: design code
 * that loops on the main thread is stopped and named (exit 3), a module that
 * never loads in the workers is bad input (exit 2), an agent that exhausts
 * its memory is stopped alone (exit 3), a module that leaves a timer behind
 * does not keep the command alive, a free-running livelock is a finding
 * (exit 1), and the package API's calls can be aborted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore, hunt, replay, run, checkLock } from '../src/api/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
const cli = (args: string[], env: Record<string, string> = {}, timeout = 60_000) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout, env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr, ms: performance.now() - t0 };
};

describe('design code on the main thread that never returns', () => {
  it("a race's check() that loops: stopped within its watchdog time, named with its file, exit 3", () => {
    const r = cli(['explore', fixture('hostile/check-loops.mjs')]);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/race check-loops's check\(\) \(.*hostile\/check-loops\.mjs\) did not return in 1\.\d s on the main thread/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("a lock's init() that loops, through run() in a user's script: the call rejects with a HarnessError naming it, and the script ends", () => {
    // In a process of its own, as a user's script: the watchdog stops what runs on that process's main thread.
    const api = new URL('../dist/src/api/index.js', import.meta.url).href;
    const script = `const { run, HarnessError } = await import(${JSON.stringify(api)});
const err = await run({ lock: ${JSON.stringify(fixture('hostile/init-loops.mjs'))}, devices: 1, durationSec: 0.2, watchdogSec: 1 }).catch((e) => e);
console.log(err instanceof HarnessError ? 'HarnessError: ' + err.message : 'not rejected as a HarnessError: ' + String(err));`;
    // A file, not --eval: the agents' threads inherit the process's flags, and --input-type is refused there.
    const file = join(mkdtempSync(join(tmpdir(), 'iommu-stress-user-')), 'script.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^HarnessError: lock init-loops's init\(\) \(.*init-loops\.mjs\) did not return in 1\.\d s/);
  });

  it('the same lock under check-lock: exit 3 naming init()', () => {
    const r = cli(['check-lock', fixture('hostile/init-loops.mjs'), '--stall', '1']);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/lock init-loops's init\(\) did not return/);
  });
});

describe('modules that do not let go', () => {
  it('a module that never finishes loading in the workers: exit 2 naming the file, within the load time limit', () => {
    const r = cli(['run', '--lock', fixture('hostile/loads-in-main-only.mjs'), '--duration', '0.2'], { IOMMU_STRESS_LOAD_TIMEOUT_SEC: '2' });
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/loads-in-main-only\.mjs".*did not finish loading in 2 s/);
  });

  it("a design's process.exit(0) on the main thread before the command is done: exit 3, said so, not a silent 0", () => {
    const r = cli(['explore', fixture('hostile/exits-in-check.mjs'), '--runs', '3']);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/the process was ending before the command finished \(process\.exit called by the design's code\?\)/);
  });

  it('a module that ends every agent thread with exit code 0: exit 3 naming the thread, not a silent 0 (the event loop kept alive)', async () => {
    const r = cli(['explore', fixture('hostile/exits-in-workers.mjs'), '--runs', '3']);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/failed to start: its thread exited \(code 0\)/);
    await expect(explore(fixture('hostile/exits-in-workers.mjs'), { runs: 3 })).rejects.toThrow(/its thread exited \(code 0\)/);
  });

  it('a module that leaves a timer running: the command exits when its work is done', () => {
    const r = cli(['explore', fixture('hostile/keeps-alive.mjs'), '--runs', '3'], {}, 30_000);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/not exhaustive \(random samples schedules\)/);
  });

  it('an agent that exhausts its heap: its thread alone is stopped, exit 3 with why', () => {
    const r = cli(['explore', fixture('hostile/hogs-memory.mjs')], { IOMMU_STRESS_AGENT_HEAP_MB: '64' });
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/hog \(agent \d\) crashed: ran out of memory: its heap is limited to 64 MB/);
  });
});

describe('a livelock, free running', () => {
  it('locks changing hands and no operation completing anywhere: a finding, exit 1, not a clean run', () => {
    const r = cli(['run', '--driver', fixture('livelock-driver.mjs'), '--devices', '2', '--group-size', '2', '--watchdog', '1', '--duration', '5']);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/livelock: no operation completed anywhere for 1 s while locks kept changing hands/);
    expect(r.ms).toBeLessThan(15_000);
  });
});

describe('an AbortSignal', () => {
  let aSchedule = '';
  beforeAll(async () => {
    const r = await explore('device-locks', { runs: 5000 });
    aSchedule = r.found!.schedule;
  });

  it('stops explore, hunt, replay, run and checkLock: each rejects with an AbortError, promptly', async () => {
    for (const call of [
      (signal: AbortSignal) => hunt('device-locks', { correct: true, timeSec: 60, signal }),
      (signal: AbortSignal) => replay(aSchedule, { repeat: 10_000, signal }),
      (signal: AbortSignal) => explore('device-locks', { correct: true, runs: 100_000, signal }),
      (signal: AbortSignal) => run({ devices: 1, durationSec: 30 }, { signal }),
      (signal: AbortSignal) => checkLock('ttas', { iterations: 100_000_000, signal }),
    ]) {
      const ac = new AbortController();
      const t0 = performance.now();
      setTimeout(() => ac.abort(), 500);
      const err = await call(ac.signal).catch((e: unknown) => e);
      expect((err as Error).name).toBe('AbortError');
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
  });
});
