/**
 * The rightsize report: what `kubeha rightsize -o json` prints (version 1, documented field by
 * field in docs/rightsize.md, "JSON output"), and what the text and HTML reports read. Types, and
 * the conversion of the plans into it. Pure.
 */
import type { UsageWindow } from '../model/usage.js';
import type { HpaImpact } from './hpa-impact.js';
import type { Proof, ScenarioVerdicts } from './proof.js';
import type { Amounts, ContainerResources, LimitsPolicy, WorkloadPlan } from './types.js';
import type { RecommenderParams } from './vpa/index.js';

export const REPORT_VERSION = 1;

/** CPU in cores and memory in bytes, null where not set. */
export interface JsonAmounts {
  cpuCores: number | null;
  memoryBytes: number | null;
}

export interface JsonResources {
  requests: JsonAmounts;
  limits: JsonAmounts;
}

export interface JsonContainer {
  name: string;
  current: JsonResources;
  /** null: no recommendation (see the workload's problems). */
  recommended: JsonResources | null;
  /**
   * VPA's numbers before rounding, capped by the VPA's policy as its status' are; null without a
   * recommendation. A resource the VPA does not control is null.
   */
  vpa: {
    target: JsonAmounts;
    lowerBound: JsonAmounts;
    upperBound: JsonAmounts;
    /** The target before the VPA's minAllowed/maxAllowed and the global max-allowed flags. */
    uncappedTarget: JsonAmounts;
    cpuSamples: number;
    memoryPeaks: number;
    oomKills: number;
    confidence: number;
  } | null;
  notes: string[];
}

export interface JsonHpa {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  metrics: {
    resource: 'cpu' | 'memory';
    container: string | null;
    targetUtilization: number;
    utilizationBefore: { mean: number | null; peak: number | null };
    utilizationAfter: { mean: number | null; peak: number | null };
    problems: string[];
  }[];
  /** Metrics not judged (not a cpu/memory Utilization target). */
  otherMetrics: number;
  replicasBefore: { mean: number | null; peak: number | null };
  replicasAfter: { mean: number | null; peak: number | null };
  warnings: string[];
}

export interface JsonWorkload {
  kind: string;
  namespace: string;
  name: string;
  /** Where it was read from (manifests), else null. */
  file: string | null;
  /** The VerticalPodAutoscaler naming it, whose policy bounds the numbers; null when none. */
  verticalPodAutoscaler: {
    name: string;
    updateMode: string;
    /** What its status recommends per container (a running recommender's numbers); [] when nothing. */
    statusTargets: { container: string; target: JsonAmounts }[];
  } | null;
  containers: JsonContainer[];
  hpas: JsonHpa[];
  /** null when the proof did not run. */
  proof: { before: ScenarioVerdicts; after: ScenarioVerdicts; worse: boolean; reason: string | null } | null;
  /** The new requests differ from today's. */
  changed: boolean;
  problems: string[];
}

export interface RightsizeReport {
  version: typeof REPORT_VERSION;
  source: {
    kind: 'prometheus' | 'metrics-api';
    /** The Prometheus URL, or null for the metrics API. */
    url: string | null;
    shortWindow: boolean;
    /** Unix seconds. */
    window: UsageWindow;
  };
  limitsPolicy: LimitsPolicy;
  params: RecommenderParams;
  workloads: JsonWorkload[];
  /** null when the proof did not run. */
  proof: {
    topology: string;
    nodes: number;
    zones: {
      zone: string;
      allocatable: { cpuCores: number; memoryBytes: number };
      headroomBefore: { cpuCores: number; memoryBytes: number };
      headroomAfter: { cpuCores: number; memoryBytes: number };
    }[];
  } | null;
  summary: {
    workloads: number;
    changed: number;
    withProblems: number;
    worseAfter: number;
    hpaWarnings: number;
  };
}

const amounts = (a: Amounts): JsonAmounts => ({
  cpuCores: a.cpuCores ?? null,
  memoryBytes: a.memoryBytes ?? null,
});
const resources = (r: ContainerResources): JsonResources => ({
  requests: amounts(r.requests),
  limits: amounts(r.limits),
});
const levels = (l: { mean?: number; peak?: number }): { mean: number | null; peak: number | null } => ({
  mean: l.mean ?? null,
  peak: l.peak ?? null,
});

