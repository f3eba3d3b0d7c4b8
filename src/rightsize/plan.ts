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
  // A resource without a single sample keeps today's request and limit: VPA's number for it would
  // be its minimum alone, a number measured from nothing.
  const cpuMeasured = recommendation.cpuSamples > 0;
  const memoryMeasured = recommendation.memoryPeaks > 0;
  if (!cpuMeasured && !memoryMeasured)
    return { name: container.name, path: container.path, current: container.current, notes: [] };
  const target = roundUp(recommendation.target);
  const today = container.current;
  const pick = (measured: boolean, fresh: number | undefined, old: number | undefined) =>
    measured ? fresh : old;
  const cpu = pick(cpuMeasured, target.cpuCores, today.requests.cpuCores);
  const memory = pick(memoryMeasured, target.memoryBytes, today.requests.memoryBytes);
  const requests = {
    ...(cpu !== undefined ? { cpuCores: cpu } : {}),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
  };
  const byPolicy = limitsFor(policy, today, requests);
  const notes = [
    ...byPolicy.notes,
    ...(cpuMeasured ? [] : ['no CPU samples: its cpu request and limit are left as they are']),
    ...(memoryMeasured ? [] : ['no memory samples: its memory request and limit are left as they are']),
  ];
  const rounded = roundUp(byPolicy.limits);
  const cpuLimit = pick(cpuMeasured, rounded.cpuCores, today.limits.cpuCores);
  const memoryLimit = pick(memoryMeasured, rounded.memoryBytes, today.limits.memoryBytes);
  const limits = {
    ...(cpuLimit !== undefined ? { cpuCores: cpuLimit } : {}),
    ...(memoryLimit !== undefined ? { memoryBytes: memoryLimit } : {}),
  };
  return {
    name: container.name,
    path: container.path,
    current: container.current,
    recommendation,
    recommended: { requests, limits },
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
