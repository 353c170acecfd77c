import { performance } from 'node:perf_hooks';
import { CTL_OPS, CTL_STOP, C_DMAS, C_END_MS, C_MAP_CALLS, C_OPS, C_PAGES, C_START_MS, C_UNMAP_CALLS, PH_IDLE, W_PARK, W_PHASE, W_PROGRESS, } from '../memory/layout.js';
import { nsSince } from './dma.js';
import { busyWaitNs } from './iotlb.js';
import { E_HOLD_FOREVER, E_OP } from './trace.js';
/** Lock counts go to shared memory every this many operations + 1 (and at the end): a worker stopped past its run's end loses at most as many. */
const LOCK_FLUSH_MASK = 255;
export class DeviceLoop {
    core;
    cfg;
    log;
    dma;
    counts;
    unmapLatency;
    inject;
    m;
    inflight;
    randomCompletion;
    dmaLive;
    delayNs;
    /** Time one operation in latencyMask + 1, hold times in holdMask + 1; -1: never. */
    latencyMask;
    holdMask;
    /** Operation at which an injected fault fires, -1 if none. */
    injectAt;
    constructor(core, cfg, log, dma, counts, unmapLatency, inject) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
        this.dma = dma;
        this.counts = counts;
        this.unmapLatency = unmapLatency;
        this.inject = inject;
        const L = core.L;
        this.m = core.m;
        this.inflight = L.inflight;
        this.randomCompletion = cfg.completion === 'random';
        this.dmaLive = cfg.dmaLive === 'on' && L.inflight > 1;
        this.delayNs = cfg.delayNs;
        const stats = cfg.stats === 'on' && !L.controlled;
        this.latencyMask = stats && cfg.latencySample > 0 ? cfg.latencySample - 1 : -1;
        this.holdMask = stats ? cfg.holdSample - 1 : -1;
        const device = Math.floor(core.agent / L.queues);
        const inj = cfg.inject;
        this.injectAt = inj && inj.device === device && core.agent % L.queues === 0 ? inj.afterOps : -1;
    }
    /**
     * One run: until the main thread says stop, or the run's operations are
     * done. Each operation completes a buffer if the ring is full, then issues
     * one. Written as one loop over locals: the operation's two calls (the
     * DMA path's complete and issue) may change anything as far as V8 knows,
     * so a field read after them is read again, with its checks, every time.
     */
    run() {
        const m = this.m;
        const core = this.core;
        const f = core.f;
        const mem = core.mem;
        const log = this.log;
        const dma = this.dma;
        const inflight = this.inflight;
        const randomCompletion = this.randomCompletion;
        const latencyMask = this.latencyMask;
        const holdMask = this.holdMask;
        const detail = core.detail;
        const injectAt = this.injectAt;
        const progress = core.ws + (0 /* W_PROGRESS */);
        const extra = this.dmaLive || this.delayNs > 0;
        const ops = Atomics.load(m, (8 /* CTL_OPS */));
        const limit = ops > 0 ? ops : Infinity;
        f[core.cb + (5 /* C_START_MS */)] = performance.timeOrigin + performance.now();
        mem.point('start', core.agent);
        let op = 0;
        try {
            // A plain read of the stop word: written once by the main thread, read afresh every operation.
            while (op < limit && m[(2 /* CTL_STOP */)] === 0) {
                if (op === injectAt)
                    this.injectFault(op);
                mem.point('op', op);
                core.op = op;
                log.op = op;
                if (detail)
                    core.trace(E_OP, op);
                const timed = latencyMask >= 0 && (op & latencyMask) === 0;
                const held = holdMask >= 0 && (op & holdMask) === 0;
                core.holdTimed = held;
                core.lockHook = held || detail;
                dma.tick();
                let slot = op;
                if (op >= inflight) {
                    // An int32 (randomBelow, not random() % n): every index computed from the slot stays in integer arithmetic.
                    slot = randomCompletion ? core.randomBelow(inflight) : op % inflight;
                    const t0 = timed ? performance.now() : 0;
                    dma.complete(slot);
                    if (timed)
                        this.unmapLatency.record(nsSince(t0));
                }
                if (!dma.issue(slot, timed))
                    break;
                if (extra)
                    this.afterIssue(slot);
                op++;
                m[progress] = op;
                if ((op & (255 /* LOCK_FLUSH_MASK */)) === 0)
                    core.flushLocks();
            }
        }
        finally {
            // Written once: what the run did, even if the scheduler ended it mid-operation.
            core.flushLocks();
            const c = this.counts;
            f[core.cb + (0 /* C_OPS */)] = op;
            f[core.cb + (1 /* C_PAGES */)] = c.pages;
            f[core.cb + (2 /* C_DMAS */)] = c.dmas;
            f[core.cb + (3 /* C_MAP_CALLS */)] = c.mapCalls;
            f[core.cb + (4 /* C_UNMAP_CALLS */)] = c.unmapCalls;
            f[core.cb + (6 /* C_END_MS */)] = performance.timeOrigin + performance.now();
            m[core.ws + (1 /* W_PHASE */)] = (0 /* PH_IDLE */);
        }
    }
    /** --dma-live and --delay-ns: what follows an issue when either is set. */
    afterIssue(slot) {
        if (this.dmaLive)
            this.dma.dmaLive(slot);
        if (this.delayNs > 0)
            busyWaitNs(this.delayNs);
    }
    /** --inject hold-forever (a harness self-test): take the table lock and never return; throw: throw. */
    injectFault(op) {
        const inj = this.cfg.inject;
        const device = Math.floor(this.core.agent / this.core.L.queues);
        if (inj.kind === 'throw')
            throw new Error(`injected fault: device ${device} throws after ${op} operations`);
        const h = this.inject;
        this.m[this.core.ws + (1 /* W_PHASE */)] = 2; // map
        h.take();
        this.core.trace(E_HOLD_FOREVER, h.lock);
        for (;;)
            Atomics.wait(this.m, this.core.ws + (15 /* W_PARK */), 0);
    }
}
//# sourceMappingURL=device-loop.js.map