import { countersAt, workerAt } from '../memory/layout.js';
import { xorshift32 } from '../util/prng.js';
export class AgentCore {
    m;
    f;
    L;
    agent;
    mem;
    sched;
    ring;
    /**
     * Lamport clock free running (carried through the locks' records); unused under control.
     * An int32 that wraps (a long run ticks it billions of times): compared as
     * serial numbers, `((a - b) | 0) > 0`, and ordered so by readTimeline.
     */
    clock = 0;
    /** The operation in progress (for traces and violation samples). */
    op = 0;
    /** This operation's lock holds are timed (one operation in --hold-sample). */
    holdTimed = false;
    /**
     * holdTimed || detail: the lock classes' acquisitions and releases take
     * their slow path (hold timing, trace events). One flag, set once an
     * operation, so that an uncontended acquisition tests one word, not two.
     */
    lockHook = false;
    /** The agent's lock classes (set by its runtime): their counts are flushed to shared memory together. */
    locks = [];
    /** The agent's seeded generator (xorshift32 state). */
    rng = 1;
    /** Under control every step is traced; free running only what the timeline needs. */
    detail;
    /** The agent's line (watchdog) and counter block. */
    ws;
    cb;
    /** Agent + 1: what lock records name as last holder. */
    self;
    constructor(m, f, L, agent, mem, sched, ring) {
        this.m = m;
        this.f = f;
        this.L = L;
        this.agent = agent;
        this.mem = mem;
        this.sched = sched;
        this.ring = ring;
        this.detail = sched !== null;
        this.lockHook = this.detail;
        this.ws = workerAt(L, agent);
        this.cb = countersAt(L, agent);
        this.self = agent + 1;
    }
    /** The clock of the next event: the scheduler's step under control, the Lamport clock free running. */
    tick() {
        if (this.sched !== null)
            return this.sched.step();
        return (this.clock = (this.clock + 1) | 0);
    }
    /** Write the lock classes' counts to shared memory (every so many operations, and at the end of a run). */
    flushLocks() {
        for (const l of this.locks)
            l.flush();
    }
    /** A uint32 from the agent's generator. */
    random() {
        this.rng = xorshift32(this.rng);
        return this.rng >>> 0;
    }
    /**
     * random() % n, the same number, in int32 arithmetic (n at most 32768):
     * V8 takes a uint32's remainder in floating point (x87 fprem, a loop),
     * this as two integer remainders of the high and low halves.
     */
    randomBelow(n) {
        const r = (this.rng = xorshift32(this.rng));
        return ((((r >>> 16) % n) << 16) + (r & 0xffff)) % n;
    }
    trace(event, arg) {
        this.ring.event(this.tick(), this.op, event, arg);
    }
}
//# sourceMappingURL=agent-core.js.map