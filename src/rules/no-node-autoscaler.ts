import { KARPENTER_CRDS, managedNodeScaling, nodeAutoscalerEvidence } from '../model/cluster-posture.js';
import { clusterAnchor, listedAll } from '../model/live.js';
import { defineRule } from './define-rule.js';

/** What the scan must have listed for a missing autoscaler to mean something. */
const LOOKED_AT = ['Deployment', 'CustomResourceDefinition', 'Node'];

export default defineRule({
  id: 'no-node-autoscaler',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: '(cluster posture)',
  description:
    'A cluster with no node autoscaler (Cluster Autoscaler or Karpenter) adds no node when pods are Pending for room, after a node or zone failure as under load.',
  needs: LOOKED_AT,
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact: install Karpenter or the Cluster Autoscaler; no file of the application to edit',
  },
  messages: {
    missing: {
      headline: 'No node autoscaler: no Cluster Autoscaler or Karpenter Deployment, no Karpenter CRD',
      detail: `Looked for a Deployment named or imaged cluster-autoscaler or karpenter in every namespace, the CRDs ${KARPENTER_CRDS.join(' and ')} and nodes a Karpenter NodePool made. Without a node autoscaler, pods that a failed node or zone leaves Pending, and replicas an HPA adds, wait until someone adds a node by hand. Install Karpenter (the EKS guide recommends it) or the Cluster Autoscaler for your node groups.`,
    },
  },
  check({ index, settings, report }) {
    const cluster = settings.cluster;
    // A scan of one namespace saw that namespace's Deployments only: the autoscaler may run elsewhere.
    if (!cluster || cluster.namespace !== undefined || !listedAll(cluster.listed, LOOKED_AT)) return;
    if (index.ofKind('Node').length === 0) return;
    if (nodeAutoscalerEvidence(index) !== undefined || managedNodeScaling(index) !== undefined) return;
    report({ object: clusterAnchor(index), messageId: 'missing' });
  },
});
