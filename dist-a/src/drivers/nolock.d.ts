export declare const nolock: import("../api/types.js").DriverDef;
