import { getAt } from '../model/json-path.js';
import { stringMap } from '../model/labels.js';
import { milliValue, wholeValue } from '../model/quantity.js';
import { namedZones } from '../model/affinity.js';
import { compareStrings } from '../model/order.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { toWorkload } from '../model/workload.js';
import { podRequests } from './pod-spec.js';
import {
  HOSTNAME_LABEL,
  ZONE_LABEL,
  type BackgroundPod,
  type NodeSpec,
  type Taint,
  type Topology,
} from './types.js';

const LEGACY_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const DEFAULT_CPU = 4000;
const DEFAULT_MEMORY = 16 * 2 ** 30;
const DEFAULT_PODS = 110;

export interface ShorthandTopology {
  nodes: number;
  zones: number;
  /** Allocatable cpu per node: a quantity ("4", "3500m") or millicores. */
  nodeCpu?: string | number;
  /** Allocatable memory per node: a quantity ("16Gi") or bytes. */
  nodeMemory?: string | number;
  nodePods?: number;
  /** Names for the first zones (see zonesNamedIn); the rest are extrapolated from them, or `zone-x`. */
  zoneNames?: readonly string[];
}

/** `zone-a`, `zone-b`, … `zone-z`, `zone-aa`, … */
export function zoneName(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `zone-${s}`;
}

/**
 * The zones the workloads name (pins and node affinity on a zone key), sorted. A shorthand topology
 * takes its zone names from them: simulated on `zone-a`…, a workload pinned to `eu-west-1a` would
 * never schedule, which says nothing about the cluster it was written for.
 */
export function zonesNamedIn(objects: readonly K8sObject[]): string[] {
  const names = new Set<string>();
  for (const o of objects) {
    const w = toWorkload(o);
    if (w) for (const z of namedZones(w.podSpec)) names.add(z);
  }
  return [...names].sort(compareStrings);
}

/**
 * `count` zone names starting with `named`. Names in the cloud providers' style (`eu-west-1a`,
 * `us-central1-b`: one prefix and a letter) continue with the next letters of that prefix; other names
 * continue with `zone-a`….
 */
export function zoneNamesFor(count: number, named: readonly string[] = []): string[] {
  const out = named.slice(0, count);
  const used = new Set(out);
  const lettered = out.map((n) => /^(.*[^a-z])([a-z])$/.exec(n));
  const prefix = lettered[0]?.[1];
  const sameStyle = prefix !== undefined && lettered.every((m) => m?.[1] === prefix);
  let next = 0;
  while (out.length < count) {
    const candidate =
      sameStyle && next < 26
        ? `${prefix}${String.fromCharCode(97 + next)}`
        : zoneName(next - (sameStyle ? 26 : 0));
    next++;
    if (used.has(candidate)) continue;
    used.add(candidate);
    out.push(candidate);
  }
  return out;
}

/**
 * The region of a zone: a cloud-style zone (`eu-west-1a`, `us-central1-b`) lies in the region its
 * name starts with; other names (`zone-a`) in one region, `region-1`.
 */
export function regionOf(zone: string): string {
  const m = /^(.*[0-9])-?[a-z]$/.exec(zone);
  return m ? m[1]! : 'region-1';
}

/** An instance type name that says the node's size (`kubeha-4cpu-16gi`), for node.kubernetes.io/instance-type. */
function instanceType(cpu: number, memory: number): string {
  const cores = cpu % 1000 === 0 ? `${cpu / 1000}cpu` : `${cpu}mcpu`;
  const gib = memory / 2 ** 30;
  const mem = Number.isInteger(gib) ? `${gib}gi` : `${Math.round(memory / 2 ** 20)}mi`;
  return `kubeha-${cores}-${mem}`;
}

/**
 * Every label the kubelet (os, arch, hostname and their beta forms) and the cloud node controller
 * (zone, region, instance type and their beta / failure-domain forms) put on a node: pods written
 * for older clusters still select `beta.kubernetes.io/os: linux`.
 */
export function nodeLabels(name: string, zone: string, cpu: number, memory: number): Record<string, string> {
  const region = regionOf(zone);
  const type = instanceType(cpu, memory);
  return {
    [HOSTNAME_LABEL]: name,
    [ZONE_LABEL]: zone,
    [LEGACY_ZONE]: zone,
    'topology.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/region': region,
    'kubernetes.io/os': 'linux',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': type,
    'beta.kubernetes.io/instance-type': type,
  };
}

/**
 * The shorthand topology (`--nodes`, `--zones`): nodes `node-1`… dealt round-robin over zones
 * `zone-a`… (or the names given), labelled as the kubelet and the cloud node controller label a real
 * node (nodeLabels).
 */
