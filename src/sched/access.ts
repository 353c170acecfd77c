/**
 * What a schedule point does to shared memory, as the search strategies
 * see it: two steps of different agents are dependent (their order can
 * change what happens) when they touch the same word and at least one of
 * them writes it. Every accessor announces its access when it stops at its
 * point, so the decider and the searches know each agent's next access
 * before it is taken (dpor.ts).
 *
 *   none   a point that touches no memory (`mem.point`, an operation's start, a woken sleeper)
 *   read   load, read, a cas that did not swap
 *   write  store, write
 *   rmw    exchange, add, a cas that swapped: a read and a write, ordered with every access of the word
 *   wait   futex wait: reads the word (it sleeps only if the word holds the value it was given)
 *   wake   futex wake: changes who sleeps on the word (dependent with its waits, and, conservatively, with its other accesses)
 *   spin   a spinner passing its point once a word it read changed: reads its wait set (several words)
 *   cas    announced by a cas before it runs: an rmw if the word then holds the value it expects (SW_EXPECT), else a read;
 *          a step records what it did (rmw or read), never cas
 */
export const A_NONE = 0;
export const A_READ = 1;
export const A_WRITE = 2;
export const A_RMW = 3;
export const A_WAIT = 4;
export const A_WAKE = 5;
export const A_SPIN = 6;
export const A_CAS = 7;
export const ACCESS_NAMES = ['none', 'read', 'write', 'rmw', 'wait', 'wake', 'spin', 'cas'] as const;
export type AccessName = (typeof ACCESS_NAMES)[number];

/** Does an access of this kind change its word (for dependency; a cas not yet run may)? */
export const writes = (a: number): boolean => a === A_WRITE || a === A_RMW || a === A_WAKE || a === A_CAS;
/** Does it touch memory at all? */
export const touches = (a: number): boolean => a !== A_NONE;

/**
 * The memory ordering of a step's access, as the Linux kernel names them
 * (tools/memory-model): what the data-race detector (search/races.ts) and
 * the memory models read. A fence is a step with no access whose ordering
 * is the fence.
 *
 *   plain    read, write, bulk: a data access (C's plain accesses; two of them unordered are a data race)
 *   once     READ_ONCE, WRITE_ONCE, a _relaxed read-modify-write, a failed cmpxchg: marked, no ordering
 *   acquire  smp_load_acquire, an _acquire read-modify-write
 *   release  smp_store_release, a _release read-modify-write
 *   full     load, store, cas, exchange, add, futex wait and wake: fully ordered (as a value-returning atomic is)
 *   hw       the IOMMU's own reads (the walk, the IOTLB): marked, an observer of its own, ordered by nothing
 */
export const O_PLAIN = 0;
export const O_ONCE = 1;
export const O_ACQUIRE = 2;
export const O_RELEASE = 3;
export const O_FULL = 4;
export const O_HW = 5;
/** Fences: smp_mb, smp_rmb, smp_wmb, smp_mb__before_atomic, smp_mb__after_atomic. */
export const F_MB = 8;
export const F_RMB = 9;
export const F_WMB = 10;
export const F_MB_BEFORE_ATOMIC = 11;
export const F_MB_AFTER_ATOMIC = 12;
export const ORDER_NAMES: Readonly<Record<number, string>> = {
  [O_PLAIN]: 'plain',
  [O_ONCE]: 'once',
  [O_ACQUIRE]: 'acquire',
  [O_RELEASE]: 'release',
  [O_FULL]: 'full',
  [O_HW]: 'hw',
  [F_MB]: 'mb',
  [F_RMB]: 'rmb',
  [F_WMB]: 'wmb',
  [F_MB_BEFORE_ATOMIC]: 'mb-before-atomic',
  [F_MB_AFTER_ATOMIC]: 'mb-after-atomic',
};
/** `mem.fence(kind)`'s kinds, as the ordering each is recorded under. */
export const FENCES = { mb: F_MB, rmb: F_RMB, wmb: F_WMB, 'mb-before-atomic': F_MB_BEFORE_ATOMIC, 'mb-after-atomic': F_MB_AFTER_ATOMIC } as const;
export type FenceKind = keyof typeof FENCES;
export const isFence = (o: number): boolean => o >= F_MB;
