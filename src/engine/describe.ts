/**
 * What every agent is doing, read from shared memory: for crash, hang and
 * starvation reports. Racy snapshots by design; the agents may still run.
 */
import {
  type Layout,
  MAX_HELD,
  PHASES,
  W_DOMAIN,
  W_HELD,
  W_HOLDS,
  W_IOVA,
  W_PHASE,
  W_PROGRESS,
  W_STATUS,
  W_WAIT_LOCK,
  WORKER_STATUSES,
  lockOwnerOf,
  workerAt,
} from '../memory/layout.js';
import { formatIova } from '../checker/audit.js';

/** "pgtable lock of domain 0", from a lock's address. */
export function lockName(L: Layout, lock: number): string {
  const o = lockOwnerOf(L, lock);
  if (!o) return `lock at word 0x${lock.toString(16)}`;
  return o.cls.per === 'global' ? `${o.cls.name} lock` : `${o.cls.name} lock of ${o.cls.per} ${o.index}`;
}

/** Agent names: device queues, then the agents of the design (`names`). */
export function agentName(L: Layout, a: number, names: readonly string[] = []): string {
  if (a >= L.workers) return `${names[a - L.workers] ?? 'agent'} (agent ${a})`;
  return L.queues > 1 ? `device ${Math.floor(a / L.queues)} queue ${a % L.queues} (worker ${a})` : `device ${a} (worker ${a})`;
}

/** The agent holding `lock` now, or -1. */
export function holderOf(m: Int32Array, L: Layout, lock: number): number {
  for (let a = 0; a <= L.agents; a++) {
    const ws = workerAt(L, a);
    const n = Math.min(m[ws + W_HELD]!, MAX_HELD);
    for (let i = 0; i < n; i++) if (m[ws + W_HOLDS + i] === lock + 1) return a;
  }
  return -1;
}

export function describeAgents(m: Int32Array, L: Layout, headline: string, names: readonly string[], idleMs: ((a: number) => number) | null): string {
  const lines: string[] = [`what each agent was doing (${headline}):`];
  const held: string[] = [];
  for (let a = 0; a < L.agents; a++) {
    const ws = workerAt(L, a);
    const status = WORKER_STATUSES[Atomics.load(m, ws + W_STATUS)] ?? '?';
    const phase = PHASES[m[ws + W_PHASE]!] ?? '?';
    const ops = Atomics.load(m, ws + W_PROGRESS);
    let s = `  ${agentName(L, a, names)}: ${status}, ${ops} ${a < L.workers ? 'ops' : 'events'}`;
    if (a < L.workers) s += `, phase ${phase}, domain ${m[ws + W_DOMAIN]}, IOVA ${formatIova(L.iovaBasePfn + m[ws + W_IOVA]!)}`;
    const wait = m[ws + W_WAIT_LOCK]!;
    if (wait !== 0) {
      const h = holderOf(m, L, wait - 1);
      s += `; waiting for ${lockName(L, wait - 1)}` + (h >= 0 ? `, held by ${agentName(L, h, names)}` : ', not held now');
    }
    if (idleMs) s += `; no progress for ${(idleMs(a) / 1000).toFixed(1)} s`;
    lines.push(s);
    const n = Math.min(m[ws + W_HELD]!, MAX_HELD);
    for (let i = 0; i < n; i++) held.push(`  ${lockName(L, m[ws + W_HOLDS + i]! - 1)}: held by ${agentName(L, a, names)}`);
  }
  lines.push(held.length ? 'locks held:' : 'locks held: none', ...held);
  return lines.join('\n');
}
