import pc from 'picocolors';
import type { Summary } from '../engine/check.js';
import type { Severity } from '../rules/types.js';
import { groupByFileAndObject, plural } from './group.js';
import { DEFAULT_WIDTH, type Formatter, type ReportContext } from './types.js';
import { wrapWords } from './wrap.js';

export type Colors = ReturnType<typeof pc.createColors>;

/** The default: what a person reads in a terminal, grouped by file and object. */
export const text: Formatter = (result, ctx) => {
  const c = pc.createColors(ctx.color);
  const lines = findingLines(result.findings, c, ctx);
  const s = result.summary;
  lines.push(summaryLine(s, c));
  if (s.error + s.warning + s.info > 0) lines.push(EXPLAIN_HINT(c));
  return lines.join('\n') + '\n';
};

/** How findings are laid out: the width details wrap to, and whether they are shown at all. */
export type TextLayout = Pick<ReportContext, 'width' | 'compact'>;

/**
 * The findings grouped by file (or namespace) and object, each group followed by a blank line. Each
 * finding is its headline line, then (unless compact) its detail wrapped under the headline's first
 * column, so the eye runs down the headlines and the detail reads as their continuation.
 */
export function findingLines(
  findings: Parameters<typeof groupByFileAndObject>[0],
  c: Colors,
  layout: TextLayout = {},
): string[] {
  const width = layout.width ?? DEFAULT_WIDTH;
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const group of groupByFileAndObject(findings)) {
    lines.push(c.underline(group.file));
    for (const obj of group.objects) {
      lines.push(`  ${c.bold(obj.label)}`);
      for (const f of obj.findings) {
        // Live objects have no line to show; their column would only be blank padding.
        const position = f.location ? `${f.location.line}:${f.location.column}`.padEnd(7) + ' ' : '';
        const where = position ? `${c.dim(position.slice(0, -1))} ` : '';
        lines.push(`    ${where}${paint[f.severity](f.severity.padEnd(7))} ${f.message}  ${c.dim(f.rule)}`);
        if (layout.compact || f.detail === '') continue;
        // The column the headline starts at, counted without the colour codes.
        const indent = ' '.repeat(4 + position.length + 8);
        for (const line of wrapWords(f.detail, width - indent.length)) lines.push(indent + line);
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
