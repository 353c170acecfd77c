/** Every built-in race. A new one is one file and one line here; a user's is a module named by path (`explore ./my-race.mjs`). */
import type { RaceDef } from '../api/types.js';
import { deviceLocks } from './device-locks.js';
import { noLock } from './no-lock.js';
import { plainInstall } from './plain-install.js';
import { freeUnderWalker } from './free-under-walker.js';
import { iotlbReuse } from './iotlb-reuse.js';
import { switchDropsMappings } from './switch-drops-mappings.js';
import { lostWakeup } from './lost-wakeup.js';

export const RACES: readonly RaceDef[] = [deviceLocks, noLock, plainInstall, freeUnderWalker, iotlbReuse, switchDropsMappings, lostWakeup];
export const raceByName = (name: string): RaceDef | undefined => RACES.find((r) => r.name === name);
