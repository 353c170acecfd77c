import type { Config } from '../src/api/types.js';
import type { LoopStats } from './messages.js';
export declare function runDeviceLoop(partial: Partial<Config>): Promise<LoopStats>;
