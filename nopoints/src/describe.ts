/**
 * What every worker is doing, read from shared memory: for crash and hang
 * reports. Racy snapshots by design; the workers may still be running.
 */
import type { Config } from './config.js';
import {
  type Layout,
  LOCK_CLASSES,
  PHASES,
  W_DOMAIN,
  W_IOVA,
  W_PHASE,
  W_PROGRESS,
  W_STATUS,
  W_WAIT_LOCK,
  WORKER_STATUSES,
  lockLine,
  workerAt,
} from './layout.js';
import { LK_CLASS, LK_HOLDER, LOCK_LINE_WORDS } from './locks/lock.js';
import { formatIova } from './pte.js';
import type { Shared } from './memory.js';

/** "pgtable lock of domain 0", from a lock line's word index. */
export function lockName(L: Layout, m: Int32Array, line: number): string {
  const id = (line - L.locks) / LOCK_LINE_WORDS;
  const cls = LOCK_CLASSES[m[line + LK_CLASS]!] ?? '?';
  if (id < L.domains) return `${cls} lock of domain ${id}`;
  if (id < L.domains + L.devices) return `${cls} lock of device ${id - L.domains}`;
  if (id < 3 * L.domains + L.devices) return `${cls} lock of domain ${(id - L.domains - L.devices) % L.domains}`;
  return `${cls} lock`;
}

export const workerName = (L: Layout, w: number): string =>
  w >= L.workers
    ? `live-switch thread (worker ${w})`
    : L.queues > 1
      ? `device ${Math.floor(w / L.queues)} queue ${w % L.queues} (worker ${w})`
      : `device ${w} (worker ${w})`;

export function describeWorkers(sh: Shared, cfg: Config, idleMs: ((w: number) => number) | null): string {
  const { m, L } = sh;
  const lines: string[] = [`what each worker was doing (lock ${cfg.lock}, scope ${cfg.lockScope}, group size ${cfg.groupSize}):`];
  for (let w = 0; w < L.agents; w++) {
    const ws = workerAt(L, w);
    const status = WORKER_STATUSES[Atomics.load(m, ws + W_STATUS)] ?? '?';
    const phase = PHASES[m[ws + W_PHASE]!] ?? '?';
    const ops = Atomics.load(m, ws + W_PROGRESS);
    const iova = formatIova(L.iovaBasePfn + m[ws + W_IOVA]!);
    let s = `  ${workerName(L, w)}: ${status}, ${ops} ops, phase ${phase}, domain ${m[ws + W_DOMAIN]}, IOVA ${iova}`;
    const wait = m[ws + W_WAIT_LOCK]!;
    if (wait !== 0) {
      const holder = m[wait - 1 + LK_HOLDER]!;
      s += `; waiting for ${lockName(L, m, wait - 1)}` + (holder ? `, held by ${workerName(L, holder - 1)}` : ', not held now');
    }
    if (idleMs) s += `; no progress for ${(idleMs(w) / 1000).toFixed(1)} s`;
    lines.push(s);
  }
  const held: string[] = [];
  for (let id = 0; id < L.nLocks; id++) {
    const l = lockLine(L, id);
    const holder = m[l + LK_HOLDER]!;
    if (holder !== 0) held.push(`  ${lockName(L, m, l)}: held by ${workerName(L, holder - 1)}`);
  }
  lines.push(held.length ? 'locks held:' : 'locks held: none', ...held);
  return lines.join('\n');
}
