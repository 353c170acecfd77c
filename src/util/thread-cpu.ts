/**
 * The calling thread's time on a CPU, in nanoseconds: the first field of
 * Linux's /proc/thread-self/schedstat (the scheduler's own account, ns
 * resolution). Read twice a run by each worker, never in the hot loop.
 * Where there is no such file (not Linux, or schedstats compiled out), -1.
 *
 * Against the wall time of the same stretch it says how much of it the
 * thread ran: a device loop off its CPU was preempted (more workers than
 * cores, another process, the hypervisor taking the vCPU when steal time is
 * accounted).
 */
import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';
let missing = process.platform !== 'linux';

export function threadCpuNs(): number {
  if (missing) return -1;
  try {
    const s = readFileSync(SCHEDSTAT, 'latin1');
    const ns = Number(s.slice(0, s.indexOf(' ')));
    if (Number.isFinite(ns) && ns >= 0) return ns;
  } catch {
    // fall through
  }
  missing = true;
  return -1;
}
