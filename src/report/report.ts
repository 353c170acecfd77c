/**
 * Human reports, drawn from a RunResult and nothing else (measuring and
 * presenting stay apart). Numbers get SI suffixes; times get ns/us/ms.
 */
import { BUILTIN_INVARIANTS } from '../checker/invariants.js';
import type { Env } from '../util/env.js';
import type { LockClassStats, RunResult, ViolationSample } from '../results/result.js';

export function si(n: number, digits = 3): string {
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toPrecision(digits) + ' G';
  if (a >= 1e6) return (n / 1e6).toPrecision(digits) + ' M';
  if (a >= 1e4) return (n / 1e3).toPrecision(digits) + ' k';
  if (Number.isInteger(n) || a >= 100) return String(Math.round(n));
  return n.toPrecision(digits);
}

export function ns(t: number): string {
  if (!Number.isFinite(t) || t === 0) return '-';
  if (t >= 1e9) return (t / 1e9).toPrecision(3) + ' s';
  if (t >= 1e6) return (t / 1e6).toPrecision(3) + ' ms';
  if (t >= 1e3) return (t / 1e3).toPrecision(3) + ' us';
  return t.toFixed(0) + ' ns';
}

export const pct = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + '%';

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

export function envLine(env: Env): string {
  return `env: Node ${env.node} (V8 ${env.v8}) on ${env.cpuModel}, ${env.cores} cores, ${env.platform} ${env.arch}, ${env.memoryGiB} GiB`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The run's design and work, naming only what the run used. */
export function configLine(r: RunResult): string {
  const c = r.config;
  const d = r.design;
  const length = c.ops > 0 ? `${c.ops} ops a worker` : `${c.durationSec} s`;
  const callPages = c.granule === 0 ? c.pages : c.granule;
  const pieces =
    c.mode === 'pv-bounce'
      ? `paravirtual bounce pool (--mode pv-bounce, ${c.bufferBytes} bytes a buffer), lock ${d.lock.name}`
      : `driver ${d.driver.name}, lock ${d.lock.name}, allocator ${d.allocator.name}`;
  const lines = [
    `${plural(c.devices, 'device')} x ${plural(c.queues, 'queue')}, group size ${c.groupSize} (${plural(r.layout.domains, 'domain')}), ${pieces}`,
    `  ${plural(c.pages, 'page')} a buffer${c.mode === 'pv-bounce' ? '' : `, ${callPages} a call`}, ${c.inflight} in flight (${c.completion} completion), ${length}, seed ${c.seed}`,
  ];
  const extras: string[] = [];
  if (d.race) extras.push(`race ${d.race.name} (${d.race.variant})`);
  if (c.mode === 'pv-hypercall') extras.push(`pv-hypercall: ${ns(c.hypercallNs)} a hypercall`);
  if (c.pasids > 1) extras.push(`${c.pasids} PASIDs a device`);
  if (c.iotlbEntries > 0) extras.push(`IOTLB ${c.iotlbEntries} entries a device, flush ${d.flush.name}${c.iotlbNs > 0 ? `, ${ns(c.iotlbNs)} an invalidation` : ''}${d.flush.defers ? `, flush queue ${c.fqSize} entries, timer ${c.fqTimeoutMs} ms` : ''}`);
  else if (c.iotlbNs > 0) extras.push(`${ns(c.iotlbNs)} an invalidation`);
  if (c.dmaLive === 'on') extras.push('DMA into live buffers (--dma-live)');
  if (c.switchMs > 0) extras.push(`device 0 switches domain every ${c.switchMs} ms (to ${c.switchTo === 'empty' ? 'an EMPTY domain' : 'a domain sharing its table'})`);
  if (c.delayNs > 0) extras.push(`${ns(c.delayNs)} busy after each DMA`);
  const agents = d.agents.filter((a) => a !== 'live-switch');
  if (agents.length) extras.push(`agents ${agents.join(', ')}`);
  if (extras.length) lines.push(`  ${extras.join('; ')}`);
  return lines.join('\n');
}

/** The lock classes a run used (a class with no locks is left out). */
export const usedLocks = (r: RunResult): LockClassStats[] => r.locks.filter((l) => l.instances > 0);

/** A row a lock class; with --stats off nothing but the class and its locks was kept: '-' says so, where 0 would claim a measurement. */
function lockRows(locks: LockClassStats[], stats: boolean): string[][] {
  return locks.map((l) => {
    const what = `${l.instances} ${l.scope}${l.instances > 1 ? 's' : ''}`;
    if (!stats) return [l.class, what, '-', '-', '-', '-', '-', '-', '-', '-'];
    return [l.class, what, si(l.acquisitions), si(l.contentions), pct(l.contentionPct), ns(l.waittimeAvgNs), ns(l.waittimeP99Ns), ns(l.waittimeMaxNs), ns(l.holdtimeAvgNs), si(l.acqBounces)];
  });
}

/** The lock class that guards the page tables (the driver says which), if any. */
export const tableLockOf = (r: RunResult): LockClassStats | undefined => r.locks.find((l) => l.guardsTables && l.instances > 0);

/** The lock table in the layout of Linux /proc/lock_stat (times in us). */
export function formatLockStat(r: RunResult): string {
  const cols = ['con-bounces', 'contentions', 'waittime-min', 'waittime-max', 'waittime-total', 'waittime-avg', 'acq-bounces', 'acquisitions', 'holdtime-min', 'holdtime-max', 'holdtime-total', 'holdtime-avg'];
  const us = (t: number): string => (t / 1000).toFixed(2);
  const rule = '-'.repeat(40 + cols.length * 15);
  const lines = ['lock_stat version 0.4', rule, 'class name'.padStart(40) + cols.map((c) => c.padStart(15)).join(''), rule, ''];
  for (const l of usedLocks(r)) {
    const v = [
      String(l.conBounces),
      String(l.contentions),
      us(l.waittimeMinNs),
      us(l.waittimeMaxNs),
      us(l.waittimeTotalNs),
      us(l.waittimeAvgNs),
      String(l.acqBounces),
      String(l.acquisitions),
      us(l.holdtimeMinNs),
      us(l.holdtimeMaxNs),
      us(l.holdtimeTotalNs),
      us(l.holdtimeAvgNs),
    ];
    lines.push(`${l.kernelName}:`.padStart(40) + v.map((x) => x.padStart(15)).join(''));
  }
  const every = r.locks[0]?.holdSampleEvery ?? 1;
  lines.push('', `(bounces: acquisitions whose last holder was another worker; every contention counted;`);
  lines.push(` waits and holds timed on every acquisition of 1 operation in ${every}:`);
  lines.push(` waittime-total = waittime-avg x contentions, holdtime-total = holdtime-avg x acquisitions)`);
  return lines.join('\n');
}

function latencyText(name: string, s: RunResult['latency']['map']): string {
  return `${name} avg ${ns(s.meanNs)} sd ${ns(s.stddevNs)}, p50 ${ns(s.p50Ns)}, p99 ${ns(s.p99Ns)}, p99.9 ${ns(s.p999Ns)}, max ${ns(s.maxNs)}`;
}

/** "expected frame 5, found none", in the units of the invariant; '' when the meaning says it all. */
export function describeValues(s: ViolationSample): string {
  const frame = (x: number): string => (x >= 0 ? `frame ${x}` : 'none');
  const builtin = BUILTIN_INVARIANTS.find((i) => i.name === s.invariant);
  // A design's own invariant: the values it reported, as numbers.
  if (!builtin) return s.expected !== -1 || s.found !== -1 ? `expected ${s.expected}, found ${s.found}` : '';
  switch (builtin.values) {
    case 'frame':
      return s.invariant === 'dma-after-unmap' ? `expected no translation, found ${frame(s.found)}` : `expected ${frame(s.expected)}, found ${frame(s.found)}`;
    case 'pte':
      return `found entry 0x${(s.found >>> 0).toString(16)}`;
    case 'table':
      if (s.invariant === 'audit-table-meta') {
        const meta = s.found;
        return `table page ${s.expected}, allocated ${meta === 0 ? 'for nothing (free)' : `for level ${(meta & 15) - 1} of domain ${meta >>> 4}`}`;
      }
      return `table page ${s.found}`;
    case 'pages':
      return s.invariant === 'iova-double-free' ? `${s.found} of ${s.expected} pages freed were not allocated` : `no free range of ${s.expected} pages`;
    case 'count':
      return `expected ${s.expected}, found ${s.found}`;
    default:
      return '';
  }
}

export function violationLines(r: RunResult): string[] {
  const v = r.violations;
  const a = r.audit;
  const auditText = `audit: ${a.liveBuffers} live buffers, ${a.mappedPages}/${a.livePages} pages mapped, ${a.tablesInUse} tables in use and ${a.tablesFree} free of ${a.tablePool}, ${a.iovaPagesAllocated} IOVA pages allocated`;
  if (!a.done) {
    const head = v.count === 0 ? 'checker: clean online, 0 violations' : `checker: ${si(v.count)} VIOLATIONS online`;
    return [`${head} (audit skipped: agents were stopped mid-operation)`, ...invariantLines(r)];
  }
  if (v.count === 0) return [`checker: clean, 0 violations (${auditText})`];
  return [`checker: ${si(v.count)} VIOLATIONS (${auditText})`, ...invariantLines(r)];
}

/** Each invariant violated with its meaning, then the first violations seen in full. */
function invariantLines(r: RunResult): string[] {
  const v = r.violations;
  if (v.count === 0) return [];
  const out: string[] = [];
  for (const [name, n] of Object.entries(v.byInvariant)) out.push(`  ${name.padEnd(20)} ${si(n).padStart(8)}  ${v.meanings[name] ?? ''}`);
  if (v.lockOrder) out.push(...v.lockOrder.report.map((l) => `  ${l}`));
  if (v.samples.length > 0) out.push('  first seen:');
  for (const s of v.samples) {
    const when = s.op >= 0 ? `op ${s.op}` : 'after run';
    const where = [s.device >= 0 ? `device ${s.device}` : null, s.domain >= 0 ? `domain ${s.domain}` : null, s.iova ? `IOVA ${s.iova}` : null, s.level >= 0 ? `level ${s.level}` : null]
      .filter(Boolean)
      .join(' ');
    const values = describeValues(s);
    out.push(`    ${when.padEnd(10)} ${s.invariant.padEnd(20)} ${where}${values ? `: ${values}` : ''}`);
  }
  if (v.samples.some((s) => s.level >= 0) && r.design.driver.levels) out.push(`  (levels as driver ${r.design.driver.name} numbers them: ${r.design.driver.levels})`);
  return out;
}

export function formatRun(r: RunResult, title = 'iommu-stress run'): string {
  const t = r.totals;
  const out: string[] = [`${title}: ${configLine(r)}`, envLine(r.env)];
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push('');
  out.push(`throughput: ${si(t.opsPerSec)} ops/s, ${si(t.pagesPerSec)} pages/s (${si(t.ops)} ops in ${t.durationSec.toFixed(2)} s)`);
  out.push('');
  // On a CPU: known on Linux; older results (before 0.2.1) have no such field.
  const cpuKnown = r.devices.length > 0 && r.devices.every((d) => d.onCpu != null);
  out.push(
    table(
      ['device', 'domain', 'ops', 'ops/s', 'share', ...(cpuKnown ? ['on cpu'] : [])],
      r.devices.map((d) => [String(d.device), String(d.domain), si(d.ops), si(d.opsPerSec), pct(100 * d.share), ...(cpuKnown ? [pct(100 * d.onCpu!)] : [])]),
    ),
  );
  out.push(`fairness: per-device ops min/max ${r.fairness.minMaxRatio.toFixed(3)}, Jain's index ${r.fairness.jain.toFixed(4)}`);
  const lat = r.latency;
  if (lat.sampleEvery > 0 && lat.map.samples > 0) {
    out.push(`latency (1 op in ${lat.sampleEvery}): ${latencyText('map', lat.map)}`);
    out.push(`${' '.repeat(`latency (1 op in ${lat.sampleEvery}): `.length)}${latencyText('unmap', lat.unmap)}`);
  }
  // Old results (before the clock's cost was measured) have no clockPairNs.
  const clock = lat.clockPairNs ?? 0;
  if (clock > 0) out.push(`sampling: 1 op in ${lat.sampleEvery} timed, 1 in ${r.config.holdSample} for holds and waits (gaps drawn at random); a pair of clock reads costs ${clock.toFixed(0)} ns here, taken off every sample`);
  out.push('');
  const used = usedLocks(r);
  const stats = r.config.stats === 'on' && !r.sched;
  if (used.length) out.push(table(['lock', 'locks', 'acquired', 'contended', 'cont%', 'wait avg', 'wait p99', 'wait max', 'hold avg', 'bounces'], lockRows(used, stats)));
  if (r.config.mode !== 'pv-bounce' && !used.some((l) => l.guardsTables)) out.push(`(page tables: driver ${r.design.driver.name} takes no lock)`);
  const tlb = r.iotlb;
  if (tlb.entries > 0) {
    const flushes = tlb.flush === 'strict' ? `strict invalidation on each of ${si(r.totals.unmapCalls)} unmap calls` : `${tlb.flush} flush: ${si(tlb.flushes)} flushes`;
    const window =
      tlb.flush === 'strict' ? '' : `; late DMAs to unflushed IOVAs still translated: ${si(tlb.staleTranslations)} of ${si(tlb.lateDmaProbes)} tried, ${tlb.stalePerMillionOps.toFixed(0)} per million ops`;
    out.push(`iotlb: ${tlb.entries} entries a device, ${flushes}${window}`);
  }
  const s = r.liveSwitch;
  if (s) {
    out.push(
      `live switch: ${s.switches} switches of device 0 to ${s.to === 'empty' ? 'an EMPTY domain' : 'a domain sharing its table'}, ` +
        `latency avg ${ns(s.latencyAvgNs)} max ${ns(s.latencyMaxNs)}, throughput just after a switch ${(100 * s.throughputAfterVsBefore).toFixed(0)}% of just before`,
    );
  }
  if (r.config.stats === 'off') out.push('(--stats off: no lock statistics or latencies were kept: - in the lock table)');
  for (const [name, figs] of Object.entries(r.agents)) {
    if (name === 'live-switch' || Object.keys(figs).length === 0) continue;
    out.push(`agent ${name}: ${Object.entries(figs).map(([k, x]) => `${k} ${si(x)}`).join(', ')}`);
  }
  out.push('');
  out.push(...violationLines(r));
  return out.join('\n');
}

export function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) + 'x' : '-';
}

