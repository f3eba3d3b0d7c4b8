import { Option, type Command } from 'commander';
import { DEFAULT_KUBE_VERSION } from '../model/kube-versions.js';
import { DEFAULT_ZONES } from '../model/defaults.js';
import { OUTPUT_FORMATS } from '../report/index.js';
import { FAIL_ON_VALUES } from '../simulate/severity.js';
import { collect } from './io.js';

/**
 * One option as every command that has it declares it. An idea has one flag everywhere (`--disable-rule`,
 * never `--skip-rule` in one command), and the same words and default in every `--help`.
 */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  /** The parsed default, when commander should fill it in (it then shows in --help). */
  readonly default?: string;
  /** Repeatable: each use (and each comma-separated item) adds to a list. */
  readonly repeatable?: boolean;
  /** Repeatable, each use one item whole: a name that is the user's to choose may hold a comma. */
  readonly repeatableWhole?: boolean;
  /**
   * Why the option has no default to show, for a value option. A value option says its default in
   * --help: either `default` above or "(default: …)" in its description.
   */
  readonly noDefault?: string;
}

const FINDING_SEVERITIES = ['error', 'warning', 'info', 'none'];

/**
 * Every option that more than one command takes, keyed by the name commands ask for. A flag that
 * means something else in another command has its own entry here (the namespace of manifests vs. the
 * namespace read from a cluster), so the difference is declared once, not drifted into.
 */
