/**
 * The watchdog of a free-running run, on the main thread's polls of shared
 * memory. It tells a hang from starvation:
 *
 *   hang        nothing moves anywhere for --watchdog seconds: no operation
 *               completes, no lock changes hands (a lock never freed, a lost
 *               wake-up, a deadlock). The run fails with a report of what
 *               every agent was doing (exit 3).
 *   starvation  some workers wait that long while others (or the lock) move
 *               on: a FIFO lock handing off to preempted waiters, a lock
 *               that never lets one worker in. A finding, reported as a
 *               warning with its figures; the run ends by its own result.
 */
import { LOCK_WORDS, R_CLOCK, W_PROGRESS, W_STATUS, W_WAIT_LOCK, WS_DONE, WS_FAILED, workerAt } from '../memory/layout.js';
export class Watchdog {
    m;
    L;
    limitMs;
    last;
    since;
    /** When each agent was first seen waiting for its current lock (-1: not waiting). */
    waitSince;
    activity = -1;
    activitySince;
    /** Longest wait for one lock seen, ms; agents seen stuck while others moved. */
    longestWaitMs = 0;
    starvedSet = new Set();
    constructor(m, L, limitMs, now) {
        this.m = m;
        this.L = L;
        this.limitMs = limitMs;
        this.last = new Array(L.agents).fill(-1);
        this.since = new Array(L.agents).fill(now);
        this.waitSince = new Array(L.agents).fill(-1);
        this.activitySince = now;
    }
    /**
     * Something that changes whenever anything moves: operations, agents'
     * progress marks, and every lock's clock (its record line, bumped on every
     * release: a lock changing hands moves it).
     */
    pulse() {
        const { m, L } = this;
        let h = 0;
        for (let a = 0; a < L.agents; a++)
            h = (Math.imul(h, 31) + m[workerAt(L, a) + (0 /* W_PROGRESS */)]) | 0;
        for (const cls of L.lockClasses) {
            for (let i = 0; i < cls.instances; i++)
                h = (Math.imul(h, 31) + m[cls.records + i * (16 /* LOCK_WORDS */) + (0 /* R_CLOCK */)]) | 0;
        }
        return h;
    }
    /** A poll: true when nothing has moved for the limit (a hang). */
    hung(now) {
        const { m, L } = this;
        for (let a = 0; a < L.agents; a++) {
            const ws = workerAt(L, a);
            const status = Atomics.load(m, ws + (5 /* W_STATUS */));
            if (status === (2 /* WS_DONE */) || status === (3 /* WS_FAILED */))
                continue;
            const p = Atomics.load(m, ws + (0 /* W_PROGRESS */));
            if (p !== this.last[a]) {
                this.last[a] = p;
                this.since[a] = now;
            }
            else if (a < L.workers && now - this.since[a] > this.limitMs) {
                this.starvedSet.add(a);
            }
            const waiting = m[ws + (4 /* W_WAIT_LOCK */)] !== 0;
            if (!waiting)
                this.waitSince[a] = -1;
            else if (this.waitSince[a] < 0)
                this.waitSince[a] = now;
            else
                this.longestWaitMs = Math.max(this.longestWaitMs, now - this.waitSince[a]);
        }
        const pulse = this.pulse();
        if (pulse !== this.activity) {
            this.activity = pulse;
            this.activitySince = now;
            return false;
        }
        return now - this.activitySince > this.limitMs;
    }
    /** Agents not done (for the grace period at the end of a run). */
    busy() {
        const out = [];
        for (let a = 0; a < this.L.agents; a++) {
            const s = Atomics.load(this.m, workerAt(this.L, a) + (5 /* W_STATUS */));
            if (s !== (2 /* WS_DONE */) && s !== (3 /* WS_FAILED */))
                out.push(a);
        }
        return out;
    }
    idleMs(a, now) {
        return now - this.since[a];
    }
    get starved() {
        return this.starvedSet.size;
    }
}
//# sourceMappingURL=watchdog.js.map