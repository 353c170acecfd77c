/** How race runs read: the outcome, the violation report, the interleaved timeline that led to it, the last steps, and the schedule. */
import type { RaceDef } from '../api/types.js';
import type { RaceRun } from '../races/explore.js';
export declare function formatRaceList(races: readonly RaceDef[]): string;
/** How often each outcome occurred, with its class, as jcstress prints it. */
export declare function formatHistogram(race: RaceDef, histogram: Record<string, number>): string;
/** The command that replays a schedule, quoted for a shell. */
export declare const replayCommand: (schedule: string) => string;
/** One run in full: outcome, violations, the timeline of every agent, the last scheduler steps. */
export declare function formatRaceRun(race: RaceDef, run: RaceRun): string;
