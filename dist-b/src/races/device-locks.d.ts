export declare const deviceLocks: import("../api/types.js").RaceDef;
