/**
 * The shapes of the library's arguments (src/index.ts checks them with src/library/arguments.ts). A
 * shape checks what the function reads before it can go wrong: the fields it uses, not every field of
 * the type (extra fields are the caller's).
 */
import { EXPERIMENT_KINDS } from '../chaos/plan.js';
import {
  arrayOf,
  boolean,
  either,
  func,
  instanceOf,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  string,
  wholeNumber,
  type Shape,
} from './arguments.js';

const SEVERITIES = ['error', 'warning', 'info'];

export const jsonObject = object('a JSON object');

export const k8sObject = object('a K8sObject, as parseManifests or readCluster returns it', {
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string,
  id: string,
  raw: jsonObject,
});
export const k8sObjects = arrayOf(
  k8sObject,
  'an array of K8sObject, as parseManifests or readCluster returns',
);

export const rule = object('a rule of the catalog (rules, ruleById)', { id: string, check: func });
export const ruleList = arrayOf(rule, 'an array of rules (rules, ruleById)');
const ruleConfig = recordOf(
  object('a RuleConfig (an object)'),
  'an object of RuleConfig by rule id, e.g. { "single-replica": { severity: "warning" } }',
);

export const finding = object('a Finding, as check returns it', {
  rule: string,
  severity: oneOf(SEVERITIES),
  message: string,
});

export const loadProblem = object('a LoadProblem, as parseManifests returns it', {
  rule: string,
  message: string,
  file: string,
});

export const clusterFacts = object('ClusterFacts, as readCluster returns them (read.facts)', {
  listed: instanceOf('a Set of kinds', Set),
  now: number,
});

export const checkOptions = optional(
  object('CheckOptions (an object)', {
    rules: optional(ruleList),
    ruleConfig: optional(ruleConfig),
    kubeVersion: optional(string),
    zones: optional(wholeNumber(1)),
    problems: optional(arrayOf(loadProblem)),
    cluster: optional(clusterFacts),
  }),
);

export const parseOptions = optional(
  object('ParseOptions (an object)', {
    defaultNamespace: optional(string),
    maxAliasCount: optional(wholeNumber(0)),
  }),
);

export const indexOptions = optional(object('IndexOptions (an object)', { kubeVersion: optional(string) }));

export const connectOptions = optional(
  object('ConnectOptions (an object)', {
    kubeconfig: optional(string),
    context: optional(string),
    timeoutMs: optional(wholeNumber(0)),
    env: optional(object('an environment (an object of strings)')),
  }),
);

export const clusterClient = object('a ClusterClient, as connect returns it', { get: func });

export const readOptions = optional(
  object('ReadOptions (an object)', {
    namespace: optional(string),
    chunkSize: optional(wholeNumber(1)),
    concurrency: optional(wholeNumber(1)),
    onProgress: optional(func),
    now: optional(func),
    only: optional(func),
  }),
);

export const checkResult = object('a CheckResult, as check returns it', {
  findings: arrayOf(finding),
  summary: object('a Summary'),
  workloads: arrayOf(object('an ObjectRef')),
  errors: arrayOf(string),
});

export const reportContext = object('a ReportContext (an object)', {
  toolVersion: string,
  rules: ruleList,
  color: boolean,
  failOn: oneOf([...SEVERITIES, 'none']),
  docsBaseUrl: string,
  command: optional(oneOf(['check', 'scan'])),
});

export const knownRules = instanceOf('a Set of rule ids', Set);

const nodeSpec = object('a NodeSpec', {
  name: string,
  labels: recordOf(string),
  taints: arrayOf(object('a Taint')),
  cpu: number,
  memory: number,
  pods: number,
});

export const topology = object('a Topology, as shorthandTopology or topologyFromObjects returns it', {
  nodes: arrayOf(nodeSpec),
  background: arrayOf(object('a BackgroundPod')),
});

