import { C_FLUSHES, C_PROBES, C_STALE, CTL_TICK, DOM_IOVA_OWNER, DOM_OWNER, domainAt } from '../memory/layout.js';
import { V } from '../checker/invariants.js';
import { TLB_MISS, busyWaitNs } from './iotlb.js';
/** The driver's gather, forwarded to the run's flush policy (set at the start of each run). */
export class EngineGather {
    basePfn;
    flush = null;
    constructor(basePfn) {
        this.basePfn = basePfn;
    }
    invalidate(domain, pfn, pages) {
        this.flush.invalidate(domain, pfn - this.basePfn, pages);
    }
}
export class EngineDriverContext {
    device;
    config;
    tables;
    locks;
    tlb;
    log;
    mem;
    worker;
    domains;
    devices;
    /** What the unmap in progress is expected to find: its first pfn and frame (-1: no expectation, an agent's own unmap). */
    expectPfn = -1;
    expectFrame = -1;
    expectDomain = -1;
    /** Layout addresses, held here: no Layout lookups per operation. */
    dd;
    dds;
    dv;
    dvs;
    constructor(core, L, device, config, tables, locks, tlb, log) {
        this.device = device;
        this.config = config;
        this.tables = tables;
        this.locks = locks;
        this.tlb = tlb;
        this.log = log;
        this.mem = core.mem;
        this.worker = core.agent;
        this.domains = L.domains;
        this.devices = L.devices;
        this.dd = L.driverDomain;
        this.dds = L.driverDomainStride;
        this.dv = L.driverDevice;
        this.dvs = L.driverDeviceStride;
    }
    domainState(domain) {
        return this.dd + domain * this.dds;
    }
    deviceState(device) {
        return this.dv + device * this.dvs;
    }
    report(invariant, domain, pfn = -1, level = -1, expected = -1, found = -1) {
        this.log.report(invariant, domain, pfn, level, expected, found);
    }
    cleared(pfn, frame, level = -1) {
        if (this.expectFrame < 0)
            return;
        const want = this.expectFrame + (pfn - this.expectPfn);
        if (frame < 0)
            this.log.record(V.UNMAP_MISSING, this.expectDomain, pfn, level, want, -1);
        else if (frame !== want)
            this.log.record(V.UNMAP_WRONG, this.expectDomain, pfn, level, want, frame);
    }
}
export class EngineAllocatorContext {
    L;
    config;
    locks;
    log;
    mem;
    worker;
    domains;
    windowPages;
    ad;
    ads;
    constructor(core, L, config, locks, log) {
        this.L = L;
        this.config = config;
        this.locks = locks;
        this.log = log;
        this.mem = core.mem;
        this.worker = core.agent;
        this.domains = L.domains;
        this.windowPages = L.windowPages;
        this.ad = L.allocDomain;
        this.ads = L.allocDomainStride;
    }
    domainState(domain) {
        return this.ad + domain * this.ads;
    }
    workerState(domain) {
        return this.worker < 0 ? -1 : this.workerStateOf(this.worker, domain);
    }
    workerStateOf(worker, domain) {
        return this.L.allocWorker + (worker * this.L.domains + domain) * this.L.allocWorkerStride;
    }
    report(invariant, domain, pfn = -1, level = -1, expected = -1, found = -1) {
        if (this.log === null)
            throw new Error(`report(${invariant}) on the main thread`);
        this.log.report(invariant, domain, pfn, level, expected, found);
    }
}
/** The allocator as the flush policy sees it: by attached domain (the IOVA owner is looked up). */
export class AllocatorByDomain {
    m;
    L;
    ops = null;
    constructor(m, L) {
        this.m = m;
        this.L = L;
    }
    alloc(domain, pages) {
        return this.ops.alloc(this.m[domainAt(this.L, domain) + (1 /* DOM_IOVA_OWNER */)], pages);
    }
    free(domain, off, pages) {
        this.ops.free(this.m[domainAt(this.L, domain) + (1 /* DOM_IOVA_OWNER */)], off, pages);
    }
}
export class EngineFlushContext {
    core;
    L;
    config;
    allocator;
    inval;
    tlb;
    mem;
    worker;
    state;
    m;
    /** --iotlb-ns, held here (read on every strict unmap). */
    iotlbNs;
    constructor(core, L, config, allocator, inval, tlb) {
        this.core = core;
        this.L = L;
        this.config = config;
        this.allocator = allocator;
        this.inval = inval;
        this.tlb = tlb;
        this.mem = core.mem;
        this.m = core.m;
        this.worker = core.agent;
        this.state = L.flushWorker + core.agent * L.flushWorkerStride;
        this.iotlbNs = config.iotlbNs;
    }
    tlbTag(domain) {
        return this.m[domainAt(this.L, domain) + (0 /* DOM_OWNER */)];
    }
    invalidateRange(tag, off, pages) {
        this.inval.range(tag, off, pages);
    }
    invalidateAll(tag) {
        this.inval.all(tag);
    }
    waitForInvalidation() {
        if (this.iotlbNs > 0)
            busyWaitNs(this.iotlbNs);
    }
    timerTicks() {
        return Atomics.load(this.m, (3 /* CTL_TICK */));
    }
    probeLate(domain, off) {
        const f = this.core.f;
        const cb = this.core.cb;
        f[cb + (11 /* C_PROBES */)] += 1;
        if (this.tlb.lookup(this.tlbTag(domain), off) !== (-1 /* TLB_MISS */))
            f[cb + (9 /* C_STALE */)] += 1;
    }
    flushed(_ranges) {
        this.core.f[this.core.cb + (10 /* C_FLUSHES */)] += 1;
    }
    random() {
        return this.core.random();
    }
}
//# sourceMappingURL=contexts.js.map