/**
 * The native baseline: bench/native/mapbench.c, the device loop's workload
 * in C with pthreads, built with the system `cc -O2 -pthread`, against the
 * JavaScript harness (runConfig, real worker threads) on the same workload:
 * the same operations per thread, 1 page a buffer, 4 in flight, fifo
 * completion, refcount tables, a ticket lock per domain lock, `--stats on`.
 * The ratio JS/native says how many times longer an operation takes in the
 * harness than the same algorithm compiled ahead of time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { resolveConfig } from '../src/config/config.js';
import { runConfig } from '../src/engine/run.js';
import { median } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
import { ns1, times } from './format.js';
/** Where the C source is, from bench/ (vitest runs the .ts) or from dist/bench/. */
export function mapbenchSource() {
    const rel = import.meta.url.endsWith('.ts') ? './native/mapbench.c' : '../../bench/native/mapbench.c';
    return fileURLToPath(new URL(rel, import.meta.url));
}
/** The built binary beside the compiled bench: dist/bench/mapbench. */
export const defaultMapbenchBinary = () => fileURLToPath(new URL('./mapbench', import.meta.url));
export const CC = 'cc';
/** Is there a C compiler called `cc` on PATH? */
export function haveCc() {
    const r = spawnSync(CC, ['--version'], { stdio: 'ignore' });
    return r.error === undefined && r.status === 0;
}
export function buildMapbench(out) {
    const r = spawnSync(CC, ['-O2', '-pthread', '-std=c11', '-o', out, mapbenchSource()], { encoding: 'utf8' });
    if (r.error || r.status !== 0)
        throw new Error(`${CC} could not build ${mapbenchSource()}: ${r.error?.message ?? r.stderr.trim()}`);
}
export const DOMAIN_MODES = ['private', 'shared'];
export const NATIVE_LOCKS = ['ticket', 'mutex'];
const mapbenchLine = z.object({
    bench: z.literal('mapbench'),
    threads: z.number().int().positive(),
    domains: z.enum(DOMAIN_MODES),
    lock: z.enum(NATIVE_LOCKS),
    ops: z.number().int().positive(),
    pages: z.number().int().positive(),
    inflight: z.number().int().positive(),
    completion: z.literal('fifo'),
    tableStyle: z.literal('refcount'),
    windowPages: z.number().int().positive(),
    iovaBasePfn: z.number().int().positive(),
    totalOps: z.number().int().nonnegative(),
    wallNs: z.number().nonnegative(),
    nsPerOp: z.number().nonnegative(),
    opsPerThread: z.array(z.number().int().nonnegative()),
    violations: z.number().int().nonnegative(),
});
/** Parse mapbench's one output line; throws naming what is wrong. */
export function parseMapbenchLine(line) {
    let json;
    try {
        json = JSON.parse(line);
    }
    catch {
        throw new Error(`mapbench printed something that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
    }
    const r = mapbenchLine.safeParse(json);
    if (!r.success)
        throw new Error(`mapbench printed an unexpected line (${r.error.issues[0]?.message ?? 'invalid'}): ${line.slice(0, 200)}`);
    return r.data;
}
/** Run the binary once; a failed check (exit 1) or any other failure throws. */
export function runMapbench(bin, a, timeoutMs = 120_000) {
    const argv = ['--threads', a.threads, '--domains', a.domains, '--ops', a.ops, '--pages', a.pages, '--inflight', a.inflight, '--lock', a.lock].map(String);
    let out;
    try {
        out = execFileSync(bin, argv, { encoding: 'utf8', timeout: timeoutMs });
    }
    catch (e) {
        const err = e;
        throw new Error(`mapbench ${argv.join(' ')} failed (exit ${err.status ?? '?'}): ${(err.stderr || err.stdout || err.message).trim()}`);
    }
    const r = parseMapbenchLine(out.trim().split('\n').pop() ?? '');
    if (r.violations !== 0 || r.totalOps !== a.threads * a.ops)
        throw new Error(`mapbench ${argv.join(' ')}: ${r.violations} violations, ${r.totalOps} ops`);
    return r;
}
const CASES = [
    { label: '1 thread', threads: 1, domains: 'private' },
    { label: '2 threads, private domains', threads: 2, domains: 'private' },
    { label: '2 threads, one shared domain', threads: 2, domains: 'shared' },
];
const PAGES = 1;
const INFLIGHT = 4;
async function jsNsPerOp(c, ops, windowPages) {
    const cfg = resolveConfig({
        devices: c.threads,
        groupSize: c.domains === 'shared' ? c.threads : 1,
        ops,
        pages: (1 /* PAGES */),
        inflight: (4 /* INFLIGHT */),
        completion: 'fifo',
        driver: 'refcount',
        lock: 'ticket',
        stats: 'on',
        watchdogSec: 60,
    });
    const r = await runConfig(cfg);
    if (r.status !== 'clean' || r.totals.ops !== c.threads * ops)
        throw new Error(`JS harness (${c.label}): ${r.status}, ${r.totals.ops} ops`);
    if (r.layout.windowPages !== windowPages)
        throw new Error(`JS window ${r.layout.windowPages} pages, native ${windowPages}: not the same workload`);
    return (r.totals.durationSec * 1e9) / r.totals.ops;
}
export async function measureNative(p) {
    if (!haveCc())
        return { state: 'skipped', reason: `no C compiler: \`${CC}\` is not on PATH` };
    const bin = defaultMapbenchBinary();
    buildMapbench(bin);
    const rows = [];
    for (const c of CASES) {
        const ticket = [];
        const mutex = [];
        const js = [];
        for (let rep = 0; rep < p.nativeReps; rep++) {
            const a = { threads: c.threads, domains: c.domains, ops: p.nativeOps, pages: (1 /* PAGES */), inflight: (4 /* INFLIGHT */), lock: 'ticket' };
            const t = runMapbench(bin, a);
            ticket.push(t.nsPerOp);
            mutex.push(runMapbench(bin, { ...a, lock: 'mutex' }).nsPerOp);
            js.push(await jsNsPerOp(c, p.nativeOps, t.windowPages));
        }
        const row = { label: c.label, threads: c.threads, domains: c.domains, ticketNs: median(ticket), mutexNs: median(mutex), jsNs: median(js) };
        rows.push({ ...row, ratio: row.jsNs / row.ticketNs });
    }
    return { state: 'done', ops: p.nativeOps, reps: p.nativeReps, rows };
}
export function formatNative(r) {
    const title = 'native: the device loop in C (bench/native/mapbench.c) against the JS harness, same workload';
    if (r.state === 'skipped')
        return `${title}\n  skipped: ${r.reason}`;
    return [
        title,
        `  ${r.ops} ops a thread, ${(1 /* PAGES */)} page a buffer, ${(4 /* INFLIGHT */)} in flight, fifo, refcount tables, ticket locks; JS with --stats on; median of ${r.reps}`,
        `  ns/op = wall time / all threads' operations (1 / throughput)`,
        table(['case', 'C ticket', 'C mutex', 'JS ticket', 'JS/C'], r.rows.map((x) => [x.label, ns1(x.ticketNs), ns1(x.mutexNs), ns1(x.jsNs), times(x.ratio)])),
        `  2 threads on a 2-core machine: any other load preempts a lock holder or the next-in-line waiter, which stalls a`,
        `  ticket lock (FIFO hand-off); the shared-domain ticket rows then measure that - compare C mutex, which sleeps instead`,
    ].join('\n');
}
//# sourceMappingURL=native.js.map