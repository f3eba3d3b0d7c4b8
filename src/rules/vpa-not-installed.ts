import { describeSignature, matchingWorkloads, type AddonSignature } from '../model/addons.js';
import { isVpa } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { clusterAnchor, condition, crdNames } from '../model/live.js';
import type { K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

const VPA_CRD = 'verticalpodautoscalers.autoscaling.k8s.io';

/**
 * The recommender as the upstream manifests (kubernetes/autoscaler vertical-pod-autoscaler/deploy), the
 * Fairwinds chart and the cowboysysop chart name and label it.
 */
const RECOMMENDER: AddonSignature = {
  addon: 'the VPA recommender',
  workloads: {
    kinds: ['Deployment'],
    names: ['vpa-recommender', 'vertical-pod-autoscaler-recommender'],
    labels: [
      { app: 'vpa-recommender' },
      { 'app.kubernetes.io/name': 'vpa', 'app.kubernetes.io/component': 'recommender' },
      { 'app.kubernetes.io/name': 'vertical-pod-autoscaler', 'app.kubernetes.io/component': 'recommender' },
    ],
  },
};

/** A VPA the recommender has already served: proof it runs, even where it is managed out of sight (GKE). */
function hasRecommendation(vpa: K8sObject): boolean {
  return (
    getAt(vpa.raw, '/status/recommendation/containerRecommendations') !== undefined ||
    condition(vpa, 'RecommendationProvided')?.status === 'True'
  );
}

function available(o: K8sObject): boolean {
  const n = getAt(o.raw, '/status/availableReplicas');
  return typeof n === 'number' && n >= 1;
}

export default defineRule({
  id: 'vpa-not-installed',
  category: 'live',
  defaultSeverity: 'error',
  scope: 'live',
  guide: 'Vertical Pod Autoscaler (VPA)',
  description:
    'VPA objects with no VPA CRD or recommender behind them do nothing; a cluster with no VPA at all has nothing to right-size requests.',
  needs: ['CustomResourceDefinition'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact: install the VPA components; no file of the application to edit',
  },
  messages: {
    noCrd: {
      headline: '{{count}} VPA object(s), but the CRD {{crd}} is not installed',
      detail: 'Nothing acts on them (the first is {{first}}). Install the Vertical Pod Autoscaler.',
    },
    noRecommender: {
      headline: '{{count}} VPA object(s), but no VPA recommender runs',
      detail:
        'No recommender was found (looked for {{looked}}), and none of them (the first is {{first}}) has a recommendation, so they change nothing. Install the VPA recommender (and the updater and admission controller for Auto mode).',
    },
    recommenderDown: {
      headline: '{{count}} VPA object(s) depend on {{recommender}}, which has no available replica',
      detail:
        'None of them (the first is {{first}}) has a recommendation yet. Repair it (kubectl describe deployment {{name}} -n {{namespace}}).',
    },
    notInstalled: {
      headline: 'The Vertical Pod Autoscaler is not installed (looked for CRD {{crd}})',
      detail:
        'Workloads that cannot scale out have nothing to right-size their cpu and memory requests. Install it (recommendation mode alone, updateMode: "Off", is safe) if such workloads run here.',
    },
  },
  check({ index, settings, report }) {
    const cluster = settings.cluster;
    if (!cluster) return;
    const crdListed = cluster.listed.has('CustomResourceDefinition');
    const crdInstalled = crdNames(index).has(VPA_CRD);
    const vpas = index.vpas.filter(isVpa);
    const first = vpas[0];
    if (!first) {
      if (crdListed && !crdInstalled)
        report({
          object: clusterAnchor(index),
          messageId: 'notInstalled',
          severity: 'info',
          data: { crd: VPA_CRD },
        });
      return;
    }
    const data = { count: vpas.length, first: `${first.namespace}/${first.name}` };
    if (crdListed && !crdInstalled) {
      report({ object: first, path: '/kind', messageId: 'noCrd', data: { ...data, crd: VPA_CRD } });
      return;
    }
    // The recommender may run in any namespace: a scan of one namespace cannot tell it is missing.
    if (vpas.some(hasRecommendation) || !cluster.listed.has('Deployment') || cluster.namespace !== undefined)
      return;
    const recommenders = matchingWorkloads(index, RECOMMENDER);
    const down = recommenders[0];
    if (!down) {
      report({
        object: first,
        path: '/status',
        messageId: 'noRecommender',
        data: { ...data, looked: describeSignature(RECOMMENDER) },
      });
      return;
    }
    if (recommenders.some(available)) return;
    report({
      object: first,
      path: '/status',
      messageId: 'recommenderDown',
      data: {
        ...data,
        recommender: `Deployment ${down.namespace}/${down.name}`,
        name: down.name,
        namespace: down.namespace,
      },
    });
  },
});
