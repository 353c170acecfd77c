/**
 * What a schedule point does to shared memory, as the search strategies
 * see it: two steps of different agents are dependent (their order can
 * change what happens) when they touch the same word and at least one of
 * them writes it. Every accessor announces its access when it stops at its
 * point, so the decider and the searches know each agent's next access
 * before it is taken (dpor.ts).
 *
 *   none   a point that touches no memory (`mem.point`, an operation's start, a woken sleeper)
 *   read   load, read, a cas that did not swap
 *   write  store, write
 *   rmw    exchange, add, a cas that swapped: a read and a write, ordered with every access of the word
 *   wait   futex wait: reads the word (it sleeps only if the word holds the value it was given)
 *   wake   futex wake: changes who sleeps on the word (dependent with its waits, and, conservatively, with its other accesses)
 *   spin   a spinner passing its point once a word it read changed: reads its wait set (several words)
 *   cas    announced by a cas before it runs: an rmw if the word then holds the value it expects (SW_EXPECT), else a read;
 *          a step records what it did (rmw or read), never cas
 */
export const A_NONE = 0;
export const A_READ = 1;
export const A_WRITE = 2;
export const A_RMW = 3;
export const A_WAIT = 4;
export const A_WAKE = 5;
export const A_SPIN = 6;
export const A_CAS = 7;
export const ACCESS_NAMES = ['none', 'read', 'write', 'rmw', 'wait', 'wake', 'spin', 'cas'] as const;
export type AccessName = (typeof ACCESS_NAMES)[number];

/** Does an access of this kind change its word (for dependency; a cas not yet run may)? */
export const writes = (a: number): boolean => a === A_WRITE || a === A_RMW || a === A_WAKE || a === A_CAS;
/** Does it touch memory at all? */
export const touches = (a: number): boolean => a !== A_NONE;
