/**
 * A weak, view-based model approximating the Linux kernel memory model
 * (LKMM) operationally, in the style of Promising-lite / c11tester / loom.
 *
 * Memory is, per location, its writes in coherence order (messages), each
 * with its value and the writer's "message view": what a reader that
 * synchronises with it (an acquire, or a later smp_rmb/smp_mb) must see
 * at least. A view is, per location, a write (the newest the holder must
 * not read older than); views are compared by position in the location's
 * coherence order.
 *
 * Each process has
 * - `cur`: its view. A read may read any write of the location at or
 *   after `cur[loc]` (a choice the explorer enumerates), and raises
 *   `cur[loc]` to it (coherence). A write goes anywhere after `cur[loc]`
 *   in coherence order (not only at the end: so S+poonceonces), but never
 *   between an RMW and the write it read (atomicity).
 * - `acq`: the join of the message views of every write it read: smp_rmb
 *   (and smp_mb) join it into `cur` (an acquire fence).
 * - `rel`: the view its relaxed writes carry: smp_wmb adds the process's
 *   own earlier writes (wmb orders writes before writes, and is not
 *   A-cumulative in LKMM); smp_mb makes it `cur` (A-cumulative).
 * - `own`: its own newest write per location (for smp_wmb).
 *
 * Acquire reads (smp_load_acquire, _acquire RMWs, spin_lock, a successful
 * spin_trylock) join the message view of what they read into `cur`;
 * release writes (smp_store_release, _release RMWs, spin_unlock) carry
 * `cur`. smp_mb is also the SC fence: a global view every mb joins both
 * ways (so SB, R, IRIW with mb are forbidden). Fully ordered RMWs (the
 * unsuffixed value-returning ones) are an mb, an acquire-release RMW, an
 * mb; a failed cmpxchg only reads (relaxed, as in LKMM). RMWs read a
 * write not yet followed by an RMW and go immediately after it; spin_lock
 * waits (no step) until such a write is LOCK_FREE. The other fences
 * (smp_mb__before_atomic, __after_atomic, __after_spinlock,
 * __after_unlock_lock) are taken as smp_mb: at least as strong as LKMM's;
 * barrier() orders nothing here.
 *
 * A view model whose processes run their accesses in program order
 * forbids load buffering; LKMM allows it (LB+poonceonces). So this model
 * sets `reordersWrites`: the explorer may run a later plain/once store
 * before earlier accesses of its process when nothing orders them (no
 * fence, acquire, conditional or same-location access between; no data
 * dependency on a read not yet run); see run.ts. Dependencies are
 * otherwise not looked at: reads are not reordered.
 */
import { type Access, type EventId, INIT_WRITE, LOCK_FREE, LOCK_HELD, type MemoryModel, type Outcome } from '../model.js';

/** Per location, a write id. */
type View = readonly EventId[];

export interface Message {
  readonly id: EventId;
  readonly value: number;
  /** The writer's view it carries (including itself). */
  readonly view: View;
  /** Written by a read-modify-write: nothing may go between it and the write before it. */
  readonly rmw: boolean;
}

export interface WeakThread {
  readonly cur: View;
  readonly acq: View;
  readonly rel: View;
  readonly own: View;
  /** The view its last spin_unlock carried (the initial view before any). */
  readonly unl: View;
}

export interface WeakState {
  /** Per location, its writes in coherence order, the initial one first. */
  readonly msgs: readonly (readonly Message[])[];
  readonly threads: readonly WeakThread[];
  /** The SC fences' view. */
  readonly sc: View;
}

const pos = (s: WeakState, loc: number, id: EventId): number => s.msgs[loc]!.findIndex((m) => m.id === id);

/** The later of two writes of each location. */
function join(s: WeakState, a: View, b: View): View {
  let out: EventId[] | null = null;
  for (let loc = 0; loc < a.length; loc++) {
    if (a[loc] === b[loc]) continue;
    if (pos(s, loc, b[loc]!) > pos(s, loc, a[loc]!)) {
      out ??= a.slice();
      out[loc] = b[loc]!;
    }
  }
  return out ?? a;
}

function raised(s: WeakState, v: View, loc: number, id: EventId): View {
  if (pos(s, loc, id) <= pos(s, loc, v[loc]!)) return v;
  const out = v.slice();
  out[loc] = id;
  return out;
}

