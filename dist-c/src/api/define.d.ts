/**
 * The `define*` helpers: a user's design in one typed object. Each returns
 * its argument with its `kind` set, so a module can `export default
 * defineDriver({...})` and get completion and type checks while writing it;
 * the loader (modules/loader.ts) checks the object again when it is loaded,
 * and names what is missing or wrong.
 */
import type { AgentDef, AllocatorDef, DriverDef, FlushDef, LockDef, RaceDef } from './types.js';
type Def<T extends {
    kind: string;
}> = Omit<T, 'kind'> & {
    kind?: T['kind'];
};
export declare function defineDriver(d: Def<DriverDef>): DriverDef;
export declare function defineLock(d: Def<LockDef>): LockDef;
export declare function defineAllocator(d: Def<AllocatorDef>): AllocatorDef;
export declare function defineFlush(d: Def<FlushDef>): FlushDef;
export declare function defineAgent(d: Def<AgentDef>): AgentDef;
export declare function defineRace(d: Def<RaceDef>): RaceDef;
export {};
