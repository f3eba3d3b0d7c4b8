import { fleetSummary, isScanned, type FleetFormatter } from './fleet-types.js';

/**
 * The JSON envelope of a fleet scan (docs/live.md, "Fleets"): the same `version: 1` and `tool`, then
 * one entry per context in `clusters`, each with the single-cluster report's `findings` and
 * `summary`, or an `error` when the cluster could not be read; `summary` adds them up.
 */
export const fleetJson: FleetFormatter = (fleet, ctx) =>
  JSON.stringify(
    {
      version: 1,
      tool: { name: 'kubeha', version: ctx.toolVersion },
      clusters: fleet.clusters.map((c) => ({
        context: c.context,
        ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
        ...(c.server !== undefined ? { server: c.server } : {}),
        ...(isScanned(c)
          ? {
              ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
              findings: c.result.findings,
              summary: c.result.summary,
            }
          : { error: c.error }),
      })),
      summary: fleetSummary(fleet),
    },
    null,
    2,
  ) + '\n';
