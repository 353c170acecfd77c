export declare const cmpxchgLocked: import("../api/types.js").DriverDef;
