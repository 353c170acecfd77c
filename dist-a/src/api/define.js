export function defineDriver(d) {
    return { ...d, kind: 'driver' };
}
export function defineLock(d) {
    return { ...d, kind: 'lock' };
}
export function defineAllocator(d) {
    return { ...d, kind: 'allocator' };
}
export function defineFlush(d) {
    return { ...d, kind: 'flush' };
}
export function defineAgent(d) {
    return { ...d, kind: 'agent' };
}
export function defineRace(d) {
    return { ...d, kind: 'race' };
}
//# sourceMappingURL=define.js.map