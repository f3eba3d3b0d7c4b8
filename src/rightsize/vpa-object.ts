/**
 * The VerticalPodAutoscaler that watches a workload, read into what the recommender takes from it:
 * its name and update mode, and its resource policy (src/model/vpa-policy.ts, applied by
 * ./vpa/policy.ts). A workload's VPA bounds the recommendation as VPA's own status would be
 * bounded, so kubeha's numbers are the VPA's. Pure.
 */
import { isVpa, vpaUpdateMode } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { parseQuantity } from '../model/quantity.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { resourcePolicyOf, type PodResourcePolicy, type PolicyAmounts } from '../model/vpa-policy.js';

export interface WorkloadVpa {
  readonly name: string;
  /** updatePolicy.updateMode, Auto when unset. */
  readonly updateMode: string;
  readonly policy: PodResourcePolicy;
  /** Other VPAs naming the same workload: VPA applies the oldest (this one) to its pods. */
  readonly others: readonly string[];
  /**
   * The target its status holds per container (what a running recommender wrote: on a live cluster),
   * in container order; empty when it holds none (always in a manifest).
   */
  readonly statusTargets: readonly { readonly container: string; readonly target: PolicyAmounts }[];
}

/** status.recommendation.containerRecommendations[].target, as the recommender wrote them. */
function statusTargets(vpa: K8sObject): WorkloadVpa['statusTargets'] {
  const list = getAt(vpa.raw, '/status/recommendation/containerRecommendations');
  if (!Array.isArray(list)) return [];
  return list.flatMap((r) => {
    if (!isJsonObject(r) || typeof r['containerName'] !== 'string' || !isJsonObject(r['target'])) return [];
    const cpu = parseQuantity(r['target']['cpu']);
    const memory = parseQuantity(r['target']['memory']);
    return [
      {
        container: r['containerName'],
        target: {
          ...(cpu !== undefined ? { cpuCores: cpu } : {}),
          ...(memory !== undefined ? { memoryBytes: memory } : {}),
        },
      },
    ];
  });
}

/**
 * VPA's Stronger (utils/vpa/api.go): the earliest created first, then by name. A manifest has no
 * creation time (the zero time, the earliest).
 */
function stronger(a: K8sObject, b: K8sObject): number {
  const created = (o: K8sObject): number => {
    const t = getAt(o.raw, '/metadata/creationTimestamp');
    const ms = typeof t === 'string' ? Date.parse(t) : NaN;
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  const ta = created(a);
  const tb = created(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The VPA of a workload among the VPAs naming it (ObjectIndex.vpasFor): the oldest, as VPA picks. */
export function workloadVpa(naming: readonly K8sObject[]): WorkloadVpa | undefined {
  const [first, ...rest] = naming.filter(isVpa).sort(stronger);
  if (!first) return undefined;
  return {
    name: first.name,
    updateMode: vpaUpdateMode(first),
    policy: resourcePolicyOf(first),
    others: rest.map((v) => v.name),
    statusTargets: statusTargets(first),
  };
}
