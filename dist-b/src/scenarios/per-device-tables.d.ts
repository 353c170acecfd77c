/**
 * per-device-tables (seed 000, s390 IOMMU, 2014): s390 kept one DMA table
 * and one spinlock per device; the IOMMU API wants one table per domain,
 * shared by every device in it. What does sharing cost, and what breaks if
 * the per-device locks are kept while the table is shared?
 */
import { type Scenario } from './scenario.js';
export declare const perDeviceTables: Scenario;
