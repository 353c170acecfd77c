import type { FlushDef } from '../api/types.js';
export declare function deferredFlush(o: {
    name: string;
    summary: string;
    source: string;
    earlyFree: boolean;
    broken?: boolean;
}): FlushDef;
export declare const deferred: FlushDef;
