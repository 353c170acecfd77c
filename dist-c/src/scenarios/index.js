import { perDeviceTables } from './per-device-tables.js';
import { mapBatch } from './map-batch.js';
import { pasidDomains } from './pasid-domains.js';
import { groupSize } from './group-size.js';
import { liveSwitch } from './live-switch.js';
import { pvdma } from './pvdma.js';
import { iotlbFlush } from './iotlb-flush.js';
export const SCENARIOS = [perDeviceTables, mapBatch, pasidDomains, groupSize, liveSwitch, pvdma, iotlbFlush];
export const scenarioByName = (name) => SCENARIOS.find((s) => s.name === name);
//# sourceMappingURL=index.js.map