import { readFile } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { Option, type Command } from 'commander';
import { applyPatches } from '../fix/apply.js';
import type { Patch } from '../fix/types.js';
import { parseQuantity } from '../model/quantity.js';
import type { K8sObject } from '../model/types.js';
import type { UsageSource, UsageWindow, WorkloadUsage } from '../model/usage.js';
import { formatHtml } from '../rightsize/html.js';
import { planChanges } from '../rightsize/plan.js';
import { planPatch } from '../rightsize/resize.js';
import { rightsize, type RightsizeInput } from '../rightsize/run.js';
import { parseWorkloadName, rightsizeTargets, type WorkloadName } from '../rightsize/targets.js';
import { formatText } from '../rightsize/text.js';
import { LIMITS_POLICIES, type LimitsPolicy } from '../rightsize/types.js';
import { VPA_DEFAULTS, type RecommenderParams } from '../rightsize/vpa/index.js';
import type { Topology } from '../simulate/index.js';
import type { ClusterClient } from '../sources/cluster-client.js';
import { DEFAULT_QUERY_NAMES, type UsageQueryNames } from '../sources/usage-promql.js';
import { controllerRef } from '../model/owners.js';
import { parseManifests } from '../sources/parse.js';
import { readFixInputs } from './fix-input.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { liveTopology } from './live-topology.js';
import { addClusterOptions, readLive, type ClusterFlags } from './scan.js';
import { resolveTopology } from './simulate.js';
import { connectWithFlags } from './cluster-connection.js';
import { sharedOption } from './options.js';
import { writeReporting } from './write-files.js';

export interface RightsizeFlags extends ClusterFlags {
  filename?: string[];
  prometheus?: string;
  prometheusQueryTimeout?: string;
  prometheusBearerTokenFile?: string;
  metricsApi?: boolean;
  window?: string;
  interval?: string;
  limits?: string;
  output?: string;
  write?: boolean;
  proof?: boolean;
  topology?: string[];
  nodes?: string;
  zones?: string;
  nodeCpu?: string;
  nodeMemory?: string;
  forceReadOnly?: boolean;
  /** The recommender's parameters, as commander names them (camelCase of the flags). */
  [param: string]: unknown;
}

/**
 * The Prometheus series and labels to read, each with the VPA recommender's flag name (so a
 * recommender's flags carry over) and kubeha's default (DEFAULT_QUERY_NAMES: what kube-prometheus
 * and kube-state-metrics export today).
 */
const QUERY_FLAGS: readonly (readonly [keyof UsageQueryNames, string, string])[] = [
  ['cpuMetric', 'history-cpu-metric', "cAdvisor's CPU counter"],
  ['memoryMetric', 'history-memory-metric', "cAdvisor's working set"],
  [
    'cadvisorJob',
    'prometheus-cadvisor-job-name',
    "the job that scrapes cAdvisor (default: any; VPA's: kubernetes-cadvisor)",
  ],
  ['containerNamespaceLabel', 'container-namespace-label', "the namespace label of cAdvisor's series"],
  ['containerPodNameLabel', 'container-pod-name-label', "the pod label of cAdvisor's series"],
  ['containerNameLabel', 'container-name-label', "the container label of cAdvisor's series"],
  ['podLabelsMetric', 'metric-for-pod-labels', "the series carrying the pods' labels"],
  ['podLabelPrefix', 'pod-label-prefix', "the prefix of the pods' labels on it"],
  ['podNamespaceLabel', 'pod-namespace-label', 'its namespace label'],
  ['podNameLabel', 'pod-name-label', 'its pod label'],
];

/** What a recommender parameter's flag takes: a plain number, a duration, bytes or cores. */
type ParamKind = 'number' | 'duration' | 'bytes' | 'cores';

