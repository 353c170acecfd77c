/**
 * What every agent is doing, read from shared memory: for crash, hang and
 * starvation reports. Racy snapshots by design; the agents may still run.
 */
import { LOCK_WORDS, PHASES, R_LAST, W_DOMAIN, W_IOVA, W_PHASE, W_PROGRESS, W_STATUS, W_WAIT_LOCK, WORKER_STATUSES, lockOwnerOf, recordOf, workerAt, } from '../memory/layout.js';
import { formatIova } from '../checker/audit.js';
/** "pgtable lock of domain 0", from a lock's address. */
export function lockName(L, lock) {
    const o = lockOwnerOf(L, lock);
    if (!o)
        return `lock at word 0x${lock.toString(16)}`;
    return o.cls.per === 'global' ? `${o.cls.name} lock` : `${o.cls.name} lock of ${o.cls.per} ${o.index}`;
}
/** Agent names: device queues, then the agents of the design (`names`). */
export function agentName(L, a, names = []) {
    if (a >= L.workers)
        return `${names[a - L.workers] ?? 'agent'} (agent ${a})`;
    return L.queues > 1 ? `device ${Math.floor(a / L.queues)} queue ${a % L.queues} (worker ${a})` : `device ${a} (worker ${a})`;
}
/** The agent holding `lock` now (its last acquirer, when the lock is held), or -1. */
export function holderOf(m, L, lock, isLocked) {
    const rec = recordOf(L, lock);
    return rec < 0 || !isLocked(lock) ? -1 : m[rec + (1 /* R_LAST */)] - 1;
}
/** Every lock held now, with its holder. */
export function heldLocks(m, L, isLocked) {
    const out = [];
    for (const cls of L.lockClasses) {
        for (let i = 0; i < cls.instances; i++) {
            const lock = cls.base + i * (16 /* LOCK_WORDS */);
            if (isLocked(lock))
                out.push({ lock, agent: m[cls.records + i * (16 /* LOCK_WORDS */) + (1 /* R_LAST */)] - 1 });
        }
    }
    return out;
}
export function describeAgents(m, L, headline, names, idleMs, isLocked) {
    const lines = [`what each agent was doing (${headline}):`];
    const held = [];
    for (let a = 0; a < L.agents; a++) {
        const ws = workerAt(L, a);
        const status = WORKER_STATUSES[Atomics.load(m, ws + (5 /* W_STATUS */))] ?? '?';
        const phase = PHASES[m[ws + (1 /* W_PHASE */)]] ?? '?';
        const ops = Atomics.load(m, ws + (0 /* W_PROGRESS */));
        let s = `  ${agentName(L, a, names)}: ${status}, ${ops} ${a < L.workers ? 'ops' : 'events'}`;
        if (a < L.workers)
            s += `, phase ${phase}, domain ${m[ws + (2 /* W_DOMAIN */)]}, IOVA ${formatIova(L.iovaBasePfn + m[ws + (3 /* W_IOVA */)])}`;
        const wait = m[ws + (4 /* W_WAIT_LOCK */)];
        if (wait !== 0) {
            const h = holderOf(m, L, wait - 1, isLocked);
            s += `; waiting for ${lockName(L, wait - 1)}` + (h >= 0 ? `, held by ${agentName(L, h, names)}` : ', not held now');
        }
        if (idleMs)
            s += `; no progress for ${(idleMs(a) / 1000).toFixed(1)} s`;
        lines.push(s);
    }
    for (const h of heldLocks(m, L, isLocked))
        held.push(`  ${lockName(L, h.lock)}: held by ${agentName(L, h.agent, names)}`);
    lines.push(held.length ? 'locks held:' : 'locks held: none', ...held);
    return lines.join('\n');
}
//# sourceMappingURL=describe.js.map