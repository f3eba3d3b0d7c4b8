import { isAbsolute, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { fixSources, type FixRun } from '../fix/run.js';
import type { NotFixed, Patch } from '../fix/types.js';
import { DEFAULT_KUBE_VERSION, parseMinor } from '../model/kube-versions.js';
import { ruleById, rules } from '../rules/index.js';
import type { Severity } from '../rules/types.js';
import { severityAtLeast } from '../engine/check.js';
import { simulate, SCENARIO_KINDS, type ScenarioKind, type SimReport } from '../simulate/index.js';
import { readFixInputs, readPdbFile, refuseEmpty } from './fix-input.js';
import { collect, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, wholeNumber, type CliIO } from './io.js';
import { resolveTopology } from './simulate.js';
import { sharedOption } from './options.js';
import { writeReporting, type WriteReport } from './write-files.js';

export interface FixFlags {
  filename?: string[];
  write?: boolean;
  forceReadOnly?: boolean;
  dryRun?: string;
  output?: string;
  failOn?: string;
  rule?: string[];
  disableRule?: string[];
  /** --disable-rule's name before one vocabulary (hidden). */
  skipRule?: string[];
  zones?: string;
  nodes?: string;
  pdbFile?: string;
  kubeVersion?: string;
  namespace?: string;
  verify?: boolean;
  worstCase?: boolean;
  scenario?: string[];
  unsafeFixes?: boolean;
  allowEmpty?: boolean;
}

const STDIN = '<stdin>';

export async function runFix(paths: string[], flags: FixFlags, io: CliIO): Promise<number> {
  const inputs = [...paths, ...(flags.filename ?? [])];
  if (inputs.length === 0) throw new UsageError('no input: name files or folders, or read stdin with -f -');
  const fromStdin = inputs.includes('-');
  if (fromStdin && inputs.length > 1) throw new UsageError('read either stdin (-f -) or files, not both');
  if (flags.dryRun !== undefined && flags.dryRun !== 'json')
    throw new UsageError(`--dry-run takes json (got "${flags.dryRun}")`);
  if (flags.output !== undefined && flags.output !== 'text' && flags.output !== 'json')
    throw new UsageError(`--output must be text or json (got "${flags.output}")`);
  const json = flags.dryRun === 'json' || flags.output === 'json';
  const failOn = (flags.failOn ?? 'none') as Severity | 'none';
  if (!['error', 'warning', 'info', 'none'].includes(failOn))
    throw new UsageError(`--fail-on must be one of error, warning, info, none (got "${flags.failOn}")`);
  if (flags.write && (fromStdin || flags.dryRun))
    throw new UsageError('--write writes files: not with stdin or --dry-run');
  const disabled = [...(flags.disableRule ?? []), ...(flags.skipRule ?? [])];
  if (flags.kubeVersion !== undefined && !parseMinor(flags.kubeVersion))
    throw new UsageError(`--kube-version must look like 1.31 (got "${flags.kubeVersion}")`);
  const known = new Set(rules.map((r) => r.id));
  for (const id of [...(flags.rule ?? []), ...disabled])
    if (!known.has(id)) throw new UsageError(`no rule "${id}" (kubeha rules lists them)`);
  const zones = flags.zones !== undefined ? wholeNumber('--zones', flags.zones, 1) : undefined;
  const scenarios = (flags.scenario ?? []).map((s) => {
    if (!(SCENARIO_KINDS as readonly string[]).includes(s))
      throw new UsageError(`--scenario must be one of ${SCENARIO_KINDS.join(', ')} (got "${s}")`);
    return s as ScenarioKind;
  });

  const display = (abs: string): string => relative(io.cwd, abs) || abs;
  const input = await readFixInputs(inputs, STDIN, io);
  const { absolute, sources } = input;
  let pdbFile: string | undefined;
  if (flags.pdbFile !== undefined) {
    const abs = isAbsolute(flags.pdbFile) ? flags.pdbFile : resolve(io.cwd, flags.pdbFile);
    pdbFile = display(abs);
    if (!absolute.has(pdbFile)) {
      absolute.set(pdbFile, abs);
      const text = await readPdbFile(abs, pdbFile);
      if (text !== undefined) sources.push({ file: pdbFile, text });
    }
  }

  const run = fixSources(sources, {
    ...(zones !== undefined ? { zones } : {}),
    ...(flags.kubeVersion !== undefined ? { kubeVersion: flags.kubeVersion } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(pdbFile !== undefined ? { pdbFile } : {}),
    ...(flags.rule?.length ? { rules: flags.rule } : {}),
    ...(disabled.length ? { skipRules: disabled } : {}),
    ...(flags.unsafeFixes ? { unsafe: true } : {}),
  });
  refuseEmpty(inputs, input, run.objectsBefore, flags.allowEmpty);
  const changed = run.files.filter((f) => f.before !== f.after);
  // --fail-on: a finding fix leaves to the user is as much a finding as check's.
  const leftFails =
    failOn !== 'none' &&
    run.notFixed.some((n) => {
      const severity = ruleById(n.rule)?.defaultSeverity;
      return severity !== undefined && severityAtLeast(severity, failOn);
    });
  const exit = (code: number): number => (code === EXIT_OK && leftFails ? EXIT_FINDINGS : code);

  if (json && !flags.write) {
    io.stdout(jsonReport(run));
    return exit(changed.length ? EXIT_FINDINGS : EXIT_OK);
  }

  if (fromStdin) {
    // Stdin in, fixed YAML out; new PDBs go into the stream unless --pdb-file names a file.
    for (const f of run.files) if (f.file === STDIN) io.stdout(f.after);
    for (const line of reviewLines(run.review)) io.stderr(line + '\n');
    for (const line of notFixedLines(run.notFixed, true)) io.stderr(line + '\n');
    if (pdbFile !== undefined) {
      const written = await writeReporting(
        run.files.filter((f) => f.file === pdbFile && f.before !== f.after),
        absolute,
        flags.forceReadOnly === true,
        io.stderr,
      );
      for (const s of written.skipped) io.stderr(`skipped ${s.file}: ${s.reason}\n`);
      if (written.failed) return EXIT_USAGE;
      if (written.skipped.length) return EXIT_FINDINGS;
    }
    if (flags.verify) io.stderr(verify(run, flags, zones, scenarios));
    return exit(EXIT_OK);
  }

  let skipped = 0;
  let fixedCount = changed.length;
  if (flags.write) {
    const written = await writeReporting(changed, absolute, flags.forceReadOnly === true, io.stderr);
    if (json) {
      io.stdout(jsonReport(run, written));
      if (written.failed) return EXIT_USAGE;
      return exit(written.skipped.length ? EXIT_FINDINGS : EXIT_OK);
    }
    for (const f of written.written) io.stdout(`fixed ${f}\n`);
    for (const s of written.skipped) io.stdout(`skipped ${s.file}: ${s.reason}\n`);
    if (written.failed) return EXIT_USAGE;
    skipped = written.skipped.length;
    fixedCount = written.written.length;
  } else {
    for (const f of changed) {
      io.stdout(
        createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, undefined, undefined, {
          context: 3,
        }).replace(/^=+\n/, ''),
      );
    }
  }
  for (const line of reviewLines(run.review)) io.stdout(line + '\n');
  for (const line of notFixedLines(run.notFixed, flags.write === true)) io.stdout(line + '\n');
  const unsafe = run.notFixed.filter((n) => n.unsafe).length;
  const files = changed.length
    ? `${fixedCount} file${fixedCount === 1 ? '' : 's'} ${flags.write ? 'fixed' : 'to fix'}`
    : 'no file to fix';
  const skips = skipped ? `, ${skipped} file${skipped === 1 ? '' : 's'} skipped` : '';
  const summary = `${files}${skips}, ${run.notFixed.length} finding${run.notFixed.length === 1 ? '' : 's'} left to decide${unsafe ? ` (${unsafe} with an unsafe fix: --unsafe-fixes)` : ''}`;
  io.stdout(`${summary}${!flags.write && changed.length ? ' (kubeha fix --write applies the diff)' : ''}\n`);
  if (flags.verify) io.stdout(verify(run, flags, zones, scenarios));
  return exit((changed.length && !flags.write) || skipped ? EXIT_FINDINGS : EXIT_OK);
}

/** `-o json` / `--dry-run=json`: the patches of each round and what is left; with --write, the files too. */
function jsonReport(run: FixRun, written?: Pick<WriteReport, 'written' | 'skipped'>): string {
  const report = {
    version: 1,
    rounds: run.rounds.map((patches, i) => ({ round: i + 1, patches })),
    notFixed: run.notFixed,
    ...(written ? { written: written.written, skipped: written.skipped } : {}),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

/** Unsafe fixes applied: what the user must check or do before the change reaches a cluster. */
function reviewLines(patches: readonly Patch[]): string[] {
  return patches.map(
    (p) =>
      `review: ${p.file}: ${p.object.kind} ${p.object.name}: ${p.rule}: ${p.description}: ${p.unsafe ?? ''}`,
  );
}

/** Lines refer to the fixed text, so they are shown only once it is written (or printed). */
function notFixedLines(list: readonly NotFixed[], withLines: boolean): string[] {
  return list.map((n) => {
    const where = n.location ? `${n.location.file}${withLines ? `:${n.location.line}` : ''}: ` : '';
    const what = n.object ? `${n.object.kind} ${n.object.name}: ` : '';
    return `not fixed: ${where}${what}${n.rule}: ${n.reason}`;
  });
}

/** Simulates the original and the fixed objects on one topology and sets the verdicts side by side. */
function verify(run: FixRun, flags: FixFlags, zones: number | undefined, scenarios: ScenarioKind[]): string {
  const { topology, source } = resolveTopology(
    {
      ...(flags.nodes !== undefined ? { nodes: flags.nodes } : {}),
      ...(zones !== undefined ? { zones: String(zones) } : {}),
    },
    run.objectsBefore,
    undefined,
  );
  const options = {
    ...(flags.worstCase ? { worstCase: true } : {}),
    ...(scenarios.length ? { scenarios } : {}),
    kubeVersion: flags.kubeVersion ?? DEFAULT_KUBE_VERSION,
  };
  const before = simulate(run.objectsBefore, topology, options);
  const after = simulate(run.objectsAfter, topology, options);
  const rows = new Map<string, [string, string]>();
  const cell = (r: SimReport['workloads'][number]): string =>
    r.verdict === 'ok' ? 'ok' : `${r.verdict} (${r.scenario})`;
  for (const w of before.workloads) rows.set(w.workload, [cell(w), '—']);
  const afterIds = new Set(after.workloads.map((w) => w.workload));
  for (const w of after.workloads) {
    // A workload whose kind the fix changed (a bare Pod made a Deployment) keeps its row: `ns/Pod/x → Deployment`.
    const [ns, kind, name] = w.workload.split('/');
    const was = rows.has(w.workload)
      ? undefined
      : [...rows.keys()].find((id) => {
          const [n, k, m] = id.split('/');
          return n === ns && m === name && k !== kind && !afterIds.has(id);
        });
    if (was !== undefined) {
      const [b] = rows.get(was)!;
      rows.delete(was);
      rows.set(`${was} → ${kind}`, [b, cell(w)]);
    } else rows.set(w.workload, [rows.get(w.workload)?.[0] ?? '—', cell(w)]);
  }
  const width = Math.max(8, ...[...rows.keys()].map((k) => k.length));
  const mid = Math.max(6, ...[...rows.values()].map(([b]) => b.length));
  const lines = [
    '',
    `verify: simulate on ${source}${flags.worstCase ? ', worst case' : ''}${scenarios.length ? `, ${scenarios.join(', ')}` : ''}`,
    `  ${'workload'.padEnd(width)}  ${'before'.padEnd(mid)}  after`,
    ...[...rows].map(([w, [b, a]]) => `  ${w.padEnd(width)}  ${b.padEnd(mid)}  ${a}`),
  ];
  return lines.join('\n') + '\n';
}

export function registerFix(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('fix')
    .description('write the missing HA pieces back into the manifests, comments kept (a diff unless --write)')
    .argument('[paths...]', 'files and folders of YAML or JSON manifests (- for stdin)')
    .addOption(sharedOption('fixFilename'))
    .option('-w, --write', 'write the fixed files (atomically) instead of printing a diff')
    .option(
      '--force-read-only',
      'with --write: also write files whose mode has no write bit (refused by default, even as root)',
    )
    .addOption(sharedOption('fixOutput'))
    .addOption(sharedOption('fixFailOn'))
    .addOption(
      new Option('--dry-run <format>', 'print the patch operations instead of a diff (as -o json)').choices([
        'json',
      ]),
    )
    .option(
      '--unsafe-fixes',
      'also apply fixes to review before they reach a cluster (a bare Pod becomes a Deployment, a zone pin goes, spec.replicas leaves a workload an HPA scales); each is listed with what to check',
    )
    .addOption(sharedOption('rule'))
    .addOption(sharedOption('disableRule'))
    // The flag's name before one vocabulary: kept working, no longer shown.
    .addOption(new Option('--skip-rule <id>').argParser(collect).hideHelp())
    .addOption(sharedOption('zonesFix'))
    .option(
      '--pdb-file <file>',
      'put new PodDisruptionBudgets in this file (default: after their workload, in its file)',
    )
    .addOption(sharedOption('kubeVersion'))
    .addOption(sharedOption('manifestNamespace'))
    .option('--verify', 'simulate the original and the fixed manifests and show the verdicts side by side')
    .addOption(sharedOption('nodes'))
    .addOption(sharedOption('worstCase'))
    .addOption(sharedOption('verifyScenario'))
    .addOption(sharedOption('allowEmpty'))
    .action(async (paths: string[], flags: FixFlags) => setExit(await runFix(paths, flags, io)));
}
