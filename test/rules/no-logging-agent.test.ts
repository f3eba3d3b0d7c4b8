import rule from '../../src/rules/no-logging-agent.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';

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

const daemonSet = (name: string, image: string, namespace = 'kube-system') => yaml`
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    selector: { matchLabels: { app: ${name} } }
    template:
      metadata: { labels: { app: ${name} } }
      spec: { containers: [{ name: main, image: ${image} }] }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'aws-for-fluent-bit',
      yaml: docs(
        kubeSystem,
        node,
        daemonSet('aws-for-fluent-bit', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2'),
      ),
    },
    {
      name: 'the CloudWatch agent, by image (any DaemonSet name)',
      yaml: docs(
        kubeSystem,
        node,
        daemonSet(
          'pass-cw',
          'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300044.0b793',
          'amazon-cloudwatch',
        ),
      ),
    },
    {
      name: 'Vector, Promtail, Datadog',
      yaml: docs(
        kubeSystem,
        node,
        daemonSet('pass-vector', 'timberio/vector:0.41.1-distroless-libc', 'logging'),
        daemonSet('pass-promtail', 'docker.io/grafana/promtail:3.0.0', 'logging'),
        daemonSet('pass-dd', 'gcr.io/datadoghq/agent:7', 'datadog'),
      ),
    },
    {
      name: 'DaemonSets could not be listed',
      yaml: docs(kubeSystem, node),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'DaemonSet') },
    },
    { name: 'a scan of one namespace', yaml: docs(kubeSystem, node), cluster: { namespace: 'shop' } },
    { name: 'kubeha check (no cluster facts)', yaml: docs(kubeSystem, node), cluster: false },
  ],
  invalid: [
    {
      name: 'only kube-proxy and a CNI: reported on kube-system',
      yaml: docs(
        node,
        kubeSystem,
        daemonSet('kube-proxy', 'registry.k8s.io/kube-proxy:v1.31.0'),
        daemonSet('aws-node', '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3'),
        // A name that only contains a short agent name is not that agent.
        daemonSet('vectorizer', 'example.com/vectorizer:1'),
      ),
      errors: [{ object: 'kube-system', fixedName: true, messageId: 'missing', message: 'Fluent Bit' }],
    },
  ],
});
