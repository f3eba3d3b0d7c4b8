import type { Command } from 'commander';
import { severityAtLeast } from '../engine/check.js';
import { checkLive } from '../engine/live.js';
import { fleetFormatters } from '../report/fleet-index.js';
import { fleetFails } from '../report/fleet-types.js';
import { formatters } from '../report/index.js';
import { DOCS_BASE_URL } from '../report/types.js';
import type { ClusterClient } from '../sources/cluster-client.js';
import { readCluster, type ReadResult } from '../sources/cluster-reader.js';
import { analysisSettings, wantsSimulation, type AnalysisFlags } from './analysis-flags.js';
import { clusterUsageError, connectWithFlags } from './cluster-connection.js';
import { loadConfig } from './config-file.js';
import { EXIT_FINDINGS, EXIT_OK, textLayout, UsageError, useColor, wholeNumber, type CliIO } from './io.js';
import { liveTopology } from './live-topology.js';
import { appendWhole, sharedOption } from './options.js';
import { VERSION } from './package-info.js';
import type { K8sObject } from '../model/types.js';
import type { AnyRule } from '../rules/types.js';
import type { RuleConfig } from '../engine/check.js';
import { fleetTargets, scanFleet } from './scan-fleet.js';

export interface ClusterFlags {
  kubeconfig?: string;
  /** Repeatable: scan reads each context given (a fleet); the other commands take one. */
  context?: string[];
  namespace?: string;
  allNamespaces?: boolean;
  chunkSize?: string;
  requestTimeout?: string;
}

export interface ScanFlags extends AnalysisFlags, ClusterFlags {
  config?: string;
  /** Adds the simulator's verdicts on the live topology as sim-* findings. */
  simulate?: boolean;
  color?: boolean;
  /** Text output without each finding's detail. */
  compact?: boolean;
  /** Every context of the kubeconfig, as a fleet. */
  allContexts?: boolean;
}

/**
 * The flags scan and simulate --cluster share, as kubectl spells them. simulate takes one context;
 * it keeps the list so that a second one is refused in words rather than silently dropped.
 */
export function addClusterOptions(
  command: Command,
  context: 'context' | 'fleetContext' = 'context',
): Command {
  return command
    .addOption(sharedOption('kubeconfig'))
    .addOption(sharedOption(context).argParser(appendWhole))
    .addOption(sharedOption('liveNamespace'))
    .addOption(sharedOption('allNamespaces'))
    .addOption(sharedOption('chunkSize'))
    .addOption(sharedOption('requestTimeout'));
}

export function registerScan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('scan')
    .description('check a live cluster: the static rules on its objects, and what only a cluster shows');
  addClusterOptions(command, 'fleetContext')
    .option(
      '--all-contexts',
      'scan every context of the kubeconfig, in parallel, in one report grouped by cluster',
    )
    .addOption(sharedOption('findingsOutput'))
    .addOption(sharedOption('findingsFailOn'))
    .addOption(sharedOption('config'))
    .addOption(sharedOption('kubeVersion'))
    .addOption(sharedOption('zonesLive'))
    .addOption(sharedOption('rule'))
    .addOption(sharedOption('disableRule'))
    .addOption(sharedOption('scanSimulate'))
    .addOption(sharedOption('compact'))
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .action(async (flags: ScanFlags) => setExit(await runScan(flags, io)));
}

