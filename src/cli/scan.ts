import { Option, type Command } from 'commander';
import { severityAtLeast } from '../engine/check.js';
import { checkLive } from '../engine/live.js';
import { formatters, OUTPUT_FORMATS } from '../report/index.js';
import { DOCS_BASE_URL } from '../report/types.js';
import type { ClusterClient } from '../sources/cluster-client.js';
import { readCluster, type ReadResult } from '../sources/cluster-reader.js';
import { analysisSettings, FAIL_ON, wantsSimulation, type AnalysisFlags } from './analysis-flags.js';
import { clusterUsageError, connectWithFlags, REQUEST_TIMEOUT_HELP } from './cluster-connection.js';
import { loadConfig } from './config-file.js';
import { collect, EXIT_FINDINGS, EXIT_OK, UsageError, useColor, wholeNumber, type CliIO } from './io.js';
import { liveTopology } from './live-topology.js';
import { VERSION } from './package-info.js';
import type { K8sObject } from '../model/types.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
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
}

/** The flags scan and simulate --cluster share, as kubectl spells them. */
export function addClusterOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option('-n, --namespace <namespace>', "only this namespace (default: the context's namespace)")
    .option('-A, --all-namespaces', 'every namespace')
    .option('--chunk-size <n>', 'objects per list request (pagination)', '500')
    .option('--request-timeout <duration>', REQUEST_TIMEOUT_HELP);
}

export function registerScan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addClusterOptions(
    program
      .command('scan')
      .description('check a live cluster: the static rules on its objects, and what only a cluster shows'),
  )
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: error)',
      ).choices(FAIL_ON),
    )
    .option('-c, --config <file>', 'config file (default: .kubeha.yaml in the working folder)')
    .option('--kube-version <version>', 'target Kubernetes version for API deprecations, e.g. 1.31')
    .option('--zones <count>', "zones the cluster spreads over (default: its nodes' zones)")
    .option('--rule <id>', 'run only these rules (repeatable, or comma-separated)', collect)
    .option('--disable-rule <id>', 'skip these rules (repeatable, or comma-separated)', collect)
    .option('--simulate', 'also simulate failures of the live workloads on the live nodes (sim-* findings)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
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
  const started = Date.now();
  const { client, read } = await readLive(flags, io);
  if (simulate) {
    // The live nodes, the workloads' pods where they run (the simulation starts from them, so its
    // reasons name the nodes the pods are on) and every other pod as load on them.
    const topology = liveTopology(await withOtherNamespacesPods(client, read, io), read.objects);
    for (const r of selected.filter((r) => r.category === 'simulation'))
      ruleConfig[r.id] = { ...ruleConfig[r.id], options: { ...ruleConfig[r.id]?.options, topology } };
  }
  const live = checkLive(read, {
    rules: selected,
    ruleConfig,
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    ...(zones !== undefined ? { zones } : {}),
  });
  const result = live.result;
  for (const err of result.errors) io.stderr(`kubeha: ${err} (please report it)\n`);
  const where = read.facts.namespace !== undefined ? `namespace ${read.facts.namespace}` : 'all namespaces';
  io.stderr(
    `kubeha scan: ${client.context} (${client.server}), ${where}: ${read.objects.length} objects read in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  io.stdout(
    formatters[output](result, {
      toolVersion: VERSION,
      rules: live.rules,
      color: useColor(io, flags.color),
      failOn,
      docsBaseUrl: DOCS_BASE_URL,
      command: 'scan',
    }),
  );
  return result.findings.some((f) => severityAtLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
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
): Promise<K8sObject[]> {
  const scanned = read.facts.namespace;
  if (scanned === undefined) return read.objects;
  const pods = await readCluster(client, { only: (t) => t.kind === 'Pod' && t.group === '' });
  if (pods.warnings.length > 0)
    io.stderr(
      `kubeha: warning: the simulation counts only namespace ${scanned}'s pods as load on the nodes: ${pods.warnings.join('; ')}\n`,
    );
  return [...read.objects, ...pods.objects.filter((o) => o.namespace !== scanned)];
}

/**
 * Connects and reads the cluster, for scan and simulate --cluster. Warnings (a kind that could not be
 * listed) go to stderr; an unreachable cluster is a UsageError (one line, exit 2).
 */
export async function readLive(
  flags: ClusterFlags,
  io: CliIO,
): Promise<{ client: ClusterClient; read: ReadResult }> {
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new UsageError('--namespace and --all-namespaces exclude each other');
  const chunkSize = wholeNumber('--chunk-size', flags.chunkSize ?? '500', 1);
  const progress = io.stderrIsTTY ? progressLine(io) : undefined;
  try {
    const client = await connectWithFlags(flags, io);
    const namespace = flags.allNamespaces ? undefined : (flags.namespace ?? client.namespace);
    const read = await readCluster(client, {
      ...(namespace !== undefined ? { namespace } : {}),
      chunkSize,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.clear();
    for (const w of read.warnings) io.stderr(`kubeha: warning: ${w}\n`);
    return { client, read };
  } catch (e) {
    progress?.clear();
    throw clusterUsageError(e);
  }
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