function jsonHpa(h: HpaImpact): JsonHpa {
  return {
    name: h.hpa.name,
    minReplicas: h.hpa.minReplicas,
    maxReplicas: h.hpa.maxReplicas,
    currentReplicas: h.hpa.currentReplicas,
    metrics: h.metrics.map((m) => ({
      resource: m.metric.resource,
      container: m.metric.container ?? null,
      targetUtilization: m.metric.target,
      utilizationBefore: levels(m.before),
      utilizationAfter: levels(m.after),
      problems: [...m.problems],
    })),
    otherMetrics: h.hpa.otherMetrics,
    replicasBefore: levels(h.before),
    replicasAfter: levels(h.after),
    warnings: [...h.warnings],
  };
}

export interface ReportParts {
  source: RightsizeReport['source'];
  limitsPolicy: LimitsPolicy;
  params: RecommenderParams;
  plans: readonly WorkloadPlan[];
  changed: (plan: WorkloadPlan) => boolean;
  hpas: ReadonlyMap<string, readonly HpaImpact[]>;
  proof?: { proof: Proof; topology: string };
}

export function buildReport(parts: ReportParts): RightsizeReport {
  const proofs = new Map(parts.proof?.proof.workloads.map((w) => [w.workload, w]) ?? []);
  const workloads: JsonWorkload[] = parts.plans.map((plan) => {
    const o = plan.target.object;
    const p = proofs.get(plan.target.id);
    return {
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      file: o.source?.file ?? null,
      verticalPodAutoscaler: plan.target.vpa
        ? {
            name: plan.target.vpa.name,
            updateMode: plan.target.vpa.updateMode,
            statusTargets: plan.target.vpa.statusTargets.map((t) => ({
              container: t.container,
              target: amounts(t.target),
            })),
          }
        : null,
      containers: plan.containers.map((c) => ({
        name: c.name,
        current: resources(c.current),
        recommended: c.recommended ? resources(c.recommended) : null,
        vpa: c.recommendation
          ? {
              target: amounts(c.recommendation.target),
              lowerBound: amounts(c.recommendation.lowerBound),
              upperBound: amounts(c.recommendation.upperBound),
              uncappedTarget: amounts(c.recommendation.uncappedTarget),
              cpuSamples: c.recommendation.cpuSamples,
              memoryPeaks: c.recommendation.memoryPeaks,
              oomKills: c.recommendation.oomKills,
              confidence: c.recommendation.confidence,
            }
          : null,
        notes: [...c.notes],
      })),
      hpas: (parts.hpas.get(plan.target.id) ?? []).map(jsonHpa),
      proof: p ? { before: p.before, after: p.after, worse: p.worse, reason: p.reason ?? null } : null,
      changed: parts.changed(plan),
      problems: [...plan.problems],
    };
  });
  const proof = parts.proof;
  const cores = (milli: number): number => milli / 1000;
  return {
    version: REPORT_VERSION,
    source: parts.source,
    limitsPolicy: parts.limitsPolicy,
    params: parts.params,
    workloads,
    proof: proof
      ? {
          topology: proof.topology,
          nodes: proof.proof.nodes,
          zones: proof.proof.zones.map((z) => ({
            zone: z.zone,
            allocatable: { cpuCores: cores(z.allocatable.cpu), memoryBytes: z.allocatable.memory },
            headroomBefore: { cpuCores: cores(z.before.cpu), memoryBytes: z.before.memory },
            headroomAfter: { cpuCores: cores(z.after.cpu), memoryBytes: z.after.memory },
          })),
        }
      : null,
    summary: {
      workloads: workloads.length,
      changed: workloads.filter((w) => w.changed).length,
      withProblems: workloads.filter((w) => w.problems.length > 0).length,
      worseAfter: workloads.filter((w) => w.proof?.worse).length,
      hpaWarnings: workloads.reduce((a, w) => a + w.hpas.reduce((b, h) => b + h.warnings.length, 0), 0),
    },
  };
}
