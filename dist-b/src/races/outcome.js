/** Every outcome a run can have, most severe first, with what puts a run in it. */
export const OUTCOME_DEFS = [
    { name: 'deadlock', meaning: 'every agent still running was asleep or stuck: nobody could go on (a lost wake-up, a lock never freed)' },
    { name: 'failed', meaning: "an agent's code threw: the design (or the harness) is broken in a way the checker does not name" },
    { name: 'replay-diverged', meaning: 'the schedule does not apply to this code: at one of its switch points the agent it names could not go on (the run was cut short there, unaudited)' },
    { name: 'misdirected-dma', meaning: "a DMA landed on a frame its device had not mapped there (wrong frame, another device's frame, or after unmap)" },
    { name: 'lost-mapping', meaning: 'a mapping a device still relied on was gone or overwritten (DMA fault, unmap found nothing, corrupt table)' },
    { name: 'corrupt-bookkeeping', meaning: 'table counts, table pages or IOVAs were leaked or miscounted, nothing misdirected yet' },
    { name: 'step-limit', meaning: 'the controlled run reached its step limit (a livelock, or too long a run)' },
    { name: 'stale-window', meaning: 'late DMAs still translated through stale IOTLB entries of unmapped, not yet flushed IOVAs (the deferred flush window)' },
    { name: 'clean', meaning: 'nothing wrong found' },
];
/** The defaults every race shares: clean is fine; the stale window, bookkeeping damage and the step limit are interesting. */
export const DEFAULT_CLASSES = {
    clean: 'acceptable',
    'stale-window': 'interesting',
    'corrupt-bookkeeping': 'interesting',
    'step-limit': 'interesting',
    'replay-diverged': 'interesting',
};
export function classOf(race, o) {
    return race.classes?.[o] ?? DEFAULT_CLASSES[o] ?? 'forbidden';
}
/** The outcome of a finished run (a free-running deadlock comes from the watchdog, not from here). */
export function outcomeOf(inv, x) {
    if (x.schedOutcome === 'deadlock')
        return 'deadlock';
    if (x.schedOutcome === 'failed')
        return 'failed';
    if (x.schedOutcome === 'replay-diverged')
        return 'replay-diverged';
    let worst = null;
    const rank = (o) => OUTCOME_DEFS.findIndex((d) => d.name === o);
    x.byCode.forEach((n, code) => {
        if (n > 0) {
            const o = inv[code].outcome;
            if (worst === null || rank(o) < rank(worst))
                worst = o;
        }
    });
    if (worst !== null)
        return worst;
    if (x.schedOutcome === 'step-limit')
        return 'step-limit';
    if (x.staleTranslations > 0)
        return 'stale-window';
    return 'clean';
}
//# sourceMappingURL=outcome.js.map