/**
 * One controlled run as the searches see it: for every step, who went, the
 * access it made (sched/access.ts) and on which word, who else could have
 * gone, and who was asleep; and, at the end, what each unfinished agent
 * would have done next. Read from shared memory after the run, into typed
 * arrays (a search reads thousands of these).
 */
import {
  type Layout,
  SC_STEP,
  ST_ACCESS,
  ST_AGENT,
  ST_ARG,
  ST_LEN,
  ST_DECLARED,
  ST_ORDER,
  ST_RF,
  ST_RFN,
  SW_ORDER,
  MM_WEAK,
  ST_ENABLED,
  ST_SLEEP,
  ST_SPIN,
  SW_ACCESS,
  SW_ARG,
  SW_LEN,
  SW_SPIN_N,
  SW_SPIN_SET,
  SW_STATE,
  schedAgentAt,
  schedStepAt,
} from '../memory/layout.js';
import { A_CAS, A_NONE, A_READ, A_SPIN } from '../sched/access.js';
import { type AccessOf, isFullFence } from '../sched/dependence.js';
import { SS_DONE, SS_RUN } from '../sched/scheduler.js';

export interface Execution {
  /** Steps taken. */
  n: number;
  agents: number;
  agent: Int32Array;
  /** What each step did (a cas that did not swap: a read). */
  access: Int32Array;
  /** What each step's point announced (a cas: rmw): the step as seen from an earlier state, where it may swap. */
  declared: Int32Array;
  addr: Int32Array;
  /** Words each access covers from its address (1 but for mem.bulk). */
  len: Int32Array;
  /** Agents that could have gone at each step, a bit each. */
  enabled: Int32Array;
  /** dpor's sleep set at each step. */
  sleep: Int32Array;
  /** Under tso or weak: the stores each step's load could take (0, 1: no choice), and which it took (0: the newest). */
  rfn: Int32Array;
  rf: Int32Array;
  /** Each step's memory ordering (sched/access.ts). */
  order: Int32Array;
  /** Under weak, full fences are dependent with each other (sched/dependence.ts). */
  weak: boolean;
  /** The wait set of each spin step (null: it overflowed, it read everything); undefined for other steps. */
  spinSets: Map<number, Int32Array | null>;
  /** What each agent would have done next when the run ended (kind A_NONE for a finished agent, or one whose next access is unknown). */
  pending: AccessOf[];
  /** Finished when the run ended. */
  done: boolean[];
}

/** A spin step's words from the spin log (count, then addresses), or null where it overflowed. */
function spinSetAt(m: Int32Array, L: Layout, offset: number): Int32Array | null {
  if (offset < 0) return null;
  const at = L.spinLog + offset;
  return m.slice(at + 1, at + 1 + m[at]!);
}

const ARRAYS = 10;

/** Arrays an Execution is read into again and again (a batch of runs keys each): grown, never shrunk. */
export class ExecutionBuffers {
  private words = new Int32Array(0);
  private zeros = new Int32Array(0);
  /** `k` arrays of `n` words, views of one buffer (valid until the next call). */
  take(n: number, k = ARRAYS): Int32Array[] {
    if (this.words.length < k * n) this.words = new Int32Array(Math.max(k * n, 2 * this.words.length, k * 1024));
    return Array.from({ length: k }, (_, i) => this.words.subarray(i * n, (i + 1) * n));
  }
  /** `n` zeros, never written (what a run under sc has for its read choices). */
  zero(n: number): Int32Array {
    if (this.zeros.length < n) this.zeros = new Int32Array(Math.max(n, 2 * this.zeros.length, 1024));
    return this.zeros.subarray(0, n);
  }
}

