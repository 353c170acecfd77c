export declare const freeUnderWalker: import("../api/types.js").RaceDef;
