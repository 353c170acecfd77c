import { C_FIXED, CTL_DONE, CTL_FREEZE, CTL_OPS, CTL_SEED, CTL_STARTED, CTL_STOP, CTL_TICK, DEV_DEFAULT_DOMAIN, DEV_DOMAIN, DOM_IOVA_OWNER, DOM_OWNER, LOCK_WORDS, LS_FIELDS, LS_HOLD_MIN, LS_WAIT_MIN, SWP_WORDS, ST_WORDS, bounceFrame, countersAt, deviceAt, domainAt, pasidAt, schedStepAt, tableDomainOf, } from '../memory/layout.js';
/** Clear what a run may have written (all but the control words and the names of points). */
export function clearShared(m, L, dirty) {
    const steps = schedStepAt(L, 0);
    m.fill(0, L.locksBase, steps);
    m.fill(0, steps, Math.min(steps + dirty.steps * (4 /* ST_WORDS */), L.schedSwitches));
    m.fill(0, L.schedSwitches, L.schedSwitches + dirty.switches * (2 /* SWP_WORDS */));
    m.fill(0, L.counters * 2, L.bytes / 4);
    for (const w of [(2 /* CTL_STOP */), (4 /* CTL_FREEZE */), (5 /* CTL_DONE */), (6 /* CTL_STARTED */), (3 /* CTL_TICK */)])
        m[w] = 0;
}
/** The context a race's setup and check are given (main thread). */
export class MainSetupContext {
    rt;
    out;
    expectations;
    mem;
    config;
    domains;
    devices;
    windowPages;
    shared;
    constructor(rt, out, expectations) {
        this.rt = rt;
        this.out = out;
        this.expectations = expectations;
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
    pfnOf(off) {
        return this.rt.L.iovaBasePfn + off;
    }
    frame(device, i) {
        return this.rt.L.deviceFrames + device * this.rt.L.framesPerDevice + i;
    }
    expect(domain, pfn, pages, frame) {
        let e = this.expectations.get(domain);
        if (!e)
            this.expectations.set(domain, (e = new Map()));
        for (let i = 0; i < pages; i++)
            e.set(pfn + i, frame + i);
    }
    unexpect(domain, pfn, pages) {
        const e = this.expectations.get(domain);
        for (let i = 0; i < pages; i++)
            e?.delete(pfn + i);
    }
    report(invariant, domain, pfn = -1, level = -1, expected = -1, found = -1) {
        this.out.report(invariant, domain, pfn, level, expected, found);
    }
}
/**
 * Set a run up: the memory as every run starts it, the main thread's own
 * ops made (for the bounce pool and a race's setup), the run's seed and
 * operations published.
 */
export function prepareShared(rt, seed, ops, setup) {
    const { m, f, L, design: d } = rt;
    const c = d.config;
    m[(7 /* CTL_SEED */)] = seed | 0;
    m[(8 /* CTL_OPS */)] = ops;
    rt.begin();
    for (const cls of L.lockClasses)
        for (let i = 0; i < cls.instances; i++)
            d.lock.init(rt.mem, cls.base + i * (16 /* LOCK_WORDS */));
    rt.pool.init();
    for (let x = 0; x < L.domains; x++) {
        m[domainAt(L, x) + (0 /* DOM_OWNER */)] = x;
        m[domainAt(L, x) + (1 /* DOM_IOVA_OWNER */)] = x;
    }
    if (L.switchDomain >= 0) {
        // The PASID-capable domain the live switch moves device 0 to: it shares the
        // default domain's table (the DMA-API mappings stay live) or, broken, is empty;
        // either way it allocates IOVAs from the default domain's space.
        const s = L.switchDomain;
        if (c.switchTo === 'shared-table')
            m[domainAt(L, s) + (0 /* DOM_OWNER */)] = 0;
        m[domainAt(L, s) + (1 /* DOM_IOVA_OWNER */)] = 0;
    }
    for (let x = 0; x < L.domains; x++) {
        if (m[domainAt(L, x) + (0 /* DOM_OWNER */)] === x)
            d.driver.initDomain?.(rt.dctx, x);
        if (m[domainAt(L, x) + (1 /* DOM_IOVA_OWNER */)] === x)
            d.allocator.initDomain(rt.actx, x);
    }
    for (let v = 0; v < L.devices; v++) {
        const dv = deviceAt(L, v);
        const group = Math.floor(v / L.groupSize);
        m[dv + (0 /* DEV_DOMAIN */)] = tableDomainOf(L, group, 0);
        m[dv + (1 /* DEV_DEFAULT_DOMAIN */)] = tableDomainOf(L, group, 0);
        for (let p = 0; p < L.pasids; p++)
            m[pasidAt(L, v, p)] = tableDomainOf(L, group, p);
    }
    if (L.bounceSlots > 0)
        premapBouncePool(rt);
    for (let a = 0; a <= L.agents; a++) {
        const cb = countersAt(L, a);
        for (let k = 0; k < L.lockClasses.length; k++) {
            f[cb + (16 /* C_FIXED */) + k * (12 /* LS_FIELDS */) + (3 /* LS_WAIT_MIN */)] = Infinity;
            f[cb + (16 /* C_FIXED */) + k * (12 /* LS_FIELDS */) + (7 /* LS_HOLD_MIN */)] = Infinity;
        }
    }
    d.race?.setup?.(setup);
}
/**
 * pv-bounce: the pool is mapped once, contiguously, at the bottom of every
 * domain's IOVA window (slot s at offset s x pages), its IOVAs taken from
 * the allocator for good.
 */
function premapBouncePool(rt) {
    const L = rt.L;
    const poolPages = L.bounceSlots * L.pages;
    for (let x = 0; x < L.tableDomains; x++) {
        if (rt.allocator.alloc(x, poolPages) !== 0)
            throw new Error('the bounce pool must start the IOVA window');
        for (let s = 0; s < L.bounceSlots; s++) {
            if (!rt.driver.map(x, L.iovaBasePfn + s * L.pages, L.pages, bounceFrame(L, s)))
                throw new Error('the table pool has no room for the bounce pool');
        }
    }
}
//# sourceMappingURL=setup.js.map