/** Every RecommenderParams field, its kind, and its help. The flag is the field in kebab case (VPA's flag). */
const PARAM_FLAGS: readonly (readonly [keyof RecommenderParams, ParamKind, string])[] = [
  ['historyLength', 'duration', 'how much usage history to read (Prometheus)'],
  ['historyResolution', 'duration', 'the step between history samples, and the range of rate() (Prometheus)'],
  ['recommendationMarginFraction', 'number', 'safety margin added to the recommendation'],
  ['podRecommendationMinCpuMillicores', 'number', "a pod's minimum CPU, split over its containers"],
  ['podRecommendationMinMemoryMb', 'number', "a pod's minimum memory in MiB, split over its containers"],
  ['targetCpuPercentile', 'number', 'CPU usage percentile of the target'],
  ['recommendationLowerBoundCpuPercentile', 'number', 'CPU usage percentile of the lower bound'],
  ['recommendationUpperBoundCpuPercentile', 'number', 'CPU usage percentile of the upper bound'],
  ['confidenceIntervalCpu', 'duration', 'history after which the CPU bounds stop widening'],
  ['targetMemoryPercentile', 'number', 'memory peak percentile of the target'],
  ['recommendationLowerBoundMemoryPercentile', 'number', 'memory peak percentile of the lower bound'],
  ['recommendationUpperBoundMemoryPercentile', 'number', 'memory peak percentile of the upper bound'],
  ['confidenceIntervalMemory', 'duration', 'history after which the memory bounds stop widening'],
  ['roundCpuMillicores', 'number', 'CPU recommendations rounded up to a multiple of this'],
  ['roundMemoryBytes', 'number', 'memory recommendations rounded up to a multiple of this'],
  ['memoryAggregationInterval', 'duration', 'one memory peak per container per interval'],
  ['memoryAggregationIntervalCount', 'number', 'intervals of history a container keeps'],
  ['memoryHistogramDecayHalfLife', 'duration', 'half-life of the weight of memory peaks'],
  ['cpuHistogramDecayHalfLife', 'duration', 'half-life of the weight of CPU samples'],
  ['oomBumpUpRatio', 'number', 'memory after an OOM kill: this times the memory then'],
  ['oomMinBumpUpBytes', 'bytes', 'memory after an OOM kill: at least this much more'],
  ['containerRecommendationMaxAllowedCpu', 'cores', "a container's maximum CPU (0: none)"],
  ['containerRecommendationMaxAllowedMemory', 'bytes', "a container's maximum memory (0: none)"],
];

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** "8d", "24h", "30m", "90s" or a bare number of seconds, in seconds. */
export function seconds(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 8d, 1h, 10m or 30s (got "${value}")`);
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  if (!(n > 0)) throw new UsageError(`${flag} must be longer than 0 (got "${value}")`);
  return n;
}

function durationDefault(s: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (s % size === 0) return `${s / size}${unit}`;
  return `${s}s`;
}

/** The recommender parameters the flags set (the others keep VPA's defaults). */
function paramsFrom(flags: RightsizeFlags): RecommenderParams {
  const out: Record<string, number> = { ...VPA_DEFAULTS };
  for (const [name, kind] of PARAM_FLAGS) {
    const value = flags[name];
    if (typeof value !== 'string') continue;
    const flag = `--${kebab(name)}`;
    let n: number | undefined;
    if (kind === 'duration') n = seconds(flag, value);
    else if (kind === 'number') n = /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : undefined;
    else n = parseQuantity(value);
    if (n === undefined || !Number.isFinite(n) || n < 0)
      throw new UsageError(
        `${flag} must be ${kind === 'number' ? 'a number ≥ 0' : kind === 'bytes' ? 'a quantity like 100Mi' : 'a quantity like 2 or 500m'} (got "${value}")`,
      );
    out[name] = n;
  }
  return out as unknown as RecommenderParams;
}

function paramHelpDefault(name: keyof RecommenderParams, kind: ParamKind): string {
  const v = VPA_DEFAULTS[name];
  if (kind === 'duration') return durationDefault(v);
  if (kind === 'bytes') return v === 0 ? '0' : `${v / 2 ** 20}Mi`;
  return String(v);
}

/** Where the objects come from, and the file texts for --write. */
interface Inputs {
  objects: K8sObject[];
  /** The objects to right-size among `objects`. */
  scope: K8sObject[];
  texts?: Map<string, string>;
  absolute?: Map<string, string>;
  topology?: { topology: Topology; description: string; notes: string[] };
  /** The cluster client, when the inputs were read from a cluster. */
  client?: ClusterClient;
}

async function manifestInputs(
  files: string[],
  flags: RightsizeFlags,
  io: CliIO,
  proof: boolean,
): Promise<Inputs> {
  const fromStdin = files.includes('-');
  if (fromStdin && files.length > 1) throw new UsageError('read either stdin (-f -) or files, not both');
  if (fromStdin && flags.write) throw new UsageError('--write writes files: not with stdin (-f -)');
  const read = await readFixInputs(files, '<stdin>', io);
  const objects: K8sObject[] = [];
  const namespace = flags.namespace ?? 'default';
  for (const s of read.sources) {
    const parsed = parseManifests(s.text, s.file, { defaultNamespace: namespace });
    for (const p of parsed.problems) io.stderr(`kubeha: ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
    objects.push(...parsed.objects);
  }
  const inputs: Inputs = {
    objects: objects.filter((o) => o.kind !== 'Node'),
    scope: objects,
    // Stdin has no file to diff against or write: the report alone.
    ...(fromStdin
      ? {}
      : { texts: new Map(read.sources.map((s) => [s.file, s.text])), absolute: read.absolute }),
  };
  if (proof) {
    const topoFiles = flags.topology?.length
      ? await (async () => {
          const t = await readFixInputs(flags.topology!, '<stdin>', io);
          return t.sources.flatMap(
            (s) => parseManifests(s.text, s.file, { defaultNamespace: namespace }).objects,
          );
        })()
      : undefined;
    const resolved = resolveTopology(flags, objects, topoFiles);
    inputs.topology = { topology: resolved.topology, description: resolved.source, notes: resolved.notes };
  }
  return inputs;
}

