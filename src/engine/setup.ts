/**
 * Every run starts from the same memory: what the previous run left is
 * cleared, every lock made an unlocked lock, every table back in the pool,
 * every domain set up by its driver and allocator, every device attached to
 * its group's domain, the bounce pool pre-mapped, and a race's own setup
 * done. Main thread, before the agents are let go.
 */
import type { Config, SetupContext } from '../api/types.js';
import {
  C_FIXED,
  CTL_DONE,
  CTL_FREEZE,
  CTL_OPS,
  CTL_SEED,
  CTL_STARTED,
  CTL_STOP,
  CTL_TICK,
  DEV_DEFAULT_DOMAIN,
  DEV_DOMAIN,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  LOCK_WORDS,
  LS_FIELDS,
  LS_HOLD_MIN,
  LS_WAIT_MIN,
  type Layout,
  SWP_WORDS,
  ST_WORDS,
  bounceFrame,
  countersAt,
  deviceAt,
  domainAt,
  pasidAt,
  schedStepAt,
  tableDomainOf,
  TE_WORDS,
  TR_HDR_WORDS,
  TR_HEAD,
  traceAt,
} from '../memory/layout.js';
import type { AgentRuntime } from './runtime.js';
import { clearFailure } from './crash.js';
import type { Findings, Expectations } from '../checker/audit.js';

/** Scheduler outcomes of runs cut short (at the step limit, where a replayed schedule stopped applying, ...): not checked or audited. */
export const CUT_SHORT: ReadonlySet<string> = new Set(['step-limit', 'replay-diverged', 'sleep-blocked', 'crash', 'deadlock']);

/** How much of the step records the previous run used, so that only those are cleared. */
export interface Dirty {
  steps: number;
  switches: number;
}

/** Clear what a run may have written (all but the control words and the names of points). */
export function clearShared(m: Int32Array, L: Layout, dirty: Dirty): void {
  const steps = schedStepAt(L, 0);
  m.fill(0, L.locksBase, L.traces);
  // The trace rings (a whole run each under control): only the events written, which is all a reader looks at.
  for (let a = 0; a <= L.agents; a++) {
    const tr = traceAt(L, a);
    const used = Math.min(m[tr + TR_HEAD]! >>> 0, L.traceLen);
    m.fill(0, tr, tr + TR_HDR_WORDS + used * TE_WORDS);
  }
  m.fill(0, traceAt(L, L.agents + 1), steps);
  m.fill(0, steps, Math.min(steps + dirty.steps * ST_WORDS, L.schedSwitches));
  m.fill(0, L.schedSwitches, L.schedSwitches + dirty.switches * SWP_WORDS);
  m.fill(0, L.counters * 2, L.bytes / 4);
  for (const w of [CTL_STOP, CTL_FREEZE, CTL_DONE, CTL_STARTED, CTL_TICK]) m[w] = 0;
  clearFailure(m, L);
}

/** The context a race's setup and check are given (main thread). */
export class MainSetupContext implements SetupContext {
  readonly mem;
  readonly config: Readonly<Config>;
  readonly domains: number;
  readonly devices: number;
  readonly windowPages: number;
  readonly shared: number;
  constructor(
    private readonly rt: AgentRuntime,
    private readonly out: Findings,
    readonly expectations: Expectations,
  ) {
    this.mem = rt.mem;
    this.config = rt.design.config;
    this.domains = rt.L.tableDomains;
    this.devices = rt.L.devices;
    this.windowPages = rt.L.windowPages;
    this.shared = rt.L.shared;
  }
  get driver() {
    return this.rt.driver;
  }
  pfnOf(off: number): number {
    return this.rt.L.iovaBasePfn + off;
  }
  frame(device: number, i: number): number {
    return this.rt.L.deviceFrames + device * this.rt.L.framesPerDevice + i;
  }
  expect(domain: number, pfn: number, pages: number, frame: number): void {
    let e = this.expectations.get(domain);
    if (!e) this.expectations.set(domain, (e = new Map()));
    for (let i = 0; i < pages; i++) e.set(pfn + i, frame + i);
  }
  unexpect(domain: number, pfn: number, pages: number): void {
    const e = this.expectations.get(domain);
    for (let i = 0; i < pages; i++) e?.delete(pfn + i);
  }
  report(invariant: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    this.out.report(invariant, domain, pfn, level, expected, found);
  }
}

