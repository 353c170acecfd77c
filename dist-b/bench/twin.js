/**
 * `twin`: the harness against a bare twin of its own operation.
 *
 * The harness's figures are only as true as its own overhead is small. The
 * twin (bench/twin-worker.ts) is the same operation on the same design
 * (ttas locks, refcount tables, bitmap next-fit allocator, random
 * completion, 1 page a buffer, 4 in flight) written plainly, with no
 * bookkeeping; both run in real worker threads on the same configurations:
 * 1 worker, 2 workers with a domain each, 2 workers sharing one domain.
 *
 * Runs alternate between the two sides (which goes first alternating too),
 * every run on fresh threads and fresh memory, several repetitions; the
 * figures are medians with the min-max over repetitions beside them. Two
 * targets: the harness runs at least half the twin's speed at 1 worker, and
 * what sharing a domain costs (shared / private throughput at 2 workers) is
 * the same in the harness as in the twin within 1.25x: the harness's
 * overhead should not change the contention it measures.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveConfig } from '../src/config/config.js';
import { runConfig } from '../src/engine/run.js';
import { median } from '../src/util/stats.js';
import { si, table } from '../src/report/report.js';
import { times } from './format.js';
import { TWIN_RATIO_TARGET, TWIN_SHARING_TOLERANCE } from './tuning.js';
import { CTL_GO, CTL_READY, initTwin, twinLayout } from './twin-worker.js';
import { allocShared, handleOf } from '../src/memory/shared.js';
/* ---- the harness side ---------------------------------------------------- */
/**
 * The harness on the twin's configuration: ttas, 1 page a buffer, 4 in
 * flight, random completion, `ops` operations a device, everything else the
 * run defaults (refcount tables, bitmap allocator, strict flush, --stats on).
 * Throughput as the harness reports it: all operations over the time from
 * the first worker's start to the last one's end.
 *
 * The one place this section calls the engine: when its API changes, adapt this function.
 */
