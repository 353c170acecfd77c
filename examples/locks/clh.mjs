/**
 * A user's lock: the CLH queue lock (Craig; Landin and Hagersten, 1993),
 * written only through the public API of iommu-stress. A waiter swaps its
 * node into the tail and spins on its *predecessor's* node; on release it
 * clears its own node and takes the predecessor's for its next acquisition,
 * so nodes migrate between threads. Fair (FIFO) like MCS, but a release
 * writes only the releaser's own node. trylock() fails when the last node
 * in line is held; plain CLH cannot leave the queue, so a trylock that wins
 * the tail behind a holder (the ABA case below) waits for that one holder.
 *
 *   iommu-stress check-lock ./examples/locks/clh.mjs   validate it
 *
 *   iommu-stress run --lock ./examples/locks/clh.mjs
 *
 * Memory: the lock's line holds the tail (word 0) and a dummy node (word 8,
 * the first "predecessor"); each agent's queue node region (`nodeWords`)
 * holds its two nodes' worth of bookkeeping: which node it owns now (word 0),
 * which predecessor it waits on (word 1), and a spare node of its own (word 2).
 */
import { defineLock } from 'iommu-stress';

const TAIL = 0;
const DUMMY = 8; // a node inside the lock line: unlocked, the queue's first predecessor
const MINE = 0; // the node this agent uses now (0 before the first use: its own spare)
const PRED = 1; // the predecessor it took over the tail from
const SPARE = 2; // the agent's own first node: its flag word
const LOCKED = 0; // a node is one word: 1 while its owner holds or waits for the lock

const nodeOf = (mem, slot) => mem.words[slot + MINE] || slot + SPARE;

export default defineLock({
  name: 'clh',
  summary: 'CLH queue lock: FIFO, each waiter spins on its predecessor node; nodes migrate on release',
  abilities: { fair: true, parks: false, queued: true },
  nodeWords: 3,
  init(mem, l) {
    mem.store(l + DUMMY + LOCKED, 0);
    mem.store(l + TAIL, l + DUMMY);
  },
  lock(mem, l, slot) {
    const me = nodeOf(mem, slot);
    mem.store(me + LOCKED, 1, 'clh-node');
    const pred = mem.exchange(l + TAIL, me, 'lock');
    mem.words[slot + MINE] = me;
    mem.words[slot + PRED] = pred;
    while (mem.load(pred + LOCKED, 'lock') !== 0) mem.spin(l);
  },
  trylock(mem, l, slot) {
    const me = nodeOf(mem, slot);
    const tail = mem.load(l + TAIL, 'lock');
    // Only when the last in line has released: then taking the tail is taking the lock.
    if (mem.load(tail + LOCKED, 'lock') !== 0) return false;
    mem.store(me + LOCKED, 1, 'clh-node');
    if (mem.cas(l + TAIL, tail, me, 'lock') !== tail) {
      mem.store(me + LOCKED, 0, 'clh-node');
      return false;
    }
    mem.words[slot + MINE] = me;
    mem.words[slot + PRED] = tail;
    // ABA: between our read of the tail and the cas, its node may have been
    // released, reused by its owner and enqueued again (nodes migrate), so
    // the cas can succeed behind a holder. Queued, we cannot leave (plain CLH
    // has no abort): wait for that one holder. `iommu-stress check-lock`
    // found this (two inside at once) in a version that returned true here.
    while (mem.load(tail + LOCKED, 'lock') !== 0) mem.spin(l);
    return true;
  },
  unlock(mem, l, slot) {
    const me = mem.words[slot + MINE];
    mem.store(me + LOCKED, 0, 'unlock');
    // The predecessor's node is free now (its owner moved on): it is ours for next time.
    mem.words[slot + MINE] = mem.words[slot + PRED];
  },
  locked(mem, l) {
    return mem.words[mem.words[l + TAIL] + LOCKED] !== 0;
  },
});
