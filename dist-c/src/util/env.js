/** The machine a result was measured on; every result records it. */
import os from 'node:os';
export function readEnv() {
    return {
        node: process.version,
        v8: process.versions.v8,
        platform: os.platform(),
        arch: os.arch(),
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        cores: os.availableParallelism(),
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        date: new Date().toISOString(),
    };
}
/** The warning every result carries when workers outnumber cores. */
export function oversubscription(workers, cores) {
    if (workers <= cores)
        return null;
    return (`${workers} workers on ${cores} cores: oversubscribed. A lock holder can be preempted while others ` +
        `spin for their whole time slice (lock-holder preemption); spinning locks degrade, parking locks less. ` +
        `This is a finding about the lock, not noise.`);
}
//# sourceMappingURL=env.js.map