/** The printed form of a scenario's result: question, tables, finding. */
import { envLine, table } from '../report/report.js';
export function formatTable(t) {
    return `${t.title}\n${table(t.header, t.rows.map((r) => r.map(String)))}`;
}
export function formatScenario(r) {
    const out = [`scenario ${r.scenario}: ${r.question}`, `thread ${r.thread}`, envLine(r.env) + `; ${r.durationSec} s a run`, ''];
    for (const t of r.tables)
        out.push(formatTable(t), '');
    for (const c of r.caught) {
        const names = Object.entries(c.byInvariant)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        out.push(`wrong variant "${c.variant}": ${c.violations > 0 ? `caught, ${c.violations} violations (${names})` : 'not caught in this run'}`);
    }
    for (const w of r.warnings)
        out.push(`warning: ${w}`);
    out.push(`finding: ${r.finding}`);
    return out.join('\n');
}
//# sourceMappingURL=format.js.map