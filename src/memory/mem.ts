/**
 * The implementations of the accessors (api/types.ts `Mem`).
 *
 * A worker gets one of them for its whole life. Free running: `WasmMem`
 * over a run's WebAssembly.Memory (its atomics are WebAssembly's, see
 * shared.ts), or `FreeMem` over a plain SharedArrayBuffer (`Atomics.*`);
 * each accessor is the bare access and inlines to it (the label argument
 * is never read). Under the controlled scheduler, `ControlledMem`, where
 * each accessor first stops at a schedule point named by its label. Every
 * call site in a design's code therefore sees one class, and a free-running
 * run pays nothing for the points: no build step takes them out, there is
 * nothing to take out.
 */
import type { BulkAccess, FenceKind, Mem } from '../api/types.js';
import { Labels } from '../sched/labels.js';
import { A_NONE, A_READ, A_RMW, A_WRITE, FENCES, O_ACQUIRE, O_FULL, O_HW, O_ONCE, O_PLAIN, O_RELEASE } from '../sched/access.js';
import type { Scheduler } from '../sched/scheduler.js';
import { type Layout, MM_SC } from './layout.js';
import { MemoryModel } from './model.js';
import { type WordAtomics, atomicsOver, wordAtomics } from './shared.js';

const unknownFence = (kind: unknown): TypeError => new TypeError(`mem.fence: unknown kind ${JSON.stringify(kind)} (allowed: ${Object.keys(FENCES).join(', ')})`);

export class FreeMem implements Mem {
  readonly controlled = false;
  constructor(readonly words: Int32Array) {}
  load(addr: number, _label?: string): number {
    return Atomics.load(this.words, addr);
  }
  store(addr: number, value: number, _label?: string): void {
    Atomics.store(this.words, addr, value);
  }
  read(addr: number, _label?: string): number {
    return this.words[addr]!;
  }
  write(addr: number, value: number, _label?: string): void {
    this.words[addr] = value;
  }
  cas(addr: number, expected: number, value: number, _label?: string): number {
    return Atomics.compareExchange(this.words, addr, expected, value);
  }
  exchange(addr: number, value: number, _label?: string): number {
    return Atomics.exchange(this.words, addr, value);
  }
  add(addr: number, delta: number, _label?: string): number {
    return Atomics.add(this.words, addr, delta);
  }
  wait(addr: number, expected: number, _label?: string): void {
    Atomics.wait(this.words, addr, expected);
  }
  notify(addr: number, count: number, _label?: string): number {
    return Atomics.notify(this.words, addr, count);
  }
  spin(_addr: number, _label?: string): void {}
  point(_label: string, _arg?: number): void {}
  bulk(_addr: number, _words: number, _how: BulkAccess, _label?: string): void {}
  /*
   * The kernel's orderings, free running. JavaScript's atomics are all
   * sequentially consistent and its plain accesses promise nothing, so:
   * a marked read is an atomic load (a plain mov on x86 and a load-acquire
   * on Arm: a compiler may not fuse or hoist it, as READ_ONCE forbids); a
   * marked write is a plain store (JavaScript never tears an aligned word);
   * acquire and release are the atomic load and store; the read-modify-
   * writes are the fully ordered ones; a full fence is an atomic add on a
   * word of the worker's own (a locked add on x86, a full barrier on Arm),
   * rmb and wmb an atomic load of it, which no compiler moves memory
   * accesses across (on x86 they are only that: compiler barriers), and the
   * fences around an atomic nothing (JavaScript's atomics are full barriers).
   */
  readOnce(addr: number, _label?: string): number {
    return Atomics.load(this.words, addr);
  }
  writeOnce(addr: number, value: number, _label?: string): void {
    this.words[addr] = value;
  }
  loadAcquire(addr: number, _label?: string): number {
    return Atomics.load(this.words, addr);
  }
  storeRelease(addr: number, value: number, _label?: string): void {
    Atomics.store(this.words, addr, value);
  }
  fence(kind: FenceKind, _label?: string): void {
    if (kind === 'mb') Atomics.add(this.fenceWord, 0, 1);
    else if (kind === 'rmb' || kind === 'wmb') Atomics.load(this.fenceWord, 0);
    else if (kind !== 'mb-before-atomic' && kind !== 'mb-after-atomic') throw unknownFence(kind);
  }
  casRelaxed(addr: number, expected: number, value: number, label?: string): number {
    return this.cas(addr, expected, value, label);
  }
  casAcquire(addr: number, expected: number, value: number, label?: string): number {
    return this.cas(addr, expected, value, label);
  }
  casRelease(addr: number, expected: number, value: number, label?: string): number {
    return this.cas(addr, expected, value, label);
  }
  exchangeRelaxed(addr: number, value: number, label?: string): number {
    return this.exchange(addr, value, label);
  }
  exchangeAcquire(addr: number, value: number, label?: string): number {
    return this.exchange(addr, value, label);
  }
  exchangeRelease(addr: number, value: number, label?: string): number {
    return this.exchange(addr, value, label);
  }
  addRelaxed(addr: number, delta: number, label?: string): number {
    return this.add(addr, delta, label);
  }
  addAcquire(addr: number, delta: number, label?: string): number {
    return this.add(addr, delta, label);
  }
  addRelease(addr: number, delta: number, label?: string): number {
    return this.add(addr, delta, label);
  }
  /** The word a fence's atomic touches: the worker's own, so fences of two workers never share a line. */
  private readonly fenceWord = new Int32Array(new SharedArrayBuffer(64));
}

