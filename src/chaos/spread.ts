/** Spread that a workload had before an experiment and lacks after it: pods do not move back. */
export interface SpreadLoss {
  topology: 'node' | 'zone';
  /** The node or zone that holds more replicas than before. */
  domain: string;
  before: number;
  after: number;
  /** Replicas placed after the experiment (the domain holds `after` of them). */
  replicas: number;
  /** Distinct nodes (zones) holding replicas, before and after. */
  domainsBefore: number;
  domainsAfter: number;
}

/**
 * Compares where a workload's replicas ran before and after (one node name per placed pod): when
 * they now run in fewer nodes (zones) than before, each node (zone) that holds more of them than it
 * did is a loss of spread, which lasts until something moves the pods back (nothing does by itself).
 * Pure.
 */
export function spreadLost(
  nodesBefore: readonly string[],
  nodesAfter: readonly string[],
  zoneOf: (node: string) => string | undefined,
): SpreadLoss[] {
  const out = lossIn('node', nodesBefore, nodesAfter);
  const zonesBefore = nodesBefore.map(zoneOf);
  const zonesAfter = nodesAfter.map(zoneOf);
  // Zones are compared only when every node says its zone: an unknown one would look like a loss.
  if ([...zonesBefore, ...zonesAfter].every((z) => z !== undefined))
    out.unshift(...lossIn('zone', zonesBefore as string[], zonesAfter as string[]));
  return out;
}

function lossIn(
  topology: SpreadLoss['topology'],
  before: readonly string[],
  after: readonly string[],
): SpreadLoss[] {
  const b = count(before);
  const a = count(after);
  if (after.length === 0 || a.size >= b.size) return [];
  return [...a]
    .filter(([domain, n]) => n > (b.get(domain) ?? 0))
    .sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true }))
    .map(([domain, n]) => ({
      topology,
      domain,
      before: b.get(domain) ?? 0,
      after: n,
      replicas: after.length,
      domainsBefore: b.size,
      domainsAfter: a.size,
    }));
}

function count(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** "zone b holds all 2 replicas (1 before), node b-1 holds 2 of 3 (1 before)". */
export function describeSpreadLoss(losses: readonly SpreadLoss[]): string {
  return losses
    .map(
      (l) =>
        `${l.topology} ${l.domain} holds ${l.after === l.replicas ? `all ${l.replicas} replicas` : `${l.after} of ${l.replicas}`} (${l.before} before; ${l.domainsAfter} ${l.topology}${l.domainsAfter === 1 ? '' : 's'} now, ${l.domainsBefore} before)`,
    )
    .join(', ');
}
