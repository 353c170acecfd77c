/**
 * xorshift32 (Marsaglia 2003): a tiny seeded generator for the hot loop,
 * state kept in a number, nothing allocated. Never returns 0 state.
 */
export function seedState(seed, stream) {
    // splitmix-style scramble so that neighbouring streams differ from the start
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) | 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
    s ^= s >>> 16;
    return s === 0 ? 0x6d2b79f5 : s;
}
export function xorshift32(s) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s;
}
//# sourceMappingURL=prng.js.map