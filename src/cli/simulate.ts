import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Option, type Command } from 'commander';
import { DEFAULT_ZONES } from '../model/defaults.js';
import { DEFAULT_KUBE_VERSION, parseMinor } from '../model/kube-versions.js';
import { wholeValue, milliValue } from '../model/quantity.js';
import type { K8sObject } from '../model/types.js';
import { SIM_OUTPUT_FORMATS, simFormatters, type SimOutputFormat } from '../report/simulate-index.js';
import {
  mergeReports,
  SCENARIO_KINDS,
  shorthandTopology,
  zonesNamedIn,
  simulate,
  topologyFromObjects,
  type ScenarioSelector,
  type SimOptions,
  type SimReport,
  type Topology,
} from '../simulate/index.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  InputError,
  loadFiles,
  loadText,
  type LoadResult,
} from '../sources/files.js';
import {
  collect,
  EXIT_FINDINGS,
  EXIT_OK,
  nothingFound,
  UsageError,
  useColor,
  wholeNumber,
  type CliIO,
} from './io.js';
import { addClusterOptions, readLive, type ClusterFlags } from './scan.js';
import { controllerRef } from '../model/owners.js';
import { liveTopology } from './live-topology.js';
import { FAIL_ON_VALUES, verdictFails, type FailOn } from '../simulate/severity.js';
import { sharedOption } from './options.js';
import { VERSION } from './package-info.js';

export interface SimulateFlags extends ClusterFlags {
  cluster?: boolean;
  filename?: string[];
  topology?: string[];
  nodes?: string;
  zones?: string;
  nodeCpu?: string;
  nodeMemory?: string;
  nodePods?: string;
  scenario?: string[];
  worstCase?: boolean;
  upgradeMode?: string;
  minAvailable?: string;
  failOn?: string;
  output?: string;
  seed?: string;
  kubeVersion?: string;
  percentageOfNodesToScore?: string;
  jobs?: string;
  color?: boolean;
  /** No object in the input is a success, not an error. */
  allowEmpty?: boolean;
}

