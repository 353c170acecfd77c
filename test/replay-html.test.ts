/**
 * The replay page (src/report/replay-html.ts): rendered from fixtures, and
 * opened offline in headless Chromium (test/browser.ts: the devDependency
 * @sparticuz/chromium) to count what the SVG and the table draw. Without a
 * browser the page's tests fail, they do not skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { STEP_TABLE_LIMIT, renderReplayHtml } from '../src/report/replay-html.js';
import type { RunTrace } from '../src/report/run-trace.js';
import { launchBrowser, setUpOnce } from './browser.js';
import { L, controlledTrace } from './trace-fixtures.js';

function freeTrace(): RunTrace {
  return {
    ...controlledTrace(),
    title: 'run: 2 devices, group size 2',
    clock: 'lamport',
    tracks: [
      { id: 0, name: 'dev0', kind: 'device' },
      { id: 1, name: 'dev1', kind: 'device' },
    ],
    slices: [
      { track: 0, name: 'op 0', cat: 'op', start: 10, end: 20 },
      { track: 0, name: L, cat: 'lock', start: 12, end: 12 },
      { track: 1, name: 'op 0', cat: 'op', start: 13, end: 30 },
    ],
    instants: [],
    flows: [],
    steps: [],
    violation: null,
    replay: null,
    report: '',
  };
}

describe('the replay page, opened in headless Chromium', () => {
  const t = controlledTrace();
  let dir = '';
  let file = '';
  let html = '';
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  const ready = setUpOnce(async () => {
    html = await renderReplayHtml(t);
    dir = mkdtempSync(join(tmpdir(), 'iommu-stress-replay-'));
    file = join(dir, 'replay.html');
    writeFileSync(file, html);
    browser = await launchBrowser();
    page = await browser.newPage();
    // Every request the page makes is recorded; only the file itself is let through.
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url === pathToFileURL(file).href) await route.continue();
      else await route.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The data marks of one named layer of the chart, and how many of them have a size on the page. */
  const marks = (layer: string) =>
    page.locator(`figure#interleaving g.${layer}_marks > *`).evaluateAll((els) =>
      els.map((e) => {
        const b = e.getBoundingClientRect();
        return { label: e.getAttribute('aria-label') ?? '', text: e.textContent ?? '', visible: b.width > 0 && b.height > 0 };
      }),
    );

  it('draws one SVG with a lane label per track, in track order, axis titles and the two legends', async () => {
    ready();
    expect(await page.locator('figure#interleaving svg').count()).toBe(1);
    const lanes = await page.locator('figure#interleaving g.role-axis[aria-label^="Y-axis"] g.role-axis-label text').allTextContents();
    expect(lanes).toEqual(t.tracks.map((k) => k.name));
    const axisTitles = await page.locator('figure#interleaving g.role-axis-title text').allTextContents();
    expect(axisTitles).toEqual(expect.arrayContaining(['scheduler step', 'thread']));
    const legends = await page.locator('figure#interleaving g.role-legend g.role-legend-title text').allTextContents();
    expect(legends.sort()).toEqual(['marks', 'slices']);
    const legendLabels = await page.locator('figure#interleaving g.role-legend g.role-legend-label text').allTextContents();
    expect(legendLabels).toEqual(expect.arrayContaining(['lock', 'map', 'dma', 'unmap', 'op', 'agent', 'preemption', 'agent event', 'violation']));
  });

  it('draws a visible bar for every slice, on its own lane, and labels them', async () => {
    ready();
    const bars = await marks('slices');
    expect(bars).toHaveLength(t.slices.length);
    expect(bars.filter((b) => b.visible)).toHaveLength(t.slices.length);
    for (const k of t.tracks) {
      expect(bars.filter((b) => b.label.includes(`thread: ${k.name};`)), k.name).toHaveLength(t.slices.filter((s) => s.track === k.id).length);
    }
    const labels = (await marks('slice_labels')).map((l) => l.text);
    expect(labels).toEqual(expect.arrayContaining([L, 'map', 'dma', 'unmap', 'op 0', 'switch domain 0']));
  });

  it('marks both preemptions and the agent event on their lanes', async () => {
    ready();
    const pre = await marks('preemptions');
    expect(pre.map((p) => [p.visible, /thread: (\w+)/.exec(p.label)?.[1]])).toEqual([
      [true, 'dev0'],
      [true, 'dev1'],
    ]);
    const ev = await marks('agent_events');
    expect(ev.map((p) => [p.visible, p.label.includes('thread: live-switch')])).toEqual([[true, true]]);
  });

  it('draws the violation: a red rule across the lanes, its label with the invariant, a cross on its lane', async () => {
    ready();
    const rule = await marks('violation_rule');
    expect(rule).toHaveLength(1);
    const ruleBox = await page.locator('figure#interleaving g.violation_rule_marks > line').boundingBox();
    const plotBox = await page.locator('figure#interleaving g.slices_marks').boundingBox();
    expect(ruleBox!.height).toBeGreaterThanOrEqual(plotBox!.height * 0.9);
    expect(await page.locator('figure#interleaving g.violation_rule_marks > line').getAttribute('stroke')).toBe('#b00020');
    const label = await marks('violation_label');
    expect(label.map((l) => [l.text, l.visible])).toEqual([['violation: dma-after-unmap', true]]);
    expect(await page.locator('figure#interleaving svg').textContent()).toContain('violation: dma-after-unmap');
    const cross = await marks('violation_mark');
    expect(cross.map((c) => [c.visible, c.label.includes('thread: dev1')])).toEqual([[true, true]]);
  });

  it('tabulates the steps: a column per track, a row per step, preempted steps and the violation step marked', async () => {
    ready();
    const head = await page.locator('table#steps thead th').allTextContents();
    expect(head).toEqual(['step', ...t.tracks.map((k) => k.name)]);
    const rows = await page.locator('table#steps tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ cls: tr.className, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })),
    );
    expect(rows).toHaveLength(t.steps.length);
    t.steps.forEach((s, i) => {
      const r = rows[i]!;
      expect(r.cells[0], `row ${i}`).toBe(String(s.step));
      r.cells.slice(1).forEach((c, col) => {
        if (col === s.track) expect(c, `step ${s.step}`).toContain(`${s.point} ${s.arg}`);
        else expect(c, `step ${s.step}, column ${col}`).toBe('');
      });
    });
    expect(rows.filter((r) => r.cls.includes('preempted')).map((r) => r.cells[0])).toEqual(['2', '8']);
    expect(rows.filter((r) => r.cls.includes('viol')).map((r) => r.cells[0])).toEqual(['14']);
    expect(rows[14]!.cells[2]).toContain('dma-after-unmap');
  });

  it('shows the violation report and the replay command', async () => {
    ready();
    expect(await page.locator('pre#report').textContent()).toBe(t.report);
    expect(await page.locator('pre#replay').textContent()).toBe(t.replay);
    const h2 = await page.locator('h2').allTextContents();
    expect(h2).toEqual(['How to read this page', 'Interleaving', 'Steps', 'Violation', 'Replay']);
    expect(await page.locator('h1').textContent()).toContain(t.title);
  });

  it('opened offline: no request but the file itself, no URL or script in the page, no console error', () => {
    ready();
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(consoleErrors).toEqual([]);
  });
});

