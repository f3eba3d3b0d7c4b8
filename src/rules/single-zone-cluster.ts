import { joinPath } from '../model/json-path.js';
import { ZONE_LABEL, schedulableNodes, zoneOf } from '../model/live.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'single-zone-cluster',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: 'Schedule replicas across nodes',
  description: 'A cluster whose schedulable nodes are all in one zone goes down with that zone.',
  needs: ['Node'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact (the nodes): add nodes in other zones; no manifest to edit',
  },
  messages: {
    oneZone: {
      headline: 'The {{nodes}} in zone {{zone}}{{excluded}}',
      detail:
        'An outage of that zone takes every workload down, however many replicas it runs. Add nodes in 2 more zones (on EKS: node groups whose subnets span 3 Availability Zones) and spread replicas with topologySpreadConstraints on topology.kubernetes.io/zone.',
    },
    noZone: {
      headline: 'No schedulable node has a zone label ({{nodes}}{{excluded}})',
      detail:
        'None of them carries topology.kubernetes.io/zone, so the scheduler cannot spread replicas across zones and nothing shows the cluster survives a zone outage. Run nodes in 3 zones and label them (cloud providers do this themselves).',
    },
  },
  check({ index, settings, report }) {
    if (!settings.cluster?.listed.has('Node')) return;
    const all = index.ofKind('Node');
    const nodes = schedulableNodes(index);
    const first = nodes[0];
    if (!first) return;
    const zones = new Set(nodes.map(zoneOf).filter((z) => z !== undefined));
    if (zones.size > 1) return;
    const left = all.length - nodes.length;
    const excluded =
      left > 0 ? ` (${left} cordoned or tainted ${left === 1 ? 'node' : 'nodes'} not counted)` : '';
    const count =
      nodes.length === 1
        ? "cluster's only schedulable node is"
        : `cluster's ${nodes.length} schedulable nodes are all`;
    const zone = [...zones][0];
    if (zone === undefined) {
      report({
        object: first,
        path: joinPath('/metadata/labels', ZONE_LABEL),
        messageId: 'noZone',
        data: {
          nodes: nodes.length === 1 ? '1 schedulable node' : `${nodes.length} schedulable nodes`,
          excluded,
        },
      });
      return;
    }
    report({
      object: first,
      path: joinPath('/metadata/labels', ZONE_LABEL),
      messageId: 'oneZone',
      data: { nodes: count, zone, excluded },
    });
  },
});
