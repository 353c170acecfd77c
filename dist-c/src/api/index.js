/**
 * iommu-stress, the package: bring your own page-table driver, lock, IOVA
 * allocator, flush policy or race in one file (the `define*` helpers), and
 * measure it (`run`) or hunt its races (`explore`, `replay`, `shrink`) from
 * your own code or test runner. The same objects `--json` writes.
 *
 *   import { defineDriver, defineLock, defineRace, run, explore, replay, shrink } from 'iommu-stress';
 */
export { defineAgent, defineAllocator, defineDriver, defineFlush, defineLock, defineRace } from './define.js';
export * from './types.js';
export { run } from '../engine/run.js';
export { explore, replay, shrink } from './races.js';
export { checkLock } from '../locks/validate.js';
export { UsageError, HarnessError } from '../util/errors.js';
export { DEFAULTS, resolveConfig } from '../config/config.js';
//# sourceMappingURL=index.js.map