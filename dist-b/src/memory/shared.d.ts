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
/** The accessors' atomic operations on word addresses (Int32 indices). */
export interface WordAtomics {
    load(addr: number): number;
    store(addr: number, value: number): void;
    exchange(addr: number, value: number): number;
    cas(addr: number, expected: number, value: number): number;
    add(addr: number, delta: number): number;
}
/** Shared memory of at least `bytes` bytes, zeroed: a WebAssembly.Memory's buffer when it can be. */
export declare function allocShared(bytes: number): SharedArrayBuffer;
/** What a worker needs to use the same memory with the same atomics: the buffer, and its WebAssembly.Memory if it has one. */
export interface SharedHandle {
    sab: SharedArrayBuffer;
    memory: WasmMemory | null;
}
export declare function handleOf(sab: SharedArrayBuffer): SharedHandle;
/** In the receiving thread: the buffer to use (the memory's own, so that this thread finds its atomics). */
export declare function adoptShared(h: SharedHandle): SharedArrayBuffer;
/** The WebAssembly atomics over `sab`, or null when it is a plain SharedArrayBuffer (the accessors then use Atomics.*). */
export declare function wordAtomics(sab: SharedArrayBuffer): WordAtomics | null;
