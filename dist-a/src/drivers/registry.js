import { refcount } from './refcount.js';
import { s390 } from './s390.js';
import { nolock } from './nolock.js';
import { cmpxchg } from './cmpxchg.js';
import { cmpxchgLocked } from './cmpxchg-locked.js';
import { plainInstall } from './broken/plain-install.js';
import { freeUnderWalker } from './broken/free-under-walker.js';
/**
 * Every built-in page-table driver, the deliberately broken ones last. Each
 * is written against the public driver interface (api/types.ts), as a
 * user's would be; a user's driver is a module named by path (`--driver
 * ./mine.mjs`), no registry.
 */
export const DRIVERS = [refcount, s390, nolock, cmpxchg, cmpxchgLocked, plainInstall, freeUnderWalker];
export const driverByName = (name) => DRIVERS.find((d) => d.name === name);
//# sourceMappingURL=registry.js.map