/**
 * Sweeps: the cartesian product of lists of any run options, each point
 * repeated in interleaved order (every point once, then every point again)
 * so that slow drift of the machine spreads over all points alike. Each run
 * is appended to an NDJSON file the moment it ends; a rerun on the same file
 * skips runs already there (the same run: the same whole configuration,
 * seed included, and repetition); --shard k/n runs every n-th point only.
 *
 * A run the harness gives up on (a HarnessError: a crashed worker, a
 * watchdog) is recorded as failed and the sweep goes on. Before the first
 * run the output file is checked: a last line cut off by an interrupted
 * write is removed (its run runs again), and anything else that is not a
 * whole sweep record makes the sweep refuse the file rather than append to it.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { ALIASES, FIELDS, aliasDriver, correctValues, parseFlag, resolveConfig } from '../config/config.js';
import { workersOf } from '../memory/layout.js';
import { HarnessError, UsageError } from '../util/errors.js';
import { runConfig } from '../engine/run.js';
import { readEnv } from '../util/env.js';
import { availableParallelism } from 'node:os';
import { SWEEP_SCHEMA, isOk, pointKey, recordIdentity, runIdentity, splitLines, } from './sweep-record.js';
import { RESULT_SCHEMA } from '../results/result.js';
export const ALL = 'all';
export function parseList(f, text) {
    const items = text.split(',').map((s) => s.trim());
    if (items.some((s) => s === ''))
        throw new UsageError(`${f.flag} ${JSON.stringify(text)}: empty list item (allowed: comma-separated values)`);
    if (!('kind' in f)) {
        // An alias (--table-style, --lock-scope): its values, or all of them.
        const bad = items.find((i) => i !== ALL && !f.values.includes(i));
        if (bad !== undefined)
            throw new UsageError(`${f.flag} ${JSON.stringify(bad)}: unknown value (allowed: ${f.values.join(', ')}, all)`);
        return [...new Set(items.flatMap((i) => (i === ALL ? [...f.values] : [i])))];
    }
    const out = [];
    for (const item of items) {
        if (item === ALL && (f.kind === 'enum' || f.kind === 'piece'))
            out.push(...correctValues(f));
        else if (item === ALL && f.key === 'groupSize')
            out.push(ALL);
        else
            out.push(parseFlag(f, item));
    }
    return [...new Set(out)];
}
/** Expand the lists over a base configuration, in the order of FIELDS. */
export function planSweep(base, lists) {
    const keys = [...FIELDS.map((f) => f.key), ...ALIASES.map((a) => a.key)].filter((k) => lists[k] !== undefined);
    const plan = { points: [], skipped: [] };
    const combo = {};
    const expand = (i) => {
        if (i === keys.length) {
            const partial = { ...base, ...combo };
            if (partial.groupSize === ALL)
                partial.groupSize = partial.devices ?? resolveConfig(base).devices;
            try {
                // The aliases name a driver: a table style and a lock scope together.
                if (partial.tableStyle !== undefined || partial.lockScope !== undefined) {
                    partial.driver = aliasDriver(partial.tableStyle, partial.lockScope);
                    delete partial.tableStyle;
                    delete partial.lockScope;
                }
                const config = resolveConfig(partial);
                const key = pointKey(config);
                const same = plan.points.find((p) => p.key === key);
                if (same)
                    plan.skipped.push({ varied: { ...combo }, reason: `the same configuration as point #${same.index}` });
                else
                    plan.points.push({ index: plan.points.length, config, key, varied: { ...combo } });
            }
            catch (e) {
                if (!(e instanceof UsageError))
                    throw e;
                plan.skipped.push({ varied: { ...combo }, reason: e.message });
            }
            return;
        }
        for (const v of lists[keys[i]]) {
            combo[keys[i]] = v;
            expand(i + 1);
        }
    };
    expand(0);
    if (plan.points.length === 0) {
        throw new UsageError(`the sweep has no valid point (${plan.skipped.length} combinations skipped, first: ${plan.skipped[0]?.reason ?? 'none'})`);
    }
    return plan;
}
export function parseShard(text) {
    const m = /^(\d+)\/(\d+)$/.exec(text);
    const k = Number(m?.[1]);
    const n = Number(m?.[2]);
    if (!m || n < 1 || k < 1 || k > n)
        throw new UsageError(`--shard ${JSON.stringify(text)}: expected k/n with 1 <= k <= n (allowed: e.g. 1/2, 2/2)`);
    return [k, n];
}
/** What a file that is not a sweep file is, for the message that refuses it. */
function whatItIs(buf, firstBad) {
    try {
        const v = JSON.parse(buf.toString('utf8'));
        const schema = v !== null && typeof v === 'object' && 'schema' in v && typeof v.schema === 'string' ? v.schema : null;
        if (schema === RESULT_SCHEMA)
            return 'a run result (the JSON of iommu-stress run --json)';
        if (schema)
            return `a JSON document of schema ${JSON.stringify(schema)}`;
        return Array.isArray(v) ? 'a JSON array' : 'a JSON document';
    }
    catch {
        // not one JSON document: say what its first bad line is
    }
    const c = firstBad.content;
    if (c.kind !== 'bad')
        return 'not a sweep file';
    return `line ${firstBad.line} is ${c.schema ? `a record of schema ${JSON.stringify(c.schema)}` : c.json ? 'JSON but not a sweep record' : 'not JSON'}`;
}
/**
 * Look at an output file before a sweep appends to it; change nothing.
 * Absent or empty: nothing in it. A last line that is not whole (no newline
 * at its end, or not JSON) but starts like a record is a write that was cut
 * off: returned as `torn`. Any other line that is not a whole sweep record
 * refuses the file (UsageError): either it is not a sweep file at all, or it
 * was damaged in a way an interrupted append cannot explain, and appending
 * to it would only bury that.
 */