/**
 * The free-running accessors over a WebAssembly.Memory (shared.ts): the
 * atomic ones call the memory's WebAssembly atomics, a few dozen
 * instructions where `Atomics.*` takes about 130; the rest are FreeMem's.
 * A worker holds one class for its life, so each call site still sees one.
 */
export class WasmMem extends FreeMem {
  constructor(
    words: Int32Array,
    private readonly a: WordAtomics,
  ) {
    super(words);
  }
  override load(addr: number, _label?: string): number {
    return this.a.load(addr);
  }
  override store(addr: number, value: number, _label?: string): void {
    this.a.store(addr, value);
  }
  override cas(addr: number, expected: number, value: number, _label?: string): number {
    return this.a.cas(addr, expected, value);
  }
  override exchange(addr: number, value: number, _label?: string): number {
    return this.a.exchange(addr, value);
  }
  override add(addr: number, delta: number, _label?: string): number {
    return this.a.add(addr, delta);
  }
  override readOnce(addr: number, _label?: string): number {
    return this.a.load(addr);
  }
  override loadAcquire(addr: number, _label?: string): number {
    return this.a.load(addr);
  }
  override storeRelease(addr: number, value: number, _label?: string): void {
    this.a.store(addr, value);
  }
}

/** The free-running accessors for `words`: WebAssembly's atomics when its buffer is a WebAssembly.Memory's, else Atomics.*. */
export function freeMem(words: Int32Array): Mem {
  const a = wordAtomics(words.buffer as SharedArrayBuffer);
  return a !== null ? new WasmMem(words, a) : new FreeMem(words);
}

/**
 * The accessors under the controlled scheduler: a named point announcing
 * its access (sched/access.ts), then the access, whose value goes into the
 * step and into the agent's wait set (what a spin waits on).
 */
