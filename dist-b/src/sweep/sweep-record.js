/**
 * The NDJSON format of sweeps: one line a finished run, appended as soon as
 * the run ends, so that an interrupted sweep keeps what it measured and a
 * rerun on the same file skips it. `report` reads the same lines.
 *
 * A run either finished (`status: 'ok'`, its result) or the harness gave up
 * on it (`status: 'failed'`, `result: null`, the error and the configuration
 * it ran). Records written before failures were recorded have no `status`:
 * they are all finished runs.
 */
import { readInputFile } from '../util/files.js';
import { z } from 'zod';
import { FIELDS } from '../config/config.js';
import { spread } from '../util/stats.js';
export const SWEEP_SCHEMA = 'iommu-stress/sweep-run@1';
/**
 * How every record line starts: records are written with `schema` as their
 * first key, so a line cut off by an interrupted write still starts with this
 * (or is a prefix of it). That is how a torn line of ours is told from a line
 * of someone else's file.
 */
export const RECORD_PREFIX = `{"schema":${JSON.stringify(SWEEP_SCHEMA)}`;
export function isOk(r) {
    return r.status !== 'failed';
}
/** The configuration a record's run was started with, seed included. */
export function recordConfig(r) {
    return isOk(r) ? r.result.config : r.config;
}
/** A point's key: every config field but the seed, in a fixed order. */
export function pointKey(c) {
    const { seed: _seed, ...rest } = c;
    return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))));
}
/** JSON with the keys of every object sorted, at every depth: equal values give equal text. */
export function canonicalJson(value) {
    return JSON.stringify(value, (_k, v) => v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
}
/**
 * The identity of one run: its whole effective configuration (every key,
 * the seed = base seed + rep included) and its repetition. Two runs with
 * the same identity are the same run; a different seed, duration, op count
 * or any other option is another run. Generic over Config's keys, so a key
 * added to Config takes part without a change here.
 */
export function runIdentity(config, rep) {
    return `${rep}#${canonicalJson(config)}`;
}
export function recordIdentity(r) {
    return runIdentity(recordConfig(r), r.rep);
}
/** What a run produced, for telling an exact copy of a record from a second measurement of its run. */
function payloadOf(r) {
    return isOk(r) ? canonicalJson(r.result) : canonicalJson({ error: r.error, env: r.env });
}
// Validation: just the fields that the summaries, the report data and the
// HTML page read, so that a record that passes never makes them throw. Extra
// fields are allowed (a newer result may carry more).
const finite = z.number().refine(Number.isFinite, 'not a finite number');
const count = z.number().int().nonnegative();
/**
 * A run's configuration: the keys that the report reads by name must be
 * there; any other key of FIELDS, if there, must have its kind's type. Keys
 * are not required generically: files from before a key was added stay readable.
 */
const configSchema = z
    .looseObject({ devices: count, groupSize: count, lock: z.string(), seed: finite })
    .superRefine((c, ctx) => {
    for (const f of FIELDS) {
        const v = c[f.key];
        if (v === undefined)
            continue;
        const text = f.kind === 'enum' || f.kind === 'piece';
        const ok = text ? typeof v === 'string' : typeof v === 'number' && Number.isFinite(v);
        if (!ok)
            ctx.addIssue({ code: 'custom', path: [f.key], message: `expected ${text ? 'a string' : 'a number'}` });
    }
});
const envSchema = z.looseObject({
    node: z.string(),
    v8: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpuModel: z.string(),
    cores: finite,
    memoryGiB: finite,
    date: z.string(),
});
const lockSchema = z.looseObject({
    class: z.string(),
    instances: finite,
    contentionPct: finite,
    waittimeP50Ns: finite,
    waittimeP99Ns: finite,
    waittimeP999Ns: finite,
});
const latencySchema = z.looseObject({ p50Ns: finite });
const resultSchema = z.looseObject({
    config: configSchema,
    env: envSchema,
    totals: z.looseObject({ opsPerSec: finite }),
    fairness: z.looseObject({ jain: finite }),
    latency: z.looseObject({ map: latencySchema, unmap: latencySchema }),
    locks: z.array(lockSchema),
    violations: z.looseObject({ count: finite }),
});
const baseShape = {
    schema: z.literal(SWEEP_SCHEMA),
    key: z.string(),
    point: count,
    rep: count,
    varied: z.record(z.string(), z.union([z.string(), z.number()])),
    oversubscribed: z.boolean(),
};
const recordSchema = z.discriminatedUnion('status', [
    z.looseObject({ ...baseShape, status: z.literal('ok').optional(), result: resultSchema }),
    z.looseObject({
        ...baseShape,
        status: z.literal('failed'),
        result: z.null(),
        config: configSchema,
        env: envSchema,
        error: z.looseObject({ message: z.string(), report: z.string() }),
    }),
]);
/** A torn write of ours: the line is a prefix of a record, or starts like one. */
export function startsLikeRecord(text) {
    const t = text.trimStart();
    return t.length > 0 && (t.startsWith(RECORD_PREFIX) || RECORD_PREFIX.startsWith(t));
}
export function parseLine(text) {
    if (text.trim() === '')
        return { kind: 'blank' };
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        const cutOff = startsLikeRecord(text);
        return { kind: 'bad', reason: cutOff ? 'cut off mid-record' : 'not JSON', json: false, cutOff };
    }
    const schema = value !== null && typeof value === 'object' && 'schema' in value && typeof value.schema === 'string' ? value.schema : undefined;
    if (schema !== SWEEP_SCHEMA) {
        return { kind: 'bad', reason: schema ? `not a sweep record (schema ${JSON.stringify(schema)})` : 'not a sweep record (no schema)', json: true, cutOff: false, ...(schema ? { schema } : {}) };
    }
    const r = recordSchema.safeParse(value);
    if (!r.success) {
        const issue = r.error.issues[0];
        const where = issue?.path.length ? issue.path.map(String).join('.') : 'the record';
        return { kind: 'bad', reason: `a sweep record with a malformed field: ${where} (${issue?.message ?? 'invalid'})`, json: true, cutOff: false, schema };
    }
    // The raw value, not zod's copy: every field the file had is kept.
    return { kind: 'record', record: value };
}
/** Take a sweep file's bytes apart into lines, keeping byte offsets (for truncating to a line's start). */
export function splitLines(buf) {
    const out = [];
    let start = 0;
    while (start < buf.length) {
        const nl = buf.indexOf(0x0a, start);
        const terminated = nl >= 0;
        const stop = terminated ? nl : buf.length;
        out.push({ line: out.length + 1, start, end: terminated ? nl + 1 : stop, terminated, content: parseLine(buf.toString('utf8', start, stop)) });
        start = terminated ? nl + 1 : buf.length;
    }
    return out;
}
/**
 * Collect the records of some lines: bad lines skipped with their reason,
 * exact copies of a record dropped (the same run, the same result: a shard
 * concatenated twice), and runs measured twice with different results kept
 * but named. A failed run and a finished one of the same run (a retry) are
 * no conflict: both are kept, and the point counts the failure.
 */