/** The run in shared memory as an Execution; into `buffers` (overwritten by the next read) where given, else fresh arrays. */
export function readExecution(m: Int32Array, L: Layout, buffers?: ExecutionBuffers): Execution {
  const n = m[L.sched + SC_STEP]!;
  // Under sc no load chooses and no ordering is looked at: those arrays are zeros, not read.
  const modelled = L.mm !== 0;
  const k = modelled ? ARRAYS : ARRAYS - 3;
  const a = buffers ? buffers.take(n, k) : Array.from({ length: k }, () => new Int32Array(n));
  const [agent, access, declared, addr, len, enabled, sleep] = [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!];
  const none = modelled ? null : buffers ? buffers.zero(n) : new Int32Array(n);
  const [rfn, rf, order] = none ? [none, none, none] : [a[7]!, a[8]!, a[9]!];
  const weak = L.model === MM_WEAK;
  const spinSets = new Map<number, Int32Array | null>();
  for (let s = 0; s < n; s++) {
    const at = schedStepAt(L, s);
    agent[s] = m[at + ST_AGENT]!;
    access[s] = m[at + ST_ACCESS]!;
    declared[s] = m[at + ST_DECLARED]!;
    addr[s] = m[at + ST_ARG]!;
    len[s] = m[at + ST_LEN]!;
    enabled[s] = m[at + ST_ENABLED]!;
    sleep[s] = m[at + ST_SLEEP]!;
    if (modelled) {
      rfn[s] = m[at + ST_RFN]!;
      rf[s] = m[at + ST_RF]!;
      order[s] = m[at + ST_ORDER]!;
    }
    if (access[s] === A_SPIN) spinSets.set(s, spinSetAt(m, L, m[at + ST_SPIN]!));
  }
  const pending: AccessOf[] = [];
  const done: boolean[] = [];
  for (let a = 0; a < L.agents; a++) {
    const w = schedAgentAt(L, a);
    const st = m[w + SW_STATE]!;
    done.push(st === SS_DONE);
    // An agent that was running when the run ended (it crashed or violated) has no announced access.
    if (st === SS_DONE || st === SS_RUN) {
      pending.push({ kind: A_NONE, addr: 0, len: 0, set: null });
      continue;
    }
    const kind = m[w + SW_ACCESS]!;
    const k = m[w + SW_SPIN_N]!;
    let set: Int32Array | null = null;
    if (kind === A_SPIN && k >= 0) {
      set = new Int32Array(k);
      for (let i = 0; i < k; i++) set[i] = m[w + SW_SPIN_SET + 2 * i]!;
    }
    pending.push({ kind, addr: m[w + SW_ARG]!, len: m[w + SW_LEN]!, set, ...(weak && isFullFence(m[w + SW_ORDER]!) ? { full: true } : {}) });
  }
  return { n, agents: L.agents, agent, access, declared, addr, len, enabled, sleep, rfn, rf, order, weak, spinSets, pending, done };
}

/** Step `s` as an access: what it did, or (`declared`) what its point announced. */
export function accessAt(x: Execution, s: number, declared = false): AccessOf {
  const kind = declared ? x.declared[s]! : x.access[s]!;
  const a: AccessOf = { kind, addr: x.addr[s]!, len: x.len[s]!, set: kind === A_SPIN ? (x.spinSets.get(s) ?? null) : null };
  // A cas that failed was unordered; from an earlier state (declared) it may swap, and may be a fully ordered one.
  if (x.weak && (isFullFence(x.order[s]!) || (declared && x.declared[s] === A_CAS && x.access[s] === A_READ))) a.full = true;
  return a;
}

/**
 * What each agent does next at each state: `next[s * agents + a]` is the
 * first step at or after `s` taken by agent `a`, or -1 when it takes none
 * (then its access is `pending[a]`, if it is not done).
 */
export function nextSteps(x: Execution): Int32Array {
  const A = x.agents;
  const next = new Int32Array((x.n + 1) * A).fill(-1);
  for (let s = x.n - 1; s >= 0; s--) {
    next.copyWithin(s * A, (s + 1) * A, (s + 2) * A);
    next[s * A + x.agent[s]!] = s;
  }
  return next;
}
