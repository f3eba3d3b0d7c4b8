import {
  requiredOwnAntiAffinity,
  podIdentityOf,
  replicaCount,
  selectorSuggestion,
} from '../model/affinity.js';
import { type JsonObject, type K8sObject } from '../model/types.js';
import { describe } from '../model/workload.js';
import { readPodSpec } from '../simulate/pod-spec.js';
import { matchesRequiredNodeAffinity } from '../simulate/scheduler/node-affinity.js';
import { firstUntoleratedTaint } from '../simulate/scheduler/taint-toleration.js';
import { nodeFromObject } from '../simulate/topology.js';
import { defineRule } from './define-rule.js';

/**
 * The Nodes of the input a pod of this spec may run on, read and filtered as the simulator does:
 * schedulable, every NoSchedule and NoExecute taint tolerated, nodeSelector and required node
 * affinity matched.
 */
function usableNodes(nodes: readonly K8sObject[], podSpec: JsonObject): K8sObject[] {
  const pod = readPodSpec(podSpec);
  return nodes.filter((object) => {
    const node = nodeFromObject(object);
    return (
      !node.unschedulable &&
      !firstUntoleratedTaint(node.taints, pod.tolerations) &&
      matchesRequiredNodeAffinity(pod, node.labels, node.name)
    );
  });
}

export default defineRule({
  id: 'required-node-anti-affinity',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'Required pod anti-affinity per node with as many replicas as nodes leaves no node for a replacement or a surge.',
  needs: ['HorizontalPodAutoscaler', 'Node'],
  fixSafety: {
    kind: 'none',
    reason:
      'decide between more nodes (capacity the manifest cannot add), fewer replicas, and a soft spread: a ScheduleAnyway constraint or preferred anti-affinity lets two replicas share a node when nodes run short',
  },
  messages: {
    noSpareNode: {
      headline: '{{workload}}: no spare node for its required node anti-affinity',
      detail:
        "It runs {{replicas}} replicas with required pod anti-affinity on {{topologyKey}}, which allows one of its pods per node, and its pods can run on {{nodes}} of the cluster's nodes: {{consequence}}. Keep more usable nodes than replicas, or spread with a topologySpreadConstraint {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {{selector}}}} (or preferred anti-affinity), which still spreads them but never leaves one Pending.",
    },
  },
  check({ index, report }) {
    // The node count is the cluster's: without Node objects in the input (or a live scan) the rule has
    // nothing to compare with, and `kubeha simulate` on the real topology is the tool for it.
    const nodes = index.ofKind('Node');
    if (nodes.length === 0) return;
    for (const w of index.workloads) {
      const count = replicaCount(index, w);
      if (!count || count.peak < 2) continue;
      const template = index.templateOf(w);
      if (w.templateRef && template === w) continue;
      const pod = podIdentityOf(index, w);
      const term = requiredOwnAntiAffinity(template.podSpec, template.podSpecPath, pod, 'node');
      if (!term) continue;
      const usable = usableNodes(nodes, template.podSpec).length;
      if (count.peak < usable) continue;
      const pending = count.peak - usable;
      report({
        object: template.object,
        path: term.path,
        messageId: 'noSpareNode',
        data: {
          workload: describe(w),
          replicas: count.peak,
          topologyKey: term.topologyKey ?? '',
          nodes: usable,
          selector: selectorSuggestion(template, pod.labels),
          consequence:
            pending > 0
              ? `${pending} of them ${pending === 1 ? 'stays' : 'stay'} Pending, and a lost or drained node's replica has nowhere to go`
              : 'no node is left for the replacement of a lost or drained node, nor for the surge pod of a rolling update, so they stay Pending',
        },
      });
    }
  },
});
