/** Worker entry of every agent of a run (a device queue, the live switch, a race's agent): src/engine/worker.ts. */
import { agentMain } from '../src/engine/worker.js';
await agentMain();
//# sourceMappingURL=agent.js.map