export declare const deferredEarlyFree: import("../../api/types.js").FlushDef;
