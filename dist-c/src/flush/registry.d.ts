import type { FlushDef } from '../api/types.js';
/** Every built-in IOTLB flush policy, the broken ones last. A user's is a module named by path (`--flush ./mine.mjs`). */
export declare const FLUSHES: readonly FlushDef[];
export declare const flushByName: (name: string) => FlushDef | undefined;
