/**
 * What a word address is, for people: "pgtable lock of domain 0", "table 5
 * entry 0x1ff", "domain 1 driver word 0". Schedule-point arguments and trace
 * events are addresses; reports print them through this.
 */
import { type Layout, LOCK_WORDS, lockOwnerOf, DEV_WORDS, TLB_WORDS, W_WORDS } from './layout.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

export function describeAddress(L: Layout, addr: number): string | null {
  if (addr < L.locksBase || addr >= L.bytes / 4) return null;
  const lock = lockOwnerOf(L, addr - ((addr - L.locksBase) % LOCK_WORDS));
  if (lock && addr < L.locksEnd) {
    const name = lock.cls.per === 'global' ? `${lock.cls.name} lock` : `${lock.cls.name} lock of ${lock.cls.per} ${lock.index}`;
    const word = (addr - L.locksBase) % LOCK_WORDS;
    return word === 0 ? name : `${name} +${word}`;
  }
  for (const cls of L.lockClasses) {
    if (cls.nodes > 0 && addr >= cls.nodes && addr < cls.nodes + (L.agents + 1) * 2 * L.nodeStride) {
      const k = Math.floor((addr - cls.nodes) / L.nodeStride);
      return `${cls.name} queue node of agent ${Math.floor(k / 2)}`;
    }
  }
  if (addr >= L.pool && addr < L.pool + 2) return addr === L.pool ? 'table pool head' : 'table pool free count';
  if (addr >= L.tables && addr < L.tables + L.nTables * L.tableWords) {
    const t = Math.floor((addr - L.tables) / L.tableWords);
    const e = Math.floor(((addr - L.tables) % L.tableWords) / L.entryWords);
    const w = (addr - L.tables) % L.entryWords;
    return `table ${t} entry ${hex(e)}${L.entryWords > 1 ? ` word ${w}` : ''}`;
  }
  if (L.metaStride > 0 && addr >= L.meta && addr < L.meta + L.nTables * L.metaStride) {
    const t = Math.floor((addr - L.meta) / L.metaStride);
    const w = (addr - L.meta) % L.metaStride;
    return `table ${t} meta ${w}`;
  }
  if (L.driverDomainStride > 0 && addr >= L.driverDomain && addr < L.driverDomain + L.domains * L.driverDomainStride) {
    return `domain ${Math.floor((addr - L.driverDomain) / L.driverDomainStride)} driver word ${(addr - L.driverDomain) % L.driverDomainStride}`;
  }
  if (L.driverDeviceStride > 0 && addr >= L.driverDevice && addr < L.driverDevice + L.devices * L.driverDeviceStride) {
    return `device ${Math.floor((addr - L.driverDevice) / L.driverDeviceStride)} driver word ${(addr - L.driverDevice) % L.driverDeviceStride}`;
  }
  if (addr >= L.deviceBase && addr < L.deviceBase + L.devices * DEV_WORDS) return `device ${Math.floor((addr - L.deviceBase) / DEV_WORDS)} domain word`;
  if (addr >= L.pasidTables && addr < L.pasidTables + L.devices * L.pasids) return `device ${Math.floor((addr - L.pasidTables) / L.pasids)} PASID ${(addr - L.pasidTables) % L.pasids}`;
  if (L.iotlbEntries > 0 && addr >= L.iotlbs && addr < L.iotlbs + L.devices * L.iotlbEntries * TLB_WORDS) {
    const k = Math.floor((addr - L.iotlbs) / TLB_WORDS);
    return `device ${Math.floor(k / L.iotlbEntries)} IOTLB entry ${k % L.iotlbEntries}`;
  }
  if (L.sharedWords > 0 && addr >= L.shared && addr < L.shared + L.sharedWords) return `shared word ${addr - L.shared}`;
  if (addr >= L.workerState && addr < L.workerState + (L.agents + 1) * W_WORDS) return `agent ${Math.floor((addr - L.workerState) / W_WORDS)} state`;
  return hex(addr);
}
