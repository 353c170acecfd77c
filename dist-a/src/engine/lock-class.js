/**
 * A lock class as a design's code uses it (api/types.ts `LockClass`): the
 * run's lock algorithm on the class's lock lines, with lock_stat's figures
 * kept beside it.
 *
 * The uncontended path is one trylock and a few plain stores; only a failed
 * trylock is timed (as lock_stat times only contended acquisitions). What the
 * harness keeps of each lock (the Lamport clock of its last release, its last
 * holder for bounces) lives on a record line of its own, not on the line
 * waiters spin on; which locks an agent holds lives on the agent's own line.
 * So an instrumented lock's line carries exactly what the bare lock's does.
 */
import { performance } from 'node:perf_hooks';
import { LOCK_WORDS, LS_ACQ, LS_ACQ_BOUNCES, LS_CON_BOUNCES, LS_CONT, LS_FIELDS, LS_HOLD_MAX, LS_HOLD_MIN, LS_HOLD_SAMPLES, LS_HOLD_TOTAL, LS_WAIT_MAX, LS_WAIT_MIN, LS_WAIT_TOTAL, NODES_PER_CLASS, R_CLOCK, R_LAST, W_WAIT_LOCK, } from '../memory/layout.js';
import { E_ACQUIRE, E_RELEASE } from './trace.js';
export class EngineLockClass {
    core;
    alg;
    stats;
    waits;
    name;
    per;
    base;
    recDelta;
    node0;
    nodeStride;
    /** The queue node of the next acquisition: node0 + (locks of this class held now) x nodeStride (QueuedLockClass). */
    node = 0;
    /** lock_stat's acquisitions and acquisition bounces since the last flush: kept in the worker, written to shared memory every so often (flush). */
    acq = 0;
    bounces = 0;
    /** Float64 index of this class's lock_stat fields in the agent's counters. */
    st;
    holdStart = 0;
    /** The core's memory and identity, held here too: one field load fewer on every acquisition. */
    m;
    f;
    mem;
    self;
    constructor(core, lay, index, alg, stats, waits) {
        this.core = core;
        this.alg = alg;
        this.stats = stats;
        this.waits = waits;
        this.name = lay.name;
        this.per = lay.per;
        this.base = lay.base;
        this.recDelta = lay.records - lay.base;
        this.nodeStride = core.L.nodeStride;
        this.node0 = this.nodeStride > 0 ? lay.nodes + core.agent * this.nodeStride * (2 /* NODES_PER_CLASS */) : 0;
        this.node = this.node0;
        this.st = core.cb + core.L.cLockstat + index * (12 /* LS_FIELDS */);
        this.m = core.m;
        this.f = core.f;
        this.mem = core.mem;
        this.self = core.self;
    }
    /** A new run: no lock held (a run the scheduler ended may have stopped inside a critical section). */
    reset() {
        this.node = this.node0;
        this.acq = 0;
        this.bounces = 0;
    }
    /** Add the acquisitions counted since the last flush to lock_stat's figures in shared memory. */
    flush() {
        if (this.stats) {
            const f = this.f;
            f[this.st + (0 /* LS_ACQ */)] += this.acq;
            f[this.st + (10 /* LS_ACQ_BOUNCES */)] += this.bounces;
        }
        this.acq = 0;
        this.bounces = 0;
    }
    of(index) {
        return this.base + index * (16 /* LOCK_WORDS */);
    }
    /*
     * An algorithm without queue nodes is called with node 0. A failed
     * trylock and a hooked operation (lockHook) share one call out of line,
     * acquireSlow: every call site on the uncontended path costs the code
     * after it what V8 knew before it (the call may change anything), so the
     * path has as few as it can.
     */
    acquire(l) {
        if (this.core.lockHook || !this.alg.trylock(this.mem, l, 0))
            this.acquireSlow(l, 0);
        this.took(l);
    }
    tryAcquire(l) {
        if (!this.alg.trylock(this.mem, l, 0))
            return false;
        this.took(l);
        if (this.core.lockHook)
            this.tookHook(l);
        return true;
    }
    release(l) {
        const c = this.core;
        if (c.lockHook)
            this.releaseHook(l);
        this.m[l + this.recDelta + (0 /* R_CLOCK */)] = c.clock = (c.clock + 1) | 0;
        this.alg.unlock(this.mem, l, 0);
    }
    /** The trylock failed (then wait), or this operation is hooked (then try it here, wait if it fails, and start the hook). */
    acquireSlow(l, node) {
        if (!this.core.lockHook) {
            this.contended(l, node);
            return;
        }
        if (!this.alg.trylock(this.mem, l, node))
            this.contended(l, node);
        this.tookHook(l);
    }
    /**
     * Bookkeeping of a lock just taken, in one straight run: the clock it
     * carries and its last holder (the lock's record line: bounces, and who
     * holds a lock that is held), and lock_stat's counts, kept in the worker
     * until the next flush.
     */
    took(l) {
        const c = this.core;
        const m = this.m;
        this.acq++;
        const rec = l + this.recDelta;
        const self = this.self;
        const lc = m[rec + (0 /* R_CLOCK */)];
        if (((lc - c.clock) | 0) > 0)
            c.clock = lc;
        if (m[rec + (1 /* R_LAST */)] !== self) {
            this.bounces++;
            m[rec + (1 /* R_LAST */)] = self;
        }
    }
    /** A sampled hold starts, or (controlled) the acquisition is traced. */
    tookHook(l) {
        const c = this.core;
        if (c.holdTimed)
            this.holdStart = performance.now();
        if (c.detail)
            c.trace(E_ACQUIRE, l);
    }
    releaseHook(l) {
        const c = this.core;
        if (c.holdTimed)
            this.holdSampled();
        if (c.detail)
            c.trace(E_RELEASE, l);
    }
    /** The lock was held: wait for it, timing the wait when stats are on (lock_stat times only these). */
    contended(l, node) {
        const c = this.core;
        const m = c.m;
        m[c.ws + (4 /* W_WAIT_LOCK */)] = l + 1;
        if (!this.stats) {
            this.alg.lock(c.mem, l, node);
            m[c.ws + (4 /* W_WAIT_LOCK */)] = 0;
            return;
        }
        const t0 = performance.now();
        this.alg.lock(c.mem, l, node);
        const wait = (performance.now() - t0) * 1e6;
        m[c.ws + (4 /* W_WAIT_LOCK */)] = 0;
        this.waits.record(wait);
        const f = c.f;
        const st = this.st;
        f[st + (1 /* LS_CONT */)] += 1;
        f[st + (2 /* LS_WAIT_TOTAL */)] += wait;
        if (wait < f[st + (3 /* LS_WAIT_MIN */)])
            f[st + (3 /* LS_WAIT_MIN */)] = wait;
        if (wait > f[st + (4 /* LS_WAIT_MAX */)])
            f[st + (4 /* LS_WAIT_MAX */)] = wait;
        if (m[l + this.recDelta + (1 /* R_LAST */)] !== c.self)
            f[st + (9 /* LS_CON_BOUNCES */)] += 1;
    }
    /** This acquisition's hold was sampled: record it. */
    holdSampled() {
        const hold = (performance.now() - this.holdStart) * 1e6;
        const f = this.core.f;
        const st = this.st;
        f[st + (5 /* LS_HOLD_SAMPLES */)] += 1;
        f[st + (6 /* LS_HOLD_TOTAL */)] += hold;
        if (hold < f[st + (7 /* LS_HOLD_MIN */)])
            f[st + (7 /* LS_HOLD_MIN */)] = hold;
        if (hold > f[st + (8 /* LS_HOLD_MAX */)])
            f[st + (8 /* LS_HOLD_MAX */)] = hold;
    }
}
/**
 * A lock class whose algorithm takes queue nodes (MCS, CLH: `nodeWords` in
 * its definition): each acquisition gets the agent's next node of the
 * class, released in reverse order. Apart so that a lock without nodes pays
 * nothing for them; an agent's lock classes all run one algorithm, so every
 * call site still sees one class.
 */
export class QueuedLockClass extends EngineLockClass {
    acquire(l) {
        const node = this.node;
        if (this.core.lockHook || !this.alg.trylock(this.mem, l, node))
            this.acquireSlow(l, node);
        this.node = node + this.nodeStride;
        this.took(l);
    }
    tryAcquire(l) {
        const node = this.node;
        if (!this.alg.trylock(this.mem, l, node))
            return false;
        this.node = node + this.nodeStride;
        this.took(l);
        if (this.core.lockHook)
            this.tookHook(l);
        return true;
    }
    release(l) {
        const c = this.core;
        if (c.lockHook)
            this.releaseHook(l);
        this.m[l + this.recDelta + (0 /* R_CLOCK */)] = c.clock = (c.clock + 1) | 0;
        const node = this.node - this.nodeStride;
        this.node = node;
        this.alg.unlock(this.mem, l, node);
    }
}
/** The lock class for an agent: queued when the run's algorithm takes nodes. */
export function makeLockClass(core, lay, index, alg, stats, waits) {
    return core.L.nodeStride > 0 ? new QueuedLockClass(core, lay, index, alg, stats, waits) : new EngineLockClass(core, lay, index, alg, stats, waits);
}
//# sourceMappingURL=lock-class.js.map