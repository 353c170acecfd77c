/** The machine a result was measured on; every result records it. */
import os from 'node:os';

export interface Env {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  /** Cores this process may use (os.availableParallelism). */
  cores: number;
  memoryGiB: number;
  /** ISO time the run started. */
  date: string;
}

export function readEnv(): Env {
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
export function oversubscription(workers: number, cores: number): string | null {
  if (workers <= cores) return null;
  return (
    `${workers} workers on ${cores} cores: oversubscribed. A lock holder can be preempted while others ` +
    `spin for their whole time slice (lock-holder preemption); spinning locks degrade, parking locks less. ` +
    `This is a finding about the lock, not noise.`
  );
}

/** A device loop on a CPU for less than this fraction of its run was preempted for the rest. */
export const PREEMPTED_BELOW = 0.9;

/**
 * The warning a result carries when device loops were off their CPU for a
 * tenth of their run or more (time on a CPU against wall time: onCpu), or
 * null. Said whatever the cause: more workers than cores, another process,
 * or the hypervisor taking the vCPU.
 */
export function preemption(devices: readonly { device: number; onCpu: number | null }[]): string | null {
  const off = devices.filter((d) => d.onCpu !== null && d.onCpu < PREEMPTED_BELOW);
  if (off.length === 0) return null;
  const shown = off.slice(0, 4).map((d) => `device ${d.device} ${Math.round(100 * d.onCpu!)}%`);
  return (
    `preemption: ${off.length} of ${devices.length} devices ran on a CPU for under ${Math.round(100 * PREEMPTED_BELOW)}% of their run (${shown.join(', ')}${off.length > 4 ? ', ...' : ''}; ` +
    `the "on cpu" column). A lock holder taken off its CPU keeps its waiters waiting: throughput and waits include the scheduler's doing.`
  );
}
