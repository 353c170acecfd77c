/** How race runs read: the outcome, the violation report, and the interleaved timeline that led to it. */
import { violationLines, table } from '../report.js';
import { OUTCOME_DEFS, type OutcomeName, type Race, classOf } from './race.js';
import type { RaceRun } from './explore.js';
import { encodeSchedule } from './schedule.js';

const meaning = (o: OutcomeName): string => OUTCOME_DEFS.find((d) => d.name === o)?.meaning ?? '';

export function formatRaceList(races: readonly Race[]): string {
  return races
    .map((r) => {
      const forbidden = OUTCOME_DEFS.filter((d) => classOf(r, d.name) === 'forbidden').map((d) => d.name);
      return `${r.name}\n  wrong:       ${r.design}\n  counterpart: ${r.counterpart}\n  forbidden:   ${forbidden.join(', ')}`;
    })
    .join('\n');
}

/** How often each outcome occurred, with its class, as jcstress prints it. */
export function formatHistogram(race: Race, histogram: Record<string, number>): string {
  const rows = OUTCOME_DEFS.filter((d) => histogram[d.name]).map((d) => [d.name, classOf(race, d.name), String(histogram[d.name])]);
  const lines = table(['outcome', 'class', 'runs'], rows).split('\n');
  const defs = OUTCOME_DEFS.filter((d) => histogram[d.name]);
  return lines.map((l, i) => (i === 0 ? l : `${l}   ${defs[i - 1]!.meaning}`)).join('\n');
}

/** One run in full: outcome, violations, the timeline of every worker, the last scheduler steps. */
export function formatRaceRun(race: Race, run: RaceRun): string {
  const out = [`outcome: ${run.outcome} (${classOf(race, run.outcome)}): ${meaning(run.outcome)}`];
  if (run.hang) out.push(run.hang);
  const r = run.result;
  if (r) {
    if (r.violations.count > 0) out.push(...violationLines(r));
    if (r.timeline.length > 0) {
      out.push(`timeline, every worker interleaved by logical clock${r.sched ? ' (the step of the controlled run)' : ' (Lamport, carried through the locks)'}, up to the first violation:`);
      out.push(
        table(
          ['clock', 'worker', 'device', 'op', 'event', 'IOVA'],
          r.timeline.map((e) => [String(e.clock), String(e.worker), e.device >= 0 ? String(e.device) : 'switch', String(e.op), e.event, e.iova ?? '']),
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
        for (const t of s.tail) out.push(`  step ${String(t.step).padStart(6)}  worker ${t.worker}  ${t.point.padEnd(13)} ${t.arg}${t.preempted ? '   <- preempted the last worker' : ''}`);
      }
    }
  }
  if (run.schedule && run.class === 'forbidden') {
    const text = encodeSchedule(run.schedule);
    out.push(`schedule: ${text}`);
    out.push(`replay:   iommu-stress replay '${text}'`);
  }
  return out.join('\n');
}
