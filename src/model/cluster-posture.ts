/**
 * What a scanned cluster runs around its workloads: a node autoscaler, a log collection agent, and how
 * its schedulable nodes are spread over zones. Read from the objects a scan lists (Deployments,
 * DaemonSets, CRDs, Nodes); every answer is only as complete as the kinds the scan could list.
 */
import { getAt } from './json-path.js';
import { stringMap } from './labels.js';
import { schedulableNodes, zoneOf } from './live.js';
import type { ObjectIndex } from './object-index.js';
import { milliValue } from './quantity.js';
import { isJsonObject, type K8sObject } from './types.js';

/** The CRDs Karpenter installs: NodePool (v1beta1 and v1) and the Provisioner of its alpha API. */
export const KARPENTER_CRDS = ['nodepools.karpenter.sh', 'provisioners.karpenter.sh'];

/** Container images of a workload object's pod template (Deployment, DaemonSet). */
function imagesOf(o: K8sObject): string[] {
  const containers = getAt(o.raw, '/spec/template/spec/containers');
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((c) => (isJsonObject(c) && typeof c['image'] === 'string' ? [c['image']] : []));
}

/** The repository part of an image (`registry.k8s.io/autoscaling/cluster-autoscaler` of `…:v1.30.0`). */
function repository(image: string): string {
  const at = image.indexOf('@');
  const ref = at < 0 ? image : image.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

function matchesByNameOrImage(o: K8sObject, pattern: RegExp): boolean {
  return pattern.test(o.name) || imagesOf(o).some((i) => pattern.test(repository(i)));
}

const AUTOSCALER = /cluster-autoscaler|karpenter/i;

/**
 * Why the cluster's nodes scale by themselves, or undefined when nothing shows they do: a
 * cluster-autoscaler or Karpenter Deployment that runs (replicas not 0), a Karpenter CRD, or nodes a
 * Karpenter NodePool (or EKS Auto Mode, which is Karpenter run by AWS) made.
 */
export function nodeAutoscalerEvidence(index: ObjectIndex): string | undefined {
  for (const d of index.ofKind('Deployment')) {
    if (getAt(d.raw, '/spec/replicas') === 0) continue;
    if (matchesByNameOrImage(d, AUTOSCALER)) return `Deployment ${d.namespace}/${d.name}`;
  }
  const crd = index.ofKind('CustomResourceDefinition').find((c) => KARPENTER_CRDS.includes(c.name));
  if (crd) return `CustomResourceDefinition ${crd.name}`;
  const node = index.ofKind('Node').find((n) => {
    const labels = stringMap(getAt(n.raw, '/metadata/labels'));
    return (
      'karpenter.sh/nodepool' in labels ||
      'karpenter.sh/provisioner-name' in labels ||
      labels['eks.amazonaws.com/compute-type'] === 'auto'
    );
  });
  return node ? `Node ${node.name}` : undefined;
}

/**
 * Why a missing autoscaler Deployment proves nothing on this cluster, or undefined: GKE and AKS run
 * their cluster autoscaler outside the cluster (no object shows it), and Fargate runs each pod on its
 * own capacity, with no node to add.
 */
export function managedNodeScaling(index: ObjectIndex): string | undefined {
  const nodes = index.ofKind('Node');
  if (nodes.length === 0) return undefined;
  const labels = nodes.map((n) => stringMap(getAt(n.raw, '/metadata/labels')));
  if (labels.some((l) => 'cloud.google.com/gke-nodepool' in l)) return 'GKE';
  if (labels.some((l) => 'kubernetes.azure.com/agentpool' in l || 'kubernetes.azure.com/cluster' in l))
    return 'AKS';
  if (labels.every((l) => l['eks.amazonaws.com/compute-type'] === 'fargate')) return 'Fargate';
  return undefined;
}

/**
 * Log collection agents that ship container logs off the nodes, matched by DaemonSet name or image:
 * Fluent Bit (aws-for-fluent-bit, fluentbit-gke), Fluentd, Vector, Promtail, Grafana Alloy and Agent,
 * the CloudWatch agent, Datadog, Filebeat and Elastic Agent, Splunk, the OpenTelemetry Collector,
 * New Relic, Sumo Logic, Azure Monitor (ama-logs, omsagent), Logstash and LogDNA.
 */
const LOGGING_AGENT =
  /fluent-?bit|fluentd|(^|[/-])vector($|[/-])|promtail|grafana-agent|(^|[/-])alloy($|[/-])|cloudwatch-agent|datadog|filebeat|elastic-agent|splunk|otel-?col|opentelemetry-collector|newrelic-logging|sumologic|ama-logs|omsagent|logstash|logdna/i;

/** The DaemonSets that run a log collection agent, in input order. */
export function loggingAgents(index: ObjectIndex): K8sObject[] {
  return index.ofKind('DaemonSet').filter((d) => matchesByNameOrImage(d, LOGGING_AGENT));
}

export interface ZoneCapacity {
  zone: string;
  /** Schedulable nodes in the zone, by name. */
  nodes: K8sObject[];
  /** Their allocatable cpu, in millicores (a node without status.allocatable counts 0). */
  cpuMilli: number;
}

/** The schedulable nodes of each zone and their allocatable cpu, by zone name; nodes without a zone are left out. */
export function zoneCapacities(index: ObjectIndex): ZoneCapacity[] {
  const byZone = new Map<string, ZoneCapacity>();
  for (const node of schedulableNodes(index)) {
    const zone = zoneOf(node);
    if (zone === undefined) continue;
    let z = byZone.get(zone);
    if (!z) byZone.set(zone, (z = { zone, nodes: [], cpuMilli: 0 }));
    z.nodes.push(node);
    z.cpuMilli += milliValue(getAt(node.raw, '/status/allocatable/cpu')) ?? 0;
  }
  return [...byZone.values()].sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
}

export interface Imbalance {
  measure: 'nodes' | 'cpu';
  smallest: ZoneCapacity;
  largest: ZoneCapacity;
  /** (largest - smallest) / largest, in whole percent rounded down. */
  percent: number;
}

/**
 * The first measure (node count, then allocatable cpu) on which the smallest and largest zones differ by
 * more than `limitPercent` of the largest; undefined with fewer than 2 zones or when both are within it.
 */
export function zoneImbalance(zones: readonly ZoneCapacity[], limitPercent: number): Imbalance | undefined {
  if (zones.length < 2) return undefined;
  const measures = [
    ['nodes', (z: ZoneCapacity) => z.nodes.length],
    ['cpu', (z: ZoneCapacity) => z.cpuMilli],
  ] as const;
  for (const [measure, size] of measures) {
    // The first zone by name among equals, so the finding is stable.
    let smallest = zones[0]!;
    let largest = zones[0]!;
    for (const z of zones) {
      if (size(z) < size(smallest)) smallest = z;
      if (size(z) > size(largest)) largest = z;
    }
    const gap = size(largest) - size(smallest);
    if (gap * 100 > limitPercent * size(largest))
      return { measure, smallest, largest, percent: Math.floor((gap * 100) / size(largest)) };
  }
  return undefined;
}
