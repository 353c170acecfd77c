import { strict } from './strict.js';
import { deferred } from './deferred.js';
import { deferredEarlyFree } from './broken/deferred-early-free.js';
/** Every built-in IOTLB flush policy, the broken ones last. A user's is a module named by path (`--flush ./mine.mjs`). */
export const FLUSHES = [strict, deferred, deferredEarlyFree];
export const flushByName = (name) => FLUSHES.find((f) => f.name === name);
//# sourceMappingURL=registry.js.map