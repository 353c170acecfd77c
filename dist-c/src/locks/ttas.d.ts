/**
 * Test-and-test-and-set with exponential backoff: read until the word looks
 * free, then try the exchange; after a failed try wait twice as long.
 */
export declare const ttas: import("../api/types.js").LockDef;