async function liveInputs(flags: RightsizeFlags, io: CliIO, proof: boolean): Promise<Inputs> {
  if (flags.topology?.length || flags.nodes !== undefined || flags.zones !== undefined)
    throw new UsageError(
      'on a live cluster the topology is the cluster: leave out --topology, --nodes and --zones',
    );
  // The proof needs every node's load, so the whole cluster is read whatever -n says.
  const { client, read } = await readLive(
    proof ? { ...flags, namespace: undefined, allNamespaces: true } : flags,
    io,
  );
  const scopeNs = flags.allNamespaces ? undefined : (flags.namespace ?? client.namespace);
  const scope = read.objects.filter((o) => scopeNs === undefined || o.namespace === scopeNs);
  const workloads = scope.filter(
    (o) => o.kind !== 'Node' && !(o.kind === 'Pod' && controllerRef(o) !== undefined),
  );
  const inputs: Inputs = {
    objects: read.objects.filter((o) => o.kind !== 'Node' && o.kind !== 'Pod'),
    scope,
    client,
  };
  if (proof) {
    const topology = liveTopology(read.objects, workloads);
    inputs.objects = workloads;
    inputs.topology = {
      topology,
      description: `cluster ${client.context}: ${topology.nodes.length} nodes, ${topology.background.length} other running pods as load`,
      notes: [],
    };
  }
  return inputs;
}

function limitsPolicy(value: string | undefined): LimitsPolicy {
  const policy = (value ?? 'ratio') as LimitsPolicy;
  if (!LIMITS_POLICIES.includes(policy))
    throw new UsageError(`--limits must be one of ${LIMITS_POLICIES.join(', ')} (got "${value}")`);
  return policy;
}

