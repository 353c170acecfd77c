import type { AllocatorDef } from '../api/types.js';
/** Every built-in IOVA allocator. A user's is a module named by path (`--allocator ./mine.mjs`). */
export declare const ALLOCATORS: readonly AllocatorDef[];
export declare const allocatorByName: (name: string) => AllocatorDef | undefined;
