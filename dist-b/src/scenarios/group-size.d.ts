/**
 * group-size (seed 003, AMD attach/detach, 2022): "The group size matters
 * too for DMA-API performance. If two devices compete for the same lock in
 * the allocator and/or the same cached magazines, things will slow down."
 * A fixed number of devices, grouped 1, 2, 4 ... all to a domain, with the
 * allocator as a bitmap behind one lock and as Linux's magazines and depot.
 */
import { type Scenario } from './scenario.js';
export declare const groupSize: Scenario;