export const simOptions = optional(
  object('SimOptions (an object)', {
    scenarios: optional(arrayOf(either(string, object('a scenario selector')))),
    worstCase: optional(boolean),
    upgradeMode: optional(oneOf(['replace', 'in-place'])),
    minAvailable: optional(either(number, string)),
    percentageOfNodesToScore: optional(number),
    seed: optional(number),
    namespace: optional(string),
    kubeVersion: optional(string),
    shard: optional(object('a shard { index, count }', { index: wholeNumber(0), count: wholeNumber(1) })),
  }),
);

export const simReports = arrayOf(
  object('a SimReport, as simulate returns it', {
    topology: object('a topology summary'),
    placement: arrayOf(object('a PlacementResult')),
    scenarios: arrayOf(object('a ScenarioResult')),
    workloads: arrayOf(object('a WorkloadSummary')),
  }),
  'an array of SimReport, as simulate returns them',
);

export const shorthand = object('a ShorthandTopology such as { nodes: 6, zones: 3 }', {
  nodes: wholeNumber(0),
  zones: wholeNumber(0),
  nodeCpu: optional(either(string, number)),
  nodeMemory: optional(either(string, number)),
  nodePods: optional(wholeNumber(0)),
  zoneNames: optional(arrayOf(string)),
});

const fixFields: Record<string, Shape> = {
  zones: optional(wholeNumber(1)),
  kubeVersion: optional(string),
  pdbFile: optional(string),
  rules: optional(arrayOf(string)),
  skipRules: optional(arrayOf(string)),
  unsafe: optional(boolean),
};
export const fixOptions = optional(object('FixOptions (an object)', fixFields));
export const fixRunOptions = optional(
  object('RunOptions (an object)', { ...fixFields, namespace: optional(string) }),
);
export const findings = arrayOf(finding, 'an array of Finding, as check returns');

export const patches = arrayOf(
  object('a Patch, as fix returns it', {
    rule: string,
    description: string,
    file: string,
    object: object('an ObjectRef'),
    ops: arrayOf(object('a PatchOp')),
  }),
  'an array of Patch, as fix returns',
);

export const sourceFiles = arrayOf(object('a SourceFile { file, text }', { file: string, text: string }));

export const admissionRequest = object('an AdmissionRequest, as parseReview returns it', {
  uid: string,
  operation: string,
  namespace: string,
  object: optional(jsonObject),
});

export const admitSettings = object('AdmitSettings such as { rules, denyOn: "error" }', {
  rules: ruleList,
  denyOn: oneOf([...SEVERITIES, 'none']),
  ruleConfig: optional(ruleConfig),
  kubeVersion: optional(string),
  zones: optional(wholeNumber(1)),
});

export const admissionResponse = object('an AdmissionResponse, as admit returns it (.response)', {
  uid: string,
  allowed: boolean,
  warnings: optional(arrayOf(string)),
  status: optional(object('a status { code, message }', { code: wholeNumber(0), message: string })),
});

export const experiment = object('an Experiment such as { kind: "node-loss", target: "node-1" }', {
  kind: oneOf(EXPERIMENT_KINDS),
  target: string,
});

export const chaosCluster = object('a ChaosCluster { writer, watch }', {
  writer: object('a ClusterWriter, as connect returns it'),
  watch: object('a WatchSource'),
});

export const experimentPlan = object('an ExperimentPlan, as planExperiment returns it', {
  experiment,
  nodes: arrayOf(object('a node of the plan')),
  pods: arrayOf(object('a TargetPod')),
  skipped: arrayOf(object('a skipped pod')),
  workloads: arrayOf(object('a WatchedWorkload')),
  zones: recordOf(string),
});

export const chaosRunOptions = object('RunOptions such as { holdMs: 30000, timeoutMs: 300000 }', {
  holdMs: wholeNumber(0),
  timeoutMs: wholeNumber(0),
  signal: optional(instanceOf('an AbortSignal', AbortSignal)),
  onStep: optional(func),
  now: optional(func),
});
