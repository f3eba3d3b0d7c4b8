import type { ClusterReport, ClusterTarget, FleetReport, ScannedCluster } from '../report/fleet-types.js';
import { ClusterUnreachable } from '../sources/cluster-errors.js';
import { kubeconfigContexts, loadKubeconfig, type Env } from '../sources/kubeconfig.js';

/**
 * How many clusters are read at once. Each read already lists several kinds at a time; more clusters
 * at once would only hold more clusters' objects in memory while the CPU judges one at a time.
 */
export const FLEET_CONCURRENCY = 8;

/** What a scan of one cluster gives, beyond the target it was asked for. */
export type ClusterScan = Omit<ScannedCluster, keyof ClusterTarget>;

/**
 * Scans each target with `scanOne`, `concurrency` at a time, and reports them in the order asked
 * whatever order they finish in. A target whose scan throws is an entry saying why (its first line),
 * and the others go on: one unreachable cluster must not hide the fleet.
 */
export async function scanFleet(
  targets: readonly ClusterTarget[],
  scanOne: (target: ClusterTarget) => Promise<ClusterScan>,
  concurrency = FLEET_CONCURRENCY,
): Promise<FleetReport> {
  const clusters: ClusterReport[] = new Array<ClusterReport>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      try {
        clusters[i] = { ...target, ...(await scanOne(target)) };
      } catch (e) {
        clusters[i] = { ...target, error: firstLine(e) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return { clusters };
}

/**
 * The clusters a fleet scan reads: the contexts named (each once, in the order given), or every
 * context of the kubeconfig. A name the kubeconfig does not have is still a target: its scan fails
 * and the report says so. A kubeconfig that cannot be loaded fails the whole run (ClusterUnreachable).
 */
export async function fleetTargets(
  kubeconfig: string | undefined,
  env: Env,
  named: readonly string[] | 'all',
): Promise<ClusterTarget[]> {
  let contexts;
  try {
    contexts = kubeconfigContexts(await loadKubeconfig(kubeconfig, env));
  } catch (e) {
    if (e instanceof ClusterUnreachable) throw e;
    throw new ClusterUnreachable(`cannot load the kubeconfig: ${firstLine(e)}`);
  }
  const byName = new Map(contexts.map((c) => [c.name, c]));
  const names = named === 'all' ? contexts.map((c) => c.name) : [...new Set(named)];
  return names.map((name) => {
    const c = byName.get(name);
    if (!c) return { context: name };
    return {
      context: name,
      cluster: c.cluster,
      ...(c.server !== undefined ? { server: c.server } : {}),
    };
  });
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
