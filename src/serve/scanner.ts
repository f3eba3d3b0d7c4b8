import { Gauge } from 'prom-client';
import type { RuleConfig } from '../engine/check.js';
import { checkLive } from '../engine/live.js';
import type { AnyRule } from '../rules/types.js';
import type { ClusterClient } from '../sources/cluster-client.js';
import { readCluster } from '../sources/cluster-reader.js';
import { LeaderElector, type ElectionTimings, type LeaseStore } from './leader-election.js';
import type { ServeMetrics } from './metrics.js';

export interface PeriodicScanOptions {
  client: ClusterClient;
  intervalMs: number;
  /** The static and live rules; those whose `needs` could not be read are skipped, as in scan. */
  rules: readonly AnyRule[];
  metrics: ServeMetrics;
  log: (line: string) => void;
  ruleConfig?: Record<string, RuleConfig>;
  kubeVersion?: string;
  zones?: number;
  now?: () => number;
}

/**
 * Scans the whole cluster every `intervalMs` (the next scan is timed from the end of the last, so two
 * never overlap) and puts its findings in the metrics. The first scan starts at once.
 */
export function startPeriodicScan(options: PeriodicScanOptions): { stop(): void; first: Promise<void> } {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const once = async (): Promise<void> => {
    const started = now();
    try {
      const read = await readCluster(options.client, { now });
      const { result } = checkLive(read, {
        rules: options.rules,
        ...(options.ruleConfig ? { ruleConfig: options.ruleConfig } : {}),
        ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
        ...(options.zones !== undefined ? { zones: options.zones } : {}),
      });
      // Stopped meanwhile (this replica no longer leads): its findings are not this replica's to export.
      if (stopped) return;
      options.metrics.recordScan(result.findings, (now() - started) / 1000, now());
      for (const w of read.warnings) options.log(`kubeha serve: scan: ${w}`);
    } catch (e) {
      options.metrics.scanErrors.inc();
      options.log(`kubeha serve: scan failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const loop = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void once().then(loop), options.intervalMs);
    timer.unref();
  };
  const first = once().then(loop);
  return {
    first,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export interface ElectedScanOptions extends PeriodicScanOptions {
  /** The Lease the replicas compete for, and this replica's name in it. */
  lease: LeaseStore;
  identity: string;
  timings: ElectionTimings;
}

/**
 * The periodic scan on the one replica that holds the lease (docs/serve.md, "Leader election"): the
 * replicas of a Deployment then read the cluster once per interval, not once each, and only the
 * leader exports the kubeha_cluster_findings series. `kubeha_leader` says which replica leads. A
 * replica that stops leading stops scanning and drops its findings' series; stop() releases the lease.
 */
export function startElectedScan(options: ElectedScanOptions): { stop(): Promise<void> } {
  const leader = new Gauge({
    name: 'kubeha_leader',
    help: 'Whether this replica holds the lease of the periodic scan (1) or not (0).',
    registers: [options.metrics.registry],
  });
  leader.set(0);
  let scan: { stop(): void } | undefined;
  const elector = new LeaderElector({
    store: options.lease,
    identity: options.identity,
    timings: options.timings,
    log: options.log,
    onStartedLeading: () => {
      leader.set(1);
      scan = startPeriodicScan(options);
    },
    onStoppedLeading: () => {
      leader.set(0);
      scan?.stop();
      scan = undefined;
      options.metrics.clusterFindings.reset();
    },
  });
  elector.start();
  return { stop: () => elector.stop() };
}
