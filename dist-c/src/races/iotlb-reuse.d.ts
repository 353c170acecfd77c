export declare const iotlbReuse: import("../api/types.js").RaceDef;
