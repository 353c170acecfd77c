/** How race runs read: the outcome, the violation report, the interleaved timeline that led to it, the last steps, and the schedule. */
import type { RaceDef } from '../api/types.js';
import { violationLines, table } from './report.js';
import { OUTCOME_DEFS, type OutcomeName, classOf } from '../races/outcome.js';
import type { RaceRun } from '../races/explore.js';
import { encodeSchedule } from '../sched/schedule.js';

const meaning = (o: OutcomeName): string => OUTCOME_DEFS.find((d) => d.name === o)?.meaning ?? '';

export function formatRaceList(races: readonly RaceDef[]): string {
  return races
    .map((r) => {
      const forbidden = OUTCOME_DEFS.filter((d) => classOf(r, d.name) === 'forbidden').map((d) => d.name);
      return `${r.name}\n  wrong:       ${r.design}\n  counterpart: ${r.counterpart}${r.source ? `\n  from:        ${r.source}` : ''}\n  forbidden:   ${forbidden.join(', ')}`;
    })
    .join('\n');
}

/** How often each outcome occurred, with its class, as jcstress prints it. */
export function formatHistogram(race: RaceDef, histogram: Record<string, number>): string {
  const defs = OUTCOME_DEFS.filter((d) => histogram[d.name]);
  const rows = defs.map((d) => [d.name, classOf(race, d.name), String(histogram[d.name])]);
  const lines = table(['outcome', 'class', 'runs'], rows).split('\n');
  return lines.map((l, i) => (i === 0 ? l : `${l}   ${defs[i - 1]!.meaning}`)).join('\n');
}

/** The command that replays a schedule, quoted for a shell. */
export const replayCommand = (schedule: string): string => `iommu-stress replay '${schedule}'`;

/** One run in full: outcome, violations, the timeline of every agent, the last scheduler steps. */
export function formatRaceRun(race: RaceDef, run: RaceRun): string {
  const out = [`outcome: ${run.outcome} (${classOf(race, run.outcome)}): ${meaning(run.outcome)}`, ...run.detail];
  if (run.hang) out.push(run.hang);
  const r = run.result;
  if (r) {
    if (r.violations.count > 0) out.push(...violationLines(r));
    if (r.timeline.length > 0) {
      out.push(`timeline, every agent interleaved by logical clock${r.sched ? ' (the step of the controlled run)' : ' (Lamport, carried through the locks)'}, up to the first violation:`);
      const who = (w: number, dev: number): string => (w < r.layout.workers ? String(dev) : (r.design.agents[w - r.layout.workers] ?? 'agent'));
      out.push(
        table(
          ['clock', 'worker', 'device', 'op', 'event', 'what'],
          r.timeline.map((e) => [String(e.clock), String(e.worker), who(e.worker, e.device), String(e.op), e.event, e.arg]),
        )
          .split('\n')
          .map((l) => '  ' + l)
          .join('\n'),
      );
    }
    const s = r.sched;
    if (s) {
      out.push(`controlled run: ${s.strategy} seed ${s.seed}, ${s.steps} steps, ${s.preemptions} preemptions, ended ${s.outcome}; trace hash ${s.hash}`);
      if (s.tail.length > 0) {
        out.push('last steps before it ended (who passed which schedule point):');
        const width = Math.max(13, ...s.tail.map((t) => t.point.length));
        for (const t of s.tail) out.push(`  step ${String(t.step).padStart(6)}  agent ${t.worker}  ${t.point.padEnd(width)} ${t.arg}${t.preempted ? '   <- preempted the last agent' : ''}${t.read ? `   <- ${t.read}` : ''}`);
      }
    }
  }
  if (run.schedule && run.class === 'forbidden') {
    const text = encodeSchedule(run.schedule);
    out.push(`schedule: ${text}`);
    out.push(`replay:   ${replayCommand(text)}`);
  }
  return out.join('\n');
}
