import type { Severity } from '../rules/types.js';
import { plural } from './group.js';
import { ruleDocUrl, type Formatter } from './types.js';

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

/** Markdown for a pull-request comment: a summary line, then one table row per finding. */
export const md: Formatter = (result, ctx) => {
  const s = result.summary;
  const total = s.error + s.warning + s.info;
  const lines = [`## kubeha ${ctx.command ?? 'check'}`, ''];
  if (total === 0) {
    lines.push(`✅ No HA problems in ${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `**${plural(total, 'problem')}**: ${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info ` +
      `in ${plural(s.objects, 'object')} (${plural(s.workloads, 'workload')}).`,
    '',
    '| | Rule | Object | Location | Problem |',
    '|---|---|---|---|---|',
  );
  for (const f of result.findings) {
    const obj = f.object
      ? `${f.object.kind} ${f.object.namespace ? f.object.namespace + '/' : ''}${f.object.name}`
      : '';
    const loc = f.location ? `\`${f.location.file}:${f.location.line}\`` : '';
    lines.push(
      `| ${ICON[f.severity]} | [${f.rule}](${ruleDocUrl(ctx, f.rule)}) | ${cell(obj)} | ${loc} | ${cell(f.message)} |`,
    );
  }
  return lines.join('\n') + '\n';
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
