export declare const BITMAP_HDR = 16;
export declare const bitmapWords: (windowPages: number) => number;
export declare const bitmapIsAllocated: (m: Int32Array, st: number, off: number) => boolean;
export declare const bitmap: import("../api/types.js").AllocatorDef;
