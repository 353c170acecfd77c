/**
 * Names of schedule points and events. Code names a step with a string
 * (`mem.cas(at, 0, pte, 'pte-install')`); the scheduler records a 31-bit
 * hash of it, the same in every worker and every build that keeps the name,
 * so that trace hashes and schedules stay stable. Each worker writes a name
 * it uses for the first time into a small table in shared memory, from which
 * the main thread prints steps by name.
 */
import { CTL_LABELS, LABEL_CHARS, LABEL_SLOTS, LABEL_WORDS } from '../memory/layout.js';
/** FNV-1a over the UTF-16 units of `s`, 31 bits, never 0. */
export function labelHash(s) {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h &= 0x7fffffff;
    return h === 0 ? 1 : h;
}
/** Write `text` under `hash` into the table unless it is there (any thread). */
export function registerLabel(m, L, hash, text) {
    const used = Math.min(Atomics.load(m, (9 /* CTL_LABELS */)), (512 /* LABEL_SLOTS */));
    for (let i = 0; i < used; i++)
        if (Atomics.load(m, L.labels + i * (32 /* LABEL_WORDS */)) === hash)
            return;
    const slot = Atomics.add(m, (9 /* CTL_LABELS */), 1);
    if (slot >= (512 /* LABEL_SLOTS */))
        return; // full: steps print by hash
    const at = L.labels + slot * (32 /* LABEL_WORDS */);
    const n = Math.min(text.length, (31 /* LABEL_CHARS */) - 1);
    for (let i = 0; i < n; i++)
        m[at + 1 + i] = text.charCodeAt(i);
    m[at + 1 + n] = 0;
    Atomics.store(m, at, hash);
}
/** Every name in the table (main thread, after a run). */
export function readLabels(m, L, into = new Map()) {
    const used = Math.min(Atomics.load(m, (9 /* CTL_LABELS */)), (512 /* LABEL_SLOTS */));
    for (let i = 0; i < used; i++) {
        const at = L.labels + i * (32 /* LABEL_WORDS */);
        const hash = Atomics.load(m, at);
        if (hash === 0 || into.has(hash))
            continue;
        let s = '';
        for (let k = 1; k < (32 /* LABEL_WORDS */) && m[at + k] !== 0; k++)
            s += String.fromCharCode(m[at + k]);
        into.set(hash, s);
    }
    return into;
}
/** A per-worker cache of label hashes, registering each name once. */
export class Labels {
    m;
    L;
    ids = new Map();
    constructor(m, L) {
        this.m = m;
        this.L = L;
    }
    id(label) {
        let h = this.ids.get(label);
        if (h === undefined) {
            h = labelHash(label);
            this.ids.set(label, h);
            registerLabel(this.m, this.L, h, label);
        }
        return h;
    }
}
//# sourceMappingURL=labels.js.map