/**
 * The one interface every lock algorithm implements (Concurrency Kit style:
 * the same operation names on each, optional abilities declared).
 *
 * A lock is a cache line of 16 Int32 words in the shared memory. Words
 * [0, LOCK_ALGO_WORDS) belong to the algorithm; the harness keeps its own
 * bookkeeping in the last words of the line:
 *
 *   word  0..10  algorithm state (lock word, ticket halves, MCS tail, ...)
 *   word 11      LK_CLOCK   logical clock of the last release (Lamport: traces order by it)
 *   word 12      LK_HOLDER  worker id + 1 of the current holder, 0 when free
 *                           (written by the holder; for the watchdog's report)
 *   word 13      LK_LAST    worker id + 1 of the last holder (bounce counting)
 *   word 14      LK_CLASS   lock class (static, set by the main thread)
 *   word 15      LK_OBJECT  index of the domain or device the lock belongs to
 *
 * `l` is the word index of the lock's line in the shared Int32Array `m`.
 * `node` is the word index of the caller's private queue node (a cache line
 * of its own per worker and lock class); only queue locks (MCS) use it.
 *
 * Implementations must stay small and monomorphic: they run in the device
 * loop's hot path. They never allocate.
 */
export interface LockAlgorithm {
  readonly name: string;
  /** One line for `iommu-stress locks`. */
  readonly summary: string;
  /** Optional abilities (CK's "declared" features). */
  readonly abilities: LockAbilities;
  /** Make the line an unlocked lock. Main thread, before any worker runs. */
  init(m: Int32Array, l: number): void;
  /** Take the lock; may spin or sleep. Only ever called in a worker. */
  lock(m: Int32Array, l: number, node: number): void;
  /** Take the lock if it is free; never waits. */
  trylock(m: Int32Array, l: number, node: number): boolean;
  unlock(m: Int32Array, l: number, node: number): void;
  /** Is the lock held (a racy snapshot, for reports and assertions). */
  locked(m: Int32Array, l: number): boolean;
}

export interface LockAbilities {
  /** Waiters are served in arrival order. */
  readonly fair: boolean;
  /** Waiters may sleep in Atomics.wait instead of spinning. */
  readonly parks: boolean;
  /** Each waiter spins on its own queue node. */
  readonly queued: boolean;
}

/** Words of a lock line, and the harness's bookkeeping slots in it. */
export const LOCK_LINE_WORDS = 16;
export const LOCK_ALGO_WORDS = 11;
export const LK_CLOCK = 11;
export const LK_HOLDER = 12;
export const LK_LAST = 13;
export const LK_CLASS = 14;
export const LK_OBJECT = 15;

/** Words of a queue node (own cache line), and its fields. */
export const QNODE_WORDS = 16;
export const QN_NEXT = 0;
export const QN_LOCKED = 1;
