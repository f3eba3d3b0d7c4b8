import { loggingAgents } from '../model/cluster-posture.js';
import { clusterAnchor } from '../model/live.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'no-logging-agent',
  category: 'live',
  defaultSeverity: 'warning',
  scope: 'live',
  guide: '(cluster posture)',
  description:
    'A cluster with no log collection DaemonSet keeps container logs on the nodes only: a failed node or an evicted pod takes the record of what went wrong with it.',
  needs: ['DaemonSet'],
  fixSafety: {
    kind: 'none',
    reason: 'a cluster fact: install a log collection agent; no file of the application to edit',
  },
  messages: {
    missing: {
      headline:
        'No log collection agent: no DaemonSet of Fluent Bit, Fluentd, Vector, Promtail, CloudWatch, Datadog…',
      detail:
        'Container logs live on the node that ran the pod: when a pod is evicted or replaced, or its node fails, its logs go with it, and with them the reason of the outage. Run a node agent that ships logs off the cluster (on EKS: the CloudWatch Observability add-on or aws-for-fluent-bit; elsewhere Fluent Bit, Vector or the OpenTelemetry Collector).',
    },
  },
  check({ index, settings, report }) {
    const cluster = settings.cluster;
    // A scan of one namespace saw that namespace's DaemonSets only: the agent may run elsewhere.
    if (!cluster || cluster.namespace !== undefined || !cluster.listed.has('DaemonSet')) return;
    // Without nodes there is nothing to collect from (a Fargate profile routes logs by a ConfigMap).
    if (index.ofKind('Node').length === 0 || loggingAgents(index).length > 0) return;
    report({ object: clusterAnchor(index), messageId: 'missing' });
  },
});
