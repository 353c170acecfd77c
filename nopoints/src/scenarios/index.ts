/** Every scenario, in the order of the seed threads. A new scenario is one file and one line here. */
import type { Scenario } from './scenario.js';
import { perDeviceTables } from './per-device-tables.js';
import { mapBatch } from './map-batch.js';
import { pasidDomains } from './pasid-domains.js';
import { groupSize } from './group-size.js';
import { liveSwitch } from './live-switch.js';
import { pvdma } from './pvdma.js';
import { iotlbFlush } from './iotlb-flush.js';

export const SCENARIOS: readonly Scenario[] = [perDeviceTables, mapBatch, pasidDomains, groupSize, liveSwitch, pvdma, iotlbFlush];

export const scenarioByName = (name: string): Scenario | undefined => SCENARIOS.find((s) => s.name === name);
