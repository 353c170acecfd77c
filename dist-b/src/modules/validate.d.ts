/**
 * Does an object fit the interface it is loaded as? Structural checks of a
 * user's driver, lock, allocator, flush policy, agent or race, each problem
 * named, so that a module that does not fit is refused (exit 2) before any
 * work starts, with what is missing or wrong.
 */
export type PieceKind = 'driver' | 'lock' | 'allocator' | 'flush' | 'agent' | 'race';
/** `a lock`, `an allocator`. */
export declare const article: (noun: string) => string;
/** Every problem with `v` as a `kind`; empty when it fits. */
export declare function problemsOf(kind: PieceKind, v: unknown): string[];
