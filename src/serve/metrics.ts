import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WORKLOAD_KINDS } from '../model/workload.js';
import type { Finding } from '../rules/types.js';

/**
 * The values a review's labels may take. They come from the request, which anyone who reaches the
 * port can write: a label copied from it would make one time series per invented kind (20 000 reviews
 * with made-up kinds made 20 000 series, each kept by Prometheus for good). What is not in these sets
 * is counted as `other`.
 */
export const REVIEW_OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];
/** The kinds the rules judge, and those they join a workload with. */
export const REVIEW_KINDS: readonly string[] = [
  ...WORKLOAD_KINDS,
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'VerticalPodAutoscaler',
  'Service',
];
export const OTHER = 'other';

/** The `operation` and `kind` labels of a review; `kind` is empty when the review carries no object kind. */
export function reviewLabels(operation: string, kind: string): { operation: string; kind: string } {
  return {
    operation: REVIEW_OPERATIONS.includes(operation) ? operation : OTHER,
    kind: kind === '' || REVIEW_KINDS.includes(kind) ? kind : OTHER,
  };
}

/**
 * What serve exposes at /metrics (Prometheus text format): the admission webhook's traffic and
 * verdicts, and, from the periodic scan, the cluster's HA findings per namespace and rule, so that an
 * alert can fire when the posture gets worse.
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly reviews = new Counter({
    name: 'kubeha_admission_reviews_total',
    help: 'Admission reviews answered, by operation, kind (a known kind, or other) and result (allowed, warned, denied, error).',
    labelNames: ['operation', 'kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly admissionFindings = new Counter({
    name: 'kubeha_admission_findings_total',
    help: 'Findings reported on objects under admission review, by rule and severity.',
    labelNames: ['rule', 'severity'] as const,
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'kubeha_admission_refused_total',
    help: 'Reviews refused unread, by reason: body-too-large (413) or too-many-in-flight (429).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly admissionSeconds = new Histogram({
    name: 'kubeha_admission_duration_seconds',
    help: 'Time to answer an admission review, reading the namespace context included.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly clusterFindings = new Gauge({
    name: 'kubeha_cluster_findings',
    help: 'Findings of the last periodic scan, by namespace, rule and severity.',
    labelNames: ['namespace', 'rule', 'severity'] as const,
    registers: [this.registry],
  });
  readonly scanSeconds = new Gauge({
    name: 'kubeha_scan_duration_seconds',
    help: 'Duration of the last periodic scan.',
    registers: [this.registry],
  });
  readonly scanTimestamp = new Gauge({
    name: 'kubeha_scan_last_success_timestamp_seconds',
    help: 'When the last periodic scan completed (Unix time).',
    registers: [this.registry],
  });
  readonly scanErrors = new Counter({
    name: 'kubeha_scan_errors_total',
    help: 'Periodic scans that could not read the cluster.',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Replaces the scan gauges with one scan's findings (series that no longer occur drop out). */
  recordScan(findings: readonly Finding[], seconds: number, at: number): void {
    const counts = new Map<string, { namespace: string; rule: string; severity: string; n: number }>();
    for (const f of findings) {
      const namespace = f.object?.namespace ?? '';
      const key = `${namespace}\u0000${f.rule}\u0000${f.severity}`;
      const c = counts.get(key) ?? { namespace, rule: f.rule, severity: f.severity, n: 0 };
      c.n++;
      counts.set(key, c);
    }
    this.clusterFindings.reset();
    for (const c of counts.values())
      this.clusterFindings.set({ namespace: c.namespace, rule: c.rule, severity: c.severity }, c.n);
    this.scanSeconds.set(seconds);
    this.scanTimestamp.set(at / 1000);
  }
}
