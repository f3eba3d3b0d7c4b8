/**
 * From measured usage to new requests: each container's VPA recommendation (./vpa), its target
 * rounded up to what a manifest writes, and limits by the user's policy. A container or a workload
 * without usable history gets one line saying so and no number. Pure.
 */
import type { WorkloadUsage } from '../model/usage.js';
import { limitsFor } from './limits.js';
import { cpuText, memoryText } from './format.js';
import type { Amounts, ContainerPlan, LimitsPolicy, RightsizeTarget, WorkloadPlan } from './types.js';
import {
  containerPolicyFor,
  recommendContainers,
  type Capping,
  type ContainerRecommendation,
  type RecommendOptions,
} from './vpa/index.js';
import type { WorkloadVpa } from './vpa-object.js';

const MIB = 2 ** 20;

/** CPU up to a whole millicore, memory up to a whole MiB: what a manifest writes (at most 1m and 1 MiB above VPA's target). */
export function roundUp(a: Amounts): Amounts {
  return {
    ...(a.cpuCores !== undefined ? { cpuCores: Math.ceil(Math.round(a.cpuCores * 1e6) / 1e3) / 1000 } : {}),
    ...(a.memoryBytes !== undefined ? { memoryBytes: Math.ceil(a.memoryBytes / MIB - 1e-9) * MIB } : {}),
  };
}

function cappingNote(c: Capping, vpa: WorkloadVpa | undefined, uncapped: number | undefined): string {
  const text = c.resource === 'cpu' ? cpuText : memoryText;
  const by =
    c.by === 'global maxAllowed'
      ? `--container-recommendation-max-allowed-${c.resource}`
      : `the ${c.by} of VPA ${vpa?.name ?? '?'}`;
  const verb = c.by === 'minAllowed' ? 'raised' : 'capped';
  return `${c.resource} ${verb} to ${text(c.limit)} by ${by} (uncapped ${text(uncapped)})`;
}

/** What the VPA's policy did to this container's numbers, one note each. */
function policyNotes(recommendation: ContainerRecommendation, vpa: WorkloadVpa | undefined): string[] {
  const notes = recommendation.cappings.map((c) =>
    cappingNote(
      c,
      vpa,
      c.resource === 'cpu'
        ? recommendation.uncappedTarget.cpuCores
        : recommendation.uncappedTarget.memoryBytes,
    ),
  );
  for (const resource of ['cpu', 'memory'] as const)
    if (!recommendation.controlledResources.includes(resource))
      notes.push(
        `VPA ${vpa?.name ?? '?'} does not control its ${resource} (controlledResources): its ${resource} request and limit are left as they are`,
      );
  return notes;
}

/**
 * One container's plan from its VPA recommendation: requests and limits as VPA's admission
 * controller would set them under `ratio` (test/e2e/vpa-admission.test.ts holds them side by side),
 * or by the user's other limits policy.
 */
