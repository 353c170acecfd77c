/**
 * The live switch (the AMD thread, 2022): a control thread that moves
 * device 0 between its default domain and a PASID-capable domain, then back,
 * while every device keeps mapping through the DMA API.
 *
 * A switch quiesces the device's mappers by taking the lock that guards the
 * tables involved (the group mutex and domain lock of the kernel), stores
 * the new domain in the device's attached-domain word (a device-table entry
 * update), flushes the device's IOTLB and pays one invalidation.
 *
 * Free running, it switches every --switch-ms and measures each switch's
 * latency and the device throughput just before and just after it. Under
 * the controlled scheduler it makes two switches where the schedule says.
 */
import { performance } from 'node:perf_hooks';
import type { DeviceTask } from './messages.js';
import type { Config } from './config.js';
import { type LockAlgorithm, LK_CLOCK, QNODE_WORDS } from './locks/lock.js';
import { lockByName } from './locks/registry.js';
import {
  type Layout,
  CTL_GO,
  CTL_READY,
  CTL_STOP,
  C_END_MS,
  C_START_MS,
  C_SW_COUNT,
  C_SW_LAT_MAX,
  C_SW_LAT_TOTAL,
  C_SW_RATE_RATIO,
  DEV_DEFAULT_DOMAIN,
  DEV_DOMAIN,
  DEV_LOCK,
  DOM_PT_LOCK,
  W_PROGRESS,
  W_STATUS,
  W_WORDS,
  WS_DONE,
  WS_RUNNING,
  countersAt,
  deviceAt,
  domainAt,
  qnodeAt,
  traceAt,
  workerAt,
} from './layout.js';
import { T_SWITCH, traceEvent } from './trace.js';
import { busyWaitNs, invalidateDevice } from './iotlb.js';
import { P_SWITCH, SCHED } from './sched.js';
import { switchDomainOf } from './memory.js';

/** Switches a controlled run makes: to the other domain and back. */
export const CONTROLLED_SWITCHES = 2;
/** Word of the agent's state line it sleeps on between switches (never notified). */
const W_NAP = W_WORDS - 1;

export class Switcher {
  private readonly m: Int32Array;
  private readonly f: Float64Array;
  private readonly L: Layout;
  private readonly cfg: Config;
  private readonly alg: LockAlgorithm;
  private readonly agent: number;
  private readonly ws: number;
  private readonly cb: number;
  private readonly dev: number;
  private readonly tr: number;
  /** Logical clock (Lamport through the table locks; the step when controlled) and switches made. */
  private clock = 0;
  private switches = 0;

  constructor(task: DeviceTask) {
    this.m = new Int32Array(task.sab);
    this.f = new Float64Array(task.sab);
    this.L = task.layout;
    this.cfg = task.config;
    this.alg = lockByName(task.config.lock)!;
    this.agent = task.worker;
    this.ws = workerAt(this.L, this.agent);
    this.cb = countersAt(this.L, this.agent);
    this.dev = deviceAt(this.L, 0);
    this.tr = traceAt(this.L, this.agent);
  }

  run(): void {
    const m = this.m;
    Atomics.add(m, CTL_READY, 1);
    while (Atomics.load(m, CTL_GO) === 0) Atomics.wait(m, CTL_GO, 0, 100);
    SCHED.enable(m, this.L, this.agent);
    Atomics.store(m, this.ws + W_STATUS, WS_RUNNING);
    this.f[this.cb + C_START_MS] = performance.timeOrigin + performance.now();
    if (SCHED.on) {
      for (let i = 0; i < CONTROLLED_SWITCHES; i++) {
        SCHED.point(P_SWITCH, i);
        this.switchOnce();
      }
    } else {
      this.freeRunning();
    }
    this.f[this.cb + C_END_MS] = performance.timeOrigin + performance.now();
    Atomics.store(m, this.ws + W_STATUS, WS_DONE);
    SCHED.finish();
  }

