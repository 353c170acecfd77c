import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  HIDE_CURSOR,
  RESTORE,
  WRAP_OFF,
  createProgress,
  formatDuration,
  handlersInstalled,
  restoreTerminal,
  timeProgress,
  type ProgressStream,
} from '../src/cli/progress.js';

/** A stream that keeps what is written to it. */
function fakeStream(isTTY: boolean, columns = 100): ProgressStream & { out: string } {
  const s = {
    isTTY,
    columns,
    out: '',
    write(chunk: string): boolean {
      s.out += chunk;
      return true;
    },
  };
  return s;
}

/** A clock the test moves. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

// What is on a terminal line after the last \r: what the user would see there.
const lastDrawn = (out: string): string => out.split('\r').pop()!.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

afterEach(() => {
  restoreTerminal(); // a failing test must not leave handlers for the next one
  expect(handlersInstalled()).toBe(false);
});

describe('not a terminal: quiet', () => {
  it('300 quick updates over 1.5 s: no line at all (the work ended before the first interval)', () => {
    const s = fakeStream(false);
    const c = fakeClock();
    const p = createProgress({ label: 'explore abba', stream: s, total: 300, unit: 'schedules', now: c.now });
    for (let i = 1; i <= 300; i++) {
      c.advance(5);
      p.update(i, `run ${i}`);
    }
    p.stop();
    expect(s.out).toBe('');
  });

  it('300 updates over 30 s: at most one line per 5 s interval, each `label done/total what (rate/s, eta)`', () => {
    const s = fakeStream(false);
    const c = fakeClock();
    const p = createProgress({ label: 'explore abba', stream: s, total: 300, unit: 'schedules', now: c.now });
    for (let i = 1; i <= 300; i++) {
      c.advance(100);
      p.update(i, `ok`);
    }
    p.stop();
    const lines = s.out.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(30_000 / 5000);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toBe('explore abba 50/300 schedules ok (10.0/s, eta 25s)');
    expect(s.out.endsWith('\n')).toBe(true);
  });

  it('stop prints only the final line it is given', () => {
    const s = fakeStream(false);
    const p = createProgress({ label: 'race', stream: s, total: 5, now: fakeClock().now });
    p.update(1);
    p.stop('race: 5 runs in 5.1 s');
    p.stop('again');
    expect(s.out).toBe('race: 5 runs in 5.1 s\n');
  });

  it('never shows more done than the total (301/300, 6/5)', () => {
    const s = fakeStream(false);
    const c = fakeClock();
    const p = createProgress({ label: 'race', stream: s, total: 5, now: c.now, intervalMs: 1000 });
    for (let i = 1; i <= 8; i++) {
      c.advance(1000);
      p.update(i);
    }
    expect(s.out).toContain('race 5/5 runs');
    expect(s.out).not.toMatch(/[6-8]\/5/);
  });

  it('an unknown total shows a count and a rate', () => {
    const s = fakeStream(false);
    const c = fakeClock();
    const p = createProgress({ label: 'hunt', stream: s, total: Infinity, now: c.now });
    c.advance(5000);
    p.update(20, 'run 20');
    expect(s.out).toBe('hunt 20 runs run 20 (4.00/s)\n');
  });

  it('timeProgress prints nothing at all', () => {
    const s = fakeStream(false);
    const t = timeProgress('run', 10, s);
    for (let e = 0; e <= 10; e++) t.tick(e);
    t.stop();
    expect(s.out).toBe('');
  });
});

describe('a terminal: one line redrawn, the terminal restored', () => {
  it('a bar that never shows done past the total, then restores the cursor and line wrap on stop', () => {
    const s = fakeStream(true);
    const c = fakeClock();
    const p = createProgress({ label: 'explore abba', stream: s, total: 300, unit: 'schedules', now: c.now });
    p.update(1, 'ok');
    expect(s.out.startsWith(HIDE_CURSOR + WRAP_OFF)).toBe(true);
    expect(handlersInstalled()).toBe(true);
    c.advance(1000);
    p.update(150);
    expect(lastDrawn(s.out)).toMatch(/^explore abba [█░]{24} 150\/300 schedules {2}eta 1s {2}ok$/);
    c.advance(1000);
    p.update(301, 'one too many');
    expect(lastDrawn(s.out)).toMatch(/ 300\/300 schedules/);
    expect(s.out).not.toContain('301/300');
    p.stop('explore abba: 300 schedules');
    expect(s.out.endsWith('\r\x1b[K' + RESTORE + 'explore abba: 300 schedules\n')).toBe(true);
    expect(handlersInstalled()).toBe(false);
  });

  it('redraws at most every 100 ms, and fits the line to the terminal', () => {
    const s = fakeStream(true, 40);
    const c = fakeClock();
    const p = createProgress({ label: 'sweep', stream: s, total: 1000, now: c.now });
    for (let i = 1; i <= 1000; i++) {
      c.advance(1);
      p.update(i, 'devices=8 lock=mcs scope=domain group=all');
    }
    const draws = s.out.split('\r\x1b[K').length - 1;
    expect(draws).toBeLessThanOrEqual(11);
    expect(lastDrawn(s.out).length).toBeLessThanOrEqual(39);
    p.stop();
  });

  it('an unknown total: a count, a rate and the time so far, no bar', () => {
    const s = fakeStream(true);
    const c = fakeClock();
    const p = createProgress({ label: 'hunt', stream: s, now: c.now });
    c.advance(2000);
    p.update(10);
    expect(lastDrawn(s.out)).toBe('hunt 10 runs  5.00/s  2s');
    p.setTotal(20);
    expect(lastDrawn(s.out)).toMatch(/^hunt [█░]{24} 10\/20 runs {2}eta 2s$/);
    p.stop();
  });

  it('nothing drawn, nothing to restore: stop writes nothing', () => {
    const s = fakeStream(true);
    createProgress({ label: 'x', stream: s, total: 3 }).stop();
    expect(s.out).toBe('');
  });

  it('restoreTerminal() restores every bar on the screen and removes the handlers', () => {
    const a = fakeStream(true);
    const c = fakeClock();
    const p = createProgress({ label: 'x', stream: a, total: 3, now: c.now });
    p.update(1);
    restoreTerminal();
    expect(a.out.endsWith('\n' + RESTORE)).toBe(true); // below the bar, so the prompt does not land on it
    expect(handlersInstalled()).toBe(false);
    c.advance(200);
    p.update(2); // still running: hidden again, restored again at the end
    expect(handlersInstalled()).toBe(true);
    p.stop();
    expect(a.out.endsWith(RESTORE)).toBe(true);
  });

  it('the TTY is forced either way by the option', () => {
    const s = fakeStream(false);
    const p = createProgress({ label: 'x', stream: s, total: 3, tty: true, now: fakeClock().now });
    p.update(1);
    expect(s.out).toContain(HIDE_CURSOR);
    p.stop();
    const t = fakeStream(true);
    createProgress({ label: 'x', stream: t, total: 3, tty: false, now: fakeClock().now }).update(1);
    expect(t.out).toBe('');
  });

  it('timeProgress: a bar filling with elapsed time, held at the duration; none for a run of a second or less', () => {
    const s = fakeStream(true);
    const c = fakeClock();
    const t = timeProgress('run', 10, s, { now: c.now });
    t.tick(2.5);
    expect(lastDrawn(s.out)).toBe(`run ${'█'.repeat(6)}${'░'.repeat(18)} 2.5/10.0 s`);
    c.advance(200);
    t.tick(11.2);
    expect(lastDrawn(s.out)).toBe(`run ${'█'.repeat(24)} 10.0/10.0 s`);
    t.stop();
    expect(s.out.endsWith(RESTORE)).toBe(true);
    const short = fakeStream(true);
    const u = timeProgress('run', 1, short, { now: c.now });
    u.tick(0.5);
    u.stop();
    expect(short.out).toBe('');
  });

  it('formats durations', () => {
    expect([7, 125, 3720, NaN].map(formatDuration)).toEqual(['7s', '2m05s', '1h02m', '?']);
  });
});

describe('a signal during a bar', () => {
  const PROGRESS_JS = fileURLToPath(new URL('../dist/src/cli/progress.js', import.meta.url));

  /** A child shows a bar (TTY forced: its stderr is a pipe here), is sent `signal`, and is looked at. */
  function interrupt(signal: NodeJS.Signals, script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        if (s.includes('ready')) child.kill(signal);
      });
      // A child that survives the signal (the regression these tests look for) is ended, not left running.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('error', reject);
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        resolve({ code, signal: sig, err });
      });
    });
  }
  const bar = `
    import { createProgress } from ${JSON.stringify(PROGRESS_JS)};
    const p = createProgress({ label: 'explore abba', total: 100, tty: true });
    let i = 0;
    setInterval(() => p.update(++i, 'running'), 20);
    setTimeout(() => process.stdout.write('ready ' + process.pid + '\\n'), 100);`;

  it('SIGINT: the terminal restored, then death by SIGINT (130 to a shell)', async () => {
    const r = await interrupt('SIGINT', bar);
    expect(r.signal).toBe('SIGINT'); // killed by the signal, as a shell loop needs to see to stop; $? is 130
    expect(r.code).toBe(null);
    expect(r.err).toContain(HIDE_CURSOR);
    expect(r.err.endsWith('\n' + RESTORE)).toBe(true);
  });

  it('SIGTERM: the same (143 to a shell)', async () => {
    const r = await interrupt('SIGTERM', bar);
    expect(r.signal).toBe('SIGTERM');
    expect(r.err.endsWith('\n' + RESTORE)).toBe(true);
  });

  it('the exit status a shell reports is 130', async () => {
    const status = await new Promise<string>((resolve, reject) => {
      // The shell runs node and reports its status; only node (by its pid) gets the signal.
      const sh = spawn('sh', ['-c', '"$0" --input-type=module -e "$1"; echo "status=$?"', process.execPath, bar], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      let node = 0;
      const timer = setTimeout(() => node && process.kill(node, 'SIGKILL'), 10_000);
      sh.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const pid = /ready (\d+)/.exec(s);
        if (pid) process.kill((node = Number(pid[1])), 'SIGINT');
      });
      sh.on('error', reject);
      sh.on('close', () => {
        clearTimeout(timer);
        resolve(/status=(\d+)/.exec(out)?.[1] ?? `no status in ${JSON.stringify(out)}`);
      });
    });
    expect(status).toBe('130');
  });

  // Its handler registered before the bar's (it runs first) or after (the bar's runs first, restores and leaves the signal to it).
  for (const when of ['before', 'after'] as const) {
    it(`a program with its own SIGINT handler (registered ${when} the bar's) keeps it: restored, not killed twice`, async () => {
      const own = `process.on('SIGINT', () => { process.stderr.write('own handler'); process.exit(7); });`;
      const r = await interrupt('SIGINT', when === 'before' ? own + bar : bar + `\n setTimeout(() => { ${own} }, 60);`);
      expect(r.code).toBe(7);
      expect(r.err).toContain('own handler');
      expect(r.err).toContain(RESTORE);
      expect(r.err.endsWith(when === 'before' ? RESTORE : 'own handler')).toBe(true);
    });
  }

  it('a bar stopped before the signal leaves no handler: the default action, untouched', async () => {
    const r = await interrupt(
      'SIGINT',
      `
    import { createProgress, handlersInstalled } from ${JSON.stringify(PROGRESS_JS)};
    const p = createProgress({ label: 'x', total: 3, tty: true });
    p.update(1); p.stop();
    process.stderr.write('installed=' + handlersInstalled());
    setInterval(() => undefined, 1000);
    process.stdout.write('ready\\n');`,
    );
    expect(r.signal).toBe('SIGINT');
    expect(r.err.endsWith(RESTORE + 'installed=false')).toBe(true);
  });
});
