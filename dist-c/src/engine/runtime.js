import { CTL_SEED, CTL_STOP, C_DMAS, DEV_DEFAULT_DOMAIN, DEV_DOMAIN, FG_FIELDS, FIGURE_SLOTS, W_PARK, W_PROGRESS, deviceAt, domainAt, DOM_OWNER, workerAt, } from '../memory/layout.js';
import { ControlledMem, freeMem } from '../memory/mem.js';
import { Scheduler } from '../sched/scheduler.js';
import { labelHash, registerLabel } from '../sched/labels.js';
import { ViolationLog } from '../checker/log.js';
import { seedState } from '../util/prng.js';
import { AgentCore } from './agent-core.js';
import { TraceRing } from './trace.js';
import { makeLockClass } from './lock-class.js';
import { NsHistogram } from '../results/histogram.js';
import { EngineTablePool } from './table-pool.js';
import { Iotlb, IotlbInvalidator, TLB_MISS, busyWaitNs } from './iotlb.js';
import { AllocatorByDomain, EngineAllocatorContext, EngineDriverContext, EngineFlushContext, EngineGather } from './contexts.js';
import { DmaBounce, DmaIommu, RunCounts } from './dma.js';
import { DeviceLoop } from './device-loop.js';
import { V } from '../checker/invariants.js';
export class AgentRuntime {
    L;
    design;
    agent;
    m;
    f;
    bytes;
    mem;
    sched;
    core;
    log;
    pool;
    tlb;
    inval;
    lockClasses;
    locks;
    driverLocks;
    allocLocks;
    /** The driver's class guarding its tables (`guardsTables`), or null. */
    tableLock;
    dctx;
    actx;
    fctx;
    gather;
    allocByDomain;
    /** Wait times of contended acquisitions per lock class, and sampled map and unmap latency. */
    waits;
    mapLatency = new NsHistogram();
    unmapLatency = new NsHistogram();
    device;
    counts = new RunCounts();
    /** The ops of the current run. */
    driver;
    allocator;
    flush;
    constructor(sab, L, design, agent, 
    /** For an agent past the workers: the device it acts as (-1: none). */
    agentDevice = -1) {
        this.L = L;
        this.design = design;
        this.agent = agent;
        this.m = new Int32Array(sab);
        this.f = new Float64Array(sab);
        this.bytes = new Uint8Array(sab);
        const controlled = L.controlled && agent < L.agents;
        this.sched = controlled ? new Scheduler(this.m, L, agent) : null;
        this.mem = this.sched !== null ? new ControlledMem(this.m, L, this.sched) : freeMem(this.m);
        this.device = agent < L.workers ? Math.floor(agent / L.queues) : agentDevice;
        this.core = new AgentCore(this.m, this.f, L, agent, this.mem, this.sched, new TraceRing(this.m, L, agent));
        this.log = new ViolationLog(this.m, this.f, L, this.core.cb, this.device, this.sched, design.invariants);
        this.pool = new EngineTablePool(this.mem, L);
        this.pool.onEmpty = (level, domain) => this.log.record(V.POOL_EXHAUSTED, domain, -1, level, 0, 0);
        this.tlb = new Iotlb(this.mem, L, this.device);
        this.inval = new IotlbInvalidator(this.mem, L);
        const stats = design.config.stats === 'on' && !L.controlled;
        this.waits = L.lockClasses.map(() => new NsHistogram());
        this.lockClasses = L.lockClasses.map((lay, i) => makeLockClass(this.core, lay, i, design.lock, stats, this.waits[i]));
        this.core.locks = this.lockClasses;
        const pick = (owner) => Object.fromEntries(L.lockClasses.flatMap((lay, i) => (lay.owner === owner ? [[lay.name, this.lockClasses[i]]] : [])));
        this.driverLocks = pick('driver');
        this.allocLocks = pick('allocator');
        this.locks = { ...this.allocLocks, ...this.driverLocks };
        const ti = L.lockClasses.findIndex((lay) => lay.owner === 'driver' && lay.guardsTables);
        this.tableLock = ti >= 0 ? this.lockClasses[ti] : null;
        this.gather = new EngineGather(L.iovaBasePfn);
        this.dctx = new EngineDriverContext(this.core, L, this.device, design.config, this.pool, this.driverLocks, this.gather, this.log);
        this.actx = new EngineAllocatorContext(this.core, L, design.config, this.allocLocks, this.log);
        this.allocByDomain = new AllocatorByDomain(this.m, L);
        this.fctx = new EngineFlushContext(this.core, L, design.config, this.allocByDomain, this.inval, this.tlb);
    }
    /** A run starts: fresh JS state, and the design's ops made afresh. */
    begin() {
        const c = this.core;
        c.clock = 0;
        c.op = 0;
        c.holdTimed = false;
        c.lockHook = c.detail;
        c.rng = seedState(Atomics.load(this.m, (7 /* CTL_SEED */)) >>> 0, this.agent);
        this.log.op = 0;
        for (const lc of this.lockClasses)
            lc.reset();
        for (const h of this.waits)
            h.reset();
        this.mapLatency.reset();
        this.unmapLatency.reset();
        this.counts.reset();
        this.sched?.begin();
        this.driver = this.design.driver.create(this.dctx);
        this.allocator = this.design.allocator.create(this.actx);
        this.allocByDomain.ops = this.allocator;
        this.flush = this.design.flush.create(this.fctx);
        this.gather.flush = this.flush;
    }
    /** A device worker's run: its loop through the DMA path of the run's mode. */
    runDevice() {
        const d = this.design;
        const cfg = d.config;
        const dma = cfg.mode === 'pv-bounce'
            ? new DmaBounce(this.core, this.L, cfg, this.log, this.driver, this.tlb, this.counts, this.mapLatency, this.bytes, this.lockClasses[this.L.lockClasses.findIndex((l) => l.owner === 'dma')])
            : new DmaIommu(this.core, this.L, cfg, this.log, this.driver, this.tlb, this.counts, this.mapLatency, this.allocator, this.flush, this.dctx);
        new DeviceLoop(this.core, cfg, this.log, dma, this.counts, this.unmapLatency, this.holdForever()).run();
    }
    /** What --inject hold-forever takes: the lock guarding this device's table (else its domain's allocator lock). */
    holdForever() {
        const inj = this.design.config.inject;
        if (!inj || inj.kind !== 'hold-forever' || inj.device !== this.device)
            return null;
        const domain = this.m[deviceAt(this.L, this.device) + (0 /* DEV_DOMAIN */)];
        const owner = this.m[domainAt(this.L, domain) + (0 /* DOM_OWNER */)];
        const lc = this.tableLock ?? this.lockClasses.find((l) => l.per === 'domain') ?? null;
        if (!lc)
            throw new Error('--inject hold-forever: the design has no lock to hold');
        const lock = lc.of(lc.per === 'device' ? this.device : lc.per === 'global' ? 0 : owner);
        return { lock, take: () => lc.acquire(lock) };
    }
    /** A race's or the live switch's agent. */
    runAgent(def) {
        try {
            def.run(new EngineAgentContext(this));
        }
        finally {
            this.core.flushLocks();
        }
    }
}
/** What an agent's code is handed (api/types.ts AgentContext). */
export class EngineAgentContext {
    rt;
    mem;
    worker;
    device;
    devices;
    domains;
    switchTarget;
    config;
    driver;
    allocator;
    locks;
    tableLock;
    windowPages;
    shared;
    m;
    L;
    fig;
    constructor(rt) {
        this.rt = rt;
        this.mem = rt.mem;
        this.worker = rt.agent;
        this.device = rt.device;
        this.devices = rt.L.devices;
        this.domains = rt.L.tableDomains;
        this.switchTarget = rt.L.switchDomain;
        this.config = rt.design.config;
        this.driver = rt.driver;
        this.allocator = rt.allocator;
        this.locks = rt.locks;
        this.tableLock = rt.tableLock;
        this.windowPages = rt.L.windowPages;
        this.shared = rt.L.shared;
        this.m = rt.m;
        this.L = rt.L;
        this.fig = rt.core.cb + rt.L.cFigures;
    }
    attached(device) {
        return this.mem.load(deviceAt(this.L, device) + (0 /* DEV_DOMAIN */), 'domain-read');
    }
    defaultDomain(device) {
        return this.m[deviceAt(this.L, device) + (1 /* DEV_DEFAULT_DOMAIN */)];
    }
    tableOwner(domain) {
        return this.m[domainAt(this.L, domain) + (0 /* DOM_OWNER */)];
    }
    attach(device, domain) {
        this.mem.store(deviceAt(this.L, device) + (0 /* DEV_DOMAIN */), domain, 'attach');
        this.rt.inval.device(device);
        busyWaitNs(this.config.iotlbNs);
    }
    frame(i) {
        return this.L.deviceFrames + Math.max(0, this.device) * this.L.framesPerDevice + i;
    }
    dma(domain, pfn) {
        const tag = this.m[domainAt(this.L, domain) + (0 /* DOM_OWNER */)];
        const off = pfn - this.L.iovaBasePfn;
        let r = this.rt.tlb.lookup(tag, off);
        if (r === (-1 /* TLB_MISS */)) {
            r = this.driver.walk(tag, pfn);
            if (r >= 0)
                this.rt.tlb.fill(tag, off, r);
        }
        if (r >= 0 && r < this.L.totalFrames)
            this.m[this.L.tags + r] = this.m[this.L.tags + r] + 1;
        this.rt.f[this.rt.core.cb + (2 /* C_DMAS */)] += 1;
        return r;
    }
    pfnOf(off) {
        return this.L.iovaBasePfn + off;
    }
    stopped() {
        return this.rt.sched === null && Atomics.load(this.m, (2 /* CTL_STOP */)) !== 0;
    }
    sleep(ms) {
        if (this.rt.sched !== null)
            this.mem.point('sleep', ms);
        else if (ms > 0)
            Atomics.wait(this.m, workerAt(this.L, this.worker) + (15 /* W_PARK */), 0, ms);
    }
    busyWait(ns) {
        busyWaitNs(ns);
    }
    deviceProgress() {
        let p = 0;
        for (let w = 0; w < this.L.workers; w++)
            p += Atomics.load(this.m, workerAt(this.L, w) + (0 /* W_PROGRESS */));
        return p;
    }
    count(figure, value, how = 'sum') {
        const h = labelHash(figure);
        const f = this.rt.f;
        for (let i = 0; i < (8 /* FIGURE_SLOTS */); i++) {
            const at = this.fig + i * (3 /* FG_FIELDS */);
            if (f[at] === 0) {
                registerLabel(this.m, this.L, h, figure);
                f[at] = h;
                f[at + 2] = how === 'max' ? 1 : 0;
            }
            if (f[at] === h) {
                f[at + 1] = how === 'max' ? Math.max(f[at + 1], value) : f[at + 1] + value;
                return;
            }
        }
        throw new Error(`count(${JSON.stringify(figure)}): an agent keeps at most ${(8 /* FIGURE_SLOTS */)} figures`);
    }
    event(name, arg = 0) {
        const h = labelHash(name);
        registerLabel(this.m, this.L, h, name);
        this.rt.core.trace(h, arg);
        this.m[workerAt(this.L, this.worker) + (0 /* W_PROGRESS */)] = this.m[workerAt(this.L, this.worker) + (0 /* W_PROGRESS */)] + 1;
    }
    report(invariant, domain, pfn = -1, level = -1, expected = -1, found = -1) {
        this.rt.log.report(invariant, domain, pfn, level, expected, found);
    }
}
//# sourceMappingURL=runtime.js.map