import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { check, severityAtLeast } from '../engine/check.js';
import { formatters } from '../report/index.js';
import { DOCS_BASE_URL } from '../report/types.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  InputError,
  loadFiles,
  loadText,
  type LoadResult,
} from '../sources/files.js';
import { analysisSettings, wantsSimulation, type AnalysisFlags } from './analysis-flags.js';
import { loadConfig } from './config-file.js';
import { EXIT_FINDINGS, EXIT_OK, nothingFound, textLayout, UsageError, useColor, type CliIO } from './io.js';
import { addSharedOptions, sharedOption } from './options.js';
import { VERSION } from './package-info.js';

export interface CheckFlags extends AnalysisFlags {
  filename?: string[];
  config?: string;
  namespace?: string;
  maxFileSize?: string;
  color?: boolean;
  /** Text output without each finding's detail. */
  compact?: boolean;
  /** Adds the simulator's verdicts as sim-* findings. */
  simulate?: boolean;
  /** No object in the input is a success, not an error. */
  allowEmpty?: boolean;
}

/** `kubeha check`. */
export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .description('check manifests against the HA rule catalog')
    .argument('[paths...]', 'files and folders of YAML or JSON manifests (- for stdin)');
  addSharedOptions(command, [
    'filename',
    'findingsOutput',
    'findingsFailOn',
    'config',
    'kubeVersion',
    'manifestNamespace',
    'zonesManifests',
    'rule',
    'disableRule',
  ])
    .option('--max-file-size <size>', 'skip larger files with a finding (default: 16MiB)')
    .addOption(sharedOption('allowEmpty'))
    .addOption(sharedOption('compact'))
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .addOption(sharedOption('checkSimulate'))
    .action(async (paths: string[], flags: CheckFlags) => setExit(await runCheck(paths, flags, io)));
}

export async function runCheck(paths: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const config = await loadConfig(flags.config, io.cwd);
  const { output, failOn, kubeVersion, zones, ruleConfig, ...settings } = analysisSettings(flags, config, [
    'static',
    'load',
  ]);
  const maxFileBytes = flags.maxFileSize !== undefined ? byteSize(flags.maxFileSize) : undefined;

  let selected = settings.selected;
  // The simulator's verdicts (sim-*) are opt-in: --simulate runs it on the input's Nodes or the shorthand.
  if (!wantsSimulation(flags)) selected = selected.filter((r) => r.category !== 'simulation');
  else
    for (const r of selected.filter((r) => r.category === 'simulation'))
      ruleConfig[r.id] = { ...ruleConfig[r.id], options: { ...ruleConfig[r.id]?.options, simulate: true } };

  const inputs = [...paths, ...(flags.filename ?? [])];
  if (inputs.length === 0) throw new UsageError('no input: name files or folders, or read stdin with -f -');
  const loadOptions = {
    defaultNamespace: flags.namespace ?? config.namespace ?? 'default',
    cwd: io.cwd,
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
  };
  const loaded: LoadResult = { objects: [], problems: [], files: [] };
  const filePaths = inputs.filter((p) => p !== '-').map((p) => (isAbsolute(p) ? p : resolve(io.cwd, p)));
  try {
    if (inputs.includes('-'))
      merge(
        loaded,
        loadText(await io.readStdin(maxFileBytes ?? DEFAULT_MAX_FILE_BYTES), '<stdin>', loadOptions),
      );
    if (filePaths.length) merge(loaded, await loadFiles(filePaths, loadOptions));
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  if (loaded.objects.length === 0 && loaded.problems.length === 0 && !flags.allowEmpty)
    throw nothingFound(inputs);

  const result = check(loaded.objects, {
    rules: selected,
    ruleConfig,
    problems: loaded.problems,
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    ...(zones !== undefined ? { zones } : {}),
  });
  for (const err of result.errors) io.stderr(`kubeha: ${err} (please report it)\n`);
  const duplicated = definedTwice(loaded);
  if (duplicated) io.stderr(`kubeha: note: ${duplicated}\n`);
  io.stdout(
    formatters[output](result, {
      toolVersion: VERSION,
      rules: selected,
      color: useColor(io, flags.color),
      failOn,
      docsBaseUrl: DOCS_BASE_URL,
      ...textLayout(io, flags),
    }),
  );
  return result.findings.some((f) => severityAtLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Two environments or overlays checked together define the same objects twice, and every join
 * (PDB to pods, HPA to target) then sees both copies. Say so instead of leaving confusing findings.
 */
function definedTwice(loaded: LoadResult): string | undefined {
  const firstFile = new Map<string, string>();
  const pairs: string[] = [];
  for (const o of loaded.objects) {
    const file = o.source?.file;
    if (!file) continue;
    const prev = firstFile.get(o.id);
    if (prev === undefined) firstFile.set(o.id, file);
    else if (prev !== file) pairs.push(`${o.id} in ${prev} and ${file}`);
  }
  if (pairs.length === 0) return undefined;
  const n = pairs.length;
  return (
    `${n} object${n === 1 ? ' is' : 's are'} defined in more than one file (${pairs[0]}${n > 1 ? ', …' : ''}); ` +
    'kubeha joins all its inputs as one set, so check each environment or overlay on its own'
  );
}

/**
 * Adds one input's objects, problems and files to the others'. One push at a time: a spread push
 * passes every element as an argument, and 130 000 of them (a folder of that many small files)
 * overflow the stack.
 */
export function merge(into: LoadResult, from: LoadResult): void {
  for (const o of from.objects) into.objects.push(o);
  for (const p of from.problems) into.problems.push(p);
  for (const f of from.files) into.files.push(f);
}

/** "64Mi", "64MiB", "1000000" → bytes. */
export function byteSize(value: string): number {
  const m = /^(\d+)\s*(B|KiB|Ki|MiB|Mi|GiB|Gi)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size must look like 64MiB (got "${value}")`);
  const unit = (m[2] ?? 'B').toLowerCase().replace(/b$/, '').replace(/i$/, '');
  const mult = unit === 'k' ? 2 ** 10 : unit === 'm' ? 2 ** 20 : unit === 'g' ? 2 ** 30 : 1;
  return Number(m[1]) * mult;
}