/** Reads the inputs; finding nothing at all is an error unless `allowEmpty`. */
async function load(paths: string[], io: CliIO, namespace: string, allowEmpty: boolean): Promise<LoadResult> {
  const out: LoadResult = { objects: [], problems: [], files: [] };
  const options = { defaultNamespace: namespace, cwd: io.cwd };
  const files = paths.filter((p) => p !== '-').map((p) => (isAbsolute(p) ? p : resolve(io.cwd, p)));
  try {
    if (paths.includes('-')) {
      const r = loadText(await io.readStdin(DEFAULT_MAX_FILE_BYTES), '<stdin>', options);
      out.objects.push(...r.objects);
      out.problems.push(...r.problems);
    }
    if (files.length) {
      const r = await loadFiles(files, options);
      out.objects.push(...r.objects);
      out.problems.push(...r.problems);
    }
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  if (out.objects.length === 0 && out.problems.length === 0 && !allowEmpty) throw nothingFound(paths);
  return out;
}

/** The topology: --topology files, else Node objects among the manifests, else the shorthand. */
export function resolveTopology(
  flags: SimulateFlags,
  manifests: readonly K8sObject[],
  fromFiles: readonly K8sObject[] | undefined,
): { topology: Topology; source: string; notes: string[] } {
  const notes: string[] = [];
  const shorthand =
    flags.nodes !== undefined ||
    flags.zones !== undefined ||
    flags.nodeCpu !== undefined ||
    flags.nodeMemory !== undefined;
  if (fromFiles && shorthand)
    throw new UsageError('use either --topology or --nodes/--zones/--node-cpu/--node-memory, not both');
  const objects = fromFiles ?? (shorthand ? [] : manifests);
  if (objects.some((o) => o.kind === 'Node')) {
    const { topology } = topologyFromObjects(objects);
    if (fromFiles) return { topology, source: 'topology file', notes };
    // Node objects among the workloads' manifests replace the shorthand without being asked to.
    const source = 'Node objects in the input';
    return { topology, source, notes: [`topology from ${source}`] };
  }
  if (fromFiles) throw new UsageError('the --topology files contain no Node objects');
  const named = zonesNamedIn(manifests);
  // Unless told otherwise, every zone the workloads name exists (and at least 3).
  const zones =
    flags.zones !== undefined
      ? wholeNumber('--zones', flags.zones, 1)
      : Math.max(DEFAULT_ZONES, named.length);
  const nodes = flags.nodes !== undefined ? wholeNumber('--nodes', flags.nodes, 1) : zones * 2;
  if (nodes < zones) {
    // Zones are filled one node at a time, so a zone without a node does not exist: the simulation
    // would quietly run on fewer zones than the user or the manifests asked for.
    if (flags.zones !== undefined)
      throw new UsageError(
        `--zones ${zones} needs at least ${zones} nodes (--nodes ${nodes}): each zone exists only with a node in it`,
      );
    const why =
      named.length > DEFAULT_ZONES ? `the manifests name ${named.length}` : `the default is ${zones}`;
    notes.push(
      `--nodes ${nodes} gives only ${nodes} zone${nodes === 1 ? '' : 's'} (${why}); give --nodes ${zones} or more to have every zone, or --zones ${nodes} to say so`,
    );
  }
  const cpu = flags.nodeCpu ?? '4';
  const memory = flags.nodeMemory ?? '16Gi';
  if (milliValue(cpu) === undefined)
    throw new UsageError(`--node-cpu must be a quantity like 4 or 3500m (got "${cpu}")`);
  if (wholeValue(memory) === undefined)
    throw new UsageError(`--node-memory must be a quantity like 16Gi (got "${memory}")`);
  const pods = flags.nodePods !== undefined ? wholeNumber('--node-pods', flags.nodePods, 1) : 110;
  return {
    topology: shorthandTopology({
      nodes,
      zones,
      nodeCpu: cpu,
      nodeMemory: memory,
      nodePods: pods,
      zoneNames: named,
    }),
    source: `--nodes ${nodes} --zones ${zones} --node-cpu ${cpu} --node-memory ${memory}`,
    notes,
  };
}

/** `-j auto`'s cap on worker threads, said in --help. */
const MAX_AUTO_JOBS = 4;

export async function runSimulate(paths: string[], flags: SimulateFlags, io: CliIO): Promise<number> {
  const output = (flags.output ?? 'text') as SimOutputFormat;
  if (!SIM_OUTPUT_FORMATS.includes(output))
    throw new UsageError(`--output must be one of ${SIM_OUTPUT_FORMATS.join(', ')} (got "${flags.output}")`);
  const failOn = (flags.failOn ?? 'error') as FailOn;
  if (!FAIL_ON_VALUES.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${flags.failOn}")`);
  if (flags.kubeVersion !== undefined && !parseMinor(flags.kubeVersion))
    throw new UsageError(`--kube-version must look like 1.31 (got "${flags.kubeVersion}")`);
  const scenarios = (flags.scenario ?? []).map((s) => s.trim()).filter(Boolean);
  for (const s of scenarios) {
    // One node loss, zone loss or drain by name: node-loss:<node>, zone-loss:<zone>, drain:<node>.
    const named = /^(node-loss|zone-loss|drain):./.test(s);
    if (!named && !(SCENARIO_KINDS as readonly string[]).includes(s))
      throw new UsageError(
        `--scenario must be among ${SCENARIO_KINDS.join(', ')}, or node-loss:<node>, zone-loss:<zone>, drain:<node> (got "${s}")`,
      );
  }
  const upgradeMode = flags.upgradeMode ?? 'replace';
  if (upgradeMode !== 'replace' && upgradeMode !== 'in-place')
    throw new UsageError(`--upgrade-mode must be replace or in-place (got "${upgradeMode}")`);
  let minAvailable: number | string | undefined;
  if (flags.minAvailable !== undefined) {
    if (/^\d+%$/.test(flags.minAvailable)) minAvailable = flags.minAvailable;
    else minAvailable = wholeNumber('--min-available', flags.minAvailable, 0);
  }
  const inputs = [...paths, ...(flags.filename ?? [])];
  if (inputs.length === 0 && !flags.cluster)
    throw new UsageError(
      'no input: name files or folders, read stdin with -f -, or simulate the live cluster with --cluster',
    );
  let topology: Topology;
  // What the user may not expect about the topology, said on stderr; what they asked for is not.
  const notes: string[] = [];
  let workloadObjects: K8sObject[];
  if (flags.cluster) {
    if (flags.topology?.length || flags.nodes !== undefined || flags.zones !== undefined)
      throw new UsageError(
        '--cluster takes the topology from the cluster: leave out --topology, --nodes and --zones',
      );
    const live = await liveInputs(flags, inputs, io);
    ({ topology, workloadObjects } = live);
    notes.push(`topology from ${live.source}`);
  } else {
    const namespace = flags.namespace ?? 'default';
    const manifests = await load(inputs, io, namespace, flags.allowEmpty === true);
    for (const p of manifests.problems) io.stderr(`kubeha: ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
    const topoFiles = flags.topology?.length
      ? (await load(flags.topology, io, namespace, true)).objects
      : undefined;
    const resolved = resolveTopology(flags, manifests.objects, topoFiles);
    topology = resolved.topology;
    notes.push(...resolved.notes);
    workloadObjects = manifests.objects.filter((o) => o.kind !== 'Node');
  }
  if (topology.nodes.length === 0) throw new UsageError('the topology has no nodes');
  const options: SimOptions = {
    scenarios: scenarios.length ? (scenarios as ScenarioSelector[]) : undefined,
    worstCase: flags.worstCase ?? false,
    upgradeMode,
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...(flags.seed !== undefined ? { seed: wholeNumber('--seed', flags.seed, 0) } : {}),
    // A live cluster's objects are served by it, whatever the target: only manifests are judged at one.
    ...(flags.cluster ? {} : { kubeVersion: flags.kubeVersion ?? DEFAULT_KUBE_VERSION }),
    ...(flags.percentageOfNodesToScore !== undefined
      ? {
          percentageOfNodesToScore: wholeNumber(
            '--percentage-of-nodes-to-score',
            flags.percentageOfNodesToScore,
            0,
          ),
        }
      : {}),
  };
  const jobs =
    flags.jobs === undefined
      ? 1
      : flags.jobs === 'auto'
        ? Math.min(availableParallelism(), MAX_AUTO_JOBS)
        : wholeNumber('--jobs', flags.jobs, 1);
  const report =
    jobs > 1
      ? await simulateInWorkers(workloadObjects, topology, options, jobs)
      : simulate(workloadObjects, topology, options);
  if (report.workloads.length === 0)
    io.stderr('kubeha: no workload to simulate (Deployments, StatefulSets, ReplicaSets, Rollouts, Pods)\n');
  for (const note of notes) io.stderr(`kubeha: ${note}\n`);
  io.stdout(
    simFormatters[output](report, { toolVersion: VERSION, color: useColor(io, flags.color), failOn }),
  );
  return report.workloads.some((w) => verdictFails(w.verdict, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * simulate --cluster: the live Nodes are the topology and every other running Pod their background
 * load; the workloads are the live ones of the namespace (-n, the context's, or -A), which start from
 * their pods where they run, or the files given alongside (a change about to ship), which the
 * simulator places (their live namesakes' pods are then neither theirs nor load).
 */
async function liveInputs(
  flags: SimulateFlags,
  inputs: string[],
  io: CliIO,
): Promise<{ topology: Topology; source: string; workloadObjects: K8sObject[] }> {
  // Node load comes from every namespace, so the whole cluster is read whatever -n says.
  const { client, read } = await readLive({ ...flags, namespace: undefined, allNamespaces: true }, io);
  const scope = flags.allNamespaces ? undefined : (flags.namespace ?? client.namespace);
  let workloadObjects: K8sObject[];
  let what: string;
  if (inputs.length) {
    const manifests = await load(inputs, io, scope ?? client.namespace, flags.allowEmpty === true);
    for (const p of manifests.problems) io.stderr(`kubeha: ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
    workloadObjects = manifests.objects.filter((o) => o.kind !== 'Node');
    what = 'workloads from the files';
  } else {
    workloadObjects = read.objects.filter(
      (o) =>
        (scope === undefined || o.namespace === scope) &&
        o.kind !== 'Node' &&
        // A controller's pods are its own: the simulator places them from the template.
        !(o.kind === 'Pod' && controllerRef(o) !== undefined),
    );
    what = `live workloads of ${scope === undefined ? 'all namespaces' : `namespace ${scope}`}`;
  }
  const topology = liveTopology(read.objects, workloadObjects);
  const placed = topology.live?.pods.length ?? 0;
  // Live workloads start from where their pods run; those of the files are placed by the simulator.
  const start = inputs.length
    ? ', placed by the simulator'
    : `, started from their ${placed} pods where they run`;
  return {
    topology,
    source: `cluster ${client.context}: ${topology.nodes.length} nodes, ${topology.background.length} running pods as background; ${what}${start}`,
    workloadObjects,
  };
}

/** Shards of the simulation on worker threads (each places the cluster, then runs its share of scenarios). */
async function simulateInWorkers(
  objects: readonly K8sObject[],
  topology: Topology,
  options: SimOptions,
  jobs: number,
): Promise<SimReport> {
  // Source positions hold functions, which do not cross threads; the simulator does not need them.
  const plain = objects.map(({ source: _source, ...rest }) => rest);
  const reports = await Promise.all(
    Array.from(
      { length: jobs },
      (_, index) =>
        new Promise<SimReport>((done, fail) => {
          const worker = new Worker(new URL('./simulate-worker.js', import.meta.url), {
            workerData: { objects: plain, topology, options: { ...options, shard: { index, count: jobs } } },
          });
          worker.once('message', (r: SimReport) => done(r));
          worker.once('error', fail);
        }),
    ),
  );
  return mergeReports(reports);
}

/** Adds `kubeha simulate` to the CLI (`kubeha check --simulate` is check's: check.ts). */
export function registerSimulate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('simulate')
    .description(
      'place the workloads on a cluster topology and replay node loss, zone loss, drains, rollouts and an upgrade',
    )
    .argument('[paths...]', 'files and folders of YAML or JSON manifests (- for stdin)')
    .addOption(sharedOption('filename'))
    .option(
      '-t, --topology <file>',
      'Node objects (kubectl get nodes -o yaml), optionally with running Pods (repeatable)',
      collect,
    )
    .addOption(sharedOption('nodes'))
    .addOption(sharedOption('zonesShorthand'))
    .option('--node-cpu <quantity>', 'shorthand topology: allocatable cpu per node (default: 4)')
    .option('--node-memory <quantity>', 'shorthand topology: allocatable memory per node (default: 16Gi)')
    .option('--node-pods <count>', 'shorthand topology: pods per node (default: 110)')
    .addOption(sharedOption('scenario'))
    .addOption(sharedOption('worstCase'))
    .addOption(
      new Option('--upgrade-mode <mode>', 'upgrade: replace each node, or drain and return it')
        .choices(['replace', 'in-place'])
        .default('replace'),
    )
    .option('--min-available <n|n%>', "every workload's floor, instead of its PDB's (or half its replicas)")
    .addOption(sharedOption('verdictFailOn'))
    .addOption(sharedOption('simulateOutput'))
    .option('--seed <n>', "seed of the scheduler's tie-breaking (default: 1)")
    .addOption(sharedOption('kubeVersion'))
    .option(
      '--percentage-of-nodes-to-score <n>',
      "kube-scheduler's percentageOfNodesToScore (default: 0, adaptive)",
    )
    .option(
      '-j, --jobs <n>',
      `worker threads for the scenarios, or auto for one per core, at most ${MAX_AUTO_JOBS} (default: 1)`,
    )
    .addOption(sharedOption('allowEmpty'))
    .addOption(sharedOption('color'))
    .addOption(sharedOption('noColor'))
    .option(
      '--cluster',
      "topology and load from the live cluster's Nodes and Pods; its workloads unless files are given",
    )
    .addHelpText(
      'after',
      '\n-n sets the namespace of objects that name none; with --cluster, also which live workloads to simulate.',
    );
  addClusterOptions(command);
  command.action(async (paths: string[], flags: SimulateFlags) =>
    setExit(await runSimulate(paths, flags, io)),
  );
}
