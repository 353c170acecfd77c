export declare const strict: import("../api/types.js").FlushDef;
