import type { ScenarioResult, ScenarioTable } from './scenario.js';
export declare function formatTable(t: ScenarioTable): string;
export declare function formatScenario(r: ScenarioResult): string;
