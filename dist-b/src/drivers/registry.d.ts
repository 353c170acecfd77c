import type { DriverDef } from '../api/types.js';
/**
 * Every built-in page-table driver, the deliberately broken ones last. Each
 * is written against the public driver interface (api/types.ts), as a
 * user's would be; a user's driver is a module named by path (`--driver
 * ./mine.mjs`), no registry.
 */
export declare const DRIVERS: readonly DriverDef[];
export declare const driverByName: (name: string) => DriverDef | undefined;
