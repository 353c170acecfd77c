/** Switches a controlled run makes: to the other domain and back. */
export declare const CONTROLLED_SWITCHES = 2;
export declare const liveSwitch: import("../api/types.js").AgentDef;
