/**
 * The data-race detector (KCSAN's question, asked as TSan and loom ask it):
 * over one controlled run's steps, two accesses of one word by two agents,
 * at least one of them plain (`read`, `write`, `bulk`), that no
 * happens-before orders. It needs no broken invariant: the race is the
 * finding, as KCSAN reports a racy access whatever the code made of it.
 *
 * Happens-before, as vector clocks (one an agent; per word, each agent's
 * last access and last plain access, as epochs): program order; a read of a word (fully ordered, acquire or
 * marked) after the fully ordered or release writes of it; a marked
 * (`once`) write carries the clock of its agent's last release fence
 * (`wmb`, `mb`), so WRITE_ONCE after smp_wmb publishes the plain data
 * written before the fence, and WRITE_ONCE without it does not. A marked
 * read, and the read of a cmpxchg that failed, are taken to order what
 * follows them: in the kernel what follows is ordered by its address
 * dependency on the value read (the loser of a table install uses the
 * winner's table, a lockless walk dereferences the entry it read), which
 * the model does not follow value by value; a missing read barrier is the
 * weak memory model's to find, not this detector's. A plain read orders
 * what follows its agent's next read fence (smp_rmb, smp_mb, a fully
 * ordered access), as smp_rmb does. A futex wake orders
 * what came before it before the woken sleeper.
 * Locks need nothing of their own: their algorithms' atomics order their
 * critical sections. Agents start after the setup and end before the
 * checks (both on the main thread, outside the steps).
 *
 * A word's release clock joins every release to it (not only the last
 * store's): happens-before as computed may order more than the hardware
 * does, never less, so a reported race is a real one (no false report) at
 * the price of missing one that only a release sequence's exact end would
 * show.
 *
 * The IOMMU's own reads (`hw`: the walk) are marked, and like a marked
 * read order the walk's next reads after them (the walker follows the
 * entry it read): a CPU's plain write of an entry the walker may read
 * while it is being written races with it (what the kernel's WRITE_ONCE of
 * a live entry is for); the entries of a table published after they were
 * written do not. The IOTLB's words are the harness's model of a hardware
 * cache, never a CPU's data: skipped.
 */
import { type Layout, ST_ACCESS, ST_AGENT, ST_ARG, ST_LEN, ST_ORDER, ST_POINT, ST_VALUE, ST_WORDS, TLB_WORDS, schedStepAt } from '../memory/layout.js';
import { describeAddress } from '../memory/regions.js';
import { agentName } from '../engine/describe.js';
import { A_NONE, A_READ, A_RMW, A_SPIN, A_WAIT, A_WAKE, A_WRITE, F_MB, F_MB_AFTER_ATOMIC, F_MB_BEFORE_ATOMIC, F_RMB, F_WMB, O_FULL, O_ONCE, O_PLAIN, O_RELEASE, ORDER_NAMES } from '../sched/access.js';

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

/**
 * Shadow words per word touched, per agent: the clock and step of its last
 * write, of its last plain write, of its last read, of its last plain read
 * (clock 0: none). An agent's accesses are ordered among themselves, so its
 * last one is the one a later access may be unordered with, and its last
 * plain one the one a later marked access may race with.
 */
const S_W = 0;
const S_PW = 2;
const S_R = 4;
const S_PR = 6;
const S_WORDS = 8;
/** A bulk access longer than this is kept as a range (a table zeroed, a bitmap searched), not word by word. */
const WORD_BY_WORD = 8;
/** A range: its first word, length, agent, clock, step, plain (1/0), writes (1/0). */
const G_ADDR = 0;
const G_LEN = 1;
const G_AGENT = 2;
const G_CLOCK = 3;
const G_STEP = 4;
const G_PLAIN = 5;
const G_WRITES = 6;
const G_WORDS = 7;

/**
 * The detector keeps its arrays between runs (a search makes thousands):
 * nothing is allocated per run once they have grown. Words are found
 * through an open-addressing table whose entries carry the run they were
 * made in, so a new run starts with an empty table at no cost.
 */
