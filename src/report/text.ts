import pc from 'picocolors';
import type { Severity } from '../rules/types.js';
import { groupByFileAndObject, plural } from './group.js';
import type { Formatter } from './types.js';

/** The default: what a person reads in a terminal, grouped by file and object. */
export const text: Formatter = (result, ctx) => {
  const c = pc.createColors(ctx.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const group of groupByFileAndObject(result.findings)) {
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
  const s = result.summary;
  const total = s.error + s.warning + s.info;
  const counts = `${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${s.info} info`;
  const scope = `${plural(s.objects, 'object')}, ${plural(s.workloads, 'workload')}`;
  const suppressed = s.suppressed ? `; ${s.suppressed} suppressed by ${'kubeha.io/ignore'}` : '';
  if (total === 0) {
    lines.push(c.green(`✔ no HA problems found in ${scope}${suppressed}`));
  } else {
    lines.push(
      `${s.error ? c.red('✖') : c.yellow('⚠')} ${plural(total, 'problem')} (${counts}) in ${scope}${suppressed}`,
    );
    lines.push(c.dim('  kubeha explain <rule> says why a rule matters and how to fix what it finds'));
  }
  return lines.join('\n') + '\n';
};
