/**
 * What a word address is, for people: "pgtable lock of domain 0", "table 5
 * entry 0x1ff", "domain 1 driver word 0". Schedule-point arguments and trace
 * events are addresses; reports print them through this.
 */
import { type Layout } from './layout.js';
export declare function describeAddress(L: Layout, addr: number): string | null;