const withThread = (s: WeakState, proc: number, t: WeakThread): WeakState => {
  const threads = s.threads.slice();
  threads[proc] = t;
  return { ...s, threads };
};

/** smp_mb: an acquire fence, the SC fence, a release fence. */
function mb(s: WeakState, proc: number): WeakState {
  const t = s.threads[proc]!;
  const cur = join(s, join(s, t.cur, t.acq), s.sc);
  const sc = join(s, s.sc, cur);
  return { ...withThread(s, proc, { ...t, cur, rel: cur }), sc };
}

/** A read of message i of `loc`: relaxed or acquire. */
function read(s: WeakState, proc: number, loc: number, m: Message, acquire: boolean): WeakState {
  const t = s.threads[proc]!;
  const cur = acquire ? join(s, raised(s, t.cur, loc, m.id), m.view) : raised(s, t.cur, loc, m.id);
  return withThread(s, proc, { ...t, cur, acq: join(s, t.acq, m.view) });
}

/** The messages process `proc` may read of `loc`, with their positions. */
function readable(s: WeakState, proc: number, loc: number): { m: Message; i: number }[] {
  const list = s.msgs[loc]!;
  const from = pos(s, loc, s.threads[proc]!.cur[loc]!);
  const out: { m: Message; i: number }[] = [];
  for (let i = from; i < list.length; i++) out.push({ m: list[i]!, i });
  return out;
}

/** A write of `value` at position `at` of `loc`'s coherence order (after message at-1), release or relaxed. */
function writeAt(s: WeakState, proc: number, loc: number, at: number, id: EventId, value: number, release: boolean, rmw: boolean): WeakState {
  const msgs = s.msgs.slice();
  const list = s.msgs[loc]!.slice();
  const t0 = s.threads[proc]!;
  const base = release ? t0.cur : t0.rel;
  const view = base.slice();
  view[loc] = id;
  list.splice(at, 0, { id, value, view, rmw });
  msgs[loc] = list;
  const s1: WeakState = { ...s, msgs };
  const own = t0.own.slice();
  own[loc] = id;
  const cur = t0.cur.slice();
  cur[loc] = id;
  return withThread(s1, proc, { ...t0, cur, own });
}

/** Every place a plain (non-RMW) write may go: after the process's view, not just before an RMW's write. */
function plainWrites(s: WeakState, proc: number, loc: number, id: EventId, value: number, release: boolean): Outcome<WeakState>[] {
  const list = s.msgs[loc]!;
  const from = pos(s, loc, s.threads[proc]!.cur[loc]!);
  const out: Outcome<WeakState>[] = [];
  for (let at = from + 1; at <= list.length; at++) {
    if (at < list.length && list[at]!.rmw) continue;
    out.push({ state: writeAt(s, proc, loc, at, id, value, release, false) });
  }
  return out;
}

/** A read-modify-write: reads a write not followed by an RMW's, goes right after it. */
function rmw(s: WeakState, proc: number, loc: number, id: EventId, update: (old: number) => number | null, acquire: boolean, release: boolean): Outcome<WeakState>[] {
  const list = s.msgs[loc]!;
  const out: Outcome<WeakState>[] = [];
  for (const { m, i } of readable(s, proc, loc)) {
    const next = update(m.value);
    const result = { value: m.value, from: m.id };
    if (next === null) {
      out.push({ state: read(s, proc, loc, m, false), read: result });
      continue;
    }
    if (i + 1 < list.length && list[i + 1]!.rmw) continue;
    const r = read(s, proc, loc, m, acquire);
    out.push({ state: writeAt(r, proc, loc, i + 1, id, next, release, true), read: result });
  }
  return out;
}

/**
 * LKMM's po-unlock-lock-po (po ; [UL] ; (po|rf) ; [LKR] ; po): a cumul-fence
 * and, within a process, a fence. After a lock that read an unlock (of any
 * process), the process's writes carry that unlock's view; after a lock
 * following its own earlier unlock (of any lock), they carry that unlock's
 * view and its later reads see what its earlier reads' writers saw (as
 * after smp_rmb).
 */