export async function harnessOpsPerSec(devices, groupSize, ops) {
    const r = await runConfig(resolveConfig({ devices, groupSize, lock: 'ttas', pages: 1, inflight: 4, completion: 'random', ops }));
    if (r.status !== 'clean' || r.totals.ops !== devices * ops)
        throw new Error(`harness (${devices} devices, group ${groupSize}): ${r.status}, ${r.totals.ops} of ${devices * ops} ops`);
    return r.totals.opsPerSec;
}
/* ---- the twin side ------------------------------------------------------- */
/** The compiled worker entry: beside this file in dist/bench, or in dist/bench when running from sources (vitest). */
export function twinWorkerFile() {
    const file = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../dist/bench/twin-worker.js' : './twin-worker.js', import.meta.url));
    if (!existsSync(file))
        throw new Error(`twin worker ${file} is missing: run \`npm run build\` first`);
    return file;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Time the workers get to reach the start barrier. */
const STARTUP_TIMEOUT_MS = 30_000;
/** One run of the twin: fresh memory, fresh worker threads, a start barrier, `ops` operations a worker. */
export async function runTwin(o) {
    const L = twinLayout(o.workers, o.shared, o.inflight ?? 4);
    const sab = o.wasm ? allocShared(L.words * 4) : new SharedArrayBuffer(L.words * 4);
    const memory = o.wasm ? handleOf(sab).memory : null;
    initTwin(sab, L);
    const m = new Int32Array(sab);
    const file = twinWorkerFile();
    const threads = [];
    const exits = [];
    const replies = [];
    let failure = null;
    for (let w = 0; w < o.workers; w++) {
        const job = { kind: 'twin', sab, memory, layout: L, worker: w, ops: o.ops, seed: o.seed ?? 1 };
        const t = new Worker(file, { workerData: job });
        threads.push(t);
        // Not events.once: it rejects on 'error', and a worker's error is the reply's to report.
        exits.push(new Promise((resolve) => t.once('exit', resolve)));
        const reply = new Promise((resolve, reject) => {
            t.once('message', resolve);
            t.once('error', reject);
            t.once('exit', (code) => reject(new Error(`twin worker ${w} exited (code ${code}) before it replied`)));
        });
        reply.catch((e) => {
            failure ??= e instanceof Error ? e : new Error(String(e));
        });
        replies.push(reply);
    }
    try {
        const t0 = Date.now();
        while (Atomics.load(m, (0 /* CTL_READY */)) < o.workers) {
            if (failure)
                throw failure;
            if (Date.now() - t0 > (30000 /* STARTUP_TIMEOUT_MS */))
                throw new Error(`only ${Atomics.load(m, (0 /* CTL_READY */))} of ${o.workers} twin workers reached the start barrier`);
            await sleep(1);
        }
        Atomics.store(m, (1 /* CTL_GO */), 1);
        Atomics.notify(m, (1 /* CTL_GO */));
        const done = await Promise.all(replies);
        await Promise.all(exits);
        const start = Math.min(...done.map((r) => r.startMs));
        const end = Math.max(...done.map((r) => r.endMs));
        const ops = done.reduce((s, r) => s + r.ops, 0);
        const wallSec = Math.max(1e-9, (end - start) / 1000);
        const dmas = done.map((_, w) => {
            let n = 0;
            for (let f = 0; f < L.framesPerWorker; f++)
                n += m[L.tags + w * L.framesPerWorker + f];
            return n;
        });
        return { ops, wallSec, opsPerSec: ops / wallSec, workerSec: done.map((r) => (r.endMs - r.startMs) / 1000), dmas };
    }
    catch (e) {
        await Promise.all(threads.map((t) => t.terminate()));
        throw e;
    }
}
const CASES = [
    { label: '1 worker', workers: 1, shared: false, wasm: false },
    { label: '2 private', workers: 2, shared: false, wasm: false },
    { label: '2 shared', workers: 2, shared: true, wasm: false },
    // Like for like: the twin's locks on the atomics the harness's accessors use.
    { label: '1 worker, twin on WebAssembly atomics', workers: 1, shared: false, wasm: true },
];
const ONE = 0;
const PRIVATE = 1;
const SHARED = 2;
const ONE_WASM = 3;
export async function measureTwin(p) {
    const rows = CASES.map((c) => ({ label: c.label, twin: [], harness: [], ratio: [] }));
    let pair = 0;
    for (let rep = 0; rep < p.twinReps; rep++) {
        for (let i = 0; i < CASES.length; i++) {
            const c = CASES[i];
            const row = rows[i];
            const harness = () => harnessOpsPerSec(c.workers, c.shared ? c.workers : 1, p.twinOps);
            const twin = async () => (await runTwin({ workers: c.workers, shared: c.shared, ops: p.twinOps, wasm: c.wasm })).opsPerSec;
            // Which side goes first alternates from one pair of runs to the next (the machine's speed drifts).
            let h;
            let t;
            if (pair++ % 2 === 0) {
                h = await harness();
                t = await twin();
            }
            else {
                t = await twin();
                h = await harness();
            }
            row.twin.push(t);
            row.harness.push(h);
            row.ratio.push(h / t);
        }
    }
    const per = (side) => rows[(2 /* SHARED */)][side].map((s, k) => s / rows[(1 /* PRIVATE */)][side][k]);
    const twinSharing = per('twin');
    const harnessSharing = per('harness');
    const quotient = harnessSharing.map((h, k) => h / twinSharing[k]);
    const q = median(quotient);
    return {
        ops: p.twinOps,
        reps: p.twinReps,
        rows,
        twinSharing,
        harnessSharing,
        quotient,
        ratioTarget: (0.5 /* TWIN_RATIO_TARGET */),
        tolerance: (1.25 /* TWIN_SHARING_TOLERANCE */),
        ratioPass: median(rows[(0 /* ONE */)].ratio) >= (0.5 /* TWIN_RATIO_TARGET */),
        sharingPass: q <= (1.25 /* TWIN_SHARING_TOLERANCE */) && q >= 1 / (1.25 /* TWIN_SHARING_TOLERANCE */),
    };
}
/* ---- the table --------------------------------------------------------------- */
/** "median [min - max]" of a series, each number drawn by `f`. */
function mm(xs, f) {
    return `${f(median(xs))} [${f(Math.min(...xs))} - ${f(Math.max(...xs))}]`;
}
const ops = (x) => si(x);
const r2 = (x) => x.toFixed(2);
export function formatTwin(r) {
    const one = r.rows[(0 /* ONE */)];
    const lo = r.tolerance;
    const straddles = (xs, ok) => xs.some(ok) && !xs.every(ok);
    const inBand = (x) => x <= lo && x >= 1 / lo;
    const q = median(r.quotient);
    const noise = (s) => (s ? '; the repetitions straddle the target, so this machine\'s noise does not resolve it' : '');
    return [
        'twin: the harness against a bare twin of its operation (bench/twin-worker.ts: the same design written plainly, no bookkeeping)',
        `  ttas locks, refcount tables, bitmap next-fit IOVAs, random completion, 1 page a buffer, 4 in flight; harness with its defaults (--stats on)`,
        `  the twin takes its locks with Atomics.*, as plain JavaScript does; the harness's accessors use WebAssembly's atomics (src/memory/shared.ts),`,
        `  so the last row gives the twin those too: like for like, what is left is the harness's own work`,
        `  ${r.ops} ops a worker, ${r.reps} repetitions, harness and twin runs alternating, each on fresh threads and memory`,
        `  ops/s = all operations / (last worker's end - first worker's start); median [min - max] over repetitions`,
        table(['configuration', 'twin ops/s', 'harness ops/s', 'harness/twin'], r.rows.map((x) => [x.label, mm(x.twin, ops), mm(x.harness, ops), mm(x.ratio, r2)])),
        `  shared/private at 2 workers (2 shared ops/s / 2 private ops/s, per repetition):`,
        `    twin ${mm(r.twinSharing, r2)}, harness ${mm(r.harnessSharing, r2)}; their quotient harness/twin, per repetition, ${mm(r.quotient, r2)}`,
        `harness/twin at 1 worker: ${r2(median(one.ratio))} against a target of >= ${r.ratioTarget}: ${r.ratioPass ? 'PASS' : 'FAIL'}` +
            (r.ratioPass ? '' : ` (the harness takes ${times(1 / median(one.ratio))} the twin's time an operation)`) +
            noise(straddles(one.ratio, (x) => x >= r.ratioTarget)) +
            `; like for like (the twin on WebAssembly atomics too): ${r2(median(r.rows[(3 /* ONE_WASM */)].ratio))}`,
        `sharing cost, harness against twin (median quotient): ${r2(q)} against a target within ${lo}x (${r2(1 / lo)} .. ${r2(lo)}): ${r.sharingPass ? 'PASS' : 'FAIL'}` +
            noise(straddles(r.quotient, inBand)),
    ].join('\n');
}
//# sourceMappingURL=twin.js.map