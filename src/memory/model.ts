/**
 * The memory models of controlled runs (`--memory-model tso|weak`), agent
 * side: what a load may read when the hardware does not run every access
 * in one order.
 *
 * Under control only one agent runs between schedule points, so the model's
 * state lives in shared memory (the region at `L.mm`) and each agent updates
 * it itself, right after its point let it go. A word keeps its last
 * MSG_KEEP stores (its record: value, storing agent, that agent's store
 * count, the view the store carries, the step); the word itself always
 * holds the newest store, so everything outside the accessors (the checks,
 * the audit, the engine's own reads) sees memory as its coherence order
 * left it. A word no store of the run has touched has no record: its value
 * is the one the run started with, which every observer has seen.
 *
 *   weak  a view per observer, kept as a vector clock of store counts (as
 *         loom and c11tester keep them). A load may read any store of its
 *         word not older than the newest one that happens before the
 *         observer (write-read coherence) nor older than what the observer
 *         read there before (read-read coherence). A store carries a view:
 *         a release store, or a fully ordered one, the storer's own; an
 *         unordered one what the storer's last fence ordered before it
 *         (smp_wmb: its own earlier stores, not A-cumulative as in LKMM;
 *         smp_mb: its whole view). An acquire load, a fully ordered one,
 *         and a marked one (READ_ONCE, the walker's: their address
 *         dependency, which this model does not follow value by value,
 *         taken as ordering what follows) take the view of what they read;
 *         a plain load leaves it pending until an smp_rmb or smp_mb.
 *         smp_mb is also the order of full fences: a global view it joins
 *         both ways (so store buffering with mb on both sides is
 *         forbidden). A fully ordered access is an mb, the access, an mb. A
 *         read-modify-write reads the newest store (atomicity) and carries
 *         on the view of the store it replaced (a release sequence).
 *   tso   each agent's stores wait in its store buffer (at most MM_SB_CAP,
 *         the oldest drained when full); a load reads its own newest
 *         buffered store of the word if it has one, else the newest store
 *         drained to memory or, a choice, one still in another agent's
 *         buffer, which drains that buffer up to it (and, coherence, every
 *         older store of the word with it). A fully ordered access, any
 *         read-modify-write, smp_mb, a futex wait or wake, the agent's end
 *         and its doorbell drain the buffer; smp_rmb and smp_wmb are free,
 *         as on x86.
 *
 * Which store a load took, when it could take more than one, is a choice
 * of the scheduler's: the newest (what sc reads) is choice 0 and is what a
 * replay takes by default; a random or PCT run draws it from the run's
 * seed; a replay (so dfs and dpor) takes the choices it is given. Every
 * choice goes into the step (ST_RF, ST_RFN, ST_RF_FROM) and from there into
 * the schedule.
 *
 * The IOMMU's walker is an observer of its own beside each agent: its
 * loads, whatever accessor the walk calls, are dependency-ordered marked
 * loads, and it sees the agent's stores only from the agent's doorbell
 * (the start of each walk, as a CPU's writel orders its earlier stores
 * before the DMA it starts). So a table a CPU publishes before its entries
 * are visible is walked with stale entries by another device, until the
 * CPU puts `fence('wmb')` (dma_wmb) before the publish.
 *
 * A spinner that was let go once a word of its wait set changed reads that
 * word newer than it did (a spin is a wait for a newer store), so spin
 * loops stay finite under both models. The IOTLB's words stay sequentially
 * consistent (they are the device's own cache, filled and invalidated by
 * the engine).
 */
import {
  type Layout,
  MF_BUFFERED,
  MH_FULL,
  MH_GEN,
  MH_RECORDS,
  MH_SC_VIEW,
  MH_VIEWS,
  MM_MAX_AGENTS,
  MM_OBS_AT,
  MM_RECORDS,
  MM_RECORDS_AT,
  MM_SB_CAP,
  MM_TSO,
  MM_VIEWS,
  MM_VIEWS_AT,
  MO_ACQ,
  MO_REL,
  MO_REL_VIEW,
  MO_SB,
  MO_SB_HEAD,
  MO_SB_N,
  MO_VC,
  MO_VC_VIEW,
  MO_WORDS,
  MSG_KEEP,
  M_AGENT,
  M_FLAGS,
  M_STAMP,
  M_STEP,
  M_VALUE,
  M_VIEW,
  M_WORDS,
  R_ADDR,
  R_FLOOR,
  R_GEN,
  R_MSG,
  R_N,
  REC_WORDS,
  RFP_WORDS,
  SC_RF_BAD,
  SC_RF_N,
  SC_RF_NEXT,
  SC_RNG,
  SC_STRATEGY,
  SW_RF,
  SW_RFN,
  SW_RF_FROM,
  TLB_WORDS,
  schedAgentAt,
} from './layout.js';
import { F_MB, F_MB_AFTER_ATOMIC, F_MB_BEFORE_ATOMIC, F_RMB, F_WMB, O_FULL, O_PLAIN, O_RELEASE } from '../sched/access.js';
import { xorshift32 } from '../util/prng.js';

