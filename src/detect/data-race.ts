/**
 * The data-race detector (KCSAN's question, asked as TSan and loom ask it):
 * over one controlled run's steps, two accesses of one word by two agents,
 * at least one of them plain (`read`, `write`, `bulk`), that no
 * happens-before orders. It needs no broken invariant: the race is the
 * finding, as KCSAN reports a racy access whatever the code made of it.
 *
 * Happens-before, as vector clocks (one an agent, FastTrack's epochs for
 * the accesses): program order; a read of a word (fully ordered, acquire or
 * marked) after the fully ordered or release writes of it; a marked
 * (`once`) write carries the clock of its agent's last release fence
 * (`wmb`, `mb`), so WRITE_ONCE after smp_wmb publishes the plain data
 * written before the fence, and WRITE_ONCE without it does not. A marked
 * read, and the read of a cmpxchg that failed, are taken to order what
 * follows them: in the kernel what follows is ordered by its address
 * dependency on the value read (the loser of a table install uses the
 * winner's table, a lockless walk dereferences the entry it read), which
 * the model does not follow value by value; a missing read barrier is the
 * weak memory model's to find, not this detector's. A futex wake orders
 * what came before it before the woken sleeper.
 * Locks need nothing of their own: their algorithms' atomics order their
 * critical sections. Agents start after the setup and end before the
 * checks (both on the main thread, outside the steps).
 *
 * A word's release clock joins every release to it (not only the last
 * store's): happens-before as computed may order more than the hardware
 * does, never less, so a reported race is a real one (no false report) at
 * the price of missing a race a later store would have hidden.
 *
 * The IOMMU's own reads (`hw`: the walk) are marked, and like a marked
 * read order the walk's next reads after them (the walker follows the
 * entry it read): a CPU's plain write of an entry the walker may read
 * while it is being written races with it (what the kernel's WRITE_ONCE of
 * a live entry is for); the entries of a table published after they were
 * written do not. The IOTLB's words are the harness's model of a hardware
 * cache, never a CPU's data: skipped.
 */
import { type Layout, ST_ACCESS, ST_AGENT, ST_ARG, ST_LEN, ST_ORDER, ST_POINT, ST_VALUE, TLB_WORDS, schedStepAt } from '../memory/layout.js';
import { describeAddress } from '../memory/regions.js';
import { agentName } from '../engine/describe.js';
import { A_NONE, A_READ, A_RMW, A_SPIN, A_WAIT, A_WAKE, A_WRITE, F_MB, F_MB_AFTER_ATOMIC, F_MB_BEFORE_ATOMIC, F_WMB, O_FULL, O_ONCE, O_PLAIN, O_RELEASE, ORDER_NAMES } from '../sched/access.js';

/** One of the two racing accesses, as the run's steps recorded it. */
export interface RaceAccess {
  step: number;
  agent: number;
  /** The label's hash (sched/labels.ts): its text is read where the run is reported. */
  point: number;
  kind: 'read' | 'write' | 'read-modify-write';
  /** plain, once, acquire, release, full, hw (sched/access.ts). */
  order: string;
  /** What it read, or wrote. */
  value: number;
}

export interface DataRace {
  addr: number;
  /** The earlier access, then the one that raced with it (the first such pair in the run). */
  first: RaceAccess;
  second: RaceAccess;
}

/** Shadow words per word touched: the last write (agent, clock, step, plain), then per agent its last read (clock, step, plain). */
const W_AGENT = 0;
const W_CLOCK = 1;
const W_STEP = 2;
const W_PLAIN = 3;
const R0 = 4;

