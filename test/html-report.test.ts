/**
 * The HTML report end to end: a real (small) sweep by the CLI, `report
 * --html`, and the page opened offline in headless Chromium. Chromium comes
 * from the devDependency @sparticuz/chromium (test/browser.ts): `npm ci` is
 * all it needs. Without a browser the page's tests fail, they do not skip;
 * the terminal summary's test needs only the sweep.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { readRecords, summarizePoints } from '../src/sweep/sweep-record.js';
import { escapeHtml, renderHtmlReport } from '../src/report/html-report.js';
import { LOCK_NAMES } from '../src/locks/registry.js';
import { launchBrowser, setUpOnce } from './browser.js';
import { fakeRecord, smallSweep } from './sweep-fixtures.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
/** Every chart the report plans, drawn or left out. */
const CHART_IDS = [
  'throughput-devices-private',
  'throughput-devices-shared',
  'throughput-group-size',
  'contention-devices-private',
  'contention-devices-shared',
  'wait-percentiles',
  'throughput-points',
];
/** The data marks vega draws: symbols, lines, rules and bars inside mark groups (not legends or axes). */
const DATA_MARKS = 'g.role-mark > path, g.role-mark > line';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('report --html, opened in headless Chromium', () => {
  let dir = '';
  let sweepFile = '';
  let htmlFile = '';
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  /** The sweep and its report: what every test here needs. */
  const sweepReady = setUpOnce(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-stress-html-'));
    sweepFile = join(dir, 'sweep.ndjson');
    htmlFile = join(dir, 'report.html');
    const sweep = cli('sweep', '--devices', '1,2', '--group-size', '1,all', '--lock', 'ttas,futex', '--duration', '0.1', '--out', sweepFile);
    expect(sweep.code, sweep.err).toBe(0);
    const report = cli('report', sweepFile, '--html', htmlFile);
    expect(report.code, report.err).toBe(0);
    expect(report.err).not.toMatch(/--html: chart/);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('still prints the terminal summary', () => {
    sweepReady();
    const r = cli('report', sweepFile);
    expect(r.out).toMatch(/^#\s+devices\s+groupSize\s+lock/m);
    expect(r.out).toMatch(/throughput \(median ops\/s\):/);
  });

  /** The page open in the browser: the tests below need it (and the sweep). */
  const ready = setUpOnce(async () => {
    sweepReady();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
  }, 90_000);

  it('draws every chart it does not list as left out', async () => {
    ready();
    const drawn = await page.locator('figure.chart').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')));
    const omitted = await page.locator('[data-omitted]').evaluateAll((els) => els.map((e) => e.getAttribute('data-omitted')));
    expect([...drawn, ...omitted].sort()).toEqual([...CHART_IDS].sort());
    // Two device counts, both group sizes, two locks: these always have data.
    expect(drawn).toEqual(expect.arrayContaining(['throughput-devices-private', 'throughput-devices-shared', 'throughput-group-size', 'throughput-points']));
  });

  it('every chart rendered an SVG with visible data marks, a title, axis titles and a legend', async () => {
    ready();
    const charts = await page.locator('figure.chart').evaluateAll((figs, sel) =>
      figs.map((f) => {
        const marks = [...f.querySelectorAll(sel)];
        const visible = marks.filter((m) => {
          const b = m.getBoundingClientRect();
          return b.width > 0 || b.height > 0;
        });
        return {
          id: f.getAttribute('data-chart'),
          svgs: f.querySelectorAll('svg').length,
          marks: marks.length,
          visible: visible.length,
          title: f.querySelector('g.role-title-text text')?.textContent ?? '',
          axisTitles: [...f.querySelectorAll('g.role-axis-title text')].map((t) => t.textContent ?? ''),
          legends: f.querySelectorAll('g.role-legend').length,
        };
      }),
    DATA_MARKS);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const c of charts) {
      expect(c.svgs, `${c.id}: one svg`).toBe(1);
      expect(c.marks, `${c.id}: data marks`).toBeGreaterThan(0);
      expect(c.visible, `${c.id}: visible data marks`).toBeGreaterThan(0);
      expect(c.title, `${c.id}: title`).not.toBe('');
      expect(c.axisTitles.length, `${c.id}: axis titles`).toBeGreaterThanOrEqual(2);
      expect(c.legends, `${c.id}: legend`).toBeGreaterThan(0);
    }
  });

  it('puts a symbol on the throughput charts for every point, and a bar for every point on the last', async () => {
    ready();
    const { records } = readRecords(sweepFile, 'test');
    const points = summarizePoints(records);
    const count = (id: string, sel: string) => page.locator(`figure[data-chart="${id}"] ${sel}`).count();
    expect(await count('throughput-devices-private', 'g.mark-symbol.role-mark > path')).toBe(points.filter((p) => p.config.groupSize === 1).length);
    expect(await count('throughput-devices-shared', 'g.mark-symbol.role-mark > path')).toBe(points.filter((p) => p.config.groupSize === p.config.devices).length);
    expect(await count('throughput-points', 'g.mark-rect.role-mark > path')).toBe(points.length);
  });

  it('names units on the axes', async () => {
    ready();
    const titles = await page.locator('g.role-axis-title text').allTextContents();
    expect(titles).toContain('throughput (ops/s, median over runs)');
    expect(titles).toContain('devices (DMA devices, one worker thread each)');
    expect(titles).toContain('group size (devices per domain)');
  });

  it('shows the configuration, the environment, the sweep file and a row for every point, oversubscribed ones marked', async () => {
    ready();
    const { records } = readRecords(sweepFile, 'test');
    const points = summarizePoints(records);
    const text = await page.locator('body').innerText();
    expect(text).toContain(`Sweep file sweep.ndjson: ${records.length} runs of ${points.length} points`);
    expect(text).toMatch(/--duration\s+0\.1/);
    expect(text).toContain(process.version);
    const h2 = await page.locator('h2').allTextContents();
    expect(h2).toEqual(['How to read this page', 'Environment', 'Configuration', 'Charts', 'Charts left out', 'Every point']);
    const rows = page.locator('h2:has-text("Every point") + table tbody tr');
    expect(await rows.count()).toBe(points.length);
    expect(await page.locator('tr.over').count()).toBe(points.filter((p) => p.oversubscribed).length);
  });

  it('opened offline: no request but the file itself, no URL in the page, no console error', () => {
    ready();
    expect(requests).toEqual([]);
    expect(readFileSync(htmlFile, 'utf8')).not.toMatch(/https?:\/\//);
    expect(readFileSync(htmlFile, 'utf8')).not.toMatch(/<script/i);
    expect(consoleErrors).toEqual([]);
  });
});

describe('the page, without a browser', () => {
  it('for a sweep of the lock alone: the per-point bars, and each chart left out with its reason', async () => {
    const recs = LOCK_NAMES.map((lock, point) => fakeRecord({ config: { devices: 2, lock }, varied: { lock }, point, opsPerSec: 1000 + point }));
    const html = await renderHtmlReport(recs, { source: '/some/dir/locks.ndjson' });
    expect(html.match(/<figure class="chart"/g)).toHaveLength(1);
    expect(html).toContain('data-chart="throughput-points"');
    expect(html.match(/<li data-omitted=/g)).toHaveLength(CHART_IDS.length - 1);
    expect(html).toContain('one device count (2); a line needs two');
    expect(html).toContain('Sweep file <code>locks.ndjson</code>: 6 runs of 6 points.');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('marks oversubscribed rows and counts them in the heading', async () => {
    const recs = smallSweep(1).map((r) => ({ ...r, oversubscribed: r.result.config.devices === 4 }));
    const html = await renderHtmlReport(recs, { source: 's.ndjson', skippedLines: [7] });
    expect(html.match(/<tr class="over">/g)).toHaveLength(4);
    expect(html).toContain('4 oversubscribed; 1 incomplete line ignored.');
    expect(html).toContain('workers &gt; cores (oversubscribed)');
  });

  it('escapes text', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});

describe('report --html, bad input', () => {
  it('exits 2 naming the path when its directory does not exist, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iommu-stress-html-'));
    const r = cli('report', join(dir, 'none.ndjson'), '--html', join(dir, 'no', 'such', 'out.html'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--html ".*out\.html": directory .* does not exist/);
    rmSync(dir, { recursive: true, force: true });
  });
});