describe('the replay page, without a browser', () => {
  it('for a free-running trace: the chart, no step table and why, no replay command', async () => {
    const html = await renderReplayHtml(freeTrace());
    expect(html).toContain('<svg');
    expect(html).not.toContain('<table');
    expect(html).toMatch(/id="no-steps">No step table: this run was free running: no scheduler chose who went when/);
    expect(html).toMatch(/id="replay">No replay command/);
    expect(html).toContain('No violation');
    expect(html).toContain('Lamport clock tick (logical time, carried through the locks)');
  });

  it('for a long run: the last steps only, in the table and the chart, and says so', async () => {
    const base = controlledTrace();
    const n = STEP_TABLE_LIMIT + 50;
    const steps = Array.from({ length: n }, (_, step) => ({ step, track: step % 2, point: 'walk', arg: `0x${step.toString(16)}`, preempted: false }));
    // Of the fixture's slices (steps 0 to 15) none is in the last 400 steps; of these, one straddles their start.
    const slices = [...base.slices, { track: 0, name: 'op 9', cat: 'op' as const, start: 40, end: 60 }, { track: 1, name: 'op 9', cat: 'op' as const, start: 100, end: 110 }];
    const html = await renderReplayHtml({ ...base, slices, steps, violation: { ...base.violation!, at: n - 1 } });
    expect(html.match(/aria-roledescription="bar"/g)).toHaveLength(2);
    expect(html).toContain('this shows its last 400 steps, from step 50, as the table below does');
    expect(html).toContain(`X-axis titled 'scheduler step' for a linear scale with values from 50 to ${n}`);
    expect(html.match(/<tr[^>]* data-step="/g)).toHaveLength(STEP_TABLE_LIMIT);
    expect(html).toContain(`data-step="50"`);
    expect(html).not.toContain(`data-step="49"`);
    expect(html).toContain(`The run took ${n} steps: the table (and the chart above) shows the last ${STEP_TABLE_LIMIT} (steps 50 to ${n - 1}), which lead to the violation.`);
    expect(html).toMatch(new RegExp(`<tr class="viol" data-step="${n - 1}">`));
  });

  it('escapes what it prints', async () => {
    const html = await renderReplayHtml({ ...controlledTrace(), title: '<b>x</b> & "y"' });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('at step 14 &lt;after unmap&gt;');
  });

  it('renders the chart without a warning from vega', async () => {
    const warnings: string[] = [];
    await renderReplayHtml(controlledTrace(), { onWarning: (w) => warnings.push(w) });
    await renderReplayHtml(freeTrace(), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
  });
});
