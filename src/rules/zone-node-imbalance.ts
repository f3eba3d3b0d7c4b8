import { zoneCapacities, zoneImbalance } from '../model/cluster-posture.js';
import { joinPath } from '../model/json-path.js';
import { ZONE_LABEL } from '../model/live.js';
import { formatMilliCpu } from '../model/quantity.js';
import { defineRule } from './define-rule.js';

/** The EKS guide's tolerance between zones (D2), in percent of the largest. */
const LIMIT_PERCENT = 20;

const WHY =
  'When a zone fails, the others must take its pods: a small zone cannot take the share of the large one, and zone spread constraints (maxSkew counts pods per zone) leave replicas Pending once the small zone is full. Keep zones within 20% of each other: one node group per zone with the same size and instance types, or Karpenter with a zone spread on its NodePool.';

export default defineRule({
  id: 'zone-node-imbalance',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Schedule replicas across nodes',
  description:
    'Zones whose schedulable nodes (count or allocatable cpu) differ by more than 20% cannot take over the pods of a failed one.',
  needs: ['Node'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact (the nodes): resize the node groups per zone; no manifest to edit',
  },
  messages: {
    nodes: {
      headline: 'Schedulable nodes per zone differ by {{percent}}% ({{zones}})',
      detail: WHY,
    },
    cpu: {
      headline: 'Allocatable cpu per zone differs by {{percent}}% ({{zones}})',
      detail: WHY,
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster?.listed.has('Node')) return;
    const imbalance = zoneImbalance(zoneCapacities(index), LIMIT_PERCENT);
    if (!imbalance) return;
    const { smallest, largest, percent } = imbalance;
    report({
      // The first node of the smaller zone: the one to add beside.
      object: smallest.nodes[0]!,
      path: joinPath('/metadata/labels', ZONE_LABEL),
      messageId: imbalance.measure,
      data: {
        small: smallest.zone,
        large: largest.zone,
        smallCount: smallest.nodes.length,
        largeCount: largest.nodes.length,
        smallCpu: formatMilliCpu(smallest.cpuMilli),
        largeCpu: formatMilliCpu(largest.cpuMilli),
        percent,
        zones:
          imbalance.measure === 'nodes'
            ? `${smallest.zone}: ${smallest.nodes.length}, ${largest.zone}: ${largest.nodes.length}`
            : `${smallest.zone}: ${formatMilliCpu(smallest.cpuMilli)}, ${largest.zone}: ${formatMilliCpu(largest.cpuMilli)}`,
      },
    });
  },
});
