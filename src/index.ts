/**
 * kubeha as a library: everything the CLI does is a typed function. Each function checks its
 * arguments first and throws KubehaArgumentError (a TypeError) naming the function, the argument and
 * what it must be; the async ones reject with it (docs/library.md).
 */
import { check as checkObjects } from './engine/check.js';
import { parseManifests as parseText } from './sources/parse.js';
import { ObjectIndex as Index, type IndexOptions } from './model/object-index.js';
import { toWorkload as workloadOf } from './model/workload.js';
import { ruleById as findRule } from './rules/index.js';
import { connect as connectTo } from './sources/cluster-client.js';
import { readCluster as readFrom } from './sources/cluster-reader.js';
import { formatters as formatterTable } from './report/index.js';
import type { Formatter } from './report/types.js';
import { parseConfig as parseConfigText } from './config/config.js';
import {
  simulate as simulateObjects,
  mergeReports as mergeShards,
  shorthandTopology as shorthand,
  topologyFromObjects as topologyOf,
} from './simulate/index.js';
import { fix as planFixes } from './fix/plan.js';
import { applyPatches as applyTo } from './fix/apply.js';
import { fixSources as fixFiles } from './fix/run.js';
import { admit as admitRequest, reviewResponse as responseOf } from './serve/admission.js';
import { planExperiment as plan } from './chaos/plan.js';
import { runExperiment as runPlan } from './chaos/run.js';
import type { K8sObject } from './model/types.js';
import { checkArguments, guarded, string, type Shape } from './library/arguments.js';
import * as shape from './library/shapes.js';

export { KubehaArgumentError } from './library/arguments.js';
export type { CheckOptions, CheckResult, Summary, RuleConfig } from './engine/check.js';
export type { LoadProblem, ParseOptions, ParseResult } from './sources/parse.js';
export type { Workload } from './model/workload.js';
export type { K8sObject, ObjectRef, JsonObject, JsonValue, Position, SourceRef } from './model/types.js';
export { rules } from './rules/index.js';
export type { AnyRule, ClusterFacts, Finding, Severity, Category, Location } from './rules/types.js';
export {
  ApiError,
  ClusterUnreachable,
  type ClusterClient,
  type ConnectOptions,
} from './sources/cluster-client.js';
export { SCANNED, type ReadOptions, type ReadResult, type ResourceType } from './sources/cluster-reader.js';
export type { OutputFormat } from './report/index.js';
export type { ReportContext, Formatter } from './report/types.js';
export type { KubehaConfig } from './config/config.js';
export {
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
export type { ApplyResult } from './fix/apply.js';
export type { RightsizeReport, JsonWorkload as RightsizeWorkload } from './rightsize/report.js';
export type { LimitsPolicy, RightsizeTarget, WorkloadPlan, ContainerPlan } from './rightsize/types.js';
export type { HpaImpact, HpaSpec } from './rightsize/hpa-impact.js';
export type { Proof, WorkloadProof, ZoneHeadroom } from './rightsize/proof.js';
export type {
  UsageSource,
  UsageQuery,
  UsageWindow,
  WorkloadUsage,
  ContainerUsage,
  UsageSample,
  OomKill,
} from './model/usage.js';
export type { FixRun, SourceFile, RunOptions } from './fix/run.js';
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
  parseReview,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmitSettings,
} from './serve/admission.js';
export { EXPERIMENT_KINDS, type Experiment, type ExperimentKind, type ExperimentPlan } from './chaos/plan.js';
export type { ExperimentResult, WorkloadResult } from './chaos/run.js';
export type { ClusterWriter } from './sources/cluster-client.js';

export const check = guarded('check', checkObjects, [
  ['objects', shape.k8sObjects],
  ['options', shape.checkOptions],
]);
export const parseManifests = guarded('parseManifests', parseText, [
  ['text', string],
  ['file', string],
  ['options', shape.parseOptions],
]);

/** The objects' joins (workloads, their PDBs, autoscalers, Services); its arguments checked as the functions' are. */
export class ObjectIndex extends Index {
  constructor(objects: readonly K8sObject[], options?: IndexOptions) {
    checkArguments(
      'ObjectIndex',
      [objects, options],
      [
        ['objects', shape.k8sObjects],
        ['options', shape.indexOptions],
      ],
    );
    super(objects, options);
  }
}

export const toWorkload = guarded('toWorkload', workloadOf, [['object', shape.k8sObject]]);
export const ruleById = guarded('ruleById', findRule, [['id', string]]);
export const connect = guarded('connect', connectTo, [['options', shape.connectOptions]], 'async');
export const readCluster = guarded(
  'readCluster',
  readFrom,
  [
    ['client', shape.clusterClient],
    ['options', shape.readOptions],
  ],
  'async',
);

const formatterShapes: readonly (readonly [string, Shape])[] = [
  ['result', shape.checkResult],
  ['context', shape.reportContext],
];
/** The output formats of check and scan, each a Formatter(result, context). */
export const formatters = Object.fromEntries(
  Object.entries(formatterTable).map(([name, f]: [string, Formatter]) => [
    name,
    guarded(`formatters.${name}`, f, formatterShapes),
  ]),
) as typeof formatterTable;

export const parseConfig = guarded(
  'parseConfig',
  parseConfigText,
  [
    ['text', string],
    ['file', string],
    ['knownRules', shape.knownRules],
  ],
  'async',
);
export const simulate = guarded('simulate', simulateObjects, [
  ['objects', shape.k8sObjects],
  ['topology', shape.topology],
  ['options', shape.simOptions],
]);
export const mergeReports = guarded('mergeReports', mergeShards, [['shards', shape.simReports]]);
export const shorthandTopology = guarded('shorthandTopology', shorthand, [['shorthand', shape.shorthand]]);
export const topologyFromObjects = guarded('topologyFromObjects', topologyOf, [
  ['objects', shape.k8sObjects],
]);
export const fix = guarded('fix', planFixes, [
  ['objects', shape.k8sObjects],
  ['findings', shape.findings],
  ['options', shape.fixOptions],
]);
export const applyPatches = guarded('applyPatches', applyTo, [
  ['sourceText', string],
  ['file', string],
  ['patches', shape.patches],
]);
export const fixSources = guarded('fixSources', fixFiles, [
  ['sources', shape.sourceFiles],
  ['options', shape.fixRunOptions],
]);
export const admit = guarded('admit', admitRequest, [
  ['request', shape.admissionRequest],
  ['context', shape.k8sObjects],
  ['settings', shape.admitSettings],
]);
export const reviewResponse = guarded('reviewResponse', responseOf, [['response', shape.admissionResponse]]);
export const planExperiment = guarded('planExperiment', plan, [
  ['objects', shape.k8sObjects],
  ['experiment', shape.experiment],
]);
export const runExperiment = guarded(
  'runExperiment',
  runPlan,
  [
    ['cluster', shape.chaosCluster],
    ['plan', shape.experimentPlan],
    ['options', shape.chaosRunOptions],
  ],
  'async',
);
