/**
 * One right-sizing, from the objects and their measured usage to the report: each workload's plan
 * (./plan.ts), what it does to its HPAs (./hpa-impact.ts) and, given a topology, the simulator's
 * proof (./proof.ts). Pure: the CLI reads the objects, the usage and the topology and passes them in.
 */
import { isHpa, scalersOf } from '../model/autoscaling.js';
import { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import type { WorkloadUsage } from '../model/usage.js';
import type { SimOptions, Topology } from '../simulate/index.js';
import { hpaImpact, hpaSpecOf, type ContainerRequests, type HpaImpact } from './hpa-impact.js';
import { observedLoad } from './load.js';
import { planChanges, planWorkload } from './plan.js';
import { prove } from './proof.js';
import { buildReport, type RightsizeReport } from './report.js';
import { resizedObject } from './resize.js';
import type { LimitsPolicy, RightsizeTarget, WorkloadPlan } from './types.js';
import { VPA_DEFAULTS, type RecommenderParams } from './vpa/index.js';

export interface RightsizeInput {
  /** Every object read: the workloads, their HPAs, PDBs and the rest the simulator needs. */
  readonly objects: readonly K8sObject[];
  readonly targets: readonly RightsizeTarget[];
  /** What the usage source found, one per target queried (matched by workload). */
  readonly usage: readonly WorkloadUsage[];
  readonly source: RightsizeReport['source'];
  readonly limits: LimitsPolicy;
  readonly params?: Partial<RecommenderParams>;
  /** The topology to prove on; no proof without one. */
  readonly topology?: {
    readonly topology: Topology;
    readonly description: string;
    readonly options?: Omit<SimOptions, 'scenarios' | 'shard'>;
  };
}

export interface RightsizeOutcome {
  readonly report: RightsizeReport;
  /** The plans the report was made of (with the usage: the HTML report charts it). */
  readonly plans: readonly WorkloadPlan[];
}

const key = (w: { kind: string; namespace: string; name: string }): string =>
  `${w.namespace}/${w.kind}/${w.name}`;

function requestsOf(plan: WorkloadPlan, side: 'current' | 'recommended'): ContainerRequests[] {
  return plan.containers.map((c) => ({
    container: c.name,
    requests: (side === 'recommended' ? c.recommended?.requests : undefined) ?? c.current.requests,
  }));
}

export function rightsize(input: RightsizeInput): RightsizeOutcome {
  const params: RecommenderParams = { ...VPA_DEFAULTS, ...input.params };
  const usageByWorkload = new Map(input.usage.map((u) => [key(u.workload), u]));
  const plans = input.targets.map((t) =>
    planWorkload(
      t,
      t.problems.length ? undefined : usageByWorkload.get(key(t.query.workload)),
      input.limits,
      {
        ...params,
        now: input.source.window.end,
      },
    ),
  );
  const index = new ObjectIndex(input.objects);
  const hpas = new Map<string, HpaImpact[]>();
  for (const plan of plans) {
    if (!plan.usage) continue;
    const o = plan.target.object;
    const specs = scalersOf(index, o.namespace, o.kind, o.name)
      .filter(isHpa)
      .flatMap((h) => hpaSpecOf(h, plan.target.replicas) ?? [])
      .filter((spec) => spec.metrics.length > 0);
    if (specs.length === 0) continue;
    // Only for a workload an HPA scales on utilization: summing the pods step by step costs.
    const loads = observedLoad(plan.usage.containers, input.source.window.step);
    const impacts = specs.map((spec) =>
      hpaImpact(spec, loads, requestsOf(plan, 'current'), requestsOf(plan, 'recommended')),
    );
    if (impacts.length) hpas.set(plan.target.id, impacts);
  }
  let proof: { proof: ReturnType<typeof prove>; topology: string } | undefined;
  if (input.topology) {
    const resized = new Map(plans.filter(planChanges).map((p) => [p.target.object, resizedObject(p)]));
    const after = input.objects.map((o) => resized.get(o) ?? o);
    proof = {
      proof: prove(
        input.objects,
        after,
        plans.map((p) => p.target.id),
        input.topology.topology,
        input.topology.options,
      ),
      topology: input.topology.description,
    };
  }
  const report = buildReport({
    source: input.source,
    limitsPolicy: input.limits,
    params,
    plans,
    changed: planChanges,
    hpas,
    ...(proof ? { proof } : {}),
  });
  return { report, plans };
}