export async function runScan(flags: ScanFlags, io: CliIO): Promise<number> {
  const config = await loadConfig(flags.config, io.cwd);
  const settings = analysisSettings(flags, config, ['static', 'live']);
  const { output, failOn, kubeVersion, zones, ruleConfig } = settings;
  // As in check, the simulator's verdicts (sim-*) are opt-in: on a large cluster they cost the most.
  const simulate = wantsSimulation(flags);
  const selected = settings.selected.filter((r) => simulate || r.category !== 'simulation');
  if (simulate)
    for (const r of selected.filter((r) => r.category === 'simulation'))
      ruleConfig[r.id] = { ...ruleConfig[r.id], options: { ...ruleConfig[r.id]?.options, simulate: true } };
  const plan: ScanPlan = {
    selected,
    ruleConfig,
    simulate,
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    ...(zones !== undefined ? { zones } : {}),
  };
  const report = {
    toolVersion: VERSION,
    color: useColor(io, flags.color),
    failOn,
    docsBaseUrl: DOCS_BASE_URL,
    ...textLayout(io, flags),
  };
  const contexts = flags.context ?? [];
  if (flags.allContexts && contexts.length > 0)
    throw new UsageError('--context and --all-contexts exclude each other');
  if (flags.allContexts || new Set(contexts).size > 1) {
    checkReadFlags(flags);
    let targets;
    try {
      targets = await fleetTargets(flags.kubeconfig, io.env, flags.allContexts ? 'all' : contexts);
    } catch (e) {
      throw clusterUsageError(e);
    }
    if (targets.length === 0) throw new UsageError('--all-contexts: the kubeconfig has no context');
    const fleet = await scanFleet(targets, async (target) => {
      const tag = `${target.context}: `;
      try {
        const { read, live } = await scanCluster({ ...flags, context: [target.context] }, plan, io, tag);
        return {
          ...(read.facts.namespace !== undefined ? { namespace: read.facts.namespace } : {}),
          result: live.result,
          rules: live.rules,
        };
      } catch (e) {
        io.stderr(
          `kubeha: ${tag}not scanned: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`,
        );
        throw e;
      }
    });
    io.stdout(fleetFormatters[output](fleet, report));
    return fleetFails(fleet, failOn) ? EXIT_FINDINGS : EXIT_OK;
  }
  const { live } = await scanCluster(flags, plan, io, '');
  io.stdout(formatters[output](live.result, { ...report, rules: live.rules, command: 'scan' }));
  return live.result.findings.some((f) => severityAtLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** What every cluster of a scan is judged by. */
interface ScanPlan {
  selected: AnyRule[];
  ruleConfig: Record<string, RuleConfig>;
  simulate: boolean;
  kubeVersion?: string;
  zones?: number;
}

/**
 * Reads one cluster and judges it. `tag` starts each stderr line about it ("" for a single cluster,
 * "<context>: " in a fleet, whose clusters' lines interleave).
 */
async function scanCluster(
  flags: ScanFlags,
  plan: ScanPlan,
  io: CliIO,
  tag: string,
): Promise<{ read: ReadResult; live: ReturnType<typeof checkLive> }> {
  const started = Date.now();
  // A copy per cluster: the simulation's topology is each cluster's own.
  const ruleConfig = { ...plan.ruleConfig };
  const { client, read } = await readLive(flags, io, tag);
  if (plan.simulate) {
    // The live nodes, the workloads' pods where they run (the simulation starts from them, so its
    // reasons name the nodes the pods are on) and every other pod as load on them.
    const topology = liveTopology(await withOtherNamespacesPods(client, read, io, tag), read.objects);
    for (const r of plan.selected.filter((r) => r.category === 'simulation'))
      ruleConfig[r.id] = { ...ruleConfig[r.id], options: { ...ruleConfig[r.id]?.options, topology } };
  }
  const live = checkLive(read, {
    rules: plan.selected,
    ruleConfig,
    ...(plan.kubeVersion !== undefined ? { kubeVersion: plan.kubeVersion } : {}),
    ...(plan.zones !== undefined ? { zones: plan.zones } : {}),
  });
  for (const err of live.result.errors) io.stderr(`kubeha: ${tag}${err} (please report it)\n`);
  const where = read.facts.namespace !== undefined ? `namespace ${read.facts.namespace}` : 'all namespaces';
  io.stderr(
    `kubeha scan: ${client.context} (${client.server}), ${where}: ${read.objects.length} objects read in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { read, live };
}

/**
 * A namespaced scan's objects plus the pods of every other namespace: they are load on the same
 * nodes, and a simulation that left them out would place replacements on room that is taken. When
 * they cannot be listed (a namespaced role), the simulation goes on with the namespace's own pods
 * and says so.
 */
async function withOtherNamespacesPods(
  client: ClusterClient,
  read: ReadResult,
  io: CliIO,
  tag: string,
): Promise<K8sObject[]> {
  const scanned = read.facts.namespace;
  if (scanned === undefined) return read.objects;
  const pods = await readCluster(client, { only: (t) => t.kind === 'Pod' && t.group === '' });
  if (pods.warnings.length > 0)
    io.stderr(
      `kubeha: ${tag}warning: the simulation counts only namespace ${scanned}'s pods as load on the nodes: ${pods.warnings.join('; ')}\n`,
    );
  return [...read.objects, ...pods.objects.filter((o) => o.namespace !== scanned)];
}

/** The flags of a read that make no sense, before any cluster is asked: a UsageError. */
function checkReadFlags(flags: ClusterFlags): number {
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new UsageError('--namespace and --all-namespaces exclude each other');
  return wholeNumber('--chunk-size', flags.chunkSize ?? '500', 1);
}

/**
 * Connects and reads the cluster, for scan and simulate --cluster. Warnings (a kind that could not be
 * listed) go to stderr, after `tag` (see scanCluster); an unreachable cluster is a UsageError (one
 * line, exit 2). One context: several are a fleet, which only scan reads.
 */
export async function readLive(
  flags: ClusterFlags,
  io: CliIO,
  tag = '',
): Promise<{ client: ClusterClient; read: ReadResult }> {
  const contexts = [...new Set(flags.context ?? [])];
  if (contexts.length > 1)
    throw new UsageError(
      `--context was given ${contexts.length} times (${contexts.join(', ')}): only kubeha scan reads several clusters; run this once per context`,
    );
  const chunkSize = checkReadFlags(flags);
  // In a fleet the clusters' reads interleave: a progress line would mix them up.
  const progress = io.stderrIsTTY && tag === '' ? progressLine(io) : undefined;
  try {
    const client = await connectWithFlags(
      {
        ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
        ...(contexts[0] !== undefined ? { context: contexts[0] } : {}),
        ...(flags.requestTimeout !== undefined ? { requestTimeout: flags.requestTimeout } : {}),
      },
      io,
    );
    const namespace = flags.allNamespaces ? undefined : (flags.namespace ?? client.namespace);
    const read = await readCluster(client, {
      ...(namespace !== undefined ? { namespace } : {}),
      chunkSize,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.clear();
    // In a fleet, a cluster that let nothing be listed (a token without any role, or refused) was
    // not scanned: a report of no problems would pass a cluster nobody looked at. (Alone, scan says
    // so in the warnings and goes on, as it always has.)
    if (tag !== '' && read.facts.listed.size === 0) throw new UsageError(nothingListed(read.warnings));
    for (const w of read.warnings) io.stderr(`kubeha: ${tag}warning: ${w}\n`);
    return { client, read };
  } catch (e) {
    progress?.clear();
    throw clusterUsageError(e);
  }
}

/** Why a read listed nothing, in one line: the first kind refused, and how many more were. */
function nothingListed(warnings: readonly string[]): string {
  const refused = warnings.filter((w) => w.startsWith('cannot list'));
  // The warning's tail says which rules are skipped: here none run.
  const first = (refused[0] ?? warnings[0] ?? 'no kind was listed').replace(
    /; rules that need .* skipped$/,
    '',
  );
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more kinds)` : '';
  return `could list none of the kinds scan reads: ${first}${more}`;
}

/** One line on a terminal's stderr, rewritten as pages arrive. */
function progressLine(io: CliIO): {
  update: (p: { kind: string; items: number; done: number; total: number }) => void;
  clear: () => void;
} {
  let last = 0;
  let shown = false;
  return {
    update({ kind, items, done, total }) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      io.stderr(`\r\x1b[2Kkubeha scan: ${done}/${total} kinds read; listing ${kind}: ${items}`);
    },
    clear() {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}
