/**
 * A VerticalPodAutoscaler's spec.resourcePolicy, read into types, and which of its entries applies to
 * a container (the autoscaler's GetContainerResourcePolicy, utils/vpa/api.go): the entry naming it,
 * else the last `*` entry. The rules ask which resources a VPA controls; rightsize applies the
 * policy to its recommendation (src/rightsize/vpa/policy.ts).
 */
import { getAt } from './json-path.js';
import { parseQuantity } from './quantity.js';
import { isJsonObject, type JsonValue, type K8sObject } from './types.js';

export type PolicyResource = 'cpu' | 'memory';

/** Quantities as the policy writes them: cores and bytes, a resource left out is not set. */
export interface PolicyAmounts {
  readonly cpuCores?: number;
  readonly memoryBytes?: number;
}

/** One spec.resourcePolicy.containerPolicies entry. */
export interface ContainerResourcePolicy {
  readonly containerName: string;
  /** Off: VPA recommends nothing for the container and leaves it alone. Unset is Auto. */
  readonly mode?: 'Auto' | 'Off';
  /** Unset: cpu and memory. */
  readonly controlledResources?: readonly PolicyResource[];
  /** Unset: RequestsAndLimits. Read by the updater and admission controller, not the recommender. */
  readonly controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
  readonly minAllowed?: PolicyAmounts;
  readonly maxAllowed?: PolicyAmounts;
}

export interface PodResourcePolicy {
  readonly containerPolicies: readonly ContainerResourcePolicy[];
}

const DEFAULT_CONTROLLED: readonly PolicyResource[] = ['cpu', 'memory'];

function amounts(value: JsonValue | undefined): PolicyAmounts | undefined {
  if (!isJsonObject(value)) return undefined;
  const cpu = parseQuantity(value['cpu']);
  const memory = parseQuantity(value['memory']);
  if (cpu === undefined && memory === undefined) return undefined;
  return {
    ...(cpu !== undefined ? { cpuCores: cpu } : {}),
    ...(memory !== undefined ? { memoryBytes: memory } : {}),
  };
}

function containerPolicy(entry: JsonValue): ContainerResourcePolicy | undefined {
  if (!isJsonObject(entry)) return undefined;
  // An entry without a name applies to no container.
  const name = entry['containerName'];
  if (typeof name !== 'string' || name === '') return undefined;
  const mode = entry['mode'];
  const values = entry['controlledValues'];
  const resources = entry['controlledResources'];
  const min = amounts(entry['minAllowed']);
  const max = amounts(entry['maxAllowed']);
  return {
    containerName: name,
    ...(mode === 'Auto' || mode === 'Off' ? { mode } : {}),
    ...(values === 'RequestsAndLimits' || values === 'RequestsOnly' ? { controlledValues: values } : {}),
    ...(Array.isArray(resources)
      ? {
          controlledResources: resources.filter((r): r is PolicyResource => r === 'cpu' || r === 'memory'),
        }
      : {}),
    ...(min ? { minAllowed: min } : {}),
    ...(max ? { maxAllowed: max } : {}),
  };
}

/** The VPA's resource policy; no entries when it has none. */
export function resourcePolicyOf(vpa: K8sObject): PodResourcePolicy {
  const entries = getAt(vpa.raw, '/spec/resourcePolicy/containerPolicies');
  return {
    containerPolicies: Array.isArray(entries) ? entries.flatMap((e) => containerPolicy(e) ?? []) : [],
  };
}

/** The entry naming the container, else the last `*` entry, else none. */
export function containerPolicyFor(
  policy: PodResourcePolicy | undefined,
  container: string,
): ContainerResourcePolicy | undefined {
  let wildcard: ContainerResourcePolicy | undefined;
  for (const p of policy?.containerPolicies ?? []) {
    if (p.containerName === container) return p;
    if (p.containerName === '*') wildcard = p;
  }
  return wildcard;
}

/** The resources VPA sets for a container under this entry: none when Off, else controlledResources. */
export function controlledResources(policy: ContainerResourcePolicy | undefined): readonly PolicyResource[] {
  if (policy?.mode === 'Off') return [];
  return policy?.controlledResources ?? DEFAULT_CONTROLLED;
}
