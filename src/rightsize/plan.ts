/**
 * From measured usage to new requests: each container's VPA recommendation (./vpa), its target
 * rounded up to what a manifest writes, and limits by the user's policy. A container or a workload
 * without usable history gets one line saying so and no number. Pure.
 */
import type { WorkloadUsage } from '../model/usage.js';
import { limitsFor } from './limits.js';
import type { Amounts, ContainerPlan, LimitsPolicy, RightsizeTarget, WorkloadPlan } from './types.js';
import { recommendContainers, type ContainerRecommendation, type RecommendOptions } from './vpa/index.js';

const MIB = 2 ** 20;

/** CPU up to a whole millicore, memory up to a whole MiB: what a manifest writes (at most 1m and 1 MiB above VPA's target). */
export function roundUp(a: Amounts): Amounts {
  return {
    ...(a.cpuCores !== undefined ? { cpuCores: Math.ceil(Math.round(a.cpuCores * 1e6) / 1e3) / 1000 } : {}),
    ...(a.memoryBytes !== undefined ? { memoryBytes: Math.ceil(a.memoryBytes / MIB - 1e-9) * MIB } : {}),
  };
}

function containerPlan(
  container: RightsizeTarget['containers'][number],
  recommendation: ContainerRecommendation | undefined,
  policy: LimitsPolicy,
): ContainerPlan {
  if (!recommendation)
    return { name: container.name, path: container.path, current: container.current, notes: [] };
  const requests = roundUp(recommendation.target);
  const { limits, notes } = limitsFor(policy, container.current, requests);
  return {
    name: container.name,
    path: container.path,
    current: container.current,
    recommendation,
    recommended: { requests, limits: roundUp(limits) },
    notes,
  };
}

/** Plans one workload from what its usage source found. */
export function planWorkload(
  target: RightsizeTarget,
  usage: WorkloadUsage | undefined,
  policy: LimitsPolicy,
  params: RecommendOptions = {},
): WorkloadPlan {
  const problems = [...target.problems, ...(usage?.problems ?? [])];
  const recommendations = usage ? recommendContainers(usage.containers, params) : [];
  const byName = new Map(recommendations.map((r) => [r.container, r]));
  const containers = target.containers.map((c) => containerPlan(c, byName.get(c.name), policy));
  // Some history, but none for this container: said per container. No history at all is the
  // source's one line for the workload.
  if (usage && usage.containers.length > 0 && target.problems.length === 0) {
    for (const c of containers) {
      if (c.recommendation) continue;
      // The source may already have said why (no pods, a renamed container); this says what it means.
      const said = problems.some((p) => p.includes(`container ${c.name} `) || p.includes(`"${c.name}"`));
      if (!said) problems.push(`container ${c.name}: no usage history, nothing recommended`);
    }
  }
  return { target, containers, problems, ...(usage ? { usage } : {}) };
}

/** A plan changes something when a container's requests or limits differ from today's. */
export function planChanges(plan: WorkloadPlan): boolean {
  return plan.containers.some((c) => c.recommended !== undefined && !sameResources(c));
}

function same(a: Amounts, b: Amounts): boolean {
  return a.cpuCores === b.cpuCores && a.memoryBytes === b.memoryBytes;
}

function sameResources(c: ContainerPlan): boolean {
  return (
    c.recommended !== undefined &&
    same(c.recommended.requests, c.current.requests) &&
    same(c.recommended.limits, c.current.limits)
  );
}
