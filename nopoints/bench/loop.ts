/**
 * The real device loop, one device, run on the calling thread (a bench
 * worker): fresh shared memory, the start flag already set, a fixed number
 * of operations. Returns its time per operation.
 */
import { performance } from 'node:perf_hooks';
import { resolveConfig, type Config } from '../src/config.js';
import { createShared } from '../src/memory.js';
import { DeviceLoop } from '../src/device-loop.js';
import { C_OPS, C_VIOLATIONS, CTL_GO, countersAt } from '../src/layout.js';
import type { LoopStats } from './messages.js';

export function runDeviceLoop(partial: Partial<Config>): LoopStats {
  const config = resolveConfig({ ...partial, devices: 1, groupSize: 1, queues: 1 });
  if (config.ops <= 0) throw new Error('a device-loop benchmark needs a fixed number of operations (ops > 0)');
  const sh = createShared(config);
  // DeviceLoop.run() waits at the start barrier until CTL_GO is set: open it first.
  Atomics.store(sh.m, CTL_GO, 1);
  const loop = new DeviceLoop({ sab: sh.sab, layout: sh.L, config, worker: 0, role: 'device' });
  const t0 = performance.now();
  loop.run();
  const ms = performance.now() - t0;
  const cb = countersAt(sh.L, 0);
  const ops = sh.f[cb + C_OPS]!;
  const violations = sh.f[cb + C_VIOLATIONS]!;
  if (ops !== config.ops || violations !== 0) throw new Error(`device loop did ${ops} of ${config.ops} operations with ${violations} violations`);
  return { ops, nsPerOp: (ms * 1e6) / ops, violations };
}
