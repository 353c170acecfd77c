/**
 * The run's shared memory, and the atomics its accessors use.
 *
 * V8 11 (Node 20) does not inline `Atomics.load`, `store`, `exchange`,
 * `compareExchange` or `add` into optimised code: each is a call to a
 * builtin that validates its typed array and index, about 130 instructions
 * (callgrind) for what a CPU does in one. A lock taken and released costs
 * three of them, and an operation of the device loop a dozen: that is
 * overhead the kernel's locks do not have, and it dilutes the contention
 * the harness measures. WebAssembly's atomics (`i32.atomic.load`,
 * `.store`, `.rmw.xchg`, `.rmw.cmpxchg`, `.rmw.add`) compile to the
 * instruction itself, and a call from optimised JavaScript into a small
 * WebAssembly function is a few dozen instructions.
 *
 * So the memory of a run is a shared `WebAssembly.Memory` (its `buffer` is
 * an ordinary SharedArrayBuffer, which every view and `Atomics.wait` and
 * `notify` use as before), and each thread instantiates a five-function
 * module over it (written out below, 130 bytes: no toolchain, no file).
 * Both kinds of atomics are sequentially consistent on the same words: a
 * thread may use either, and `Atomics.*` elsewhere in the harness mixes
 * freely with these. Memory a WebAssembly.Memory cannot hold (over 2 GiB),
 * or `IOMMU_STRESS_JS_ATOMICS=1` in the environment, gives a plain
 * SharedArrayBuffer and the `Atomics.*` accessors.
 */

/**
 * The parts of WebAssembly's JS API used here, declared for this module
 * alone: the package's types need no library beyond ES2022 (no DOM, no
 * @types/node), and these are all it uses.
 */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
};

/** The accessors' atomic operations on word addresses (Int32 indices). */
export interface WordAtomics {
  load(addr: number): number;
  store(addr: number, value: number): void;
  exchange(addr: number, value: number): number;
  cas(addr: number, expected: number, value: number): number;
  add(addr: number, delta: number): number;
}

const PAGE = 65536;
/** Largest memory given to WebAssembly: 2 GiB (word addresses stay below 2^29, so addr << 2 never overflows). */
const MAX_PAGES = 32768;

/* ---- the module, byte by byte ---------------------------------------------- */

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];

/** The module for a memory of `pages` pages (imported as m.mem, shared, exactly that size). */
function moduleBytes(pages: number): Uint8Array {
  const I32 = 0x7f;
  const types = vec([
    [0x60, 1, I32, 1, I32], // (addr) -> i32
    [0x60, 2, I32, I32, 0], // (addr, v) -> ()
    [0x60, 2, I32, I32, 1, I32], // (addr, v) -> i32
    [0x60, 3, I32, I32, I32, 1, I32], // (addr, expected, v) -> i32
  ]);
  // Memory import, limits flag 3: shared, with a maximum.
  const imports = vec([[...name('m'), ...name('mem'), 0x02, 0x03, ...leb(pages), ...leb(pages)]]);
  const exported = ['load', 'store', 'exchange', 'cas', 'add'];
  const funcs = vec([[0], [1], [2], [3], [2]]);
  const exports = vec(exported.map((n, i) => [...name(n), 0x00, i]));
  // local.get 0; i32.const 2; i32.shl: the byte address of word `addr`.
  const at = [0x20, 0, 0x41, 2, 0x74];
  const get = (i: number): number[] => [0x20, i];
  // 0xfe prefix, the atomic opcode, then memarg: align 2 (4 bytes), offset 0.
  const atomic = (op: number): number[] => [0xfe, op, 2, 0];
  const bodies = [
    [...at, ...atomic(0x10)], // i32.atomic.load
    [...at, ...get(1), ...atomic(0x17)], // i32.atomic.store
    [...at, ...get(1), ...atomic(0x41)], // i32.atomic.rmw.xchg
    [...at, ...get(1), ...get(2), ...atomic(0x48)], // i32.atomic.rmw.cmpxchg
    [...at, ...get(1), ...atomic(0x1e)], // i32.atomic.rmw.add
  ].map((code) => {
    const body = [0, ...code, 0x0b]; // no locals, the code, end
    return [...leb(body.length), ...body];
  });
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([...header, ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, vec(bodies))]);
}

