import { bitmap } from './bitmap.js';
import { rcache } from './rcache.js';
/** Every built-in IOVA allocator. A user's is a module named by path (`--allocator ./mine.mjs`). */
export const ALLOCATORS = [bitmap, rcache];
export const allocatorByName = (name) => ALLOCATORS.find((a) => a.name === name);
//# sourceMappingURL=registry.js.map