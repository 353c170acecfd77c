/** Range sizes cached: 1, 2, 4 ... 32 pages (128 KiB), as IOVA_RANGE_CACHE_MAX_SIZE. */
export declare const MAG_ORDERS = 6;
/** Ranges a magazine holds (IOVA_MAG_SIZE). */
export declare const MAG_SIZE = 127;
/** A magazine: its count, then MAG_SIZE window offsets. */
export declare const MAG_WORDS = 128;
/** Full magazines a depot holds (MAX_GLOBAL_MAGS). */
export declare const DEPOT_MAGS = 32;
/** Order of a range of `pages` pages, or -1 if too large to cache (> 128 KiB). */
export declare function orderOf(pages: number): number;
export declare const rcache: import("../api/types.js").AllocatorDef;