/** The records a run may fill before it counts as out of room (open addressing stays short below this). */
const RECORDS_LIMIT = (MM_RECORDS * 3) >>> 2;
const HASH_SHIFT = 32 - Math.log2(MM_RECORDS);

/** Main thread (or a batch's lead), before a run: a new generation (every record free), every view empty. */
export function resetModel(m: Int32Array, L: Layout): void {
  if (L.mm === 0) return;
  const b = L.mm;
  m[b + MH_GEN] = (m[b + MH_GEN]! + 1) | 0 || 1;
  m[b + MH_RECORDS] = 0;
  m[b + MH_VIEWS] = 0;
  m[b + MH_FULL] = 0;
  m.fill(0, b + MH_SC_VIEW, b + MH_SC_VIEW + MM_MAX_AGENTS);
  for (let o = 0; o < 2 * MM_MAX_AGENTS; o++) {
    const ob = b + MM_OBS_AT + o * MO_WORDS;
    m.fill(0, ob, ob + MO_SB);
    m[ob + MO_VC_VIEW] = -1;
    m[ob + MO_REL_VIEW] = -1;
  }
}

/** Did the run run out of the model's room (records or views)? It then ends inconclusive. */
export const modelFull = (m: Int32Array, L: Layout): boolean => L.mm !== 0 && m[L.mm + MH_FULL] !== 0;

