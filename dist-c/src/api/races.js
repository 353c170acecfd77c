import { loadRace } from '../modules/loader.js';
import { Controller, explore as exploreRace, exploreResult, replay as replayRace, shrink as shrinkRace } from '../races/explore.js';
import { encodeSchedule, parseSchedule } from '../sched/schedule.js';
import { UsageError } from '../util/errors.js';
export async function explore(race, o = {}) {
    const lr = await loadRace(race);
    const variant = o.correct ? 'correct' : 'broken';
    const strategy = o.strategy ?? 'random';
    const depth = o.depth ?? 2;
    const ctl = new Controller();
    try {
        const x = await exploreRace(lr, variant, { strategy, depth, runs: o.runs ?? 100, seed: o.seed ?? 1, stopAtForbidden: !o.all, ...(o.onRun ? { onRun: (i, r) => o.onRun(i, r.outcome, r.class) } : {}) }, ctl);
        return exploreResult(lr, variant, strategy, depth, x);
    }
    finally {
        await ctl.close();
    }
}
const scheduleOf = (s) => (typeof s === 'string' ? parseSchedule(s) : s);
export async function replay(schedule, o = {}) {
    const s = scheduleOf(schedule);
    const lr = await loadRace(s.race);
    const ctl = new Controller();
    try {
        const hashes = [];
        let first = null;
        for (let i = 0; i < Math.max(1, o.repeat ?? 1); i++) {
            const r = await replayRace(lr, s, ctl);
            first ??= r;
            hashes.push(r.result?.sched?.hash ?? '');
        }
        if (!first?.result)
            throw new UsageError('replay: the run left no result');
        return { schema: 'iommu-stress/replay@1', schedule: encodeSchedule(s), outcome: first.outcome, class: first.class, hashes, result: first.result };
    }
    finally {
        await ctl.close();
    }
}
export async function shrink(schedule, o = {}) {
    const s = scheduleOf(schedule);
    const lr = await loadRace(s.race);
    const ctl = new Controller();
    try {
        const x = await shrinkRace(lr, s, ctl, o.budget ?? 400);
        if (!x.run.result)
            throw new UsageError('shrink: the smallest schedule left no result');
        return { schema: 'iommu-stress/shrink@1', original: encodeSchedule(x.original), smallest: encodeSchedule(x.smallest), outcome: x.run.outcome, tried: x.tried, result: x.run.result };
    }
    finally {
        await ctl.close();
    }
}
//# sourceMappingURL=races.js.map