export function planContainer(
  container: RightsizeTarget['containers'][number],
  recommendation: ContainerRecommendation | undefined,
  policy: LimitsPolicy,
  vpa: WorkloadVpa | undefined,
): ContainerPlan {
  const bare = { name: container.name, path: container.path, current: container.current };
  if (!recommendation) {
    const off = containerPolicyFor(vpa?.policy, container.name)?.mode === 'Off';
    return {
      ...bare,
      notes: off ? [`VPA ${vpa?.name ?? '?'} has mode Off for it: VPA recommends nothing, not resized`] : [],
    };
  }
  // A resource without a single sample keeps today's request and limit: VPA's number for it would
  // be its minimum alone, a number measured from nothing. One the VPA does not control has none.
  const cpuMeasured = recommendation.cpuSamples > 0 && recommendation.target.cpuCores !== undefined;
  const memoryMeasured = recommendation.memoryPeaks > 0 && recommendation.target.memoryBytes !== undefined;
  if (!cpuMeasured && !memoryMeasured) return { ...bare, notes: policyNotes(recommendation, vpa) };
  const target = roundUp(recommendation.target);
  const today = container.current;
  const pick = (measured: boolean, fresh: number | undefined, old: number | undefined) =>
    measured ? fresh : old;
  const cpu = pick(cpuMeasured, target.cpuCores, today.requests.cpuCores);
  const memory = pick(memoryMeasured, target.memoryBytes, today.requests.memoryBytes);
  // `ratio` is what VPA does; under controlledValues RequestsOnly VPA leaves the limits alone and
  // caps the request at the limit (its admission controller's capRecommendationToContainerLimit).
  const requestsOnly = containerPolicyFor(vpa?.policy, container.name)?.controlledValues === 'RequestsOnly';
  const asVpa = requestsOnly && policy === 'ratio';
  const atLimit = (value: number | undefined, limit: number | undefined) =>
    asVpa && value !== undefined && limit !== undefined && value > limit ? limit : value;
  const cpuRequest = atLimit(cpu, today.limits.cpuCores);
  const memoryRequest = atLimit(memory, today.limits.memoryBytes);
  const requests = {
    ...(cpuRequest !== undefined ? { cpuCores: cpuRequest } : {}),
    ...(memoryRequest !== undefined ? { memoryBytes: memoryRequest } : {}),
  };
  const byPolicy = limitsFor(asVpa ? 'keep' : policy, today, requests);
  const controlled = recommendation.controlledResources;
  const vpaName = vpa?.name ?? '?';
  const notes = [
    ...policyNotes(recommendation, vpa),
    ...byPolicy.notes,
    ...(cpuMeasured || !controlled.includes('cpu')
      ? []
      : ['no CPU samples: its cpu request and limit are left as they are']),
    ...(memoryMeasured || !controlled.includes('memory')
      ? []
      : ['no memory samples: its memory request and limit are left as they are']),
    ...(asVpa
      ? [
          `VPA ${vpaName} sets requests only (controlledValues RequestsOnly): its limits are kept, as VPA keeps them`,
        ]
      : requestsOnly && policy !== 'keep'
        ? [
            `VPA ${vpaName} sets requests only (controlledValues RequestsOnly); the limits here follow --limits ${policy}`,
          ]
        : []),
    ...(cpuRequest !== cpu
      ? [`cpu request capped at its limit ${cpuText(cpuRequest)}, as VPA caps it under RequestsOnly`]
      : []),
    ...(memoryRequest !== memory
      ? [`memory request capped at its limit ${memoryText(memoryRequest)}, as VPA caps it under RequestsOnly`]
      : []),
  ];
  const rounded = roundUp(byPolicy.limits);
  const cpuLimit = pick(cpuMeasured, rounded.cpuCores, today.limits.cpuCores);
  const memoryLimit = pick(memoryMeasured, rounded.memoryBytes, today.limits.memoryBytes);
  const limits = {
    ...(cpuLimit !== undefined ? { cpuCores: cpuLimit } : {}),
    ...(memoryLimit !== undefined ? { memoryBytes: memoryLimit } : {}),
  };
  return {
    ...bare,
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
  const vpa = target.vpa;
  const problems = [...target.problems, ...(usage?.problems ?? [])];
  if (vpa?.others.length)
    problems.push(
      `${vpa.others.length + 1} VPAs name it (${[vpa.name, ...vpa.others].join(', ')}): VPA applies the oldest, ${vpa.name}, to its pods; its policy is used here`,
    );
  const recommendations = usage
    ? recommendContainers(usage.containers, { ...params, ...(vpa ? { policy: vpa.policy } : {}) })
    : [];
  const byName = new Map(recommendations.map((r) => [r.container, r]));
  const containers = target.containers.map((c) => planContainer(c, byName.get(c.name), policy, vpa));
  // Some history, but none for this container: said per container. No history at all is the
  // source's one line for the workload.
  if (usage && usage.containers.length > 0 && target.problems.length === 0) {
    for (const c of containers) {
      if (c.recommendation || containerPolicyFor(vpa?.policy, c.name)?.mode === 'Off') continue;
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
