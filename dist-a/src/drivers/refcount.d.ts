import type { DriverDef, LockScope } from '../api/types.js';
export interface RefcountOptions {
    name: string;
    summary: string;
    source: string;
    /** The lock every writer of a table takes, or null for none. */
    lock: {
        name: string;
        per: Extract<LockScope, 'domain' | 'device'>;
        kernelName: string;
    } | null;
    broken?: boolean;
}
export declare function refcountDriver(o: RefcountOptions): DriverDef;
export declare const refcount: DriverDef;