/** The usage source the flags name, and the window it reads. */
async function usageSource(
  flags: RightsizeFlags,
  params: RecommenderParams,
  io: CliIO,
  client: Inputs['client'],
): Promise<{ source: UsageSource; window: UsageWindow; url: string | null }> {
  const now = Math.floor(Date.now() / 1000);
  if (flags.prometheus !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.prometheus);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new UsageError(
        `--prometheus must be an http(s) URL like http://127.0.0.1:9090 (got "${flags.prometheus}")`,
      );
    }
    const { prometheusSource } = await import('../sources/prometheus.js');
    const timeoutMs =
      flags.prometheusQueryTimeout !== undefined
        ? seconds('--prometheus-query-timeout', flags.prometheusQueryTimeout) * 1000
        : undefined;
    const names: Partial<Record<keyof UsageQueryNames, string>> = {};
    for (const [field, flag] of QUERY_FLAGS) {
      // commander keeps a flag's value under its camelCase name (--pod-label-prefix: podLabelPrefix).
      const value = flags[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
      if (typeof value === 'string') names[field] = value;
    }
    const token =
      flags.prometheusBearerTokenFile !== undefined
        ? await readToken(flags.prometheusBearerTokenFile)
        : undefined;
    return {
      source: prometheusSource({
        url: flags.prometheus,
        ...names,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(token !== undefined ? { headers: { Authorization: `Bearer ${token}` } } : {}),
      }),
      window: { start: now - params.historyLength, end: now, step: params.historyResolution },
      url: flags.prometheus,
    };
  }
  const duration = seconds('--window', flags.window ?? '10m');
  const interval = seconds('--interval', flags.interval ?? '30s');
  if (interval > duration)
    throw new UsageError(`--interval ${flags.interval} is longer than --window ${flags.window ?? '10m'}`);
  const cluster =
    client ??
    (await connectWithFlags(
      {
        ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
        ...(flags.context?.[0] !== undefined ? { context: flags.context[0] } : {}),
        ...(flags.requestTimeout !== undefined ? { requestTimeout: flags.requestTimeout } : {}),
      },
      io,
    ));
  const { metricsApiSource } = await import('../sources/metrics-api.js');
  io.stderr(
    `kubeha: sampling the metrics API every ${flags.interval ?? '30s'} for ${flags.window ?? '10m'}\n`,
  );
  // The window ends when sampling does: it starts now.
  return {
    source: metricsApiSource(cluster, { durationSeconds: duration, intervalSeconds: interval }),
    window: { start: now, end: now + duration, step: interval },
    url: null,
  };
}

/** The source's failure as one line: unreachable, slow, an error answer. */
async function fetchUsage(
  source: UsageSource,
  queries: Parameters<UsageSource['fetch']>[0],
  window: UsageWindow,
): Promise<readonly WorkloadUsage[]> {
  try {
    return await source.fetch(queries, window);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new UsageError(message.split('\n')[0]!);
  }
}

