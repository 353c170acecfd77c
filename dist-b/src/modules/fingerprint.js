/**
 * What a schedule was recorded against, so that a replay against changed
 * code says so instead of replaying something else: four short hashes, of
 * the harness's own code, of the race, of the modules the design loaded
 * (their contents), and of the configuration (the work a schedule names
 * itself, devices, operations, buffers and seed, left out: shrink changes
 * those).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
export const FINGERPRINT_PARTS = ['harness', 'race', 'modules', 'configuration'];
function fnv(h, s) {
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}
const short = (s) => fnv(0x811c9dc5, s).toString(16).padStart(8, '0').slice(0, 6);
let harnessHash = null;
/**
 * The parts of the harness that decide what a controlled run does (the
 * engine and its scheduler, the memory layout, the built-in pieces, the
 * checker, the defaults, the seeded generator), as compiled: a change to how
 * results are printed or saved leaves every schedule valid.
 */
const RUN_DIRS = ['engine', 'sched', 'memory', 'drivers', 'locks', 'allocators', 'flush', 'agents', 'races', 'checker', 'config', 'util'];
/** The compiled code that decides a controlled run (RUN_DIRS of dist/src), hashed once a process. */
function harness() {
    if (harnessHash !== null)
        return harnessHash;
    const here = import.meta.url;
    const root = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/src/' : '../', here));
    const files = [];
    const walk = (dir) => {
        for (const n of readdirSync(dir).sort()) {
            const p = join(dir, n);
            if (statSync(p).isDirectory())
                walk(p);
            else if (n.endsWith('.js'))
                files.push(p);
        }
    };
    let h = 0x811c9dc5;
    try {
        for (const d of RUN_DIRS)
            walk(join(root, d));
        for (const f of files)
            h = fnv(fnv(h, f.slice(root.length)), readFileSync(f, 'utf8'));
    }
    catch {
        h = fnv(h, 'unreadable');
    }
    harnessHash = h.toString(16).padStart(8, '0').slice(0, 6);
    return harnessHash;
}
function piece(p) {
    if ('builtin' in p)
        return `builtin:${p.builtin}`;
    let text;
    try {
        text = readFileSync(fileURLToPath(p.url), 'utf8');
    }
    catch {
        text = 'missing';
    }
    return `${p.exportName ?? 'default'}:${text}`;
}
/** The configuration's part: every key but the work a schedule carries and what a controlled run ignores. */
function configPart(c) {
    const skip = new Set(['devices', 'groupSize', 'ops', 'inflight', 'seed', 'durationSec', 'watchdogSec', 'stats', 'latencySample', 'holdSample', 'driver', 'lock', 'allocator', 'flush']);
    return JSON.stringify(Object.entries(c).filter(([k]) => !skip.has(k)).sort(([a], [b]) => (a < b ? -1 : 1)));
}
export function fingerprint(spec) {
    const race = spec.race ? piece(spec.race.spec) : 'none';
    const modules = [spec.driver, spec.lock, spec.allocator, spec.flush].map(piece).join('\n');
    return [harness(), short(race), short(modules), short(configPart(spec.config))].join('-');
}
/** Which parts of two fingerprints differ, by name. */
export function fingerprintDiff(a, b) {
    const x = a.split('-');
    const y = b.split('-');
    return FINGERPRINT_PARTS.filter((_, i) => x[i] !== y[i]);
}
//# sourceMappingURL=fingerprint.js.map