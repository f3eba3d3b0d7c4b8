import { severityAtLeast, type CheckResult, type Summary } from '../engine/check.js';
import type { AnyRule } from '../rules/types.js';
import { plural } from './group.js';
import type { ReportContext } from './types.js';

/** One kubeconfig context of a fleet scan, as the kubeconfig names it. */
export interface ClusterTarget {
  context: string;
  /** The kubeconfig's name for the context's cluster; absent when the context is not in it. */
  cluster?: string;
  /** The API server's URL; absent when the context is not in the kubeconfig. */
  server?: string;
}

/** A cluster that was read and judged. */
export interface ScannedCluster extends ClusterTarget {
  /** The namespace scanned; absent for all namespaces. */
  namespace?: string;
  result: CheckResult;
  /** The rules that ran on this cluster (a kind it could not list leaves some out). */
  rules: readonly AnyRule[];
}

/** A cluster that could not be read (unknown context, unreachable, forbidden): why, in one line. */
export interface UnreadCluster extends ClusterTarget {
  error: string;
}

export type ClusterReport = ScannedCluster | UnreadCluster;

/** `kubeha scan --context a --context b` / `--all-contexts`: one entry per context, in the order asked. */
export interface FleetReport {
  clusters: ClusterReport[];
}

export type FleetContext = Omit<ReportContext, 'rules' | 'command'>;
export type FleetFormatter = (fleet: FleetReport, ctx: FleetContext) => string;

export const isScanned = (c: ClusterReport): c is ScannedCluster => 'result' in c;

export interface FleetSummary extends Summary {
  clusters: number;
  /** Clusters that could not be read: each counts as an error for --fail-on. */
  failedClusters: number;
}

/** The clusters' summaries added up. */
export function fleetSummary(fleet: FleetReport): FleetSummary {
  const sum: FleetSummary = {
    clusters: fleet.clusters.length,
    failedClusters: 0,
    objects: 0,
    workloads: 0,
    error: 0,
    warning: 0,
    info: 0,
    suppressed: 0,
  };
  for (const c of fleet.clusters) {
    if (!isScanned(c)) {
      sum.failedClusters++;
      continue;
    }
    const s = c.result.summary;
    sum.objects += s.objects;
    sum.workloads += s.workloads;
    sum.error += s.error;
    sum.warning += s.warning;
    sum.info += s.info;
    sum.suppressed += s.suppressed;
  }
  return sum;
}

/**
 * Whether the fleet fails --fail-on: a finding at or above it in any cluster, or a cluster that could
 * not be read (an error: a gate must not pass a cluster nobody looked at), unless --fail-on none.
 */
export function fleetFails(fleet: FleetReport, failOn: ReportContext['failOn']): boolean {
  return fleet.clusters.some((c) =>
    isScanned(c)
      ? c.result.findings.some((f) => severityAtLeast(f.severity, failOn))
      : severityAtLeast('error', failOn),
  );
}

/** "kwok-a (https://127.0.0.1:6443), namespace shop": the context, and where and what was read. */
export function clusterTitle(c: ClusterReport): string {
  const where = [
    c.server,
    isScanned(c) ? (c.namespace !== undefined ? `namespace ${c.namespace}` : 'all namespaces') : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(', ');
  return where ? `${c.context} (${where})` : c.context;
}

/** "3 clusters, 1 not scanned". */
export function clusterCount(s: FleetSummary): string {
  return `${plural(s.clusters, 'cluster')}${s.failedClusters ? `, ${s.failedClusters} not scanned` : ''}`;
}
