/**
 * x86-TSO (Owens, Sarkar, Sewell 2009), with the kernel's x86 mapping of
 * its primitives. Each process has a FIFO store buffer: a store goes into
 * it, and the oldest entry drains to memory whenever the model chooses
 * (`internal`). A load reads the process's own newest buffered store of
 * its location, else memory: so a load can pass the process's earlier
 * stores to other locations (store buffering), and nothing else reorders.
 *
 * What needs the buffer empty (the process has no step until it has
 * drained): smp_mb (mfence), and every read-modify-write, relaxed forms
 * and the value-less atomic_inc alike, because x86 implements them all
 * with a lock-prefixed instruction, which drains the buffer; spin_lock and
 * spin_trylock likewise (a locked cmpxchg). Free on x86, so no-ops here:
 * smp_rmb, smp_wmb, smp_mb__before_atomic/after_atomic, smp_mb__after_spinlock,
 * smp_mb__after_unlock_lock, barrier, and acquire/release (plain moves, as
 * TSO keeps load-load, load-store and store-store order). spin_unlock is a
 * release store of LOCK_FREE: it goes through the buffer.
 */
import { type Access, INIT_WRITE, LOCK_FREE, LOCK_HELD, type MemoryModel, type Outcome, type ReadResult, type EventId } from '../model.js';

export interface Buffered {
  readonly loc: number;
  readonly value: number;
  readonly id: EventId;
}

export interface TsoState {
  readonly memory: readonly number[];
  /** Per process, its buffered stores, oldest first. */
  readonly buffers: readonly (readonly Buffered[])[];
  /** Each location's writes in the order they reached memory: its coherence order. */
  readonly co: readonly (readonly EventId[])[];
}

function toMemory(s: TsoState, loc: number, value: number, id: EventId): Pick<TsoState, 'memory' | 'co'> {
  const memory = s.memory.slice();
  memory[loc] = value;
  const co = s.co.slice();
  co[loc] = [...s.co[loc]!, id];
  return { memory, co };
}

const buffer = (s: TsoState, proc: number, entry: Buffered): TsoState => {
  const buffers = s.buffers.slice();
  buffers[proc] = [...s.buffers[proc]!, entry];
  return { ...s, buffers };
};

/** What memory says of a location (for accesses that go to memory: RMWs, locks). */
const fromMemory = (s: TsoState, loc: number): ReadResult => ({ value: s.memory[loc]!, from: s.co[loc]!.at(-1) ?? INIT_WRITE });

/** A load: the process's newest buffered store of the location, else memory. */
function load(s: TsoState, proc: number, loc: number): ReadResult {
  const own = s.buffers[proc]!;
  for (let i = own.length - 1; i >= 0; i--) {
    const e = own[i]!;
    if (e.loc === loc) return { value: e.value, from: e.id };
  }
  return fromMemory(s, loc);
}

const drained = (s: TsoState, proc: number): boolean => s.buffers[proc]!.length === 0;

export const tso: MemoryModel<TsoState> = {
  name: 'tso',
  initial: (memory, processes) => ({ memory: memory.slice(), buffers: Array.from({ length: processes }, () => []), co: memory.map(() => []) }),
  step(s: TsoState, proc: number, a: Access): readonly Outcome<TsoState>[] {
    switch (a.kind) {
      case 'load':
      case 'islocked':
        return [{ state: s, read: load(s, proc, a.loc) }];
      case 'store':
        return [{ state: buffer(s, proc, { loc: a.loc, value: a.value, id: a.id }) }];
      case 'unlock':
        return [{ state: buffer(s, proc, { loc: a.loc, value: LOCK_FREE, id: a.id }) }];
      case 'fence':
        return a.fence === 'mb' && !drained(s, proc) ? [] : [{ state: s }];
      case 'rmw': {
        if (!drained(s, proc)) return [];
        const read = fromMemory(s, a.loc);
        const next = a.update(read.value);
        return [{ state: next === null ? s : { ...s, ...toMemory(s, a.loc, next, a.id) }, read }];
      }
      case 'lock':
        if (!drained(s, proc) || s.memory[a.loc] !== LOCK_FREE) return [];
        return [{ state: { ...s, ...toMemory(s, a.loc, LOCK_HELD, a.id) }, read: fromMemory(s, a.loc) }];
      case 'trylock': {
        if (!drained(s, proc)) return [];
        const read = fromMemory(s, a.loc);
        return [{ state: read.value === LOCK_FREE ? { ...s, ...toMemory(s, a.loc, LOCK_HELD, a.id) } : s, read }];
      }
    }
  },
  internal(s: TsoState): readonly TsoState[] {
    const out: TsoState[] = [];
    s.buffers.forEach((b, proc) => {
      const [oldest, ...rest] = b;
      if (!oldest) return;
      const buffers = s.buffers.slice();
      buffers[proc] = rest;
      out.push({ ...toMemory(s, oldest.loc, oldest.value, oldest.id), buffers });
    });
    return out;
  },
  settled: (s) => s.buffers.every((b) => b.length === 0),
  memory: (s) => s.memory,
  coherence: (s) => s.co,
  key: (s) =>
    `${s.memory.join(',')}|${s.buffers.map((b) => b.map((e) => `${e.loc}=${e.value}@${e.id}`).join(' ')).join('/')}|${s.co.map((c) => c.join(' ')).join('/')}`,
};
