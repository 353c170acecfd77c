/**
 * The `define*` helpers: a user's design in one typed object. Each returns
 * its argument with its `kind` set, so a module can `export default
 * defineDriver({...})` and get completion and type checks while writing it;
 * the loader (modules/loader.ts) checks the object again when it is loaded,
 * and names what is missing or wrong.
 */
import type { AgentDef, AllocatorDef, DriverDef, FlushDef, LockDef, RaceDef } from './types.js';

type Def<T extends { kind: string }> = Omit<T, 'kind'> & { kind?: T['kind'] };

export function defineDriver(d: Def<DriverDef>): DriverDef {
  return { ...d, kind: 'driver' };
}
export function defineLock(d: Def<LockDef>): LockDef {
  return { ...d, kind: 'lock' };
}
export function defineAllocator(d: Def<AllocatorDef>): AllocatorDef {
  return { ...d, kind: 'allocator' };
}
export function defineFlush(d: Def<FlushDef>): FlushDef {
  return { ...d, kind: 'flush' };
}
export function defineAgent(d: Def<AgentDef>): AgentDef {
  return { ...d, kind: 'agent' };
}
export function defineRace(d: Def<RaceDef>): RaceDef {
  return { ...d, kind: 'race' };
}
