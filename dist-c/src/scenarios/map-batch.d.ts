/**
 * map-batch (seed 001, Samsung SYSMMU, 2011): "the iommu.h API requires a
 * separate call to map each single memory page. This is quite ineffective".
 * A call per page (a lock round trip and a walk from the root per page)
 * against one call mapping an array of pages (lock once, walk once a table).
 */
import { type Scenario } from './scenario.js';
export declare const mapBatch: Scenario;
