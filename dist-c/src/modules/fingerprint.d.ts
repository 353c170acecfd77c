import type { DesignSpec } from '../engine/design.js';
export declare const FINGERPRINT_PARTS: readonly ["harness", "race", "modules", "configuration"];
export declare function fingerprint(spec: DesignSpec): string;
/** Which parts of two fingerprints differ, by name. */
export declare function fingerprintDiff(a: string, b: string): string[];