export function collectRecords(lines) {
    const out = { records: [], skipped: [], problems: [], duplicates: [], conflicts: [] };
    /** By run identity: each result (or failure) seen, with its first line and whether the run finished. */
    const seen = new Map();
    const conflicts = new Map();
    for (const l of lines) {
        const c = l.content;
        if (c.kind === 'blank')
            continue;
        if (c.kind === 'bad') {
            out.skipped.push(l.line);
            out.problems.push({ line: l.line, reason: c.reason });
            continue;
        }
        const r = c.record;
        const id = recordIdentity(r);
        const payload = payloadOf(r);
        const payloads = seen.get(id) ?? new Map();
        seen.set(id, payloads);
        if (payloads.has(payload)) {
            out.duplicates.push(l.line);
            continue;
        }
        const earlierOk = [...payloads.values()].find((p) => p.ok);
        if (isOk(r) && earlierOk) {
            const conflict = conflicts.get(id) ?? { point: r.point, rep: r.rep, seed: recordConfig(r).seed, lines: [earlierOk.line] };
            conflict.lines.push(l.line);
            conflicts.set(id, conflict);
        }
        payloads.set(payload, { line: l.line, ok: isOk(r) });
        out.records.push(r);
    }
    out.conflicts = [...conflicts.values()];
    return out;
}
export function readRecords(path, flag) {
    return collectRecords(splitLines(readInputFile(path, { what: flag, allowed: 'an NDJSON file written by iommu-stress sweep', maxBytes: 1 << 30 })));
}
// The messages the CLI prints about a sweep file, worded once here.
export function duplicatesMessage(duplicates) {
    return `report: ${duplicates} duplicate record${duplicates === 1 ? '' : 's'} dropped (the same run twice, e.g. a shard concatenated twice)`;
}
export function conflictsMessage(conflicts) {
    const first = conflicts[0];
    const example = first ? `, e.g. point #${first.point} rep ${first.rep} seed ${first.seed} on lines ${first.lines.join(', ')}` : '';
    return `report: ${conflicts.length} run${conflicts.length === 1 ? '' : 's'} recorded more than once with different results (kept, all counted${example})`;
}
export function problemsMessage(file, problems) {
    const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.reason}`);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    const n = problems.length;
    return `${file}: ${n} line${n === 1 ? '' : 's'} ignored, not ${n === 1 ? 'a complete sweep record' : 'complete sweep records'} (${shown.join('; ')}${more})`;
}
/** The lock class that guarded the page tables in a run, if any (results before version 2 name it pgtable or device). */
export function tableLock(r) {
    return r.locks.find((l) => l.instances > 0 && (l.guardsTables ?? (l.class === 'pgtable' || l.class === 'device')));
}
export function summarizePoints(records) {
    const byKey = new Map();
    for (const r of records) {
        const list = byKey.get(r.key);
        if (list)
            list.push(r);
        else
            byKey.set(r.key, [r]);
    }
    const med = (xs) => spread(xs).median;
    return [...byKey.values()]
        .map((runs) => {
        const first = runs[0];
        const results = runs.filter(isOk).map((r) => r.result);
        const failed = runs.filter((r) => !isOk(r));
        return {
            key: first.key,
            point: first.point,
            varied: first.varied,
            config: recordConfig(first),
            oversubscribed: first.oversubscribed,
            runs: results.length,
            failed: failed.length,
            errors: [...new Set(failed.map((r) => r.error.message))],
            figures: results.length === 0
                ? null
                : {
                    opsPerSec: spread(results.map((r) => r.totals.opsPerSec)),
                    tableContentionPct: med(results.map((r) => tableLock(r)?.contentionPct ?? 0)),
                    iovaContentionPct: med(results.map((r) => r.locks.find((l) => l.class === 'iova')?.contentionPct ?? 0)),
                    tableWaitP99Ns: med(results.map((r) => tableLock(r)?.waittimeP99Ns ?? 0)),
                    jain: med(results.map((r) => r.fairness.jain)),
                    mapP50Ns: med(results.map((r) => r.latency.map.p50Ns)),
                    unmapP50Ns: med(results.map((r) => r.latency.unmap.p50Ns)),
                },
            violations: results.reduce((n, r) => n + r.violations.count, 0),
        };
    })
        .sort((a, b) => a.point - b.point);
}
//# sourceMappingURL=sweep-record.js.map