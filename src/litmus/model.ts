/**
 * What the explorer asks of a memory model. The explorer owns the
 * processes (their code, program counters, registers) and decides who
 * steps next; the model owns shared memory and everything model-specific
 * about it (SC: one memory; TSO: a FIFO store buffer per process; a
 * view-based weak model: messages with timestamps and per-process views).
 *
 * A step offers every way the access can go: none (the process cannot take
 * it now: a lock held elsewhere, a fence waiting for its buffer to drain),
 * one (SC), or several (a weak model's load may read any message its view
 * allows). `internal` offers the steps the model takes on its own, between
 * any two process steps (TSO's buffer drains; a weak model might have
 * none). A run ends when every process has finished and the model is
 * `settled`; its final memory is then read with `memory`.
 *
 * Every access carries an event id from the explorer, and a read says
 * which write it read from; with `coherence` (each location's writes in
 * coherence order) that is the execution as herd counts executions:
 * reads-from and coherence, the two relations a candidate execution picks.
 *
 * Every access also carries its dependencies (`deps`): the reads its
 * operands were computed from (data), and the reads that the conditions of
 * the if statements it is inside were computed from (ctrl). SC and TSO need
 * neither; a weak model does, since LKMM orders a read before a write that
 * depends on it (LB+fencembonceonce+ctrlonceonce, dep+plain). Through
 * memory (a plain store, then a load of it) a dependency is the model's to
 * follow: the load is a read of its own.
 */
import type { FenceKind, LoadOrder, RmwOrder, StoreOrder } from './ast.js';

/** An access's id: `P:i`, process P's instruction i (each runs at most once: no loops); the initial writes are INIT_WRITE. */
export type EventId = string;
export const INIT_WRITE: EventId = 'init';

/** The reads (by event id) an access depends on. */
export interface Deps {
  /** Those its operands (the value stored, an RMW's operands) were computed from. */
  readonly data: readonly EventId[];
  /** Those the conditions of the if statements (and `&&`/`||` left sides) it is inside were computed from. */
  readonly ctrl: readonly EventId[];
}

/** What every access has: its id and its dependencies. */
interface AccessCommon {
  readonly id: EventId;
  readonly deps: Deps;
}

/** The value a lock word holds: spin_lock waits for FREE and writes HELD. */
export const LOCK_FREE = 0;
export const LOCK_HELD = 1;

/**
 * A read-modify-write's new value from the old one, or null when it writes
 * nothing (a cmpxchg whose comparison failed: then it is only a read).
 */
export type RmwUpdate = (old: number) => number | null;

/** One access, with its values computed: locations are indices into the test's location list. */
export type Access = AccessCommon &
  (
    | { readonly kind: 'load'; readonly loc: number; readonly order: LoadOrder }
    | { readonly kind: 'store'; readonly loc: number; readonly value: number; readonly order: StoreOrder }
    | { readonly kind: 'rmw'; readonly loc: number; readonly order: RmwOrder; readonly update: RmwUpdate }
    | { readonly kind: 'fence'; readonly fence: FenceKind }
    /** spin_lock: an acquire that waits until the word is LOCK_FREE, then writes LOCK_HELD. */
    | { readonly kind: 'lock'; readonly loc: number }
    /** spin_unlock: a release store of LOCK_FREE. */
    | { readonly kind: 'unlock'; readonly loc: number }
    /** spin_trylock: writes LOCK_HELD if the word is LOCK_FREE, else only reads it; never waits. */
    | { readonly kind: 'trylock'; readonly loc: number }
    /** spin_is_locked: a read of the lock word. */
    | { readonly kind: 'islocked'; readonly loc: number }
  );

/** What a read saw: the value and the write it came from. */
export interface ReadResult {
  readonly value: number;
  readonly from: EventId;
}

/** One way an access can go: the model's state after it, and what it read (for accesses that read). */
export interface Outcome<S> {
  readonly state: S;
  readonly read?: ReadResult;
}

export interface MemoryModel<S> {
  /** The name results carry: `sc`, `tso`. */
  readonly name: string;
  /** The state before any process runs; `memory[i]` is location i's initial value. */
  initial(memory: readonly number[], processes: number): S;
  /** Every way process `proc` can take `access` now; none when it cannot. */
  step(state: S, proc: number, access: Access): readonly Outcome<S>[];
  /** The steps the model can take on its own now. */
  internal(state: S): readonly S[];
  /** Nothing is left pending: with every process finished, the run is over. */
  settled(state: S): boolean;
  /** Each location's final value (asked of settled states). */
  memory(state: S): readonly number[];
  /** Each location's writes in coherence order, initial write left out (asked of settled states). */
  coherence(state: S): readonly (readonly EventId[])[];
  /** A text equal for equal states and different otherwise: the explorer merges states by it. */
  key(state: S): string;
  /**
   * The explorer may also offer a process's later plain/once store ahead of
   * its turn, when nothing orders it after the accesses before it (run.ts,
   * `earlyStores`): a weak model's load buffering. SC and TSO leave it out.
   */
  readonly reordersWrites?: boolean;
}
