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
import type { Mem } from '../api/types.js';
import { Labels } from '../sched/labels.js';
import { A_NONE, A_READ, A_RMW, A_WRITE } from '../sched/access.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { Layout } from './layout.js';
import { type WordAtomics, atomicsOver, wordAtomics } from './shared.js';

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
  bulk(_addr: number, _words: number, _how: 'read' | 'write', _label?: string): void {}
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
  constructor(
    readonly words: Int32Array,
    L: Layout,
    private readonly s: Scheduler,
  ) {
    this.labels = new Labels(words, L);
    this.a = atomicsOver(words);
  }
  load(addr: number, label = 'load'): number {
    this.s.point(this.labels.id(label), addr, A_READ);
    const v = this.a.load(addr);
    this.s.saw(addr, v);
    return v;
  }
  store(addr: number, value: number, label = 'store'): void {
    this.s.point(this.labels.id(label), addr, A_WRITE);
    this.a.store(addr, value);
    this.s.saw(addr, value);
  }
  read(addr: number, label = 'read'): number {
    this.s.point(this.labels.id(label), addr, A_READ);
    const v = this.words[addr]!;
    this.s.saw(addr, v);
    return v;
  }
  write(addr: number, value: number, label = 'write'): void {
    this.s.point(this.labels.id(label), addr, A_WRITE);
    this.words[addr] = value;
    this.s.saw(addr, value);
  }
  cas(addr: number, expected: number, value: number, label = 'cas'): number {
    this.s.pointCas(this.labels.id(label), addr, expected);
    const old = this.a.cas(addr, expected, value);
    this.s.casDid(old === expected);
    this.s.saw(addr, old === expected ? value : old);
    return old;
  }
  exchange(addr: number, value: number, label = 'exchange'): number {
    this.s.point(this.labels.id(label), addr, A_RMW);
    const old = this.a.exchange(addr, value);
    this.s.saw(addr, value);
    return old;
  }
  add(addr: number, delta: number, label = 'add'): number {
    this.s.point(this.labels.id(label), addr, A_RMW);
    const old = this.a.add(addr, delta);
    this.s.saw(addr, (old + delta) | 0);
    return old;
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
    this.s.point(this.labels.id(label), arg, A_NONE);
  }
  bulk(addr: number, words: number, how: 'read' | 'write', label = 'bulk'): void {
    this.s.pointBulk(this.labels.id(label), addr, words, how === 'write' ? A_WRITE : A_READ);
  }
  /** The id a label is recorded under (for the engine's own points). */
  id(label: string): number {
    return this.labels.id(label);
  }
}