/** The detector keeps its arrays between runs (a search makes thousands): nothing is allocated per run once they have grown. */
export class DataRaceDetector {
  private readonly A: number;
  /** Each agent's clock, and its clock at its last release fence. */
  private readonly C: Int32Array;
  private readonly F: Int32Array;
  /** Word -> its slot; slot -> its shadow, its release clock (-1: none yet). */
  private readonly slotOf = new Map<number, number>();
  private shadow: Int32Array;
  private sync: Int32Array;
  private hasSync: Uint8Array;
  private slots = 0;
  private readonly stride: number;
  private readonly tlbFrom: number;
  private readonly tlbTo: number;

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
  ) {
    const A = (this.A = L.agents);
    this.C = new Int32Array(A * A);
    this.F = new Int32Array(A * A);
    this.stride = R0 + 3 * A;
    this.shadow = new Int32Array(64 * this.stride);
    this.sync = new Int32Array(64 * A);
    this.hasSync = new Uint8Array(64);
    this.tlbFrom = L.iotlbEntries > 0 ? L.iotlbs : 0;
    this.tlbTo = L.iotlbEntries > 0 ? L.iotlbs + L.devices * L.iotlbEntries * TLB_WORDS : 0;
  }

  /** The first data race in the run's `steps` steps, or null. */
  check(steps: number): DataRace | null {
    const { A, C, F, m, L } = this;
    C.fill(0);
    F.fill(0);
    for (let t = 0; t < A; t++) C[t * A + t] = 1;
    this.slotOf.clear();
    this.slots = 0;
    for (let s = 0; s < steps; s++) {
      const at = schedStepAt(L, s);
      const t = m[at + ST_AGENT]!;
      const acc = m[at + ST_ACCESS]!;
      const ord = m[at + ST_ORDER]!;
      const ct = t * A;
      if (acc === A_NONE) {
        // A release fence: the agent's marked writes after it carry its clock now. (A read fence adds nothing: reads already order what follows them.)
        if (ord === F_WMB || ord === F_MB || ord === F_MB_BEFORE_ATOMIC || ord === F_MB_AFTER_ATOMIC) for (let k = 0; k < A; k++) F[ct + k] = C[ct + k]!;
        // A woken sleeper: after the wake that woke it (whose clock went to the word).
        if (ord === O_FULL) this.acquire(m[at + ST_ARG]!, ct);
        C[ct + t]!++;
        continue;
      }
      if (acc === A_SPIN) continue;
      const addr = m[at + ST_ARG]!;
      const len = m[at + ST_LEN]!;
      const reads = acc === A_READ || acc === A_RMW || acc === A_WAIT;
      const writes = acc === A_WRITE || acc === A_RMW;
      for (let w = addr; w < addr + len; w++) {
        if (w >= this.tlbFrom && w < this.tlbTo) continue;
        const found = this.access(w, s, t, ord, reads, writes);
        if (found >= 0) return this.report(w, found, s);
        if (acc === A_WAKE) this.release(w, ct);
      }
      C[ct + t]!++;
    }
    return null;
  }

  /** Agent t's access at step s of word w: the step it races with (-1: none), then the clocks and the shadow moved on. */
  private access(w: number, s: number, t: number, ord: number, reads: boolean, writes: boolean): number {
    const { A, C } = this;
    const ct = t * A;
    const plain = ord === O_PLAIN ? 1 : 0;
    let slot = this.slotOf.get(w);
    if (slot === undefined) slot = this.fresh(w);
    const sh = this.shadow;
    const b = slot * this.stride;
    // The last write: ordered before this access, or one of the two is marked.
    const wa = sh[b + W_AGENT]!;
    if ((reads || writes) && wa >= 0 && wa !== t && sh[b + W_CLOCK]! > C[ct + wa]! && (plain | sh[b + W_PLAIN]!) !== 0) return sh[b + W_STEP]!;
    if (writes) {
      for (let u = 0; u < A; u++) {
        const r = b + R0 + 3 * u;
        if (u !== t && sh[r + 1]! >= 0 && sh[r]! > C[ct + u]! && (plain | sh[r + 2]!) !== 0) return sh[r + 1]!;
      }
    }
    // Every read but a plain one orders what follows it (plain reads synchronise with nothing).
    if (reads && ord !== O_PLAIN) this.acquire(w, ct);
    if (writes) {
      if (ord === O_FULL || ord === O_RELEASE) this.release(w, ct);
      else if (ord === O_ONCE) this.releaseFenced(w, ct);
      sh[b + W_AGENT] = t;
      sh[b + W_CLOCK] = C[ct + t]!;
      sh[b + W_STEP] = s;
      sh[b + W_PLAIN] = plain;
      // Every read before it is ordered before it (or was reported): none can race with a later access that this write does not.
      for (let u = 0; u < A; u++) sh[b + R0 + 3 * u + 1] = -1;
    } else if (reads) {
      const r = b + R0 + 3 * t;
      sh[r] = C[ct + t]!;
      sh[r + 1] = s;
      sh[r + 2] = plain;
    }
    return -1;
  }

  private fresh(w: number): number {
    const slot = this.slots++;
    if ((slot + 1) * this.stride > this.shadow.length) {
      const grown = new Int32Array(this.shadow.length * 2);
      grown.set(this.shadow);
      this.shadow = grown;
      const sync = new Int32Array(this.sync.length * 2);
      sync.set(this.sync);
      this.sync = sync;
      const has = new Uint8Array(this.hasSync.length * 2);
      has.set(this.hasSync);
      this.hasSync = has;
    }
    this.slotOf.set(w, slot);
    const b = slot * this.stride;
    this.shadow.fill(-1, b, b + this.stride);
    this.hasSync[slot] = 0;
    return slot;
  }

  private syncOf(w: number): number {
    let slot = this.slotOf.get(w);
    if (slot === undefined) slot = this.fresh(w);
    if (this.hasSync[slot] === 0) {
      this.sync.fill(0, slot * this.A, slot * this.A + this.A);
      this.hasSync[slot] = 1;
    }
    return slot * this.A;
  }

  private acquire(w: number, ct: number): void {
    const slot = this.slotOf.get(w);
    if (slot !== undefined && this.hasSync[slot] === 1) join(this.C, ct, this.sync, slot * this.A, this.A);
  }

  private release(w: number, ct: number): void {
    join(this.sync, this.syncOf(w), this.C, ct, this.A);
  }

  private releaseFenced(w: number, ct: number): void {
    join(this.sync, this.syncOf(w), this.F, ct, this.A);
  }

  private report(addr: number, first: number, second: number): DataRace {
    return { addr, first: this.accessAt(first), second: this.accessAt(second) };
  }

  private accessAt(s: number): RaceAccess {
    const at = schedStepAt(this.L, s);
    const m = this.m;
    const acc = m[at + ST_ACCESS]!;
    return {
      step: s,
      agent: m[at + ST_AGENT]!,
      point: m[at + ST_POINT]!,
      kind: acc === A_RMW ? 'read-modify-write' : acc === A_WRITE ? 'write' : 'read',
      order: ORDER_NAMES[m[at + ST_ORDER]!] ?? 'plain',
      value: m[at + ST_VALUE]!,
    };
  }
}

