import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/vpa-not-installed.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const kubeSystem = yaml`
  apiVersion: v1
  kind: Namespace
  metadata: { name: kube-system }
`;

const crd = (name: string) => yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata: { name: ${name} }
  spec: { group: ${name.slice(name.indexOf('.') + 1)}, scope: Namespaced }
`;
const vpaCrd = crd('verticalpodautoscalers.autoscaling.k8s.io');

const vpa = (name: string, status = '{}') => yaml`
  apiVersion: autoscaling.k8s.io/v1
  kind: VerticalPodAutoscaler
  metadata: { name: ${name}, namespace: shop }
  spec:
    targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    updatePolicy: { updateMode: "Off" }
  status: ${status}
`;

/** The upstream recommender (kubernetes/autoscaler vertical-pod-autoscaler/deploy/recommender-deployment.yaml). */
const recommender = (
  available: number,
  name = 'vpa-recommender',
  labels = '{ app: vpa-recommender }',
) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: kube-system }
  spec:
    replicas: 1
    selector: { matchLabels: ${labels} }
    template:
      metadata: { labels: ${labels} }
      spec: { containers: [{ name: recommender, image: registry.k8s.io/autoscaling/vpa-recommender:1.2.1 }] }
  status: { replicas: 1, availableReplicas: ${available} }
`;

const recommended = `
    conditions: [{ type: RecommendationProvided, status: "True" }]
    recommendation:
      containerRecommendations: [{ containerName: web, target: { cpu: 25m, memory: 262144k } }]`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'CRD, running recommender, VPAs',
      yaml: docs(kubeSystem, vpaCrd, recommender(1), vpa('pass-web')),
    },
    {
      name: 'the Fairwinds chart recommender, found by its labels',
      yaml: docs(
        vpaCrd,
        recommender(
          1,
          'goldilocks-vpa-rec',
          '{ app.kubernetes.io/name: vpa, app.kubernetes.io/component: recommender }',
        ),
        vpa('pass-web'),
      ),
    },
    {
      name: 'no recommender to be seen, but the VPAs have recommendations (a managed VPA, as on GKE)',
      yaml: docs(vpaCrd, vpa('pass-web', recommended)),
    },
    { name: 'installed and not used yet', yaml: docs(kubeSystem, vpaCrd) },
    {
      name: 'CRDs could not be listed: absence proves nothing',
      yaml: kubeSystem,
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'CustomResourceDefinition') },
    },
    {
      name: 'Deployments could not be listed: a missing recommender proves nothing',
      yaml: docs(vpaCrd, vpa('pass-web')),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Deployment') },
    },
    {
      name: 'a scan of one namespace: the recommender may run in another',
      yaml: docs(vpaCrd, vpa('pass-web')),
      cluster: { namespace: 'shop' },
    },
    { name: 'kubeha check (no cluster facts)', yaml: vpa('pass-web'), cluster: false },
  ],
  invalid: [
    {
      name: 'no VPA at all: info on kube-system',
      yaml: docs(kubeSystem, crd('prometheuses.monitoring.coreos.com')),
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          messageId: 'notInstalled',
          severity: 'info',
          line: 1,
          message: 'looked for CRD verticalpodautoscalers.autoscaling.k8s.io',
        },
      ],
    },
    {
      name: 'VPAs and their CRD, but no recommender',
      yaml: docs(kubeSystem, vpaCrd, vpa('fail-web'), vpa('fail-api')),
      errors: [
        {
          object: 'fail-web',
          messageId: 'noRecommender',
          severity: 'error',
          path: '/status',
          line: 16,
          data: { count: 2, first: 'shop/fail-web' },
          message:
            'looked for the VPA recommender (Deployment vpa-recommender or vertical-pod-autoscaler-recommender, label app=vpa-recommender',
        },
      ],
    },
    {
      name: 'the recommender has no available replica',
      yaml: docs(vpaCrd, recommender(0), vpa('fail-web')),
      errors: [
        {
          object: 'fail-web',
          messageId: 'recommenderDown',
          data: { recommender: 'Deployment kube-system/vpa-recommender' },
          message: 'kubectl describe deployment vpa-recommender -n kube-system',
        },
      ],
    },
    {
      name: 'no VPA at all, in a scan of one namespace: CRDs are cluster-scoped, so their absence still counts',
      yaml: docs(kubeSystem),
      cluster: { namespace: 'shop' },
      errors: [{ object: 'kube-system', fixedName: true, messageId: 'notInstalled' }],
    },
    {
      name: 'VPA objects without the CRD (manifests read alongside a scan)',
      yaml: docs(kubeSystem, vpa('fail-web')),
      errors: [{ object: 'fail-web', messageId: 'noCrd', path: '/kind', severity: 'error' }],
    },
  ],
});

describe('the headline stands alone', () => {
  it('counts the VPAs and names the missing recommender; where kubeha looked and what to install are the detail', () => {
    const [f] = findingsOfRule(rule, docs(kubeSystem, vpaCrd, vpa('web'), vpa('api')));
    expect(f!.message).toBe('2 VPA object(s), but no VPA recommender runs');
    expect(f!.detail).toMatch(
      /^No recommender was found \(looked for the VPA recommender \(Deployment vpa-recommender .*\)\), and none of them \(the first is shop\/web\) has a recommendation, so they change nothing\. Install the VPA recommender \(and the updater and admission controller for Auto mode\)\.$/,
    );
  });
});
