/**
 * pvdma (seed 004, x86 pvdma, 2008): a paravirtual IOMMU that makes a
 * hypercall per map and unmap, against Joerg Roedel's proposal: a contiguous
 * pool mapped once, coherent allocations straight from it, streaming maps
 * bounced through it (a copy each way), the pool placed below the device's
 * DMA mask. Where does the copy start to cost more than the hypercall?
 */
import { type Scenario } from './scenario.js';
/** Nanoseconds an operation takes in each mode at one buffer size. */
interface Cost {
    bytes: number;
    hypercallNs: number;
    bounceNs: number;
}
/** Bytes where the fitted bounce cost overtakes the fitted hypercall cost, or null if it never does. */
export declare function extrapolate(costs: Cost[]): number | null;
export declare const pvdma: Scenario;
export {};
