import type { Command } from 'commander';
import { EXPERIMENT_KINDS, planExperiment, type ExperimentKind } from '../chaos/plan.js';
import { planText, resultJson, resultText } from '../chaos/report.js';
import { NotStarted, RestoreFailed, runExperiment, type ExperimentResult } from '../chaos/run.js';
import type { ChaosVerdict } from '../chaos/measure.js';
import { watchSource } from '../chaos/watch.js';
import { FAIL_ON_VALUES, verdictFails, type FailOn } from '../simulate/severity.js';
import { ApiError, ClusterUnreachable } from '../sources/cluster-client.js';
import { readCluster, type ResourceType } from '../sources/cluster-reader.js';
import { clusterUsageError, connectWithFlags } from './cluster-connection.js';
import { duration, EXIT_FINDINGS, EXIT_OK, UsageError, useColor, type CliIO } from './io.js';
import { sharedOption } from './options.js';
import { VERSION } from './package-info.js';

export interface ChaosFlags {
  yes?: boolean;
  namespace?: string;
  allNamespaces?: boolean;
  hold?: string;
  timeout?: string;
  output?: string;
  color?: boolean;
  failOn?: string;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

/** What an experiment reads: the nodes, and the pods and controllers whose readiness it measures. */
const READ = new Set(['Node', 'Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'PodDisruptionBudget']);

/**
 * Runs a failure on the live cluster and measures whether each workload on the lost nodes stays
 * available. Without --yes it only prints what it would do: it is the one command that deletes pods.
 */
export async function runChaos(kind: string, target: string, flags: ChaosFlags, io: CliIO): Promise<number> {
  if (!(EXPERIMENT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`the experiment must be one of ${EXPERIMENT_KINDS.join(', ')} (got "${kind}")`);
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new UsageError('--namespace and --all-namespaces exclude each other');
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new UsageError(`--output must be text or json (got "${output}")`);
  const failOn = (flags.failOn ?? 'error') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${flags.failOn}")`);
  const holdMs = duration('--hold', flags.hold ?? '30s');
  const timeoutMs = duration('--timeout', flags.timeout ?? '5m');

  const client = await connectWithFlags(flags, io);
  // The pods of one namespace (the context's, as kubectl) unless -A: the blast radius is chosen, not implied.
  const namespace = flags.allNamespaces ? undefined : (flags.namespace ?? client.namespace);
  const read = await readCluster(client, {
    ...(namespace !== undefined ? { namespace } : {}),
    only: (t: ResourceType) => READ.has(t.kind),
  }).catch((e: unknown) => {
    throw clusterUsageError(e);
  });
  for (const w of read.warnings) io.stderr(`kubeha: ${w}\n`);
  const plan = planExperiment(read.objects, { kind: kind as ExperimentKind, target });
  if (typeof plan === 'string') throw new UsageError(plan);
  const where = `${client.context}, ${namespace !== undefined ? `namespace ${namespace}` : 'all namespaces'}`;

  if (!flags.yes) {
    io.stdout(output === 'json' ? resultJson(plan, VERSION) : planText(plan, where));
    return EXIT_OK;
  }
  const watch = watchSource(client);
  const abort = new AbortController();
  void io.untilStopped?.().then(() => abort.abort());
  let result: ExperimentResult;
  try {
    result = await runExperiment({ writer: client, watch }, plan, {
      holdMs,
      timeoutMs,
      signal: abort.signal,
      ...(output === 'text' && io.stderrIsTTY
        ? { onStep: (s, step) => io.stderr(`${s.toFixed(1).padStart(7)} s  ${step}\n`) }
        : {}),
    });
  } catch (e) {
    if (e instanceof RestoreFailed || e instanceof NotStarted) throw new UsageError(e.message);
    if (e instanceof ApiError || e instanceof ClusterUnreachable)
      throw new UsageError(`the experiment stopped (the nodes were given back): ${e.message}`);
    throw e;
  }
  io.stdout(
    output === 'json' ? resultJson(result, VERSION) : resultText(result, where, useColor(io, flags.color)),
  );
  return result.workloads.some((w) => chaosVerdictFails(w.verdict, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** A workload below its floor before the experiment fails a run as a dip below the floor would. */
function chaosVerdictFails(verdict: ChaosVerdict, failOn: FailOn): boolean {
  return verdictFails(verdict === 'degraded-before' ? 'degraded' : verdict, failOn);
}

export function registerChaos(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('chaos')
    .description(
      'lose a node or a zone, or drain a node, on the live cluster, and measure what stays available',
    )
    .argument('<experiment>', `${EXPERIMENT_KINDS.join(', ')}`)
    .argument('<target>', 'the node (node-loss, drain) or zone (zone-loss)')
    .option('--yes', 'run it: cordon, delete or evict pods (without it: print what would be done)')
    .addOption(sharedOption('liveNamespace'))
    .addOption(sharedOption('allNamespaces'))
    .option('--hold <duration>', 'how long the nodes stay lost before they come back (default: 30s)')
    .option('--timeout <duration>', 'how long to wait, in all, for the workloads to recover (default: 5m)')
    .addOption(sharedOption('textOrJsonOutput'))
    .addOption(sharedOption('verdictFailOn'))
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .addOption(sharedOption('kubeconfig'))
    .addOption(sharedOption('context'))
    .addOption(sharedOption('requestTimeout'))
    .action(async (kind: string, target: string, flags: ChaosFlags) =>
      setExit(await runChaos(kind, target, flags, io)),
    );
}
