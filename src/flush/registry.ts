import type { FlushDef } from '../api/types.js';
import { strict } from './strict.js';
import { deferred } from './deferred.js';
import { deferredEarlyFree } from './broken/deferred-early-free.js';

/** Every built-in IOTLB flush policy, the broken ones last. A user's is a module named by path (`--flush ./mine.mjs`). */
export const FLUSHES: readonly FlushDef[] = [strict, deferred, deferredEarlyFree];
export const flushByName = (name: string): FlushDef | undefined => FLUSHES.find((f) => f.name === name);
