/**
 * live-switch (seed 003, AMD attach/detach, 2022): "It was actually a
 * requirement for this code that when it jumps in, the DMA-API mappings stay
 * live." Device 0 is switched from its default domain to a PASID-capable
 * domain and back while every device keeps mapping; each device also DMAs
 * into older live buffers (--dma-live), so a dropped mapping faults at once.
 */
import { type Scenario } from './scenario.js';
export declare const liveSwitch: Scenario;
