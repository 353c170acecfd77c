import type { AllocatorDef } from '../api/types.js';
import { bitmap } from './bitmap.js';
import { rcache } from './rcache.js';

/** Every built-in IOVA allocator. A user's is a module named by path (`--allocator ./mine.mjs`). */
export const ALLOCATORS: readonly AllocatorDef[] = [bitmap, rcache];
export const allocatorByName = (name: string): AllocatorDef | undefined => ALLOCATORS.find((a) => a.name === name);
