/** Every built-in race. A new one is one file and one line here; a user's is a module named by path (`explore ./my-race.mjs`). */
import type { RaceDef } from '../api/types.js';
export declare const RACES: readonly RaceDef[];
export declare const raceByName: (name: string) => RaceDef | undefined;
