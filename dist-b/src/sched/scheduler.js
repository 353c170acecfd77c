/**
 * The controlled scheduler, worker side.
 *
 * Under control the agents are still real threads, but only one runs
 * between schedule points. An agent at a point records which point, then
 * waits for its grant word; the last agent to stop decides who goes next (all
 * others are stopped, so the decision is race-free) by the seeded strategy:
 * a random walk, PCT, or the replay of recorded choices. Spinning waiters
 * yield (they are chosen only when no one else can go); futex waits are
 * emulated (a sleeper is not chosen until woken), so a lost wake-up is a
 * deadlock the decider sees at once.
 *
 * Handing control over: where agents do not outnumber cores, a waiting agent
 * spins on its grant word (a hand-off is then a cache-line transfer, not a
 * futex wake-up); otherwise, or after a long spin, it sleeps in Atomics.wait
 * and says so, and only then does the granter pay for Atomics.notify.
 */
import { CTL_TICK, SC_CHANGES, SC_CHOICES, SC_DEPTH, SC_HASH, SC_LAST, SC_MAX_STEPS, SC_OUTCOME, SC_RNG, SC_RUNNING, SC_SPIN, SC_STEP, SC_STOP_AT_VIOLATION, SC_STRATEGY, SC_SW_NEXT, SC_TICK_EVERY, SC_VIOLATION_STEP, SK_DEFAULT, SK_FORCED, SK_PREEMPT, ST_KIND, SW_ARG, SW_GRANT, SW_POINT, SW_PRIO, SW_SLEEPING, SW_STATE, SW_WAIT_ADDR, SWP_WORDS, schedAgentAt, schedStepAt, } from '../memory/layout.js';
import { xorshift32 } from '../util/prng.js';
import { labelHash } from './labels.js';
export const STRATEGIES = ['random', 'pct', 'replay'];
export const OUTCOMES = ['running', 'done', 'deadlock', 'step-limit', 'replay-diverged', 'violation', 'failed'];
export const O_RUNNING = 0;
export const O_DONE = 1;
export const O_DEADLOCK = 2;
export const O_STEP_LIMIT = 3;
export const O_DIVERGED = 4;
export const O_VIOLATION = 5;
export const O_FAILED = 6;
/** An agent's scheduling state. */
export const SS_RUN = 0;
export const SS_POINT = 1;
export const SS_YIELD = 2;
export const SS_SLEEP = 3;
export const SS_DONE = 4;
/** The point a woken sleeper stands at. */
export const P_WOKEN = labelHash('woken');
/** Spins on the grant word before sleeping, when agents do not outnumber cores; when they do. */
const SPIN_LONG = 1 << 22;
const SPIN_SHORT = 64;
/** Thrown in an agent when the decider ended the run (deadlock, limit, violation). */
export class RunAborted extends Error {
    name = 'RunAborted';
}
/** FNV-1a over 32-bit words: the trace hash. */
export function fnv(h, x) {
    for (let i = 0; i < 4; i++) {
        h ^= (x >>> (i * 8)) & 0xff;
        h = Math.imul(h, 0x01000193);
    }
    return h;
}
export const FNV_SEED = 0x811c9dc5 | 0;
export class Scheduler {
    m;
    L;
    agent;
    sw;
    sc;
    seen = 0;
    spins = (64 /* SPIN_SHORT */);
    constructor(m, L, agent) {
        this.m = m;
        this.L = L;
        this.agent = agent;
        this.sw = schedAgentAt(L, agent);
        this.sc = L.sched;
    }
    /** A controlled run starts (the main thread set the header up). */
    begin() {
        this.seen = Atomics.load(this.m, this.sw + (3 /* SW_GRANT */));
        this.spins = this.m[this.sc + (15 /* SC_SPIN */)] === 1 ? (4194304 /* SPIN_LONG */) : (64 /* SPIN_SHORT */);
    }
    /** Mark the step a violation happened in, so the decider ends the run there. */
    violation() {
        const at = this.sc + (11 /* SC_VIOLATION_STEP */);
        if (Atomics.load(this.m, at) === 0)
            Atomics.store(this.m, at, Atomics.load(this.m, this.sc + (2 /* SC_STEP */)));
    }
    /** The logical clock of controlled runs: the global step. */
    step() {
        return Atomics.load(this.m, this.sc + (2 /* SC_STEP */));
    }
    point(id, arg) {
        this.park((1 /* SS_POINT */), id, arg);
    }
    /** A failed try of a spinning wait: run others first. */
    yieldSpin(id, arg) {
        this.park((2 /* SS_YIELD */), id, arg);
    }
    /** Emulated futex wait: sleep (not chosen) until woken, if the word still holds `val`. */
    wait(addr, val, id) {
        this.park((1 /* SS_POINT */), id, addr);
        if (Atomics.load(this.m, addr) !== val)
            return;
        this.m[this.sw + (4 /* SW_WAIT_ADDR */)] = addr;
        this.park((3 /* SS_SLEEP */), id, addr);
    }
    /** Emulated futex wake of up to `n` sleepers on `addr`; how many woke. */
    wake(addr, n, id) {
        this.park((1 /* SS_POINT */), id, addr);
        const m = this.m;
        let woken = 0;
        for (let v = 0; v < this.L.agents && woken < n; v++) {
            const w = schedAgentAt(this.L, v);
            if (Atomics.load(m, w + (0 /* SW_STATE */)) === (3 /* SS_SLEEP */) && m[w + (4 /* SW_WAIT_ADDR */)] === addr) {
                m[w + (1 /* SW_POINT */)] = P_WOKEN;
                Atomics.store(m, w + (0 /* SW_STATE */), (1 /* SS_POINT */));
                woken++;
            }
        }
        return woken;
    }
    /** The agent failed (its code threw): the run ends for every agent, which are let go. */
    fail() {
        Atomics.store(this.m, this.sw + (0 /* SW_STATE */), (4 /* SS_DONE */));
        this.end((6 /* O_FAILED */));
    }
    /** The agent is finished: it leaves the schedule. */
    finish() {
        Atomics.store(this.m, this.sw + (0 /* SW_STATE */), (4 /* SS_DONE */));
        if (Atomics.sub(this.m, this.sc + (1 /* SC_RUNNING */), 1) === 1)
            this.decide();
    }
    park(state, id, arg) {
        const m = this.m;
        const sw = this.sw;
        m[sw + (1 /* SW_POINT */)] = id;
        m[sw + (2 /* SW_ARG */)] = arg;
        Atomics.store(m, sw + (0 /* SW_STATE */), state);
        if (Atomics.sub(m, this.sc + (1 /* SC_RUNNING */), 1) === 1)
            this.decide();
        let g = Atomics.load(m, sw + (3 /* SW_GRANT */));
        for (let i = 0; g === this.seen && i < this.spins; i++)
            g = Atomics.load(m, sw + (3 /* SW_GRANT */));
        while (g === this.seen) {
            // Say we sleep before the last look: a granter that bumps the word after it notifies us.
            Atomics.store(m, sw + (6 /* SW_SLEEPING */), 1);
            g = Atomics.load(m, sw + (3 /* SW_GRANT */));
            if (g === this.seen)
                Atomics.wait(m, sw + (3 /* SW_GRANT */), g);
            Atomics.store(m, sw + (6 /* SW_SLEEPING */), 0);
            g = Atomics.load(m, sw + (3 /* SW_GRANT */));
        }
        this.seen = g;
        if (Atomics.load(m, this.sc + (6 /* SC_OUTCOME */)) > (1 /* O_DONE */))
            throw new RunAborted(`run ended: ${OUTCOMES[Atomics.load(m, this.sc + (6 /* SC_OUTCOME */))]}`);
    }
    grant(v) {
        const w = schedAgentAt(this.L, v);
        Atomics.add(this.m, w + (3 /* SW_GRANT */), 1);
        if (Atomics.load(this.m, w + (6 /* SW_SLEEPING */)) !== 0)
            Atomics.notify(this.m, w + (3 /* SW_GRANT */));
    }
    /** Every other agent is stopped or done: pick who passes its point next. Runs in whichever agent stopped last. */
    decide() {
        const m = this.m;
        const L = this.L;
        const sc = this.sc;
        const step = m[sc + (2 /* SC_STEP */)];
        const vstep = Atomics.load(m, sc + (11 /* SC_VIOLATION_STEP */));
        if (vstep !== 0 && m[sc + (8 /* SC_STOP_AT_VIOLATION */)] === 1)
            return this.end((5 /* O_VIOLATION */));
        if (step >= m[sc + (3 /* SC_MAX_STEPS */)])
            return this.end((3 /* O_STEP_LIMIT */));
        // The enabled agents: at a point, or (only if none is) yielding in a spin.
        let count = 0;
        let klass = (1 /* SS_POINT */);
        for (let pass = 0; pass < 2 && count === 0; pass++) {
            klass = pass === 0 ? (1 /* SS_POINT */) : (2 /* SS_YIELD */);
            for (let v = 0; v < L.agents; v++)
                if (m[schedAgentAt(L, v) + (0 /* SW_STATE */)] === klass)
                    count++;
        }
        if (count === 0) {
            let live = 0;
            for (let v = 0; v < L.agents; v++)
                if (m[schedAgentAt(L, v) + (0 /* SW_STATE */)] !== (4 /* SS_DONE */))
                    live++;
            return this.end(live === 0 ? (1 /* O_DONE */) : (2 /* O_DEADLOCK */));
        }
        // The default choice: the last agent again if it can go, else the lowest that can.
        const last = m[sc + (13 /* SC_LAST */)];
        const lastCan = last >= 0 && m[schedAgentAt(L, last) + (0 /* SW_STATE */)] === klass;
        let dflt = lastCan ? last : -1;
        for (let v = 0; dflt < 0 && v < L.agents; v++)
            if (m[schedAgentAt(L, v) + (0 /* SW_STATE */)] === klass)
                dflt = v;
        let best = -1;
        const strategy = m[sc + (4 /* SC_STRATEGY */)];
        if (strategy === 2) {
            // Replay: the default, except at the recorded switch points.
            best = dflt;
            const next = m[sc + (14 /* SC_SW_NEXT */)];
            if (next < m[sc + (9 /* SC_CHOICES */)] && m[L.schedSwitches + next * (2 /* SWP_WORDS */)] === step) {
                best = m[L.schedSwitches + next * (2 /* SWP_WORDS */) + 1];
                m[sc + (14 /* SC_SW_NEXT */)] = next + 1;
                if (best < 0 || best >= L.agents || m[schedAgentAt(L, best) + (0 /* SW_STATE */)] !== klass)
                    return this.end((4 /* O_DIVERGED */));
            }
        }
        else if (strategy === 1) {
            // PCT: the highest-priority enabled agent; at a change point its priority drops below all.
            let prio = -Infinity;
            for (let v = 0; v < L.agents; v++) {
                const w = schedAgentAt(L, v);
                if (m[w + (0 /* SW_STATE */)] === klass && m[w + (5 /* SW_PRIO */)] > prio) {
                    prio = m[w + (5 /* SW_PRIO */)];
                    best = v;
                }
            }
            // At the i-th change point the chosen agent drops to priority d-1-i,
            // below every initial priority (d .. d+n-1); the point is then used up.
            const depth = m[sc + (7 /* SC_DEPTH */)];
            for (let i = 0; i < depth - 1; i++) {
                if (m[sc + (16 /* SC_CHANGES */) + i] === step) {
                    m[sc + (16 /* SC_CHANGES */) + i] = -1;
                    m[schedAgentAt(L, best) + (5 /* SW_PRIO */)] = depth - 1 - i;
                    return this.decide();
                }
            }
        }
        else {
            const r = xorshift32(m[sc + (5 /* SC_RNG */)]);
            m[sc + (5 /* SC_RNG */)] = r;
            let k = (r >>> 0) % count;
            for (let v = 0; v < L.agents; v++) {
                if (m[schedAgentAt(L, v) + (0 /* SW_STATE */)] === klass && k-- === 0) {
                    best = v;
                    break;
                }
            }
        }
        // Record the step, advance the clock, let the chosen agent pass.
        const w = schedAgentAt(L, best);
        const at = schedStepAt(L, step);
        m[at] = best;
        m[at + 1] = m[w + (1 /* SW_POINT */)];
        m[at + 2] = m[w + (2 /* SW_ARG */)];
        m[at + (3 /* ST_KIND */)] = best === dflt ? (0 /* SK_DEFAULT */) : lastCan ? (1 /* SK_PREEMPT */) : (2 /* SK_FORCED */);
        m[sc + (13 /* SC_LAST */)] = best;
        m[sc + (10 /* SC_HASH */)] = fnv(fnv(fnv(m[sc + (10 /* SC_HASH */)], best), m[at + 1]), m[at + 2]);
        m[sc + (2 /* SC_STEP */)] = step + 1;
        const every = m[sc + (12 /* SC_TICK_EVERY */)];
        if (every > 0 && (step + 1) % every === 0)
            Atomics.add(m, (3 /* CTL_TICK */), 1);
        Atomics.store(m, w + (0 /* SW_STATE */), (0 /* SS_RUN */));
        Atomics.store(m, sc + (1 /* SC_RUNNING */), 1);
        this.grant(best);
    }
    /** End the run: every stopped agent is let go and throws RunAborted (or, done, returns). */
    end(outcome) {
        const m = this.m;
        Atomics.store(m, this.sc + (6 /* SC_OUTCOME */), outcome);
        for (let v = 0; v < this.L.agents; v++) {
            if (m[schedAgentAt(this.L, v) + (0 /* SW_STATE */)] === (4 /* SS_DONE */))
                continue;
            this.grant(v);
        }
    }
}
//# sourceMappingURL=scheduler.js.map