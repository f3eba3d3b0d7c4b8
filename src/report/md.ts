import type { CheckResult } from '../engine/check.js';
import type { Finding, Severity } from '../rules/types.js';
import { plural } from './group.js';
import { ruleDocUrl, type Formatter, type ReportContext } from './types.js';

export const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

/** Markdown for a pull-request comment: a summary line, then one table row per finding. */
export const md: Formatter = (result, ctx) =>
  [`## kubeha ${ctx.command ?? 'check'}`, '', ...mdBody(result, ctx)].join('\n') + '\n';

/** The summary line and the table of findings (none when there is nothing to show). */
export function mdBody(result: CheckResult, ctx: Pick<ReportContext, 'docsBaseUrl'>): string[] {
  const s = result.summary;
  const total = s.error + s.warning + s.info;
  if (total === 0)
    return [`✅ No HA problems in ${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).`];
  const lines = [
    `**${plural(total, 'problem')}**: ${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info ` +
      `in ${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).`,
    '',
    '| | Rule | Object | Location | Problem |',
    '|---|---|---|---|---|',
  ];
  for (const f of result.findings) {
    const obj = f.object
      ? `${f.object.kind} ${f.object.namespace ? f.object.namespace + '/' : ''}${f.object.name}`
      : '';
    const loc = f.location ? `\`${f.location.file}:${f.location.line}\`` : '';
    lines.push(
      `| ${ICON[f.severity]} | [${f.rule}](${ruleDocUrl(ctx, f.rule)}) | ${cell(obj)} | ${loc} | ${problemCell(f)} |`,
    );
  }
  return lines;
}

/** The headline, then the detail on a line of its own inside the cell (a table cell holds no newline). */
function problemCell(f: Finding): string {
  return f.detail === '' ? cell(f.message) : `${cell(f.message)}<br>${cell(f.detail)}`;
}

export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
