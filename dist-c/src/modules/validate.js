const SCOPES = ['domain', 'device', 'table', 'global'];
const OUTCOMES = ['misdirected-dma', 'lost-mapping', 'corrupt-bookkeeping'];
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
class Problems {
    list = [];
    need(o, key, type, what = '') {
        const v = o[key];
        const ok = type === 'object' ? isObj(v) : typeof v === type;
        if (!ok)
            this.list.push(v === undefined ? `missing ${key}${what ? ` (${what})` : ''}` : `${key} is ${describe(v)}, not ${type === 'object' ? 'an object' : `a ${type}`}`);
    }
    maybe(o, key, type) {
        if (o[key] !== undefined)
            this.need(o, key, type);
    }
    int(o, key, min, max, required) {
        const v = o[key];
        if (v === undefined && !required)
            return;
        if (typeof v === 'function')
            return; // sized from the run's shape
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
            this.list.push(`${key} is ${describe(v)}, not an integer from ${min} to ${max}`);
    }
    add(s) {
        this.list.push(s);
    }
}
function describe(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'an array';
    if (typeof v === 'string')
        return JSON.stringify(v.length > 30 ? v.slice(0, 30) + '...' : v);
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    return `a ${typeof v}`;
}
function checkLockClasses(p, o) {
    const locks = o.locks;
    if (locks === undefined)
        return;
    if (!isObj(locks))
        return p.add(`locks is ${describe(locks)}, not an object of lock classes`);
    let guards = 0;
    for (const [name, d] of Object.entries(locks)) {
        if (!isObj(d)) {
            p.add(`locks.${name} is ${describe(d)}, not { per, kernelName? }`);
            continue;
        }
        if (!SCOPES.includes(d.per))
            p.add(`locks.${name}.per is ${describe(d.per)} (allowed: ${SCOPES.join(', ')})`);
        if (d.kernelName !== undefined && typeof d.kernelName !== 'string')
            p.add(`locks.${name}.kernelName is ${describe(d.kernelName)}, not a string`);
        if (d.guardsTables)
            guards++;
    }
    if (guards > 1)
        p.add('more than one lock class says guardsTables');
}
function checkInvariants(p, o) {
    const inv = o.invariants;
    if (inv === undefined)
        return;
    if (!isObj(inv))
        return p.add(`invariants is ${describe(inv)}, not an object of { meaning, outcome? }`);
    for (const [name, d] of Object.entries(inv)) {
        if (!isObj(d) || typeof d.meaning !== 'string')
            p.add(`invariants.${name} needs a meaning (a string)`);
        else if (d.outcome !== undefined && !OUTCOMES.includes(d.outcome))
            p.add(`invariants.${name}.outcome is ${describe(d.outcome)} (allowed: ${OUTCOMES.join(', ')})`);
    }
}
/** `a lock`, `an allocator`. */
export const article = (noun) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
/** Every problem with `v` as a `kind`; empty when it fits. */
export function problemsOf(kind, v) {
    const p = new Problems();
    if (v === undefined)
        return [`there is none (allowed: export default define${kind[0].toUpperCase()}${kind.slice(1)}({ ... }))`];
    if (!isObj(v))
        return [`it is ${describe(v)}, not an object`];
    if (v.kind !== undefined && v.kind !== kind)
        return [`it is ${article(String(v.kind))}, not ${article(kind)}`];
    p.need(v, 'name', 'string');
    switch (kind) {
        case 'driver': {
            p.need(v, 'summary', 'string');
            p.need(v, 'table', 'object', '{ entries, entryWords?, metaWords? }');
            if (isObj(v.table)) {
                p.int(v.table, 'entries', 2, 1 << 16, true);
                p.int(v.table, 'entryWords', 1, 16, false);
                p.int(v.table, 'metaWords', 0, 1024, false);
            }
            p.int(v, 'domainWords', 0, 1 << 16, false);
            p.int(v, 'deviceWords', 0, 1 << 16, false);
            checkLockClasses(p, v);
            checkInvariants(p, v);
            p.maybe(v, 'initDomain', 'function');
            p.need(v, 'create', 'function', 'create(ctx) returning { map, unmap, walk }');
            p.need(v, 'audit', 'function', 'audit(ctx, domain)');
            break;
        }
        case 'lock':
            p.need(v, 'summary', 'string');
            p.int(v, 'nodeWords', 0, 16, false);
            for (const f of ['init', 'lock', 'trylock', 'unlock', 'locked'])
                p.need(v, f, 'function');
            break;
        case 'allocator':
            p.need(v, 'summary', 'string');
            p.int(v, 'domainWords', 0, 1 << 26, false);
            p.int(v, 'workerWords', 0, 1 << 20, false);
            checkLockClasses(p, v);
            p.maybe(v, 'round', 'function');
            p.maybe(v, 'cachedPages', 'function');
            p.need(v, 'initDomain', 'function');
            p.need(v, 'create', 'function', 'create(ctx) returning { alloc, free }');
            p.need(v, 'audit', 'function', 'audit(ctx, domain)');
            break;
        case 'flush':
            p.need(v, 'summary', 'string');
            p.int(v, 'workerWords', 0, 1 << 20, false);
            p.maybe(v, 'pendingPages', 'function');
            p.need(v, 'create', 'function', 'create(ctx) returning { invalidate, unmapped, tick }');
            p.maybe(v, 'audit', 'function');
            break;
        case 'agent':
            p.need(v, 'run', 'function', 'run(ctx)');
            p.int(v, 'device', 0, 255, false);
            break;
        case 'race': {
            p.need(v, 'design', 'string', 'the wrong design, in a sentence');
            p.need(v, 'counterpart', 'string', 'the correct counterpart, in a sentence');
            p.need(v, 'workload', 'object', 'run options both variants share');
            p.need(v, 'broken', 'object', 'the wrong variant: { driver?, lock?, allocator?, flush?, ...options }');
            p.need(v, 'correct', 'object', 'the correct variant');
            for (const key of ['agents']) {
                const a = v[key];
                if (a !== undefined && (!Array.isArray(a) || a.some((x) => problemsOf('agent', x).length > 0))) {
                    p.add(`${key} must be a list of agents ({ name, run(ctx), device? })${Array.isArray(a) ? `: ${a.map((x, i) => problemsOf('agent', x).map((s) => `agent ${i}: ${s}`)).flat().join('; ')}` : ''}`);
                }
            }
            checkInvariants(p, v);
            p.maybe(v, 'setup', 'function');
            p.maybe(v, 'check', 'function');
            p.maybe(v, 'deviceLoop', 'boolean');
            p.int(v, 'timerEverySteps', 0, 1 << 20, false);
            p.int(v, 'sharedWords', 0, 1 << 16, false);
            break;
        }
    }
    return p.list;
}
//# sourceMappingURL=validate.js.map