export const SHARED_OPTIONS = {
  filename: {
    flags: '-f, --filename <path>',
    description: 'a manifest file or folder; - reads stdin (repeatable)',
    repeatable: true,
    noDefault: 'inputs are also positional arguments',
  },
  findingsOutput: {
    flags: '-o, --output <format>',
    description: 'output format',
    choices: OUTPUT_FORMATS,
    default: 'text',
  },
  findingsFailOn: {
    flags: '--fail-on <severity>',
    // No parsed default: the config file's failOn applies when the flag is absent.
    description:
      'exit 1 when a finding is at or above this severity (default: error, or failOn in the config file)',
    choices: FINDING_SEVERITIES,
  },
  fixOutput: {
    flags: '-o, --output <format>',
    description:
      'text: the diff (or the files written) and what is left to decide; json: the patch operations and what is left, as --dry-run=json',
    choices: ['text', 'json'],
    default: 'text',
  },
  fixFailOn: {
    flags: '--fail-on <severity>',
    description:
      'also exit 1 when a finding left to decide is at or above this severity (edits still to write, or files skipped, always exit 1) (default: none)',
    choices: FINDING_SEVERITIES,
  },
  fixFilename: {
    flags: '-f, --filename <path>',
    description: 'a manifest file or folder; - reads stdin and writes the fixed YAML (repeatable)',
    repeatable: true,
    noDefault: 'inputs are also positional arguments',
  },
  verifyScenario: {
    flags: '-s, --scenario <kind>',
    description:
      'with --verify: scenarios to run: placement, node-loss, zone-loss, drain, rollout, upgrade (repeatable; default: all)',
    repeatable: true,
  },
  simulateOutput: {
    flags: '-o, --output <format>',
    description: 'output format',
    // Spelled out rather than imported: the simulate formatters (and their HTML) load only when used;
    // test/cli/options.test.ts holds this list equal to SIM_OUTPUT_FORMATS.
    choices: ['text', 'json', 'md', 'html'],
    default: 'text',
  },
  textOrJsonOutput: {
    flags: '-o, --output <format>',
    description: 'output format',
    choices: ['text', 'json'],
    default: 'text',
  },
  verdictFailOn: {
    flags: '--fail-on <severity|verdict>',
    description:
      'exit 1 when a verdict is at or above this severity (outage and stuck are errors, degraded a warning; as check --simulate), or reaches this verdict',
    choices: FAIL_ON_VALUES,
    default: 'error',
  },
  config: {
    flags: '-c, --config <file>',
    description: 'config file (default: .kubeha.yaml in the working folder)',
  },
  kubeVersion: {
    flags: '--kube-version <version>',
    description: `target Kubernetes version, e.g. 1.31: API versions it no longer serves are findings and count for nothing (default: ${DEFAULT_KUBE_VERSION})`,
  },
  manifestNamespace: {
    flags: '-n, --namespace <namespace>',
    description: 'namespace of objects that name none (default: default)',
  },
  rule: {
    flags: '--rule <id>',
    description: 'run only these rules (repeatable, or comma-separated)',
    repeatable: true,
    noDefault: 'every rule when absent',
  },
  disableRule: {
    flags: '--disable-rule <id>',
    description: 'skip these rules (repeatable, or comma-separated)',
    repeatable: true,
    noDefault: 'no rule is disabled when absent',
  },
  allowEmpty: {
    flags: '--allow-empty',
    description: 'no Kubernetes object in the input is a success, not an error (exit 2)',
  },
  compact: {
    flags: '--compact',
    description: "text output: each finding's headline only, without the detail under it",
  },
  color: { flags: '--color', description: 'force colour' },
  noColor: { flags: '--no-color', description: 'no colour (NO_COLOR is honoured too)' },
  kubeconfig: {
    flags: '--kubeconfig <file>',
    description: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)',
  },
  context: {
    flags: '--context <name>',
    description: "kubeconfig context (default: the kubeconfig's current context)",
  },
  fleetContext: {
    flags: '--context <name>',
    description:
      "kubeconfig context (default: the kubeconfig's current context); repeat it to scan several clusters in one report",
    repeatableWhole: true,
  },
  liveNamespace: {
    flags: '-n, --namespace <namespace>',
    description: "only this namespace (default: the context's namespace)",
  },
  allNamespaces: { flags: '-A, --all-namespaces', description: 'every namespace' },
  chunkSize: {
    flags: '--chunk-size <n>',
    description: 'objects per list request (pagination) (default: 500)',
  },
  requestTimeout: {
    flags: '--request-timeout <duration>',
    // The default is the cluster client's (DEFAULT_REQUEST_TIMEOUT_MS, held equal by a test), which is
    // not imported here so that commands without a cluster do not load the client.
    description:
      "how long to wait for the API server to answer a request (connect, TLS, the answer's start, any silence while it streams): 30s, 1m; a bare number is seconds; 0 waits forever (default: 10s)",
  },
  scenario: {
    flags: '-s, --scenario <kind>',
    description:
      'scenarios to run: placement, node-loss, zone-loss, drain, rollout, upgrade, or one by name: node-loss:<node>, zone-loss:<zone>, drain:<node> (repeatable; default: all)',
    repeatable: true,
  },
  nodes: {
    flags: '--nodes <count>',
    description: 'shorthand topology: number of nodes (default: 2 per zone)',
  },
  worstCase: {
    flags: '--worst-case',
    description: 'place pods to maximise co-location under the hard constraints only',
  },
  checkSimulate: {
    flags: '--simulate',
    description:
      'also simulate failures (sim-outage, sim-stuck, sim-degraded findings) on the Nodes in the input or --zones × 2 nodes',
  },
  scanSimulate: {
    flags: '--simulate',
    description: 'also simulate failures of the live workloads on the live nodes (sim-* findings)',
  },
  zonesManifests: {
    flags: '--zones <count>',
    description: `zones the cluster spreads over (default: ${DEFAULT_ZONES}, or the config file's zones)`,
  },
  zonesLive: {
    flags: '--zones <count>',
    description: "zones the cluster spreads over (default: its nodes' zones)",
  },
  zonesFix: {
    flags: '--zones <count>',
    description: 'zones the cluster spreads over: replicas are raised to this many (default: 2 replicas)',
  },
  zonesShorthand: {
    flags: '--zones <count>',
    description: `zones of the shorthand topology and of the spread rules, named after the zones the workloads name, else zone-a, zone-b, … (default: ${DEFAULT_ZONES}, or as many as the workloads name)`,
  },
  // Declared inline by fix and simulate; in the table since rightsize takes them too.
  fixWrite: {
    flags: '-w, --write',
    description: 'write the fixed files (atomically) instead of printing a diff',
  },
  rightsizeWrite: {
    flags: '-w, --write',
    description: 'write the new requests into the -f manifests (atomically) instead of printing a diff',
  },
  forceReadOnly: {
    flags: '--force-read-only',
    description:
      'with --write: also write files whose mode has no write bit (refused by default, even as root)',
  },
  topologyFiles: {
    flags: '-t, --topology <file>',
    description: 'Node objects (kubectl get nodes -o yaml), optionally with running Pods (repeatable)',
    repeatable: true,
  },
  nodeCpu: {
    flags: '--node-cpu <quantity>',
    description: 'shorthand topology: allocatable cpu per node (default: 4)',
  },
  nodeMemory: {
    flags: '--node-memory <quantity>',
    description: 'shorthand topology: allocatable memory per node (default: 16Gi)',
  },
  rightsizeOutput: {
    flags: '-o, --output <format>',
    description: 'output format',
    choices: ['text', 'json', 'html'],
    default: 'text',
  },
} as const satisfies Record<string, OptionSpec>;

export type SharedOptionName = keyof typeof SHARED_OPTIONS;

/** The commander Option for a shared option. */
export function sharedOption(name: SharedOptionName): Option {
  const spec: OptionSpec = SHARED_OPTIONS[name];
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.repeatable) option.argParser(collect);
  if (spec.repeatableWhole) option.argParser(appendWhole);
  return option;
}

/** Each use of the option adds its value, whole, to the list. */
export const appendWhole = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds shared options to a command, in the order given. */
export function addSharedOptions(command: Command, names: readonly SharedOptionName[]): Command {
  for (const name of names) command.addOption(sharedOption(name));
  return command;
}
