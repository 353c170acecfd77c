/**
 * The controlled scheduler, main-thread side: set up the scheduler block of
 * a run before the agents start, and read what the run did after it ended.
 */
import { MAX_PCT_DEPTH, SC_CHANGES, SC_CHOICES, SC_DEPTH, SC_HASH, SC_LAST, SC_MAX_STEPS, SC_MODE, SC_OUTCOME, SC_RNG, SC_RUNNING, SC_SPIN, SC_STEP, SC_STOP_AT_VIOLATION, SC_STRATEGY, SC_TICK_EVERY, SC_VIOLATION_STEP, SK_DEFAULT, SK_PREEMPT, ST_KIND, SW_PRIO, SWP_WORDS, schedAgentAt, schedStepAt, } from '../memory/layout.js';
import { seedState, xorshift32 } from '../util/prng.js';
import { FNV_SEED, OUTCOMES, STRATEGIES } from './scheduler.js';
/** Set up the scheduler block of a controlled run (main thread, before the agents start; the block is zero). */
export function initSched(m, L, spec) {
    const sc = L.sched;
    m[sc + (0 /* SC_MODE */)] = 1;
    m[sc + (1 /* SC_RUNNING */)] = L.agents;
    m[sc + (3 /* SC_MAX_STEPS */)] = Math.min(spec.maxSteps, L.schedSteps);
    m[sc + (4 /* SC_STRATEGY */)] = STRATEGIES.indexOf(spec.strategy);
    let rng = seedState(spec.seed, 0x5ced);
    m[sc + (5 /* SC_RNG */)] = rng;
    m[sc + (10 /* SC_HASH */)] = (-2128831035 /* FNV_SEED */);
    m[sc + (8 /* SC_STOP_AT_VIOLATION */)] = spec.stopAtViolation ? 1 : 0;
    m[sc + (12 /* SC_TICK_EVERY */)] = spec.tickEvery;
    m[sc + (15 /* SC_SPIN */)] = spec.spin ? 1 : 0;
    const depth = Math.min(Math.max(spec.depth, 1), (32 /* MAX_PCT_DEPTH */));
    m[sc + (7 /* SC_DEPTH */)] = depth;
    const draw = (n) => {
        rng = xorshift32(rng);
        return (rng >>> 0) % n;
    };
    // PCT: a random permutation of priorities depth .. depth+n-1, and d-1 change points in [1, k].
    const prios = Array.from({ length: L.agents }, (_, i) => depth + i);
    for (let i = prios.length - 1; i > 0; i--) {
        const j = draw(i + 1);
        [prios[i], prios[j]] = [prios[j], prios[i]];
    }
    prios.forEach((p, v) => (m[schedAgentAt(L, v) + (5 /* SW_PRIO */)] = p));
    for (let i = 0; i < depth - 1; i++)
        m[sc + (16 /* SC_CHANGES */) + i] = 1 + draw(Math.max(1, spec.expectedSteps));
    m[sc + (13 /* SC_LAST */)] = -1;
    const n = Math.min(spec.switches.length, L.schedSteps);
    m[sc + (9 /* SC_CHOICES */)] = n;
    for (let i = 0; i < n; i++) {
        const [step, agent] = spec.switches[i];
        m[L.schedSwitches + i * (2 /* SWP_WORDS */)] = step;
        m[L.schedSwitches + i * (2 /* SWP_WORDS */) + 1] = agent;
    }
}
/** The run's outcome and schedule, without naming its steps (cheap: explore reads this for every schedule). */
export function readSched(m, L, strategy, seed) {
    const sc = L.sched;
    const steps = m[sc + (2 /* SC_STEP */)];
    const switches = [];
    let preemptions = 0;
    for (let s = 0; s < steps; s++) {
        const at = schedStepAt(L, s);
        const kind = m[at + (3 /* ST_KIND */)];
        if (kind !== (0 /* SK_DEFAULT */))
            switches.push([s, m[at]]);
        if (kind === (1 /* SK_PREEMPT */))
            preemptions++;
    }
    return {
        strategy,
        seed,
        outcome: OUTCOMES[m[sc + (6 /* SC_OUTCOME */)]] ?? 'unknown',
        steps,
        hash: (m[sc + (10 /* SC_HASH */)] >>> 0).toString(16).padStart(8, '0'),
        switches,
        preemptions,
        violationStep: m[sc + (11 /* SC_VIOLATION_STEP */)] - 1,
    };
}
/** Steps `from` .. `to` - 1 of the run. */
export function readSteps(m, L, from, to) {
    const out = [];
    for (let s = Math.max(0, from); s < to; s++) {
        const at = schedStepAt(L, s);
        out.push({ step: s, agent: m[at], point: m[at + 1], arg: m[at + 2], preempted: m[at + (3 /* ST_KIND */)] === (1 /* SK_PREEMPT */), forced: m[at + (3 /* ST_KIND */)] === 2 });
    }
    return out;
}
//# sourceMappingURL=control.js.map