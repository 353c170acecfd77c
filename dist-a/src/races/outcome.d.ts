/**
 * The outcome of a race run, classed as jcstress classes outcomes: each
 * run ends in one outcome (the most severe that applies), and each race says
 * which outcomes are acceptable, interesting or forbidden.
 */
import type { OutcomeClass, RaceDef } from '../api/types.js';
import type { Invariant } from '../checker/invariants.js';
/** Every outcome a run can have, most severe first, with what puts a run in it. */
export declare const OUTCOME_DEFS: readonly [{
    readonly name: "deadlock";
    readonly meaning: "every agent still running was asleep or stuck: nobody could go on (a lost wake-up, a lock never freed)";
}, {
    readonly name: "failed";
    readonly meaning: "an agent's code threw: the design (or the harness) is broken in a way the checker does not name";
}, {
    readonly name: "replay-diverged";
    readonly meaning: "the schedule does not apply to this code: at one of its switch points the agent it names could not go on (the run was cut short there, unaudited)";
}, {
    readonly name: "misdirected-dma";
    readonly meaning: "a DMA landed on a frame its device had not mapped there (wrong frame, another device's frame, or after unmap)";
}, {
    readonly name: "lost-mapping";
    readonly meaning: "a mapping a device still relied on was gone or overwritten (DMA fault, unmap found nothing, corrupt table)";
}, {
    readonly name: "corrupt-bookkeeping";
    readonly meaning: "table counts, table pages or IOVAs were leaked or miscounted, nothing misdirected yet";
}, {
    readonly name: "step-limit";
    readonly meaning: "the controlled run reached its step limit (a livelock, or too long a run)";
}, {
    readonly name: "stale-window";
    readonly meaning: "late DMAs still translated through stale IOTLB entries of unmapped, not yet flushed IOVAs (the deferred flush window)";
}, {
    readonly name: "clean";
    readonly meaning: "nothing wrong found";
}];
export type OutcomeName = (typeof OUTCOME_DEFS)[number]['name'];
/** The defaults every race shares: clean is fine; the stale window, bookkeeping damage and the step limit are interesting. */
export declare const DEFAULT_CLASSES: Partial<Record<OutcomeName, OutcomeClass>>;
export declare function classOf(race: RaceDef, o: string): OutcomeClass;
/** What decides an outcome: violations by invariant code, how the scheduler ended the run, and the stale window. */
export interface OutcomeInputs {
    byCode: readonly number[];
    schedOutcome: string | null;
    staleTranslations: number;
}
/** The outcome of a finished run (a free-running deadlock comes from the watchdog, not from here). */
export declare function outcomeOf(inv: readonly Invariant[], x: OutcomeInputs): OutcomeName;