/* ---- memories and their atomics, per thread ----------------------------------- */

/** The WebAssembly.Memory behind each buffer this thread knows, and its atomics once made. */
const memories = new WeakMap<SharedArrayBuffer, WasmMemory>();
const atomicsOf = new WeakMap<SharedArrayBuffer, WordAtomics>();
/** The module compiled for each memory size (its import names the exact size), once a thread: explore and the tests open many engines. */
const modules = new Map<number, object>();

const jsAtomicsOnly = (): boolean => process.env.IOMMU_STRESS_JS_ATOMICS === '1';

/** Shared memory of at least `bytes` bytes, zeroed: a WebAssembly.Memory's buffer when it can be. */
export function allocShared(bytes: number): SharedArrayBuffer {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES || jsAtomicsOnly()) return new SharedArrayBuffer(bytes);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const sab = memory.buffer as unknown as SharedArrayBuffer;
  memories.set(sab, memory);
  return sab;
}

/** What a worker needs to use the same memory with the same atomics: the buffer, and its WebAssembly.Memory if it has one. */
export interface SharedHandle {
  sab: SharedArrayBuffer;
  memory: WasmMemory | null;
}

export function handleOf(sab: SharedArrayBuffer): SharedHandle {
  return { sab, memory: memories.get(sab) ?? null };
}

/** In the receiving thread: the buffer to use (the memory's own, so that this thread finds its atomics). */
export function adoptShared(h: SharedHandle): SharedArrayBuffer {
  if (h.memory === null) return h.sab;
  const sab = h.memory.buffer as unknown as SharedArrayBuffer;
  memories.set(sab, h.memory);
  return sab;
}

/** The WebAssembly atomics over `sab`, or null when it is a plain SharedArrayBuffer (the accessors then use Atomics.*). */
export function wordAtomics(sab: SharedArrayBuffer): WordAtomics | null {
  const known = atomicsOf.get(sab);
  if (known) return known;
  const memory = memories.get(sab);
  if (!memory || jsAtomicsOnly()) return null;
  const pages = (sab.byteLength / PAGE) | 0;
  let module = modules.get(pages);
  if (module === undefined) {
    module = new WebAssembly.Module(moduleBytes(pages));
    modules.set(pages, module);
  }
  const instance = new WebAssembly.Instance(module, { m: { mem: memory } });
  const a = instance.exports as unknown as WordAtomics;
  atomicsOf.set(sab, a);
  return a;
}

/** WordAtomics by `Atomics.*`, where WebAssembly's are not there (a plain SharedArrayBuffer, IOMMU_STRESS_JS_ATOMICS). */
class JsWordAtomics implements WordAtomics {
  constructor(private readonly m: Int32Array) {}
  load(addr: number): number {
    return Atomics.load(this.m, addr);
  }
  store(addr: number, value: number): void {
    Atomics.store(this.m, addr, value);
  }
  exchange(addr: number, value: number): number {
    return Atomics.exchange(this.m, addr, value);
  }
  cas(addr: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.m, addr, expected, value);
  }
  add(addr: number, delta: number): number {
    return Atomics.add(this.m, addr, delta);
  }
}

/** The cheapest sequentially consistent atomics over `words` (an Int32Array over a whole shared buffer): WebAssembly's, else Atomics.*. */
export function atomicsOver(words: Int32Array): WordAtomics {
  if (words.byteOffset !== 0) return new JsWordAtomics(words);
  return wordAtomics(words.buffer as SharedArrayBuffer) ?? new JsWordAtomics(words);
}
