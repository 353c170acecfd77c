/**
 * iotlb-flush (all threads; Linux iova flush queues): invalidate the IOTLB
 * synchronously on every unmap, under the lock, or queue the IOVAs and flush
 * the whole domain when the queue fills or its timer fires, freeing the
 * IOVAs only after the flush. Deferral is faster; it leaves a window in which
 * a late DMA still translates through a stale IOTLB entry. Freeing an IOVA
 * before its flush (broken) lets a new mapping of it be shadowed by the
 * stale entry.
 */
import { type Scenario } from './scenario.js';
export declare const iotlbFlush: Scenario;