export async function runRightsize(names: string[], flags: RightsizeFlags, io: CliIO): Promise<number> {
  const output = flags.output ?? 'text';
  if (!['text', 'json', 'html'].includes(output))
    throw new UsageError(`--output must be text, json or html (got "${flags.output}")`);
  const files = flags.filename ?? [];
  if ((flags.prometheus !== undefined) === (flags.metricsApi === true))
    throw new UsageError(
      'name one usage source: --prometheus URL (history) or --metrics-api (samples taken now, over --window)',
    );
  if (flags.metricsApi && (flags.historyLength !== undefined || flags.historyResolution !== undefined))
    throw new UsageError(
      '--history-length and --history-resolution are for --prometheus; the metrics API takes --window and --interval',
    );
  if (flags.prometheus !== undefined && (flags.window !== undefined || flags.interval !== undefined))
    throw new UsageError(
      '--window and --interval are for --metrics-api; Prometheus takes --history-length and --history-resolution',
    );
  if (flags.write && files.length === 0)
    throw new UsageError('--write edits manifests: name them with -f (a live cluster is not written)');
  if (flags.allNamespaces && flags.namespace !== undefined && files.length === 0)
    throw new UsageError('use either -n or -A, not both');
  const policy = limitsPolicy(flags.limits);
  const params = paramsFrom(flags);
  const wanted: WorkloadName[] = names.map((n) => {
    const parsed = parseWorkloadName(n);
    if (!parsed)
      throw new UsageError(`"${n}" is not a workload: name one as deployment/web, statefulset/db or web`);
    return parsed;
  });
  const proof = flags.proof !== false;

  const inputs = files.length
    ? await manifestInputs(files, flags, io, proof)
    : await liveInputs(flags, io, proof);
  for (const note of inputs.topology?.notes ?? []) io.stderr(`kubeha: ${note}\n`);
  const { targets, unmatched } = rightsizeTargets(inputs.scope, wanted);
  for (const n of unmatched)
    io.stderr(
      `kubeha: no workload ${n.kind ? `${n.kind} ` : ''}${n.name} in the ${files.length ? 'manifests' : 'cluster'}\n`,
    );
  if (targets.length === 0) {
    if (unmatched.length) return EXIT_USAGE;
    throw new UsageError(
      `no workload to right-size (Deployments, StatefulSets, DaemonSets, ReplicaSets, Rollouts) in the ${files.length ? 'manifests' : 'namespace'}`,
    );
  }
  const { source, window, url } = await usageSource(flags, params, io, inputs.client);
  const usage = await fetchUsage(
    source,
    targets.filter((t) => t.problems.length === 0).map((t) => t.query),
    window,
  );
  const input: RightsizeInput = {
    objects: inputs.objects,
    targets,
    usage,
    source: { kind: source.kind, url, shortWindow: source.shortWindow, window },
    limits: policy,
    params,
    ...(inputs.topology
      ? { topology: { topology: inputs.topology.topology, description: inputs.topology.description } }
      : {}),
  };
  const { report, plans } = rightsize(input);

  if (output === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else if (output === 'html') io.stdout(formatHtml(report, plans));
  else io.stdout(formatText(report));

  let skipped = 0;
  if (inputs.texts) {
    const patches = plans.filter(planChanges).flatMap((p) => planPatch(p) ?? []);
    const changed = applyAll(inputs.texts, patches, io);
    if (flags.write) {
      const written = await writeReporting(
        changed,
        inputs.absolute ?? new Map(),
        flags.forceReadOnly === true,
        io.stderr,
      );
      for (const f of written.written) io.stderr(`kubeha: resized ${f}\n`);
      for (const s of written.skipped) io.stderr(`kubeha: skipped ${s.file}: ${s.reason}\n`);
      if (written.failed) return EXIT_USAGE;
      skipped = written.skipped.length;
    } else if (output === 'text') {
      for (const f of changed)
        io.stdout(
          createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, undefined, undefined, {
            context: 3,
          }).replace(/^=+\n/, ''),
        );
      if (changed.length) io.stdout('(kubeha rightsize --write applies the diff)\n');
    }
  }
  // Worth a look: a workload without numbers, one the simulation finds worse, an HPA out of reach.
  const s = report.summary;
  return s.withProblems || s.worseAfter || s.hpaWarnings || skipped ? EXIT_FINDINGS : EXIT_OK;
}

