/**
 * nolock: the tables of refcount.ts with no lock at all. Correct only where
 * one thread writes a domain (one device of one queue per domain); with more
 * writers the plain counts and installs race, which is the `no-lock` race.
 */
import { refcountDriver } from './refcount.js';
export const nolock = refcountDriver({
    name: 'nolock',
    summary: 'refcount tables with no lock: correct only for a domain written by one thread',
    source: 'exynos/tegra-style tables called without their lock',
    lock: null,
});
//# sourceMappingURL=nolock.js.map