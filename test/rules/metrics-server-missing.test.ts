import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/metrics-server-missing.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';
import { findingsOfRule } from './findings-of-rule.js';

const kubeSystem = yaml`
  apiVersion: v1
  kind: Namespace
  metadata: { name: kube-system }
`;

const node = yaml`
  apiVersion: v1
  kind: Node
  metadata: { name: fail-node-1 }
`;

const localApi = yaml`
  apiVersion: apiregistration.k8s.io/v1
  kind: APIService
  metadata: { name: v1.apps }
  spec: { group: apps, version: v1, groupPriorityMinimum: 17800, versionPriority: 15 }
  status:
    conditions: [{ type: Available, status: "True", reason: Local, message: Local APIServices are always available }]
`;

const metricsApi = (condition: string) => yaml`
  apiVersion: apiregistration.k8s.io/v1
  kind: APIService
  metadata: { name: v1beta1.metrics.k8s.io }
  spec: { group: metrics.k8s.io, version: v1beta1, service: { name: metrics-server, namespace: kube-system } }
  status:
    conditions:
      - ${condition}
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'the metrics server serves v1beta1.metrics.k8s.io',
      yaml: docs(kubeSystem, localApi, metricsApi('{ type: Available, status: "True", reason: Passed }')),
    },
    {
      name: 'APIServices could not be listed',
      yaml: docs(kubeSystem, localApi),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'APIService') },
    },
    { name: 'kubeha check (no cluster facts)', yaml: docs(kubeSystem, localApi), cluster: false },
  ],
  invalid: [
    {
      name: 'not registered: reported on the kube-system Namespace',
      yaml: docs(node, localApi, kubeSystem),
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          messageId: 'missing',
          line: 12,
          message: 'looked for APIService v1beta1.metrics.k8s.io',
        },
      ],
    },
    {
      name: 'not registered, and no Namespace listed: reported on the first Node',
      yaml: docs(localApi, node),
      errors: [{ object: 'fail-node-1', messageId: 'missing', line: 8 }],
    },
    {
      name: 'not registered, neither Namespaces nor Nodes: kube-system, which every cluster has, stands in',
      yaml: localApi,
      errors: [{ object: 'kube-system', fixedName: true, messageId: 'missing', line: 0 }],
    },
    {
      name: 'registered but without endpoints: reported on the APIService',
      yaml: docs(
        kubeSystem,
        metricsApi(
          `{ type: Available, status: "False", reason: MissingEndpoints, message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"' }`,
        ),
      ),
      errors: [
        {
          object: 'v1beta1.metrics.k8s.io',
          fixedName: true,
          messageId: 'unavailable',
          path: '/status/conditions/0',
          line: 11,
          data: {
            reason:
              'MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
          },
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the APIService that is not Available; its reason and the repair are the detail', () => {
    const [f] = findingsOfRule(
      rule,
      docs(
        kubeSystem,
        metricsApi(`{ type: Available, status: "False", reason: MissingEndpoints, message: no addresses }`),
      ),
    );
    expect(f!.message).toBe(
      'The resource metrics API (APIService v1beta1.metrics.k8s.io) is registered but not Available',
    );
    expect(f!.detail).toBe(
      'It is not Available (MissingEndpoints: no addresses), so HPAs and VPAs that use cpu or memory are blind. Repair the metrics server behind it (kubectl describe apiservice v1beta1.metrics.k8s.io).',
    );
  });
});
