/**
 * IOTLB invalidation. In strict mode an unmap call invalidates its range
 * synchronously, under the page-table lock, and waits for completion; the
 * simulated cost (--iotlb-ns) is a busy wait, as a driver spins on the
 * invalidation queue's wait descriptor.
 */
import { performance } from 'node:perf_hooks';

/** Busy-wait `ns` nanoseconds (0: free). Allocates nothing. */
export function busyWaitNs(ns: number): void {
  if (ns <= 0) return;
  const until = performance.now() + ns / 1e6;
  while (performance.now() < until) {
    /* spin on the clock */
  }
}