export function shorthandTopology(s: ShorthandTopology): Topology {
  const cpu = typeof s.nodeCpu === 'number' ? s.nodeCpu : (milliValue(s.nodeCpu ?? '4') ?? DEFAULT_CPU);
  const memory =
    typeof s.nodeMemory === 'number' ? s.nodeMemory : (wholeValue(s.nodeMemory ?? '16Gi') ?? DEFAULT_MEMORY);
  const nodes: NodeSpec[] = [];
  const zones = zoneNamesFor(Math.max(1, s.zones), s.zoneNames);
  for (let i = 0; i < s.nodes; i++) {
    const name = `node-${i + 1}`;
    const zone = zones[i % zones.length]!;
    nodes.push({
      name,
      labels: nodeLabels(name, zone, cpu, memory),
      taints: [],
      cpu,
      memory,
      pods: s.nodePods ?? DEFAULT_PODS,
    });
  }
  return { nodes, background: [] };
}

export interface TopologyProblem {
  object: K8sObject;
  message: string;
}

/**
 * A topology from Node objects (`kubectl get nodes -o yaml`, a `kind: List` or separate documents) and,
 * optionally, Pods bound to those nodes (`kubectl get pods -A -o yaml`), which become background load.
 */
export function topologyFromObjects(objects: readonly K8sObject[]): {
  topology: Topology;
  problems: TopologyProblem[];
} {
  const problems: TopologyProblem[] = [];
  const nodes: NodeSpec[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Node') continue;
    if (seen.has(o.name)) {
      problems.push({ object: o, message: `node ${o.name} is listed twice; the first one is used` });
      continue;
    }
    seen.add(o.name);
    nodes.push(nodeFromObject(o));
  }
  const background: BackgroundPod[] = [];
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    const node = getAt(o.raw, '/spec/nodeName');
    const phase = getAt(o.raw, '/status/phase');
    if (typeof node !== 'string' || phase === 'Succeeded' || phase === 'Failed') continue;
    if (!seen.has(node)) continue;
    const spec = getAt(o.raw, '/spec');
    const req = podRequests(isJsonObject(spec) ? spec : {});
    const priority = getAt(o.raw, '/spec/priority');
    background.push({
      name: o.name,
      namespace: o.namespace,
      node,
      labels: stringMap(getAt(o.raw, '/metadata/labels')),
      cpu: req.cpu,
      memory: req.memory,
      ...(typeof priority === 'number' ? { priority } : {}),
      ...(getAt(o.raw, '/metadata/deletionTimestamp') ? { terminating: true } : {}),
    });
  }
  return { topology: { nodes, background }, problems };
}

export function nodeFromObject(o: K8sObject): NodeSpec {
  const labels = stringMap(getAt(o.raw, '/metadata/labels'));
  if (labels[HOSTNAME_LABEL] === undefined) labels[HOSTNAME_LABEL] = o.name;
  if (labels[ZONE_LABEL] === undefined && labels[LEGACY_ZONE] !== undefined)
    labels[ZONE_LABEL] = labels[LEGACY_ZONE];
  const resource = (name: string): unknown =>
    getAt(o.raw, `/status/allocatable/${name}`) ?? getAt(o.raw, `/status/capacity/${name}`);
  const taints: Taint[] = [];
  const rawTaints = getAt(o.raw, '/spec/taints');
  if (Array.isArray(rawTaints)) {
    for (const t of rawTaints) {
      if (!isJsonObject(t) || typeof t['key'] !== 'string') continue;
      const effect = t['effect'];
      if (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') continue;
      taints.push({ key: t['key'], value: typeof t['value'] === 'string' ? t['value'] : '', effect });
    }
  }
  return {
    name: o.name,
    labels,
    taints,
    cpu: milliValue(resource('cpu')) ?? DEFAULT_CPU,
    memory: wholeValue(resource('memory')) ?? DEFAULT_MEMORY,
    pods: wholeValue(resource('pods')) ?? DEFAULT_PODS,
    unschedulable: getAt(o.raw, '/spec/unschedulable') === true,
  };
}

/** Zones in order of first appearance (nodes without a zone label are in zone ""). */
export function zonesOf(topology: Topology): string[] {
  const zones: string[] = [];
  const seen = new Set<string>();
  for (const n of topology.nodes) {
    const z = n.labels[ZONE_LABEL] ?? '';
    if (!seen.has(z)) {
      seen.add(z);
      zones.push(z);
    }
  }
  return zones;
}
