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
export { run, type RunOptions } from '../engine/run.js';
export { explore, hunt, replay, shrink, type ExploreResult, type SchedulePhases, type ExploreApiOptions, type HuntApiOptions, type HuntResult, type ReplayResult, type ShrinkResult } from './races.js';
export { SEARCH_STRATEGIES, type SearchStrategy, type SearchSummary } from '../search/strategies.js';
export { checkLock, type LockCheckOptions, type LockCheckResult } from '../locks/validate.js';
export { UsageError, HarnessError, FindingError } from '../util/errors.js';
export { DEFAULTS, resolveConfig } from '../config/config.js';
export type { LatencyStats, RunResult, LockClassStats, DeviceStats, AuditSummary, ViolationSample, TimelineEvent, DesignSummary, WatchdogSummary } from '../results/result.js';
export type { RunTrace } from '../report/run-trace.js';
