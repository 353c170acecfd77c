/**
 * Sequential consistency: one memory, every access takes effect at once,
 * in the order the explorer interleaves the processes. Fences and ordering
 * annotations change nothing: every order is already kept. A lock that is
 * held blocks whoever wants it (no step) until its holder unlocks.
 */
import { type Access, INIT_WRITE, LOCK_FREE, LOCK_HELD, type MemoryModel, type Outcome, type EventId } from '../model.js';

export interface ScState {
  readonly memory: readonly number[];
  /** Each location's writes, in the order they happened: its coherence order. */
  readonly co: readonly (readonly EventId[])[];
}

function write(s: ScState, loc: number, value: number, id: EventId): ScState {
  const memory = s.memory.slice();
  memory[loc] = value;
  const co = s.co.slice();
  co[loc] = [...s.co[loc]!, id];
  return { memory, co };
}

const lastWrite = (s: ScState, loc: number): EventId => s.co[loc]!.at(-1) ?? INIT_WRITE;
const readOf = (s: ScState, loc: number) => ({ value: s.memory[loc]!, from: lastWrite(s, loc) });

export const sc: MemoryModel<ScState> = {
  name: 'sc',
  initial: (memory) => ({ memory: memory.slice(), co: memory.map(() => []) }),
  step(s: ScState, _proc: number, a: Access): readonly Outcome<ScState>[] {
    switch (a.kind) {
      case 'load':
      case 'islocked':
        return [{ state: s, read: readOf(s, a.loc) }];
      case 'store':
        return [{ state: write(s, a.loc, a.value, a.id) }];
      case 'unlock':
        return [{ state: write(s, a.loc, LOCK_FREE, a.id) }];
      case 'rmw': {
        const read = readOf(s, a.loc);
        const next = a.update(read.value);
        return [{ state: next === null ? s : write(s, a.loc, next, a.id), read }];
      }
      case 'lock':
        if (s.memory[a.loc] !== LOCK_FREE) return [];
        return [{ state: write(s, a.loc, LOCK_HELD, a.id), read: readOf(s, a.loc) }];
      case 'trylock': {
        const read = readOf(s, a.loc);
        return [{ state: read.value === LOCK_FREE ? write(s, a.loc, LOCK_HELD, a.id) : s, read }];
      }
      case 'fence':
        return [{ state: s }];
    }
  },
  internal: () => [],
  settled: () => true,
  memory: (s) => s.memory,
  coherence: (s) => s.co,
  key: (s) => `${s.memory.join(',')}|${s.co.map((c) => c.join(' ')).join('/')}`,
};