function unlockLock(s: WeakState, proc: number, loc: number, from: EventId): WeakState {
  const t = s.threads[proc]!;
  const m = s.msgs[loc]!.find((x) => x.id === from)!;
  const unlockedBefore = t.unl.some((id) => id !== INIT_WRITE);
  const rel = join(s, join(s, t.rel, m.view), t.unl);
  const cur = unlockedBefore ? join(s, t.cur, t.acq) : t.cur;
  return withThread(s, proc, { ...t, rel, cur });
}

export const weak: MemoryModel<WeakState> & { readonly reordersWrites: true } = {
  name: 'weak',
  reordersWrites: true,
  initial(memory, processes) {
    const initView: View = memory.map(() => INIT_WRITE);
    const thread: WeakThread = { cur: initView, acq: initView, rel: initView, own: initView, unl: initView };
    return {
      msgs: memory.map((value) => [{ id: INIT_WRITE, value, view: initView, rmw: false }]),
      threads: Array.from({ length: processes }, () => thread),
      sc: initView,
    };
  },
  step(s: WeakState, proc: number, a: Access): readonly Outcome<WeakState>[] {
    switch (a.kind) {
      case 'load':
      case 'islocked':
        return readable(s, proc, a.loc).map(({ m }) => ({
          state: read(s, proc, a.loc, m, a.kind === 'load' && a.order === 'acquire'),
          read: { value: m.value, from: m.id },
        }));
      case 'store':
        return plainWrites(s, proc, a.loc, a.id, a.value, a.order === 'release');
      case 'unlock':
        return plainWrites(s, proc, a.loc, a.id, LOCK_FREE, true).map((o) => {
          const t = o.state.threads[proc]!;
          return { state: withThread(o.state, proc, { ...t, unl: t.cur }) };
        });
      case 'rmw': {
        if (a.order !== 'mb') return rmw(s, proc, a.loc, a.id, a.update, a.order === 'acquire', a.order === 'release');
        // Fully ordered when it writes: mb, acquire-release RMW, mb. A failed cmpxchg only reads, relaxed.
        const failed = readable(s, proc, a.loc)
          .filter(({ m }) => a.update(m.value) === null)
          .map(({ m }) => ({ state: read(s, proc, a.loc, m, false), read: { value: m.value, from: m.id } }));
        const fenced = mb(s, proc);
        const succeeded = rmw(fenced, proc, a.loc, a.id, a.update, true, true)
          .filter((o) => o.read && a.update(o.read.value) !== null)
          .map((o) => ({ ...o, state: mb(o.state, proc) }));
        return [...failed, ...succeeded];
      }
      case 'lock':
        return rmw(s, proc, a.loc, a.id, (old) => (old === LOCK_FREE ? LOCK_HELD : null), true, false)
          .filter((o) => o.read?.value === LOCK_FREE)
          .map((o) => ({ ...o, state: unlockLock(o.state, proc, a.loc, o.read!.from) }));
      case 'trylock':
        return rmw(s, proc, a.loc, a.id, (old) => (old === LOCK_FREE ? LOCK_HELD : null), true, false).map((o) =>
          o.read?.value === LOCK_FREE ? { ...o, state: unlockLock(o.state, proc, a.loc, o.read.from) } : o,
        );
      case 'fence': {
        const t = s.threads[proc]!;
        switch (a.fence) {
          case 'barrier':
            return [{ state: s }];
          case 'rmb':
            return [{ state: withThread(s, proc, { ...t, cur: join(s, t.cur, t.acq) }) }];
          case 'wmb':
            return [{ state: withThread(s, proc, { ...t, rel: join(s, t.rel, t.own) }) }];
          default:
            return [{ state: mb(s, proc) }];
        }
      }
    }
  },
  internal: () => [],
  settled: () => true,
  memory: (s) => s.msgs.map((list) => list.at(-1)!.value),
  coherence: (s) => s.msgs.map((list) => list.slice(1).map((m) => m.id)),
  key: (s) =>
    `${s.msgs.map((list) => list.map((m) => `${m.id}=${m.value}${m.rmw ? '!' : ''}[${m.view.join(',')}]`).join(' ')).join('/')}|${s.threads
      .map((t) => `${t.cur.join(',')};${t.acq.join(',')};${t.rel.join(',')};${t.own.join(',')};${t.unl.join(',')}`)
      .join('/')}|${s.sc.join(',')}`,
};
