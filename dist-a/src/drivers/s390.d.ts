export declare const s390: import("../api/types.js").DriverDef;
