export declare const noLock: import("../api/types.js").RaceDef;
