/** kubeha as a library: everything the CLI does is a typed function. */
export { check, type CheckOptions, type CheckResult, type Summary, type RuleConfig } from './engine/check.js';
export { parseManifests, type LoadProblem, type ParseOptions, type ParseResult } from './sources/parse.js';
export { ObjectIndex } from './model/object-index.js';
export { toWorkload, type Workload } from './model/workload.js';
export type { K8sObject, ObjectRef, JsonObject, JsonValue, Position, SourceRef } from './model/types.js';
export { rules, ruleById } from './rules/index.js';
export type { AnyRule, ClusterFacts, Finding, Severity, Category, Location } from './rules/types.js';
export {
  connect,
  ApiError,
  ClusterUnreachable,
  type ClusterClient,
  type ConnectOptions,
} from './sources/cluster-client.js';
export {
  readCluster,
  SCANNED,
  type ReadOptions,
  type ReadResult,
  type ResourceType,
} from './sources/cluster-reader.js';
export { formatters, type OutputFormat } from './report/index.js';
export type { ReportContext, Formatter } from './report/types.js';
export { parseConfig, type KubehaConfig } from './config/config.js';
export {
  simulate,
  mergeReports,
  shorthandTopology,
  topologyFromObjects,
  SCENARIO_KINDS,
  VERDICT_RANK,
  type SimOptions,
  type SimReport,
  type Topology,
  type NodeSpec,
  type BackgroundPod,
  type Verdict,
  type ScenarioKind,
  type ScenarioResult,
  type WorkloadOutcome,
  type PlacementResult,
  type WorkloadSummary,
} from './simulate/index.js';
export { fix } from './fix/plan.js';
export { applyPatches, type ApplyResult } from './fix/apply.js';
export { fixSources, type FixRun, type SourceFile, type RunOptions } from './fix/run.js';
export type {
  Patch,
  PatchOp,
  FixOptions,
  FixResult,
  NotFixed,
  FixPlanner,
  FixTarget,
  FixContext,
  FixPlan,
  PlannedEdit,
  Applicability,
  FixSafety,
} from './fix/types.js';
export {
  admit,
  parseReview,
  reviewResponse,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmitSettings,
} from './serve/admission.js';
export {
  planExperiment,
  EXPERIMENT_KINDS,
  type Experiment,
  type ExperimentKind,
  type ExperimentPlan,
} from './chaos/plan.js';
export { runExperiment, type ExperimentResult, type WorkloadResult } from './chaos/run.js';
export type { ClusterWriter } from './sources/cluster-client.js';
