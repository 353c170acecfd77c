import { Labels } from '../sched/labels.js';
import { wordAtomics } from './shared.js';
export class FreeMem {
    words;
    controlled = false;
    constructor(words) {
        this.words = words;
    }
    load(addr, _label) {
        return Atomics.load(this.words, addr);
    }
    store(addr, value, _label) {
        Atomics.store(this.words, addr, value);
    }
    read(addr, _label) {
        return this.words[addr];
    }
    write(addr, value, _label) {
        this.words[addr] = value;
    }
    cas(addr, expected, value, _label) {
        return Atomics.compareExchange(this.words, addr, expected, value);
    }
    exchange(addr, value, _label) {
        return Atomics.exchange(this.words, addr, value);
    }
    add(addr, delta, _label) {
        return Atomics.add(this.words, addr, delta);
    }
    wait(addr, expected, _label) {
        Atomics.wait(this.words, addr, expected);
    }
    notify(addr, count, _label) {
        return Atomics.notify(this.words, addr, count);
    }
    spin(_addr, _label) { }
    point(_label, _arg) { }
}
/**
 * The free-running accessors over a WebAssembly.Memory (shared.ts): the
 * atomic ones call the memory's WebAssembly atomics, a few dozen
 * instructions where `Atomics.*` takes about 130; the rest are FreeMem's.
 * A worker holds one class for its life, so each call site still sees one.
 */
export class WasmMem extends FreeMem {
    a;
    constructor(words, a) {
        super(words);
        this.a = a;
    }
    load(addr, _label) {
        return this.a.load(addr);
    }
    store(addr, value, _label) {
        this.a.store(addr, value);
    }
    cas(addr, expected, value, _label) {
        return this.a.cas(addr, expected, value);
    }
    exchange(addr, value, _label) {
        return this.a.exchange(addr, value);
    }
    add(addr, delta, _label) {
        return this.a.add(addr, delta);
    }
}
/** The free-running accessors for `words`: WebAssembly's atomics when its buffer is a WebAssembly.Memory's, else Atomics.*. */
export function freeMem(words) {
    const a = wordAtomics(words.buffer);
    return a !== null ? new WasmMem(words, a) : new FreeMem(words);
}
/** The accessors under the controlled scheduler: a named point, then the access. */
export class ControlledMem {
    words;
    s;
    controlled = true;
    labels;
    constructor(words, L, s) {
        this.words = words;
        this.s = s;
        this.labels = new Labels(words, L);
    }
    load(addr, label = 'load') {
        this.s.point(this.labels.id(label), addr);
        return Atomics.load(this.words, addr);
    }
    store(addr, value, label = 'store') {
        this.s.point(this.labels.id(label), addr);
        Atomics.store(this.words, addr, value);
    }
    read(addr, label = 'read') {
        this.s.point(this.labels.id(label), addr);
        return this.words[addr];
    }
    write(addr, value, label = 'write') {
        this.s.point(this.labels.id(label), addr);
        this.words[addr] = value;
    }
    cas(addr, expected, value, label = 'cas') {
        this.s.point(this.labels.id(label), addr);
        return Atomics.compareExchange(this.words, addr, expected, value);
    }
    exchange(addr, value, label = 'exchange') {
        this.s.point(this.labels.id(label), addr);
        return Atomics.exchange(this.words, addr, value);
    }
    add(addr, delta, label = 'add') {
        this.s.point(this.labels.id(label), addr);
        return Atomics.add(this.words, addr, delta);
    }
    wait(addr, expected, label = 'futex-wait') {
        this.s.wait(addr, expected, this.labels.id(label));
    }
    notify(addr, count, label = 'futex-wake') {
        const n = this.s.wake(addr, count, this.labels.id(label));
        Atomics.notify(this.words, addr, count);
        return n;
    }
    spin(addr, label = 'spin') {
        this.s.yieldSpin(this.labels.id(label), addr);
    }
    point(label, arg = 0) {
        this.s.point(this.labels.id(label), arg);
    }
    /** The id a label is recorded under (for the engine's own points). */
    id(label) {
        return this.labels.id(label);
    }
}
//# sourceMappingURL=mem.js.map