/** Two results side by side, with B/A for each figure. */
export function formatComparison(nameA: string, a: RunResult, nameB: string, b: RunResult): string {
  const lockB = (cls: string): LockClassStats | undefined => usedLocks(b).find((l) => l.class === cls);
  const rows: string[][] = [
    ['throughput (ops/s)', si(a.totals.opsPerSec), si(b.totals.opsPerSec), ratio(b.totals.opsPerSec, a.totals.opsPerSec)],
    ['per device (ops/s)', si(a.totals.opsPerSec / a.config.devices), si(b.totals.opsPerSec / b.config.devices), ratio(b.totals.opsPerSec, a.totals.opsPerSec)],
  ];
  for (const la of usedLocks(a)) {
    const cls = la.class;
    const lb = lockB(cls);
    if (!lb) continue;
    rows.push([`${cls} contention`, pct(la.contentionPct), pct(lb.contentionPct), '']);
    rows.push([`${cls} wait avg`, ns(la.waittimeAvgNs), ns(lb.waittimeAvgNs), '']);
    rows.push([`${cls} bounces`, si(la.acqBounces), si(lb.acqBounces), '']);
  }
  rows.push(['violations', String(a.violations.count), String(b.violations.count), '']);
  return table(['', nameA, nameB, `${nameB}/${nameA}`], rows);
}

/** One line drawn from the two measurements: what sharing one domain cost. */
export function sharingFinding(priv: RunResult, shared: RunResult): string {
  const r = shared.totals.opsPerSec / priv.totals.opsPerSec;
  const pt = tableLockOf(shared);
  const io = shared.locks.find((l) => l.owner === 'allocator' && l.instances > 0);
  const change = r < 1 ? `${((1 - r) * 100).toFixed(0)}% less` : `${((r - 1) * 100).toFixed(0)}% more`;
  let s = `finding: one domain shared by ${shared.config.groupSize} devices did ${change} work than private domains (${r.toFixed(2)}x)`;
  if (pt && pt.acquisitions > 0) s += `; its page-table lock was contended on ${pct(pt.contentionPct)} of acquisitions (avg wait ${ns(pt.waittimeAvgNs)})`;
  if (io) s += `, its allocator lock on ${pct(io.contentionPct)}`;
  const v = priv.violations.count + shared.violations.count;
  return s + (v > 0 ? `; ${v} violations` : '; no violations') + '.';
}