export function inspectSweepOut(path, flag = '--out') {
    const none = { size: 0, records: [], torn: null };
    if (!existsSync(path))
        return none;
    const buf = readFileSync(path);
    if (buf.length === 0)
        return none;
    const lines = splitLines(buf);
    let body = lines;
    let torn = null;
    let lastIndex = lines.length - 1;
    while (lastIndex >= 0 && lines[lastIndex].content.kind === 'blank')
        lastIndex--;
    const last = lines[lastIndex];
    // Only the last line can be cut off by an append: every append writes a
    // whole line, so a cut-off line anywhere else is damage of another kind.
    if (last && ((!last.terminated && last.content.kind === 'record') || (last.content.kind === 'bad' && last.content.cutOff))) {
        torn = { line: last.line, bytes: buf.length - last.start, keptBytes: last.start };
        body = lines.slice(0, lastIndex);
    }
    const bad = body.find((l) => l.content.kind === 'bad');
    if (bad && bad.content.kind === 'bad') {
        const q = JSON.stringify(path);
        if (!body.some((l) => l.content.kind === 'record')) {
            throw new UsageError(`${flag} ${q}: not a sweep file of iommu-stress: ${whatItIs(buf, bad)}; sweep appends only to its own NDJSON files (allowed: a new or empty file, or one written by iommu-stress sweep --out)`);
        }
        throw new UsageError(`${flag} ${q}: line ${bad.line} is not a whole sweep record (${bad.content.reason}); an interrupted write can cut off only the last line, so the file was changed some other way and sweep will not append to it (allowed: remove line ${bad.line}, or name another file; report still reads the other lines)`);
    }
    const records = body.flatMap((l) => (l.content.kind === 'record' ? [l.content.record] : []));
    return { size: buf.length, records, torn };
}
/**
 * Cut a torn last line off the file (ftruncate to the end of the last whole
 * line): the whole lines before it are not rewritten. Refuses if the file
 * changed length since it was inspected (another writer).
 */
export function removeTornLine(path, state, flag = '--out') {
    const torn = state.torn;
    if (!torn)
        return;
    const q = JSON.stringify(path);
    let fd;
    try {
        fd = openSync(path, 'r+');
    }
    catch (e) {
        throw new UsageError(`${flag} ${q}: cannot remove its cut-off last line (line ${torn.line}): ${e.code ?? String(e)} (allowed: a file sweep may write)`);
    }
    try {
        const size = fstatSync(fd).size;
        if (size !== state.size)
            throw new UsageError(`${flag} ${q}: changed while being checked (${state.size} bytes, now ${size}): is another sweep writing it? (allowed: one sweep a file)`);
        ftruncateSync(fd, torn.keptBytes);
    }
    finally {
        closeSync(fd);
    }
}
/** The message the CLI prints when a cut-off last line was removed. */
export function tornLineMessage(path, torn) {
    return `${path}: the last line (line ${torn.line}) was cut off mid-record (an interrupted write); removed, its run will be run again`;
}
export async function runSweep(plan, opts) {
    const [k, n] = opts.shard;
    const mine = plan.points.filter((p) => p.index % n === k - 1);
    const runOne = opts.runOne ?? ((c) => runConfig(c));
    // Check (and heal) the file before the first run: a refusal costs no run.
    const state = opts.out ? inspectSweepOut(opts.out) : null;
    if (opts.out && state)
        removeTornLine(opts.out, state);
    const done = new Map();
    for (const r of state?.records ?? []) {
        if (isOk(r) || !opts.retryFailed)
            done.set(recordIdentity(r), r);
    }
    const todo = [];
    let reused = 0;
    let reusedFailed = 0;
    for (let rep = 0; rep < opts.repeat; rep++) {
        for (const p of mine) {
            // The run's whole configuration: the point's with the seed of this repetition.
            const config = { ...p.config, seed: (p.config.seed + rep) >>> 0 };
            const have = done.get(runIdentity(config, rep));
            if (!have)
                todo.push([p, rep, config]);
            else {
                reused++;
                if (!isOk(have))
                    reusedFailed++;
            }
        }
    }
    const cores = availableParallelism();
    const ran = [];
    let failed = 0;
    for (const [p, rep, config] of todo) {
        opts.onStart?.(ran.length, todo.length, p, rep);
        const env = readEnv();
        const base = { schema: SWEEP_SCHEMA, key: p.key, point: p.index, rep, varied: p.varied, oversubscribed: workersOf(p.config) > cores };
        let record;
        try {
            record = { ...base, status: 'ok', result: await runOne(config) };
        }
        catch (e) {
            // The harness gave up on this run: record it and go on. Anything else
            // (bad input, a bug) is no finding about the run and stops the sweep.
            if (!(e instanceof HarnessError))
                throw e;
            record = { ...base, status: 'failed', result: null, config, env, error: { message: e.message, report: e.report } };
            failed++;
        }
        // One write of one whole line (`schema` first, see RECORD_PREFIX): an
        // interrupted sweep leaves whole records and at most a cut-off last line.
        if (opts.out)
            appendFileSync(opts.out, JSON.stringify(record) + '\n');
        ran.push(record);
        opts.onRun?.({ done: ran.length, total: todo.length, point: p, rep, record, result: isOk(record) ? record.result : null });
    }
    return { ran, reused, reusedFailed, failed, torn: state?.torn ?? null };
}
//# sourceMappingURL=sweep.js.map