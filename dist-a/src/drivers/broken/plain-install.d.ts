export declare const plainInstall: import("../../api/types.js").DriverDef;
