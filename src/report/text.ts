import pc from 'picocolors';
import type { Summary } from '../engine/check.js';
import type { Severity } from '../rules/types.js';
import { groupByFileAndObject, plural } from './group.js';
import type { Formatter } from './types.js';

export type Colors = ReturnType<typeof pc.createColors>;

/** The default: what a person reads in a terminal, grouped by file and object. */
export const text: Formatter = (result, ctx) => {
  const c = pc.createColors(ctx.color);
  const lines = findingLines(result.findings, c);
  const s = result.summary;
  lines.push(summaryLine(s, c));
  if (s.error + s.warning + s.info > 0) lines.push(EXPLAIN_HINT(c));
  return lines.join('\n') + '\n';
};

/** The findings grouped by file (or namespace) and object, each group followed by a blank line. */
export function findingLines(findings: Parameters<typeof groupByFileAndObject>[0], c: Colors): string[] {
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const group of groupByFileAndObject(findings)) {
    lines.push(c.underline(group.file));
    for (const obj of group.objects) {
      lines.push(`  ${c.bold(obj.label)}`);
      for (const f of obj.findings) {
        // Live objects have no line to show; their column would only be blank padding.
        const where = f.location ? `${c.dim(`${f.location.line}:${f.location.column}`.padEnd(7))} ` : '';
        lines.push(`    ${where}${paint[f.severity](f.severity.padEnd(7))} ${f.message}  ${c.dim(f.rule)}`);
      }
    }
    lines.push('');
  }
  return lines;
}

/** "✖ 3 problems (…) in 5 objects, 2 workloads", or the all-clear. */
export function summaryLine(s: Summary, c: Colors): string {
  const total = s.error + s.warning + s.info;
  const scope = `${plural(s.objects, 'object')}, ${plural(s.workloads, 'workload')}`;
  const suppressed = s.suppressed ? `; ${s.suppressed} suppressed by ${'kubeha.io/ignore'}` : '';
  if (total === 0) return c.green(`✔ no HA problems found in ${scope}${suppressed}`);
  return `${s.error ? c.red('✖') : c.yellow('⚠')} ${plural(total, 'problem')} (${severityCounts(s)}) in ${scope}${suppressed}`;
}

/** "2 errors, 1 warning, 0 info". */
export function severityCounts(s: Pick<Summary, Severity>): string {
  return `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info`;
}

export const EXPLAIN_HINT = (c: Colors): string =>
  c.dim('  kubeha explain <rule> says why a rule matters and how to fix what it finds');
