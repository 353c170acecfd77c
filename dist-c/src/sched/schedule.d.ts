import type { SwitchPoint } from './control.js';
export type Variant = 'broken' | 'correct';
export interface Schedule {
    race: string;
    variant: Variant;
    devices: number;
    ops: number;
    inflight: number;
    seed: number;
    fingerprint: string;
    switches: SwitchPoint[];
}
export declare function encodeSchedule(s: Schedule): string;
export declare function parseSchedule(text: string): Schedule;
/** A schedule given on the command line: the string itself, or a file holding it. */
export declare function readSchedule(arg: string): Schedule;
/** Smaller is simpler: fewer devices, then fewer operations, buffers, switch points. */
export declare function scheduleSize(s: Schedule): number[];
export declare function smaller(a: Schedule, b: Schedule): boolean;
