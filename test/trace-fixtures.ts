/**
 * A run trace for the tests of what is drawn from one (test/chrome-trace.test.ts,
 * test/replay-html.test.ts): the same story in both.
 */
import type { RunTrace } from '../src/report/run-trace.js';

export const L = 'pgtable lock of domain 0';

/**
 * A controlled run of two devices and the live-switch thread: the page-table
 * lock handed dev0 -> dev1 -> dev0 -> dev1, dev0 preempted while it holds the
 * lock, dev1 in its DMA, a zero-length hold of the table lock by the agent,
 * and a violation at the end.
 */
export function controlledTrace(): RunTrace {
  return {
    schema: 'iommu-stress/trace@1',
    title: 'device-locks (broken)',
    clock: 'step',
    tracks: [
      { id: 0, name: 'dev0', kind: 'device' },
      { id: 1, name: 'dev1', kind: 'device' },
      { id: 2, name: 'live-switch', kind: 'agent' },
    ],
    slices: [
      { track: 0, name: 'op 0', cat: 'op', start: 0, end: 13 },
      { track: 0, name: 'map', cat: 'map', start: 1, end: 4, args: { iova: '0x1000' } },
      { track: 0, name: L, cat: 'lock', start: 1, end: 3 },
      { track: 0, name: 'dma', cat: 'dma', start: 5, end: 7 },
      { track: 0, name: 'unmap', cat: 'unmap', start: 8, end: 12 },
      { track: 0, name: L, cat: 'lock', start: 9, end: 11 },
      { track: 1, name: 'op 0', cat: 'op', start: 2, end: 15 },
      { track: 1, name: 'map', cat: 'map', start: 3, end: 6, args: { iova: '0x2000' } },
      { track: 1, name: L, cat: 'lock', start: 4, end: 5 },
      { track: 1, name: 'dma', cat: 'dma', start: 7, end: 10 },
      { track: 1, name: 'unmap', cat: 'unmap', start: 11, end: 14 },
      { track: 1, name: L, cat: 'lock', start: 12, end: 13 },
      { track: 2, name: 'switch domain 0', cat: 'agent', start: 5, end: 9 },
      { track: 2, name: 'table lock', cat: 'lock', start: 6, end: 6 },
    ],
    instants: [
      { track: 0, name: 'preempted', cat: 'preempt', at: 2 },
      { track: 1, name: 'preempted', cat: 'preempt', at: 8 },
      { track: 2, name: 'domain switch', cat: 'event', at: 7, args: { domain: 0 } },
      { track: 1, name: 'dma-after-unmap', cat: 'violation', at: 14 },
    ],
    flows: [
      { lock: L, fromTrack: 0, fromAt: 3, toTrack: 1, toAt: 4 },
      { lock: L, fromTrack: 1, fromAt: 5, toTrack: 0, toAt: 9 },
      { lock: L, fromTrack: 0, fromAt: 11, toTrack: 1, toAt: 12 },
    ],
    steps: [
      [0, 'op', '0x1000'],
      [0, 'lock', L],
      [0, 'leaf-write', '0x1000'],
      [1, 'op', '0x2000'],
      [1, 'lock', L],
      [1, 'unlock', L],
      [2, 'switch', 'domain 0'],
      [0, 'walk', '0x1000'],
      [1, 'walk', '0x2000'],
      [0, 'lock', L],
      [2, 'flush', 'domain 0'],
      [0, 'unlock', L],
      [1, 'lock', L],
      [1, 'leaf-clear', '0x2000'],
      [1, 'walk', '0x2000'],
      [1, 'op', '0x2000'],
    ].map(([track, point, arg], step) => ({ step, track: track as number, point: point as string, arg: arg as string, preempted: step === 2 || step === 8 })),
    violation: { at: 14, track: 1, invariant: 'dma-after-unmap', text: 'dev1: a DMA to 0x2000 just unmapped still translated (frame 7)' },
    replay: 'iommu-stress replay v1:device-locks:broken:d2.o1.i1.s3:2@1.8@0',
    report: 'violation: dma-after-unmap\n  dev1: a DMA to 0x2000 just unmapped still translated (frame 7)\n  at step 14 <after unmap>',
  };
}