  /** Switch every --switch-ms until stopped, measuring the throughput around each switch. */
  private freeRunning(): void {
    const m = this.m;
    const f = this.f;
    const period = this.cfg.switchMs;
    const window = Math.min(period / 3, 5);
    let next = performance.now() + period;
    while (Atomics.load(m, CTL_STOP) === 0) {
      this.nap(next - window - performance.now());
      if (Atomics.load(m, CTL_STOP) !== 0) break;
      const t0 = performance.now();
      const p0 = this.progress();
      this.nap(next - performance.now());
      const t1 = performance.now();
      const p1 = this.progress();
      const lat = this.switchOnce();
      const t2 = performance.now();
      const p2 = this.progress();
      this.nap(window);
      const t3 = performance.now();
      const p3 = this.progress();
      const before = (p1 - p0) / Math.max(t1 - t0, 1e-6);
      const after = (p3 - p2) / Math.max(t3 - t2, 1e-6);
      f[this.cb + C_SW_COUNT]! += 1;
      f[this.cb + C_SW_LAT_TOTAL]! += lat;
      if (lat > f[this.cb + C_SW_LAT_MAX]!) f[this.cb + C_SW_LAT_MAX] = lat;
      if (before > 0) f[this.cb + C_SW_RATE_RATIO]! += after / before;
      m[this.ws + W_PROGRESS] = m[this.ws + W_PROGRESS]! + 1;
      next += period;
    }
  }

  /** Operations done by every device worker so far. */
  private progress(): number {
    let p = 0;
    for (let w = 0; w < this.L.workers; w++) p += Atomics.load(this.m, workerAt(this.L, w) + W_PROGRESS);
    return p;
  }

  private nap(ms: number): void {
    if (ms > 0) Atomics.wait(this.m, this.ws + W_NAP, 0, ms);
  }

  /** One switch of device 0 to the other domain; returns its latency in ns. */
  private switchOnce(): number {
    const m = this.m;
    const t0 = performance.now();
    const cur = Atomics.load(m, this.dev + DEV_DOMAIN);
    const def = m[this.dev + DEV_DEFAULT_DOMAIN]!;
    const next = cur === def ? switchDomainOf(this.L) : def;
    // Quiesce the mappers of both tables: their locks in a fixed order (or the device lock).
    const a = this.lockOf(cur);
    const b = this.lockOf(next);
    const [first, second] = a <= b ? [a, b] : [b, a];
    const node = qnodeAt(this.L, this.agent, 0);
    if (first >= 0) this.alg.lock(m, first, node);
    if (second >= 0 && second !== first) this.alg.lock(m, second, node + QNODE_WORDS);
    Atomics.store(m, this.dev + DEV_DOMAIN, next);
    // On the timeline, the switch sits between the locks' clocks it was ordered by.
    const lc = Math.max(first >= 0 ? m[first + LK_CLOCK]! : 0, second >= 0 ? m[second + LK_CLOCK]! : 0);
    this.clock = SCHED.on ? SCHED.step() : Math.max(this.clock, lc) + 1;
    traceEvent(m, this.tr, this.clock, this.switches++, T_SWITCH, next);
    invalidateDevice(m, this.L, 0);
    busyWaitNs(this.cfg.iotlbNs);
    if (second >= 0 && second !== first) {
      m[second + LK_CLOCK] = this.clock;
      this.alg.unlock(m, second, node + QNODE_WORDS);
    }
    if (first >= 0) {
      m[first + LK_CLOCK] = this.clock;
      this.alg.unlock(m, first, node);
    }
    return (performance.now() - t0) * 1e6;
  }

  /** The lock guarding `domain`'s table for device 0, -1 for none. */
  private lockOf(domain: number): number {
    if (this.cfg.lockScope === 'domain') return this.m[domainAt(this.L, domain) + DOM_PT_LOCK]!;
    if (this.cfg.lockScope === 'device') return this.m[this.dev + DEV_LOCK]!;
    return -1;
  }
}
