/**
 * Ticket lock (Linux x86 spinlocks 2008-2014): a waiter takes the next ticket
 * with one atomic add and spins until it is served. FIFO-fair; a preempted
 * waiter blocks everyone queued behind it.
 */
export declare const ticket: import("../api/types.js").LockDef;