export class ControlledMem implements Mem {
  readonly controlled = true;
  private readonly labels: Labels;
  /** The accesses themselves: WebAssembly's atomics where there are, as free running. */
  private readonly a: WordAtomics;
  /** The run's memory model under tso or weak (memory/model.ts); null under sc, where every access is the word's own. */
  private readonly mm: MemoryModel | null;
  constructor(
    readonly words: Int32Array,
    L: Layout,
    private readonly s: Scheduler,
  ) {
    this.labels = new Labels(words, L);
    this.a = atomicsOver(words);
    this.mm = L.model === MM_SC ? null : new MemoryModel(words, L, s.agent, () => s.stepNow());
    s.model = this.mm;
  }
  /**
   * The IOMMU's own reads (the driver's walk, the IOTLB) are made while this
   * is set: marked, unordered (an observer of their own), whatever accessor
   * the walk's code calls. Set by the engine around them (`walkBegin`).
   */
  hardware = false;
  /** The IOMMU starts a walk for this agent's device: its reads are the hardware's, and (tso, weak) it sees what the agent stored before (a doorbell's ordering). */
  walkBegin(): void {
    this.hardware = true;
    this.mm?.doorbell();
  }
  walkEnd(): void {
    this.hardware = false;
  }
  private rd(addr: number, label: string, order: number): number {
    this.s.point(this.labels.id(label), addr, A_READ, this.hardware ? O_HW : order);
    const v = this.mm === null ? this.a.load(addr) : this.mm.read(addr, order, this.hardware);
    this.s.saw(addr, v);
    return v;
  }
  private wr(addr: number, value: number, label: string, order: number): void {
    this.s.point(this.labels.id(label), addr, A_WRITE, this.hardware ? O_HW : order);
    if (this.mm === null) this.a.store(addr, value);
    else this.mm.write(addr, value, order);
    this.s.saw(addr, value);
  }
  private cx(addr: number, expected: number, value: number, label: string, order: number): number {
    this.s.pointCas(this.labels.id(label), addr, expected, order);
    this.mm?.rmwBegin(addr);
    const old = this.a.cas(addr, expected, value);
    this.mm?.rmwEnd(addr, old === expected ? order : O_ONCE, old, old === expected);
    this.s.casDid(old === expected);
    this.s.saw(addr, old === expected ? value : old);
    return old;
  }
  private xc(addr: number, value: number, label: string, order: number): number {
    this.s.point(this.labels.id(label), addr, A_RMW, order);
    this.mm?.rmwBegin(addr);
    const old = this.a.exchange(addr, value);
    this.mm?.rmwEnd(addr, order, old, true);
    this.s.saw(addr, value);
    return old;
  }
  private ad(addr: number, delta: number, label: string, order: number): number {
    this.s.point(this.labels.id(label), addr, A_RMW, order);
    this.mm?.rmwBegin(addr);
    const old = this.a.add(addr, delta);
    this.mm?.rmwEnd(addr, order, old, true);
    this.s.saw(addr, (old + delta) | 0);
    return old;
  }
  load(addr: number, label = 'load'): number {
    return this.rd(addr, label, O_FULL);
  }
  store(addr: number, value: number, label = 'store'): void {
    this.wr(addr, value, label, O_FULL);
  }
  read(addr: number, label = 'read'): number {
    return this.rd(addr, label, O_PLAIN);
  }
  write(addr: number, value: number, label = 'write'): void {
    this.wr(addr, value, label, O_PLAIN);
  }
  readOnce(addr: number, label = 'read-once'): number {
    return this.rd(addr, label, O_ONCE);
  }
  writeOnce(addr: number, value: number, label = 'write-once'): void {
    this.wr(addr, value, label, O_ONCE);
  }
  loadAcquire(addr: number, label = 'load-acquire'): number {
    return this.rd(addr, label, O_ACQUIRE);
  }
  storeRelease(addr: number, value: number, label = 'store-release'): void {
    this.wr(addr, value, label, O_RELEASE);
  }
  fence(kind: FenceKind, label: string = kind): void {
    const f = FENCES[kind];
    if (f === undefined) throw unknownFence(kind);
    this.s.point(this.labels.id(label), 0, A_NONE, f);
    this.mm?.fence(f);
  }
  cas(addr: number, expected: number, value: number, label = 'cas'): number {
    return this.cx(addr, expected, value, label, O_FULL);
  }
  casRelaxed(addr: number, expected: number, value: number, label = 'cas-relaxed'): number {
    return this.cx(addr, expected, value, label, O_ONCE);
  }
  casAcquire(addr: number, expected: number, value: number, label = 'cas-acquire'): number {
    return this.cx(addr, expected, value, label, O_ACQUIRE);
  }
  casRelease(addr: number, expected: number, value: number, label = 'cas-release'): number {
    return this.cx(addr, expected, value, label, O_RELEASE);
  }
  exchange(addr: number, value: number, label = 'exchange'): number {
    return this.xc(addr, value, label, O_FULL);
  }
  exchangeRelaxed(addr: number, value: number, label = 'exchange-relaxed'): number {
    return this.xc(addr, value, label, O_ONCE);
  }
  exchangeAcquire(addr: number, value: number, label = 'exchange-acquire'): number {
    return this.xc(addr, value, label, O_ACQUIRE);
  }
  exchangeRelease(addr: number, value: number, label = 'exchange-release'): number {
    return this.xc(addr, value, label, O_RELEASE);
  }
  add(addr: number, delta: number, label = 'add'): number {
    return this.ad(addr, delta, label, O_FULL);
  }
  addRelaxed(addr: number, delta: number, label = 'add-relaxed'): number {
    return this.ad(addr, delta, label, O_ONCE);
  }
  addAcquire(addr: number, delta: number, label = 'add-acquire'): number {
    return this.ad(addr, delta, label, O_ACQUIRE);
  }
  addRelease(addr: number, delta: number, label = 'add-release'): number {
    return this.ad(addr, delta, label, O_RELEASE);
  }
  wait(addr: number, expected: number, label = 'futex-wait'): void {
    this.s.wait(addr, expected, this.labels.id(label));
  }
  notify(addr: number, count: number, label = 'futex-wake'): number {
    const n = this.s.wake(addr, count, this.labels.id(label));
    Atomics.notify(this.words, addr, count);
    return n;
  }
  spin(addr: number, label = 'spin'): void {
    this.s.spin(this.labels.id(label), addr);
  }
  point(label: string, arg = 0): void {
    this.s.point(this.labels.id(label), arg, A_NONE, O_PLAIN);
  }
  bulk(addr: number, words: number, how: BulkAccess, label = 'bulk'): void {
    const access = how === 'atomic' ? A_RMW : how === 'write' ? A_WRITE : A_READ;
    this.s.pointBulk(this.labels.id(label), addr, words, access, this.hardware ? O_HW : how === 'atomic' ? O_FULL : O_PLAIN);
    this.mm?.bulk(addr, words, how, this.hardware);
  }
  /** The id a label is recorded under (for the engine's own points). */
  id(label: string): number {
    return this.labels.id(label);
  }
}
