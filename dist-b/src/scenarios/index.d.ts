/** Every scenario, in the order of the seed threads. A new scenario is one file and one line here. */
import type { Scenario } from './scenario.js';
export declare const SCENARIOS: readonly Scenario[];
export declare const scenarioByName: (name: string) => Scenario | undefined;
