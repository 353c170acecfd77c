export declare const lostWakeup: import("../api/types.js").RaceDef;
