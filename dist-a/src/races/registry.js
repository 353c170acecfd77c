import { deviceLocks } from './device-locks.js';
import { noLock } from './no-lock.js';
import { plainInstall } from './plain-install.js';
import { freeUnderWalker } from './free-under-walker.js';
import { iotlbReuse } from './iotlb-reuse.js';
import { switchDropsMappings } from './switch-drops-mappings.js';
import { lostWakeup } from './lost-wakeup.js';
export const RACES = [deviceLocks, noLock, plainInstall, freeUnderWalker, iotlbReuse, switchDropsMappings, lostWakeup];
export const raceByName = (name) => RACES.find((r) => r.name === name);
//# sourceMappingURL=registry.js.map