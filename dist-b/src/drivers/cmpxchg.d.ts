import type { DriverDef } from '../api/types.js';
export interface CmpxchgOptions {
    name: string;
    summary: string;
    source: string;
    /** How a missing table is installed: compare-and-swap (the loser frees its copy), or BROKEN a plain store. */
    install: 'cas' | 'store';
    /** BROKEN: free a table when its atomic live count reaches zero, with no lock and no grace period. */
    freeEmpty: boolean;
    /** A domain lock around map and unmap (arm-smmu's pgtbl_lock before it went), or none. */
    domainLock: boolean;
    broken?: boolean;
}
export declare function cmpxchgDriver(o: CmpxchgOptions): DriverDef;
export declare const cmpxchg: DriverDef;
