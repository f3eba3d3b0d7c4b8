import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/no-monitoring.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

const kubeSystem = yaml`
  apiVersion: v1
  kind: Namespace
  metadata: { name: kube-system }
`;

const metricsServer = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: metrics-server, namespace: kube-system, labels: { k8s-app: metrics-server } }
  spec: { template: { metadata: { labels: { k8s-app: metrics-server } }, spec: { containers: [{ name: m, image: m }] } } }
`;

const workload = (kind: string, name: string, namespace: string, labels = '{}') => yaml`
  apiVersion: apps/v1
  kind: ${kind}
  metadata: { name: ${name}, namespace: ${namespace}, labels: ${labels} }
  spec: { template: { metadata: { labels: ${labels} }, spec: { containers: [{ name: c, image: i }] } } }
`;

const crd = (name: string) => yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata: { name: ${name} }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'kube-prometheus-stack: the operator, by its component label',
      yaml: docs(
        kubeSystem,
        workload(
          'Deployment',
          'kps-operator',
          'monitoring',
          '{ app.kubernetes.io/component: prometheus-operator }',
        ),
      ),
    },
    {
      name: "kube-prometheus-stack: the operator's Prometheus StatefulSet",
      yaml: docs(
        kubeSystem,
        workload(
          'StatefulSet',
          'prometheus-kps-prometheus',
          'monitoring',
          '{ app.kubernetes.io/name: prometheus }',
        ),
      ),
    },
    {
      name: 'the Prometheus Operator CRD',
      yaml: docs(kubeSystem, crd('prometheuses.monitoring.coreos.com')),
    },
    {
      name: 'the prometheus chart server',
      yaml: docs(kubeSystem, workload('Deployment', 'prometheus-server', 'monitoring')),
    },
    {
      name: 'the CloudWatch observability add-on agent',
      yaml: docs(kubeSystem, workload('DaemonSet', 'cloudwatch-agent', 'amazon-cloudwatch')),
    },
    {
      name: 'Container Insights Fluent Bit in amazon-cloudwatch',
      yaml: docs(kubeSystem, workload('DaemonSet', 'fluent-bit', 'amazon-cloudwatch')),
    },
    {
      name: 'an OpenTelemetry collector made by the operator',
      yaml: docs(
        kubeSystem,
        workload(
          'Deployment',
          'traces-collector',
          'observability',
          '{ app.kubernetes.io/component: opentelemetry-collector }',
        ),
      ),
    },
    {
      name: 'the OpenTelemetry operator CRD',
      yaml: docs(kubeSystem, crd('opentelemetrycollectors.opentelemetry.io')),
    },
    {
      name: 'DaemonSets could not be listed: an agent may be there',
      yaml: docs(kubeSystem, metricsServer),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'DaemonSet') },
    },
    {
      name: 'a scan of one namespace: the monitoring stack may run in another',
      yaml: docs(kubeSystem, metricsServer),
      cluster: { namespace: 'shop' },
    },
    { name: 'kubeha check (no cluster facts)', yaml: docs(kubeSystem, metricsServer), cluster: false },
  ],
  invalid: [
    {
      name: 'only the metrics server, and Fluent Bit shipping logs outside Container Insights',
      yaml: docs(kubeSystem, metricsServer, workload('DaemonSet', 'fluent-bit', 'logging')),
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          messageId: 'noMonitoring',
          line: 1,
          message:
            /^No monitoring stack was found in the cluster\nkubeha looked for Prometheus Operator \(Deployment prometheus-operator, label app.kubernetes.io\/name=prometheus-operator, .*Amazon CloudWatch agent \(DaemonSet\/Deployment\/StatefulSet amazon-cloudwatch-agent or cloudwatch-agent, CRD amazoncloudwatchagents.cloudwatch.aws.amazon.com\), Container Insights \(DaemonSet fluent-bit in amazon-cloudwatch\), OpenTelemetry Collector .*\)\. The metrics server keeps no history/,
        },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, {
    rules: [rule],
    cluster: { listed: new Set(SCAN_KINDS), now: TEST_NOW },
  }).findings;

describe('the headline stands alone', () => {
  it('says no monitoring stack was found; what was looked for and what to install are the detail', () => {
    const [f] = findings(docs(kubeSystem, metricsServer));
    expect(f!.message).toBe('No monitoring stack was found in the cluster');
    expect(f!.detail).toMatch(
      /^kubeha looked for Prometheus Operator .+\. The metrics server keeps no history, .+ Install one, e\.g\. kube-prometheus-stack, .+ feeding a backend\.$/,
    );
  });
});