/** into[i..i+n) = max(into, from[j..j+n)). */
function join(into: Int32Array, i: number, from: Int32Array, j: number, n: number): void {
  for (let k = 0; k < n; k++) if (from[j + k]! > into[i + k]!) into[i + k] = from[j + k]!;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/**
 * The race as KCSAN prints one: both accesses, each with its agent, label,
 * kind and ordering and the step it was made at, the word, and the value
 * it changed (what the racing read saw, what the write wrote).
 */
export function explainDataRace(L: Layout, names: readonly string[], labelOf: (point: number) => string, r: DataRace): string[] {
  const where = describeAddress(L, r.addr) ?? `word ${hex(r.addr)}`;
  const line = (a: RaceAccess): string => `  ${a.kind} (${a.order}) to ${where} by ${agentName(L, a.agent, names)} at step ${a.step}, '${labelOf(a.point)}': ${a.kind === 'read' ? 'read' : 'wrote'} ${hex(a.value)}`;
  const w = r.first.kind !== 'read' ? r.first : r.second;
  const other = w === r.first ? r.second : r.first;
  return [
    `data-race: BUG: KCSAN: data-race in '${labelOf(r.first.point)}' / '${labelOf(r.second.point)}' (no happens-before orders them; at least one is plain)`,
    line(r.first),
    line(r.second),
    other.kind === 'read' ? `  value changed: the read ${other.step < w.step ? 'saw' : 'saw, before the write,'} ${hex(other.value)}; the write stored ${hex(w.value)}` : `  two writes: ${hex(r.first.value)} then ${hex(r.second.value)}`,
  ];
}
