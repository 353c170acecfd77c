/**
 * Why a controlled run ended where it did, in words: the crash (who threw,
 * what, where in the design's code, after which step), the deadlock (who
 * waits on which word, holding what value), the livelock (how long nobody
 * completed anything). Computed when the run ends, while its layout is at
 * hand, and printed with the run.
 */
import type { Layout } from '../memory/layout.js';
import { describeAddress } from '../memory/regions.js';
import type { Blocked } from '../sched/control.js';
import { agentName } from '../engine/describe.js';
import type { Failure } from '../engine/engine.js';
import { crashLine } from '../engine/crash.js';

const word = (L: Layout, addr: number, value: number): string => `${describeAddress(L, addr) ?? `word 0x${addr.toString(16)}`} (= ${value})`;

function waitsOn(L: Layout, b: Blocked): string {
  if (b.how === 'sleep') return `sleeps on the futex at ${word(L, b.words[0]!.addr, b.words[0]!.value)}, woken by nobody`;
  if (b.anyWrite) return 'spins, waiting for any write (it read too many words to name), and nobody writes';
  return `spins until ${b.words.length > 1 ? 'one of ' : ''}${b.words.map((w) => word(L, w.addr, w.value)).join(', ')} changes, and nobody changes ${b.words.length > 1 ? 'them' : 'it'}`;
}

export interface EndFacts {
  outcome: string;
  steps: number;
  progressStep: number;
  crash: Failure | null;
  blocked: Blocked[];
}

export function explainEnd(L: Layout, names: readonly string[], x: EndFacts): string[] {
  if (x.outcome === 'crash' && x.crash) {
    const c = x.crash;
    const when = c.step >= 0 ? `after its step ${c.step}` : 'before its first step';
    return [`crash: ${agentName(L, c.agent, names)} threw ${when}: ${crashLine(c.crash)}`, ...c.crash.stack.map((l) => `    ${l}`)];
  }
  if (x.outcome === 'deadlock') {
    const waiting = new Set(x.blocked.map((b) => b.agent));
    const finished = [...Array(L.agents).keys()].filter((a) => !waiting.has(a)).map((a) => agentName(L, a, names));
    return [
      `deadlock at step ${x.steps}: no agent can go on`,
      ...x.blocked.map((b) => `  ${agentName(L, b.agent, names)} ${waitsOn(L, b)}`),
      ...(finished.length > 0 ? [`  finished: ${finished.join(', ')}`] : []),
    ];
  }
  if (x.outcome === 'livelock') {
    return [`livelock: ${x.steps} steps taken, and no agent completed an operation or an event after step ${x.progressStep} (a wait loop without mem.spin keeps stepping: mark it with mem.spin so the scheduler can tell waiting from work)`];
  }
  if (x.outcome === 'step-limit') {
    return [`step limit: ${x.steps} steps, agents still completing operations (last at step ${x.progressStep}): the run is too long to finish under control; make the race's work smaller (ops, devices)`];
  }
  return [];
}
