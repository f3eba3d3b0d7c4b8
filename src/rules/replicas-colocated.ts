import { isPodReady, nodeNameOf, schedulableZones, zoneOf } from '../model/live.js';
import { podsOf } from '../model/owners.js';
import type { K8sObject } from '../model/types.js';
import { REPLICATED_KINDS, describe } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'replicas-colocated',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Schedule replicas across nodes',
  description:
    'Replicas whose ready pods all run on one node (or in one zone of a multi-zone cluster) fail together.',
  needs: ['Pod', 'Node'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact (where the pods run now): fix the spread in the files, then restart the rollout',
  },
  messages: {
    node: {
      headline: '{{workload}}: all {{ready}} ready pods on node {{node}}',
      detail:
        'Losing or draining that node takes every replica down at once. Add a topologySpreadConstraint on kubernetes.io/hostname (or pod anti-affinity), then kubectl rollout restart it so the scheduler spreads the pods.',
    },
    zone: {
      headline: '{{workload}}: all {{ready}} ready pods in zone {{zone}}',
      detail:
        'The cluster has nodes in {{zones}}, yet an outage of zone {{zone}} takes every replica down. Add a topologySpreadConstraint on topology.kubernetes.io/zone, then kubectl rollout restart it so the scheduler spreads the pods.',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster?.listed.has('Pod')) return;
    const nodes = new Map<string, K8sObject>(index.ofKind('Node').map((n) => [n.name, n]));
    const zones = schedulableZones(index);
    for (const w of index.workloads) {
      // DaemonSets run one pod per node by design; Jobs finish; one desired replica is single-replica's.
      if (!REPLICATED_KINDS.includes(w.kind) || (w.replicas ?? 0) < 2) continue;
      const placed = podsOf(index, w)
        .filter(isPodReady)
        .map(nodeNameOf)
        .filter((n) => n !== undefined);
      if (placed.length < 2) continue;
      const onNodes = new Set(placed);
      const path = `${w.podSpecPath}/topologySpreadConstraints`;
      const data = { workload: describe(w), ready: placed.length };
      if (onNodes.size === 1) {
        report({ object: w.object, path, messageId: 'node', data: { ...data, node: placed[0]! } });
        continue;
      }
      // One zone matters only where the schedulable nodes offer another one.
      if (zones.length < 2) continue;
      const podZones = [...onNodes].map((n) => {
        const node = nodes.get(n);
        return node ? zoneOf(node) : undefined;
      });
      if (podZones.some((z) => z === undefined)) continue;
      const inZones = new Set(podZones);
      if (inZones.size !== 1) continue;
      report({
        object: w.object,
        path,
        messageId: 'zone',
        data: { ...data, zone: podZones[0]!, zones: zones.join(', ') },
      });
    }
  },
});