/** The patched text of each file a patch changes; a patch that does not apply is said on stderr. */
function applyAll(
  texts: ReadonlyMap<string, string>,
  patches: readonly Patch[],
  io: CliIO,
): { file: string; before: string; after: string }[] {
  const out: { file: string; before: string; after: string }[] = [];
  for (const [file, before] of texts) {
    const mine = patches.filter((p) => p.file === file);
    if (mine.length === 0) continue;
    const r = applyPatches(before, file, mine);
    for (const s of r.skipped)
      io.stderr(`kubeha: ${file}: ${s.patch.object.kind} ${s.patch.object.name}: not resized: ${s.reason}\n`);
    if (r.text !== before) out.push({ file, before, after: r.text });
  }
  return out;
}

/** The bearer token in `file` (trimmed, as Prometheus and VPA read token files), or one line saying why not. */
async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--prometheus-bearer-token-file ${file}: cannot read it${code ? ` (${code})` : ''}`);
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token))
    throw new UsageError(`--prometheus-bearer-token-file ${file}: holds no single token`);
  return token;
}

/** Adds `kubeha rightsize` to the CLI. */
export function registerRightsize(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('rightsize')
    .description(
      "requests from measured usage with the VPA recommender's algorithm, what they do to the HPAs, and the simulator's proof that the resized workloads still survive",
    )
    .argument(
      '[workloads...]',
      'only these workloads: deployment/web, statefulset/db, or a name (default: all)',
    )
    .addOption(sharedOption('filename'))
    .option(
      '--prometheus <url>',
      'read usage history from this Prometheus (cAdvisor and kube-state-metrics series) (default: none: --metrics-api then)',
    )
    .option(
      '--prometheus-query-timeout <duration>',
      'the longest one Prometheus request may take (default: 60s)',
    )
    .option(
      '--prometheus-bearer-token-file <file>',
      'send the token in this file as Authorization: Bearer, for a Prometheus behind an authenticating proxy (default: none)',
    )
    .option('--metrics-api', 'sample the metrics API (metrics.k8s.io) now, over --window: a short window')
    .option('--window <duration>', 'with --metrics-api: how long to sample (default: 10m)')
    .option('--interval <duration>', 'with --metrics-api: time between two samples (default: 30s)')
    .addOption(
      new Option(
        '--limits <policy>',
        'limits for the new requests: ratio keeps the limit/request ratio, keep keeps the limits, none removes them, equal sets memory limit = request and no CPU limit',
      )
        .choices(LIMITS_POLICIES)
        .default('ratio'),
    )
    .addOption(sharedOption('rightsizeOutput'))
    .addOption(sharedOption('rightsizeWrite'))
    .addOption(sharedOption('forceReadOnly'))
    .option('--no-proof', 'skip the simulation with the new requests')
    .addOption(sharedOption('topologyFiles'))
    .addOption(sharedOption('nodes'))
    .addOption(sharedOption('zonesShorthand'))
    .addOption(sharedOption('nodeCpu'))
    .addOption(sharedOption('nodeMemory'));
  for (const [field, flag, help] of QUERY_FLAGS)
    command.option(
      `--${flag} <${field.endsWith('Metric') ? 'metric' : field === 'podLabelPrefix' ? 'prefix' : field === 'cadvisorJob' ? 'job' : 'label'}>`,
      field === 'cadvisorJob'
        ? `with --prometheus: ${help}`
        : `with --prometheus: ${help} (default: ${DEFAULT_QUERY_NAMES[field]})`,
    );
  for (const [name, kind, help] of PARAM_FLAGS)
    command.option(
      `--${kebab(name)} <${kind === 'duration' ? 'duration' : kind === 'number' ? 'n' : 'quantity'}>`,
      `${help} (default: ${paramHelpDefault(name, kind)})`,
    );
  addClusterOptions(command);
  command.addHelpText(
    'after',
    "\nThe recommender flags are the VPA recommender's (v1.8.1), with its defaults. -n sets the namespace of\nmanifests that name none; on a live cluster, which namespace to right-size. docs/rightsize.md has more.",
  );
  command.action(async (names: string[], flags: RightsizeFlags) =>
    setExit(await runRightsize(names, flags, io)),
  );
}
