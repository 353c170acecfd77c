/**
 * xorshift32 (Marsaglia 2003): a tiny seeded generator for the hot loop,
 * state kept in a number, nothing allocated. Never returns 0 state.
 */
export declare function seedState(seed: number, stream: number): number;
export declare function xorshift32(s: number): number;
