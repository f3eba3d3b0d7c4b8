import { describeSignatures, detectAddons, kindsSearched, type AddonSignature } from '../model/addons.js';
import { clusterAnchor, listedAll } from '../model/live.js';
import { defineRule } from './define-rule.js';

/** Monitoring stacks by what their usual installs (Helm charts, EKS add-ons, operators) leave in the API. */
const STACKS: readonly AddonSignature[] = [
  {
    addon: 'Prometheus Operator',
    workloads: {
      kinds: ['Deployment'],
      names: ['prometheus-operator'],
      labels: [
        { 'app.kubernetes.io/name': 'prometheus-operator' },
        { 'app.kubernetes.io/component': 'prometheus-operator' },
      ],
    },
    crds: ['prometheuses.monitoring.coreos.com'],
  },
  {
    // The prometheus chart's server, and the StatefulSet kube-prometheus-stack's operator runs.
    addon: 'Prometheus server',
    workloads: {
      kinds: ['Deployment', 'StatefulSet'],
      names: ['prometheus-server'],
      labels: [{ 'app.kubernetes.io/name': 'prometheus' }, { app: 'prometheus' }],
    },
  },
  {
    addon: 'Amazon CloudWatch agent',
    workloads: {
      kinds: ['DaemonSet', 'Deployment', 'StatefulSet'],
      names: ['amazon-cloudwatch-agent', 'cloudwatch-agent'],
    },
    crds: ['amazoncloudwatchagents.cloudwatch.aws.amazon.com'],
  },
  {
    // Fluent Bit alone ships logs; in amazon-cloudwatch it is Container Insights' half of the pair.
    addon: 'Container Insights',
    workloads: { kinds: ['DaemonSet'], names: ['fluent-bit'], namespace: 'amazon-cloudwatch' },
  },
  {
    addon: 'OpenTelemetry Collector',
    workloads: {
      kinds: ['Deployment', 'DaemonSet', 'StatefulSet'],
      names: ['opentelemetry-collector', 'otel-collector'],
      labels: [
        { 'app.kubernetes.io/name': 'opentelemetry-collector' },
        { 'app.kubernetes.io/component': 'opentelemetry-collector' },
      ],
    },
    crds: ['opentelemetrycollectors.opentelemetry.io'],
  },
  {
    addon: 'Datadog Agent',
    workloads: { kinds: ['DaemonSet'], names: ['datadog-agent', 'datadog'] },
  },
  {
    addon: 'Grafana Alloy',
    workloads: {
      kinds: ['DaemonSet', 'Deployment', 'StatefulSet'],
      names: ['alloy', 'grafana-agent'],
      labels: [{ 'app.kubernetes.io/name': 'alloy' }, { 'app.kubernetes.io/name': 'grafana-agent' }],
    },
  },
];

export default defineRule({
  id: 'no-monitoring',
  category: 'live',
  defaultSeverity: 'info',
  scope: 'live',
  guide: 'Run Kubernetes Metrics Server',
  description:
    "With no monitoring stack nothing keeps the history of the workloads' health: the metrics server only holds the current value.",
  needs: ['CustomResourceDefinition', 'Deployment', 'DaemonSet', 'StatefulSet'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact: installing a monitoring stack is an operations choice',
  },
  messages: {
    noMonitoring: {
      headline: 'No monitoring stack was found in the cluster',
      detail:
        'kubeha looked for {{looked}}. The metrics server keeps no history, so nothing records how workloads behaved before an incident or alerts when they degrade. Install one, e.g. kube-prometheus-stack, Amazon CloudWatch Container Insights, or an OpenTelemetry collector feeding a backend.',
    },
  },
  check({ index, settings, report }) {
    const cluster = settings.cluster;
    // Agents and servers run in their own namespaces: a scan of one namespace cannot see them.
    if (!cluster || cluster.namespace !== undefined || !listedAll(cluster.listed, kindsSearched(STACKS)))
      return;
    if (detectAddons(index, STACKS).length > 0) return;
    report({
      object: clusterAnchor(index),
      messageId: 'noMonitoring',
      data: { looked: describeSignatures(STACKS) },
    });
  },
});
