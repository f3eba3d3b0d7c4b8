import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ruleById, rules } from '../rules/index.js';
import { UsageError, useColor, type CliIO } from './io.js';
import { sharedOption } from './options.js';
import { PACKAGE_ROOT } from './package-info.js';
import { renderTerminalMarkdown } from './terminal-markdown.js';

/** `kubeha rules`. */
export function registerRules(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(sharedOption('textOrJsonOutput'))
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .action((flags: { output?: string; color?: boolean }) => setExit(runRules(flags, io)));
}

/** `kubeha explain <rule>`. */
export function registerExplain(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description("show one rule's rationale, examples and fix")
    .argument('<rule>', 'rule id, e.g. single-replica')
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .action(async (id: string, flags: { color?: boolean }) => setExit(await runExplain(id, flags, io)));
}

/** `kubeha rules`: the catalog, one line per rule. */
export function runRules(flags: { output?: string; color?: boolean }, io: CliIO): number {
  if (flags.output === 'json') {
    const list = rules.map((r) => ({
      id: r.id,
      category: r.category,
      severity: r.defaultSeverity,
      scope: r.scope ?? 'static',
      seed: r.guide,
      description: r.description,
      fixSafety: r.fixSafety,
    }));
    io.stdout(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  if (flags.output !== undefined && flags.output !== 'text') {
    throw new UsageError(`--output must be text or json (got "${flags.output}")`);
  }
  const c = pc.createColors(useColor(io, flags.color));
  const width = Math.max(...rules.map((r) => r.id.length));
  let category: string | undefined;
  for (const r of rules) {
    if (r.category !== category) {
      // A blank line between categories, none before the first: output starts with its content.
      io.stdout(`${category === undefined ? '' : '\n'}${c.bold(r.category)}\n`);
      category = r.category;
    }
    const scope = r.scope === 'live' ? c.dim(' (scan only)') : '';
    io.stdout(`  ${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(7)}  ${r.description}${scope}\n`);
  }
  return 0;
}

/** `kubeha explain <rule>`: the rule's docs page, in the terminal. */
export async function runExplain(id: string, flags: { color?: boolean }, io: CliIO): Promise<number> {
  const rule = ruleById(id);
  if (!rule) throw new UsageError(`no rule "${id}" (kubeha rules lists them)`);
  let page: string;
  try {
    page = await readFile(join(PACKAGE_ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
  } catch {
    page = `# ${rule.id}\n\n${rule.description}\n`;
  }
  const color = useColor(io, flags.color);
  const c = pc.createColors(color);
  const style = { color, bold: c.bold, italic: c.italic, underline: c.underline, dim: c.dim, code: c.cyan };
  io.stdout(renderTerminalMarkdown(page, style));
  return 0;
}
