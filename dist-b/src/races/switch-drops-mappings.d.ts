export declare const switchDropsMappings: import("../api/types.js").RaceDef;