/** One agent's side of the model (its CPU, and its walker). */
export class MemoryModel {
  private readonly tso: boolean;
  private readonly A: number;
  private readonly cpu: number;
  private readonly hw: number;
  private readonly records: number;
  private readonly views: number;
  private readonly sw: number;
  private readonly tlbFrom: number;
  private readonly tlbTo: number;

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    private readonly agent: number,
    /** The step this agent is at (the scheduler's). */
    private readonly stepNow: () => number,
  ) {
    this.tso = L.model === MM_TSO;
    this.A = L.agents;
    this.cpu = L.mm + MM_OBS_AT + agent * MO_WORDS;
    this.hw = L.mm + MM_OBS_AT + (MM_MAX_AGENTS + agent) * MO_WORDS;
    this.records = L.mm + MM_RECORDS_AT;
    this.views = L.mm + MM_VIEWS_AT;
    this.sw = schedAgentAt(L, agent);
    this.tlbFrom = L.iotlbs;
    this.tlbTo = L.iotlbs + L.devices * L.iotlbEntries * TLB_WORDS;
  }

  /* ---- records ------------------------------------------------------ */

  private modelled(addr: number): boolean {
    return addr < this.tlbFrom || addr >= this.tlbTo;
  }

  /** The record of `addr`, or -1; with `create`, made (its first store: the run's starting value), unless the region is full. */
  private record(addr: number, create: boolean): number {
    const m = this.m;
    const gen = m[this.L.mm + MH_GEN]!;
    let i = Math.imul(addr, 0x9e3779b1) >>> HASH_SHIFT;
    for (;;) {
      const r = this.records + i * REC_WORDS;
      if (m[r + R_GEN] !== gen) {
        if (!create) return -1;
        const used = m[this.L.mm + MH_RECORDS]!;
        if (used >= RECORDS_LIMIT) {
          m[this.L.mm + MH_FULL] = 1;
          return -1;
        }
        m[this.L.mm + MH_RECORDS] = used + 1;
        m[r + R_ADDR] = addr;
        m[r + R_GEN] = gen;
        m[r + R_N] = 1;
        m.fill(0, r + R_FLOOR, r + R_MSG);
        const s = r + R_MSG;
        m[s + M_VALUE] = m[addr]!;
        m[s + M_AGENT] = 0;
        m[s + M_STAMP] = 0;
        m[s + M_VIEW] = -1;
        m[s + M_STEP] = -1;
        m[s + M_FLAGS] = 0;
        return r;
      }
      if (m[r + R_ADDR] === addr) return r;
      i = (i + 1) & (MM_RECORDS - 1);
    }
  }

  private static msg(r: number, i: number): number {
    return r + R_MSG + (i % MSG_KEEP) * M_WORDS;
  }

  /** The value of store `i` of record `r` (the newest is the word itself). */
  private valueOf(r: number, i: number): number {
    return i === this.m[r + R_N]! - 1 ? Atomics.load(this.m, this.m[r + R_ADDR]!) : this.m[MemoryModel.msg(r, i) + M_VALUE]!;
  }

  /** Append a store to record `r` (before the word is written: the store it follows keeps the word's value). */
  private append(r: number, stamp: number, view: number, flags: number): number {
    const m = this.m;
    const n = m[r + R_N]!;
    m[MemoryModel.msg(r, n - 1) + M_VALUE] = Atomics.load(m, m[r + R_ADDR]!);
    this.put(r, n, stamp, view, flags);
    return n;
  }

  /** Store `n` of record `r`, this agent's, at this step (its value, while it is the newest, is the word's). */
  private put(r: number, n: number, stamp: number, view: number, flags: number): void {
    const m = this.m;
    const s = MemoryModel.msg(r, n);
    m[s + M_VALUE] = 0;
    m[s + M_AGENT] = this.agent + 1;
    m[s + M_STAMP] = stamp;
    m[s + M_VIEW] = view;
    m[s + M_STEP] = this.stepNow();
    m[s + M_FLAGS] = flags;
    m[r + R_N] = n + 1;
  }

  /* ---- views -------------------------------------------------------- */

  /** `into` (an observer's vector) joined with view `v` (a pool index; -1: nothing); whether it grew. */
  private joinView(into: number, v: number): boolean {
    if (v < 0) return false;
    const m = this.m;
    const src = this.views + v * MM_MAX_AGENTS;
    let grew = false;
    for (let i = 0; i < this.A; i++) {
      if (m[src + i]! > m[into + i]!) {
        m[into + i] = m[src + i]!;
        grew = true;
      }
    }
    return grew;
  }

  private joinVec(into: number, from: number): boolean {
    const m = this.m;
    let grew = false;
    for (let i = 0; i < this.A; i++) {
      if (m[from + i]! > m[into + i]!) {
        m[into + i] = m[from + i]!;
        grew = true;
      }
    }
    return grew;
  }

  /** A pool copy of the vector at `vec` (cached in `cache` while it does not change); -1 when the pool is full. */
  private snapshot(vec: number, cache: number): number {
    const m = this.m;
    if (m[cache]! >= 0) return m[cache]!;
    const v = this.newView();
    if (v < 0) return -1;
    m.copyWithin(this.views + v * MM_MAX_AGENTS, vec, vec + this.A);
    m[cache] = v;
    return v;
  }

  private newView(): number {
    const m = this.m;
    const used = m[this.L.mm + MH_VIEWS]!;
    if (used >= MM_VIEWS) {
      m[this.L.mm + MH_FULL] = 1;
      return -1;
    }
    m[this.L.mm + MH_VIEWS] = used + 1;
    m.fill(0, this.views + used * MM_MAX_AGENTS, this.views + used * MM_MAX_AGENTS + MM_MAX_AGENTS);
    return used;
  }

  /** The observer's view grew (or its own count did): its pool copy is stale. */
  private touchedVc(ob: number): void {
    this.m[ob + MO_VC_VIEW] = -1;
  }

  private joinIntoVc(ob: number, v: number): void {
    if (this.joinView(ob + MO_VC, v)) this.touchedVc(ob);
  }

  /** smp_mb: what was read unordered becomes ordered, the global order of full fences joined both ways, and the later stores carry it all. */
  private mb(): void {
    const m = this.m;
    const ob = this.cpu;
    let grew = this.joinVec(ob + MO_VC, ob + MO_ACQ);
    grew = this.joinVec(ob + MO_VC, this.L.mm + MH_SC_VIEW) || grew;
    this.joinVec(this.L.mm + MH_SC_VIEW, ob + MO_VC);
    if (grew) this.touchedVc(ob);
    if (this.joinVec(ob + MO_REL, ob + MO_VC)) m[ob + MO_REL_VIEW] = -1;
  }

  /** A new store's count: this agent's component of its view, one up. */
  private stamp(): number {
    const at = this.cpu + MO_VC + this.agent;
    const s = this.m[at]! + 1;
    this.m[at] = s;
    this.touchedVc(this.cpu);
    return s;
  }

  /* ---- tso's store buffers ------------------------------------------ */

  private drain(agent: number): void {
    const ob = this.L.mm + MM_OBS_AT + agent * MO_WORDS;
    while (this.m[ob + MO_SB_N]! > 0) this.popOldest(ob);
  }

  /** Drain `agent`'s buffer up to and including store `i` of record `r`. */
  private drainUpTo(agent: number, r: number, i: number): void {
    const m = this.m;
    const ob = this.L.mm + MM_OBS_AT + agent * MO_WORDS;
    while (m[ob + MO_SB_N]! > 0) {
      const e = ob + MO_SB + 2 * m[ob + MO_SB_HEAD]!;
      const last = m[e] === r && m[e + 1] === i;
      this.popOldest(ob);
      if (last) return;
    }
  }

  /** The oldest store of a buffer to memory: every older buffered store of its word first (coherence is the order stores drain in). */
  private popOldest(ob: number): void {
    const m = this.m;
    const head = m[ob + MO_SB_HEAD]!;
    const e = ob + MO_SB + 2 * head;
    const r = m[e]!;
    const i = m[e + 1]!;
    m[ob + MO_SB_HEAD] = (head + 1) % MM_SB_CAP;
    m[ob + MO_SB_N] = m[ob + MO_SB_N]! - 1;
    if (i < m[r + R_N]! - MSG_KEEP) return;
    this.drainWord(r, i - 1);
    const f = MemoryModel.msg(r, i) + M_FLAGS;
    m[f] = m[f]! & ~MF_BUFFERED;
  }

  /** Every buffered store of record `r` up to store `i`, drained with what is before it in its buffer. */
  private drainWord(r: number, i: number): void {
    const m = this.m;
    const lo = Math.max(0, m[r + R_N]! - MSG_KEEP);
    for (let k = lo; k <= i; k++) {
      const s = MemoryModel.msg(r, k);
      if ((m[s + M_FLAGS]! & MF_BUFFERED) !== 0) this.drainUpTo(m[s + M_AGENT]! - 1, r, k);
    }
  }

  private buffer(r: number, i: number): void {
    const m = this.m;
    const ob = this.cpu;
    if (m[ob + MO_SB_N] === MM_SB_CAP) this.popOldest(ob);
    const tail = (m[ob + MO_SB_HEAD]! + m[ob + MO_SB_N]!) % MM_SB_CAP;
    m[ob + MO_SB + 2 * tail] = r;
    m[ob + MO_SB + 2 * tail + 1] = i;
    m[ob + MO_SB_N] = m[ob + MO_SB_N]! + 1;
  }

  /* ---- the choice of store ------------------------------------------ */

  /** Which of `n` stores (0: the newest) this step's load takes: the replay's choice, else the seed's; recorded for the step. */
  private choose(n: number): number {
    const m = this.m;
    const sc = this.L.sched;
    let c = 0;
    if (m[sc + SC_STRATEGY] === 2) {
      const next = m[sc + SC_RF_NEXT]!;
      if (next < m[sc + SC_RF_N]! && m[this.L.schedReads + next * RFP_WORDS] === this.stepNow()) {
        c = m[this.L.schedReads + next * RFP_WORDS + 1]!;
        m[sc + SC_RF_NEXT] = next + 1;
        if (c < 0 || c >= n) {
          m[sc + SC_RF_BAD] = 1;
          c = 0;
        }
      }
    } else {
      const r = xorshift32(m[sc + SC_RNG]!);
      m[sc + SC_RNG] = r;
      c = (r >>> 0) % n;
    }
    m[this.sw + SW_RF] = c;
    m[this.sw + SW_RFN] = n;
    return c;
  }

  /* ---- the accessors' side ------------------------------------------ */

  /** A load of `addr` with ordering `order` (sched/access.ts), by the CPU or (`hw`) the walker: the value it reads. */
  read(addr: number, order: number, hw: boolean): number {
    if (!this.modelled(addr)) return Atomics.load(this.m, addr);
    if (order === O_FULL && !hw) this.full();
    const r = this.record(addr, false);
    if (r < 0) return Atomics.load(this.m, addr);
    const m = this.m;
    const ob = hw ? this.hw : this.cpu;
    const fo = r + R_FLOOR + (hw ? MM_MAX_AGENTS + this.agent : this.agent);
    const n = m[r + R_N]!;
    const lo = Math.max(0, n - MSG_KEEP);
    let floor = Math.min(Math.max(m[fo]!, lo), n - 1);
    let take: number;
    if (this.tso) {
      // Its own newest buffered store, if any; else the newest in memory or one still buffered elsewhere.
      let own = -1;
      for (let i = n - 1; i >= lo && own < 0 && !hw; i--) {
        const s = MemoryModel.msg(r, i);
        if (m[s + M_AGENT] === this.agent + 1 && (m[s + M_FLAGS]! & MF_BUFFERED) !== 0) own = i;
      }
      if (own >= 0) {
        take = own;
      } else {
        let drained = lo;
        for (let i = n - 1; i >= lo; i--) {
          if ((m[MemoryModel.msg(r, i) + M_FLAGS]! & MF_BUFFERED) === 0) {
            drained = i;
            break;
          }
        }
        floor = Math.max(floor, drained);
        take = n - 1 - (n - floor > 1 ? this.choose(n - floor) : 0);
        this.drainWord(r, take);
      }
    } else {
      // Not older than the newest store that happens before the observer.
      for (let i = n - 1; i > floor; i--) {
        const s = MemoryModel.msg(r, i);
        const a = m[s + M_AGENT]!;
        if (a === 0 || m[s + M_STAMP]! <= m[ob + MO_VC + a - 1]!) {
          floor = i;
          break;
        }
      }
      take = n - 1 - (n - floor > 1 ? this.choose(n - floor) : 0);
      const v = m[MemoryModel.msg(r, take) + M_VIEW]!;
      if (order === O_PLAIN && !hw) this.joinView(ob + MO_ACQ, v);
      else this.joinIntoVc(ob, v);
    }
    m[fo] = take;
    m[this.sw + SW_RF_FROM] = m[MemoryModel.msg(r, take) + M_STEP]!;
    const value = this.valueOf(r, take);
    if (order === O_FULL && !hw) this.full();
    return value;
  }

  /** A store of `value` to `addr` with ordering `order`: made, and into the word. */
  write(addr: number, value: number, order: number): void {
    const m = this.m;
    if (!this.modelled(addr)) {
      Atomics.store(m, addr, value);
      return;
    }
    if (order === O_FULL) this.full();
    const r = this.record(addr, true);
    if (r >= 0) {
      if (this.tso) {
        const i = this.append(r, 0, -1, order === O_FULL ? 0 : MF_BUFFERED);
        if (order !== O_FULL) this.buffer(r, i);
      } else {
        const s = this.stamp();
        const view = order === O_RELEASE || order === O_FULL ? this.snapshot(this.cpu + MO_VC, this.cpu + MO_VC_VIEW) : this.snapshot(this.cpu + MO_REL, this.cpu + MO_REL_VIEW);
        this.append(r, s, view, 0);
      }
    }
    Atomics.store(m, addr, value);
    if (order === O_FULL) this.full();
  }

  /** The record and the view of the store a read-modify-write in progress reads (between rmwBegin and rmwEnd). */
  private rmwRecord = -1;
  private rmwBefore = -1;

  /** A read-modify-write of `addr` is about to be made on the word: it will read the newest store. */
  rmwBegin(addr: number): void {
    const m = this.m;
    this.rmwRecord = -1;
    this.rmwBefore = -1;
    if (!this.modelled(addr)) return;
    // A fully ordered one's smp_mb before it is made in rmwEnd, if it writes: a cmpxchg that fails orders nothing.
    if (this.tso) this.drain(this.agent);
    const r = this.record(addr, false);
    if (r >= 0) {
      const n = m[r + R_N]!;
      if (this.tso) this.drainWord(r, n - 1);
      this.rmwBefore = m[MemoryModel.msg(r, n - 1) + M_VIEW]!;
      m[this.sw + SW_RF_FROM] = m[MemoryModel.msg(r, n - 1) + M_STEP]!;
    }
    this.rmwRecord = r;
  }

  /** It was made: it read `old`, and wrote (`wrote`) or did not (a cmpxchg that failed). */
  rmwEnd(addr: number, order: number, old: number, wrote: boolean): void {
    const m = this.m;
    if (!this.modelled(addr)) return;
    let r = this.rmwRecord;
    const before = this.rmwBefore;
    if (wrote) {
      if (!this.tso && order === O_FULL) this.mb();
      // The word held `old` before the run's first store to it.
      if (r < 0 && (r = this.record(addr, true)) >= 0) m[MemoryModel.msg(r, 0) + M_VALUE] = old;
      if (r >= 0) {
        let stamp = 0;
        let view = -1;
        if (!this.tso) {
          stamp = this.stamp();
          const own = order === O_RELEASE || order === O_FULL ? this.snapshot(this.cpu + MO_VC, this.cpu + MO_VC_VIEW) : this.snapshot(this.cpu + MO_REL, this.cpu + MO_REL_VIEW);
          // A release sequence: it carries on the view of the store it replaced.
          view = own;
          if (before >= 0 && own !== before && (view = this.newView()) >= 0) {
            this.joinView(this.views + view * MM_MAX_AGENTS, own);
            this.joinView(this.views + view * MM_MAX_AGENTS, before);
          }
        }
        // The word holds the new value already: the store it replaced keeps `old`.
        const n = m[r + R_N]!;
        m[MemoryModel.msg(r, n - 1) + M_VALUE] = old;
        this.put(r, n, stamp, view, 0);
      }
    }
    if (r >= 0) m[r + R_FLOOR + this.agent] = m[r + R_N]! - 1;
    // What it read orders what follows (an acquire, a full one, or a marked read's dependency).
    if (!this.tso) {
      this.joinIntoVc(this.cpu, before);
      if (order === O_FULL) this.mb();
    }
  }

  /** `fence(kind)`, as its ordering code. */
  fence(f: number): void {
    if (this.tso) {
      if (f === F_MB || f === F_MB_BEFORE_ATOMIC || f === F_MB_AFTER_ATOMIC) this.drain(this.agent);
      return;
    }
    const ob = this.cpu;
    if (f === F_RMB) {
      if (this.joinVec(ob + MO_VC, ob + MO_ACQ)) this.touchedVc(ob);
    } else if (f === F_WMB) {
      // Its own stores so far, before its later ones (smp_wmb is not A-cumulative).
      const own = this.m[ob + MO_VC + this.agent]!;
      if (own > this.m[ob + MO_REL + this.agent]!) {
        this.m[ob + MO_REL + this.agent] = own;
        this.m[ob + MO_REL_VIEW] = -1;
      }
    } else {
      this.mb();
    }
  }

  /** A fully ordered access's barrier (before and after it): smp_mb, or tso's drain. */
  full(): void {
    if (this.tso) this.drain(this.agent);
    else this.mb();
  }

  /** `mem.bulk`: atomic words as a full fence, read words seen newest, written words as plain stores (whose values the caller writes next). */
  bulk(addr: number, len: number, how: 'read' | 'write' | 'atomic', hw: boolean): void {
    if (how === 'atomic') return this.full();
    const m = this.m;
    const fo = hw ? MM_MAX_AGENTS + this.agent : this.agent;
    let stamp = -1;
    let view = -1;
    for (let a = addr; a < addr + len; a++) {
      if (!this.modelled(a)) continue;
      if (how === 'read') {
        const r = this.record(a, false);
        if (r >= 0) m[r + R_FLOOR + fo] = m[r + R_N]! - 1;
        continue;
      }
      // A word no store has touched that holds 0 keeps no record: a store over it of the engine's (a table zeroed) changes nothing a load could see.
      if (m[a] === 0 && this.record(a, false) < 0) continue;
      const r = this.record(a, true);
      if (r < 0) continue;
      if (this.tso) {
        this.append(r, 0, -1, 0);
      } else {
        if (stamp < 0) {
          stamp = this.stamp();
          view = this.snapshot(this.cpu + MO_REL, this.cpu + MO_REL_VIEW);
        }
        this.append(r, stamp, view, 0);
      }
    }
  }

  /** The walker is about to walk: it sees what the agent's CPU has stored (a writel's ordering of the DMA it starts). */
  doorbell(): void {
    if (this.tso) return this.drain(this.agent);
    if (this.joinVec(this.hw + MO_VC, this.cpu + MO_VC)) this.touchedVc(this.hw);
  }

  /** A spin: the words of its wait set must next be read newer than they were. */
  spun(addrs: Int32Array, n: number): void {
    for (let k = 0; k < n; k++) {
      const r = this.record(addrs[k]!, false);
      if (r >= 0) this.m[r + R_FLOOR + this.agent] = this.m[r + R_FLOOR + this.agent]! + 1;
    }
  }

  /** A futex wait or wake: fully ordered. */
  futex(): void {
    this.full();
  }

  /** The agent is done: its buffer drains. */
  finish(): void {
    if (this.tso) this.drain(this.agent);
  }
}