/**
 * Set a run up: the memory as every run starts it, the main thread's own
 * ops made (for the bounce pool and a race's setup), the run's seed and
 * operations published.
 */
export function prepareShared(rt: AgentRuntime, seed: number, ops: number, setup: MainSetupContext): void {
  const { m, f, L, design: d } = rt;
  const c = d.config;
  m[CTL_SEED] = seed | 0;
  m[CTL_OPS] = ops;
  rt.begin();

  rt.call('lock', 'init', () => {
    for (const cls of L.lockClasses) for (let i = 0; i < cls.instances; i++) d.lock.init(rt.mem, cls.base + i * LOCK_WORDS);
  });
  rt.pool.init();

  for (let x = 0; x < L.domains; x++) {
    m[domainAt(L, x) + DOM_OWNER] = x;
    m[domainAt(L, x) + DOM_IOVA_OWNER] = x;
  }
  if (L.switchDomain >= 0) {
    // The PASID-capable domain the live switch moves device 0 to: it shares the
    // default domain's table (the DMA-API mappings stay live) or, broken, is empty;
    // either way it allocates IOVAs from the default domain's space.
    const s = L.switchDomain;
    if (c.switchTo === 'shared-table') m[domainAt(L, s) + DOM_OWNER] = 0;
    m[domainAt(L, s) + DOM_IOVA_OWNER] = 0;
  }
  for (let x = 0; x < L.domains; x++) {
    if (m[domainAt(L, x) + DOM_OWNER] === x && d.driver.initDomain) rt.call('driver', 'initDomain', () => d.driver.initDomain!(rt.dctx, x));
    if (m[domainAt(L, x) + DOM_IOVA_OWNER] === x) rt.call('allocator', 'initDomain', () => d.allocator.initDomain(rt.actx, x));
  }

  for (let v = 0; v < L.devices; v++) {
    const dv = deviceAt(L, v);
    const group = Math.floor(v / L.groupSize);
    m[dv + DEV_DOMAIN] = tableDomainOf(L, group, 0);
    m[dv + DEV_DEFAULT_DOMAIN] = tableDomainOf(L, group, 0);
    for (let p = 0; p < L.pasids; p++) m[pasidAt(L, v, p)] = tableDomainOf(L, group, p);
  }

  if (L.bounceSlots > 0) rt.call('driver', 'map', () => premapBouncePool(rt));

  for (let a = 0; a <= L.agents; a++) {
    const cb = countersAt(L, a);
    for (let k = 0; k < L.lockClasses.length; k++) {
      f[cb + C_FIXED + k * LS_FIELDS + LS_WAIT_MIN] = Infinity;
      f[cb + C_FIXED + k * LS_FIELDS + LS_HOLD_MIN] = Infinity;
    }
  }
  if (d.race?.setup) rt.call('race', 'setup', () => d.race!.setup!(setup));
}

/**
 * pv-bounce: the pool is mapped once, contiguously, at the bottom of every
 * domain's IOVA window (slot s at offset s x pages), its IOVAs taken from
 * the allocator for good.
 */
function premapBouncePool(rt: AgentRuntime): void {
  const L = rt.L;
  const poolPages = L.bounceSlots * L.pages;
  for (let x = 0; x < L.tableDomains; x++) {
    if (rt.allocator.alloc(x, poolPages) !== 0) throw new Error('the bounce pool must start the IOVA window');
    for (let s = 0; s < L.bounceSlots; s++) {
      if (!rt.driver.map(x, L.iovaBasePfn + s * L.pages, L.pages, bounceFrame(L, s))) throw new Error('the table pool has no room for the bounce pool');
    }
  }
}