export class DataRaceDetector {
  private readonly A: number;
  /** Each agent's clock, and its clock at its last release fence. */
  private readonly C: Int32Array;
  private readonly F: Int32Array;
  /** Per agent, what its plain reads read since its last read fence: an smp_rmb (or smp_mb, or a fully ordered access) makes it its own. */
  private readonly P: Int32Array;
  /** The word table: key (a word), its slot, and the run (gen) the entry belongs to. */
  private keys = new Int32Array(1024);
  private vals = new Int32Array(1024);
  private gens = new Int32Array(1024);
  private gen = 0;
  /** Fibonacci hashing: the top log2(size) bits of w x 2^32/phi. */
  private shift = 22;
  /** Slot -> its word, its shadow, its release clock (hasSync 0: none yet). */
  private slotAddr = new Int32Array(256);
  private shadow: Int32Array;
  private sync: Int32Array;
  private hasSync = new Uint8Array(256);
  private slots = 0;
  /** The run's bulk accesses kept as ranges (G_*). */
  private ranges = new Int32Array(16 * G_WORDS);
  private nRanges = 0;
  private readonly stride: number;
  private readonly tlbFrom: number;
  private readonly tlbTo: number;

  /** `wordByWord`: bulk accesses up to this long are taken word by word (a test sets it past every length, to compare). */
  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    private readonly wordByWord = WORD_BY_WORD,
  ) {
    const A = (this.A = L.agents);
    this.C = new Int32Array(A * A);
    this.F = new Int32Array(A * A);
    this.P = new Int32Array(A * A);
    this.stride = S_WORDS * A;
    this.shadow = new Int32Array(256 * this.stride);
    this.sync = new Int32Array(256 * A);
    this.tlbFrom = L.iotlbEntries > 0 ? L.iotlbs : 0;
    this.tlbTo = L.iotlbEntries > 0 ? L.iotlbs + L.devices * L.iotlbEntries * TLB_WORDS : 0;
  }

  /** The first data race in the run's `steps` steps, or null. */
  check(steps: number): DataRace | null {
    const { A, C, F, m, L } = this;
    C.fill(0);
    F.fill(0);
    this.P.fill(0);
    for (let t = 0; t < A; t++) C[t * A + t] = 1;
    this.gen = (this.gen + 1) | 0;
    if (this.gen === 0) {
      this.gens.fill(0);
      this.gen = 1;
    }
    this.slots = 0;
    this.nRanges = 0;
    const step0 = schedStepAt(L, 0);
    for (let s = 0; s < steps; s++) {
      const at = step0 + s * ST_WORDS;
      const t = m[at + ST_AGENT]!;
      const acc = m[at + ST_ACCESS]!;
      const ord = m[at + ST_ORDER]!;
      const ct = t * A;
      // A read fence (smp_rmb, smp_mb, a fully ordered access): what the agent's plain reads read before it orders what follows.
      if (ord === F_RMB || ord === F_MB || ord === F_MB_BEFORE_ATOMIC || ord === F_MB_AFTER_ATOMIC || ord === O_FULL) join(C, ct, this.P, ct, A);
      if (acc === A_NONE) {
        // A release fence: the agent's marked writes after it carry its clock now.
        if (ord === F_WMB || ord === F_MB || ord === F_MB_BEFORE_ATOMIC || ord === F_MB_AFTER_ATOMIC) for (let k = 0; k < A; k++) F[ct + k] = C[ct + k]!;
        // A woken sleeper: after the wake that woke it (whose clock went to the word).
        if (ord === O_FULL) this.acquire(this.slotFor(m[at + ST_ARG]!), ct);
        C[ct + t]!++;
        continue;
      }
      if (acc === A_SPIN) continue;
      let addr = m[at + ST_ARG]!;
      let end = addr + m[at + ST_LEN]!;
      // The IOTLB is the harness's model of a hardware cache: none of its words is a CPU's data.
      if (addr < this.tlbTo && end > this.tlbFrom) {
        if (addr >= this.tlbFrom && end <= this.tlbTo) {
          C[ct + t]!++;
          continue;
        }
        if (addr >= this.tlbFrom) addr = this.tlbTo;
        else end = Math.min(end, this.tlbFrom);
      }
      const reads = acc === A_READ || acc === A_RMW || acc === A_WAIT;
      const writes = acc === A_WRITE || acc === A_RMW;
      // (An atomic bulk orders through each of its words: word by word, however long.)
      if (end - addr > this.wordByWord && ord !== O_FULL) {
        const r = this.bulk(addr, end, s, t, ord, reads, writes);
        if (r !== null) return r;
      } else if (end - addr === 1) {
        // One word (nearly every step): its slot looked up once.
        const slot = this.slotFor(addr);
        const found = this.conflict(slot, t, ord, writes);
        if (found >= 0) return this.report(addr, found, s);
        this.record(slot, s, t, ord, reads, writes);
        if (acc === A_WAKE) this.release(slot, ct);
      } else {
        // One step, however many words: checked against what came before it, then made.
        for (let w = addr; w < end; w++) {
          const found = this.conflict(this.slotFor(w), t, ord, writes);
          if (found >= 0) return this.report(w, found, s);
        }
        for (let w = addr; w < end; w++) {
          const slot = this.slotFor(w);
          this.record(slot, s, t, ord, reads, writes);
          if (acc === A_WAKE) this.release(slot, ct);
        }
      }
      C[ct + t]!++;
    }
    return null;
  }

  /**
   * A bulk access of [addr, end): each word already known is accessed as
   * one access would be; the rest are kept as one range, which a word met
   * later starts from (fresh), and which is checked against the earlier
   * ranges it overlaps.
   */
  private bulk(addr: number, end: number, s: number, t: number, ord: number, reads: boolean, writes: boolean): DataRace | null {
    const n = this.slots;
    const sa = this.slotAddr;
    for (let i = 0; i < n; i++) {
      const w = sa[i]!;
      if (w < addr || w >= end) continue;
      const found = this.conflict(i, t, ord, writes);
      if (found >= 0) return this.report(w, found, s);
    }
    const C = this.C;
    const ct = t * this.A;
    const plain = ord === O_PLAIN ? 1 : 0;
    const g = this.ranges;
    for (let j = 0; j < this.nRanges; j++) {
      const b = j * G_WORDS;
      const from = Math.max(addr, g[b + G_ADDR]!);
      if (from >= Math.min(end, g[b + G_ADDR]! + g[b + G_LEN]!)) continue;
      const u = g[b + G_AGENT]!;
      if (u === t || (!writes && g[b + G_WRITES] === 0) || (plain | g[b + G_PLAIN]!) === 0 || g[b + G_CLOCK]! <= C[ct + u]!) continue;
      return this.report(from, g[b + G_STEP]!, s);
    }
    for (let i = 0; i < n; i++) {
      const w = sa[i]!;
      if (w >= addr && w < end) this.record(i, s, t, ord, reads, writes);
    }
    if ((this.nRanges + 1) * G_WORDS > g.length) {
      const grown = new Int32Array(g.length * 2);
      grown.set(g);
      this.ranges = grown;
    }
    const b = this.nRanges++ * G_WORDS;
    const r = this.ranges;
    r[b + G_ADDR] = addr;
    r[b + G_LEN] = end - addr;
    r[b + G_AGENT] = t;
    r[b + G_CLOCK] = C[ct + t]!;
    r[b + G_STEP] = s;
    r[b + G_PLAIN] = plain;
    r[b + G_WRITES] = writes ? 1 : 0;
    return null;
  }

  /** Does agent t's access of the word in `slot` race with an earlier one? The step of that one, or -1. */
  private conflict(slot: number, t: number, ord: number, writes: boolean): number {
    const { A, C } = this;
    const ct = t * A;
    const plain = ord === O_PLAIN;
    const sh = this.shadow;
    const b = slot * this.stride;
    // Another agent's write (a plain access: any write; a marked one: a plain write) unordered with this access.
    const w0 = plain ? S_W : S_PW;
    const r0 = plain ? S_R : S_PR;
    for (let u = 0; u < A; u++) {
      if (u === t) continue;
      const e = b + u * S_WORDS;
      const seen = C[ct + u]!;
      if (sh[e + w0]! > seen) return sh[e + w0 + 1]!;
      if (writes && sh[e + r0]! > seen) return sh[e + r0 + 1]!;
    }
    return -1;
  }

  /** Agent t's access at step s of the word in `slot` is made: the clocks and the shadow move on. */
  private record(slot: number, s: number, t: number, ord: number, reads: boolean, writes: boolean): void {
    const { C } = this;
    const ct = t * this.A;
    const plain = ord === O_PLAIN;
    const sh = this.shadow;
    const b = slot * this.stride;
    // Every read but a plain one orders what follows it; a plain one, what follows its agent's next read fence.
    if (reads && !plain) this.acquire(slot, ct);
    else if (reads && this.hasSync[slot] === 1) join(this.P, ct, this.sync, slot * this.A, this.A);
    const e = b + t * S_WORDS;
    const c = C[ct + t]!;
    if (writes) {
      if (ord === O_FULL || ord === O_RELEASE) this.release(slot, ct);
      else if (ord === O_ONCE) this.releaseFenced(slot, ct);
      sh[e + S_W] = c;
      sh[e + S_W + 1] = s;
      if (plain) {
        sh[e + S_PW] = c;
        sh[e + S_PW + 1] = s;
      }
    } else if (reads) {
      sh[e + S_R] = c;
      sh[e + S_R + 1] = s;
      if (plain) {
        sh[e + S_PR] = c;
        sh[e + S_PR + 1] = s;
      }
    }
  }

  /** The slot of word w in this run: found, or made (from the ranges over it, in their order). */
  private slotFor(w: number): number {
    const mask = this.keys.length - 1;
    let h = Math.imul(w, 0x9e3779b1) >>> this.shift;
    for (;;) {
      if (this.gens[h] !== this.gen) break;
      if (this.keys[h] === w) return this.vals[h]!;
      h = (h + 1) & mask;
    }
    const slot = this.fresh(w);
    this.gens[h] = this.gen;
    this.keys[h] = w;
    this.vals[h] = slot;
    // Kept at most half full: grown (and refilled from the slots) past it.
    if (this.slots * 2 > this.keys.length) this.regrow();
    return slot;
  }

  private regrow(): void {
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.gens = new Int32Array(size);
    const mask = size - 1;
    this.shift--;
    for (let i = 0; i < this.slots; i++) {
      const w = this.slotAddr[i]!;
      let h = Math.imul(w, 0x9e3779b1) >>> this.shift;
      while (this.gens[h] === this.gen) h = (h + 1) & mask;
      this.gens[h] = this.gen;
      this.keys[h] = w;
      this.vals[h] = i;
    }
  }

  private fresh(w: number): number {
    const slot = this.slots++;
    if (slot >= this.slotAddr.length) {
      const n = this.slotAddr.length * 2;
      const addr = new Int32Array(n);
      addr.set(this.slotAddr);
      this.slotAddr = addr;
      const grown = new Int32Array(n * this.stride);
      grown.set(this.shadow);
      this.shadow = grown;
      const sync = new Int32Array(n * this.A);
      sync.set(this.sync);
      this.sync = sync;
      const has = new Uint8Array(n);
      has.set(this.hasSync);
      this.hasSync = has;
    }
    this.slotAddr[slot] = w;
    const b = slot * this.stride;
    const sh = this.shadow;
    sh.fill(0, b, b + this.stride);
    this.hasSync[slot] = 0;
    // The bulk accesses that covered it before it was met on its own, in order.
    const g = this.ranges;
    for (let j = 0; j < this.nRanges; j++) {
      const r = j * G_WORDS;
      if (w < g[r + G_ADDR]! || w >= g[r + G_ADDR]! + g[r + G_LEN]!) continue;
      const e = b + g[r + G_AGENT]! * S_WORDS;
      const k = g[r + G_WRITES] === 1 ? S_W : S_R;
      sh[e + k] = g[r + G_CLOCK]!;
      sh[e + k + 1] = g[r + G_STEP]!;
      if (g[r + G_PLAIN] === 1) {
        sh[e + k + 2] = g[r + G_CLOCK]!;
        sh[e + k + 3] = g[r + G_STEP]!;
      }
    }
    return slot;
  }

  /** Where slot `slot`'s release clock is (zeroed the first time). */
  private syncOf(slot: number): number {
    if (this.hasSync[slot] === 0) {
      this.sync.fill(0, slot * this.A, slot * this.A + this.A);
      this.hasSync[slot] = 1;
    }
    return slot * this.A;
  }

  private acquire(slot: number, ct: number): void {
    if (this.hasSync[slot] === 1) join(this.C, ct, this.sync, slot * this.A, this.A);
  }

  private release(slot: number, ct: number): void {
    join(this.sync, this.syncOf(slot), this.C, ct, this.A);
  }

  private releaseFenced(slot: number, ct: number): void {
    join(this.sync, this.syncOf(slot), this.F, ct, this.A);
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
    other.kind === 'read' ? `  value changed: the read ${other.step < w.step ? 'saw, before the write,' : 'saw'} ${hex(other.value)}; the write stored ${hex(w.value)}` : `  two writes: ${hex(r.first.value)} then ${hex(r.second.value)}`,
  ];
}
