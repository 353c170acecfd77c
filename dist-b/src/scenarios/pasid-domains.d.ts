/**
 * pasid-domains (seed 002, vfio/mdev aux domains, 2021): "a PASID is merely
 * an index into a set of iommu_domains". One device serving K client
 * contexts, each with a PASID and a domain of its own, against the same
 * contexts in one domain, and against K separate devices.
 */
import { type Scenario } from './scenario.js';
export declare const pasidDomains: Scenario;
