/**
 * The lock-order detector (lockdep's "possible circular locking
 * dependency"): every blocking acquisition of a lock class made while
 * holding another adds the dependency "this class after that one" (agents
 * record them as they take locks: engine/agent-core.ts `depends`, into the
 * layout's LOCK ORDER matrices, the first time each is seen). A cycle among
 * the classes is a deadlock waiting for the right timing, found whether or
 * not any run deadlocked, as lockdep finds it: classes, not instances, so
 * two paths that take two locks in opposite orders a minute apart are
 * enough.
 */
import { type Layout, LO_FROM, LO_TO, LO_WHEN, lockOrderAt } from '../memory/layout.js';
import { describeAddress } from '../memory/regions.js';
import { agentName } from '../engine/describe.js';

/** "Class `to` was taken while holding class `from`", where it was first seen. */
export interface LockDependency {
  from: string;
  to: string;
  /** The agent that first took them so, and when: a controlled run's step, or free running its operation number. */
  agent: number;
  when: number;
  /** The lock instances (their words) it held and took then. */
  fromLock: number;
  toLock: number;
}

/** Every dependency the run's agents recorded, the earliest sighting of each (by when, then agent). The main thread's setup and checks, alone when they run, are not counted. */
export function lockDependencies(m: Int32Array, L: Layout): LockDependency[] {
  const n = L.lockClasses.length;
  const out: LockDependency[] = [];
  if (n < 2) return out;
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      let best: LockDependency | null = null;
      for (let a = 0; a < L.agents; a++) {
        const at = lockOrderAt(L, a, from, to);
        const w = m[at + LO_WHEN]!;
        if (w === 0 || (best !== null && w - 1 >= best.when)) continue;
        best = { from: L.lockClasses[from]!.name, to: L.lockClasses[to]!.name, agent: a, when: w - 1, fromLock: m[at + LO_FROM]!, toLock: m[at + LO_TO]! };
      }
      if (best) out.push(best);
    }
  }
  return out;
}

/** A cycle of dependencies (each edge's `to` the next one's `from`, the last back to the first), or null. The shortest from the lowest class, so the same run reports the same cycle. */
export function lockCycle(deps: readonly LockDependency[]): LockDependency[] | null {
  const out = new Map<string, LockDependency[]>();
  for (const d of deps) {
    let l = out.get(d.from);
    if (!l) out.set(d.from, (l = []));
    l.push(d);
  }
  let best: LockDependency[] | null = null;
  for (const start of [...out.keys()].sort()) {
    // Breadth first from `start`: the first dependency back to it closes the shortest cycle through it.
    const via = new Map<string, LockDependency>();
    let frontier = [start];
    let found: LockDependency[] | null = null;
    while (frontier.length > 0 && found === null) {
      const next: string[] = [];
      for (const c of frontier) {
        for (const d of out.get(c) ?? []) {
          if (found === null && d.to === start) {
            found = [d];
            for (let k = d.from; k !== start; k = via.get(k)!.from) found.unshift(via.get(k)!);
          } else if (d.to !== start && !via.has(d.to)) {
            via.set(d.to, d);
            next.push(d.to);
          }
        }
      }
      frontier = next;
    }
    if (found && (!best || found.length < best.length)) best = found;
  }
  return best;
}

/** Where a dependency was first seen, in words. */
function seen(L: Layout, names: readonly string[], d: LockDependency, unit: 'step' | 'operation'): string {
  return `${agentName(L, d.agent, names)}, ${unit} ${d.when}`;
}

const lockText = (L: Layout, lock: number, cls: string): string => `${cls} (${describeAddress(L, lock) ?? `lock word 0x${lock.toString(16)}`})`;

/**
 * The cycle as lockdep prints it: who takes which lock while holding
 * which, the chain with where each dependency was first seen, and the
 * unsafe scenario on two (or more) CPUs.
 */
export function explainLockCycle(L: Layout, names: readonly string[], chain: readonly LockDependency[], unit: 'step' | 'operation'): string[] {
  const last = chain[chain.length - 1]!;
  const lines = [
    'lock-order: possible circular locking dependency detected (lockdep)',
    `  ${agentName(L, last.agent, names)} took lock ${lockText(L, last.toLock, last.to)}`,
    `  while holding lock ${lockText(L, last.fromLock, last.from)},`,
    chain.length === 2 ? `  and elsewhere ${last.from} was taken while holding ${last.to}. The dependency chain:` : `  and the chain below leads from ${last.to} back to ${last.from}. The dependency chain:`,
    ...chain.map((d, i) => `  -> #${chain.length - 1 - i} ${d.to} taken holding ${d.from}: first at ${seen(L, names, d, unit)}`),
    '  Possible unsafe locking scenario:',
  ];
  // One CPU per dependency: each holds its `from` and then wants its `to`, which the next CPU holds.
  const w = 30;
  lines.push('  ' + chain.map((_, i) => `CPU${i}`.padEnd(w)).join('').trimEnd());
  lines.push('  ' + chain.map(() => '----'.padEnd(w)).join('').trimEnd());
  const row = (i: number, text: string): string => '  ' + ' '.repeat(i * w) + text;
  chain.forEach((d, i) => lines.push(row(i, `lock(${d.from});`)));
  chain.forEach((d, i) => lines.push(row(i, `lock(${d.to});`)));
  lines.push('  *** DEADLOCK ***');
  return lines;
}
