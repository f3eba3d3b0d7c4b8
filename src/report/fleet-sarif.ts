import type { Run } from 'sarif';
import { isScanned, type FleetFormatter } from './fleet-types.js';
import { sarifLog, sarifRun, sarifTool } from './sarif.js';

/**
 * A fleet in SARIF: one run per cluster, told apart by `automationDetails.id` (`kubeha-scan/<context>/`,
 * a category of its own, so code scanning keeps each cluster's results apart) and by the
 * `context` and `server` properties. A cluster that could not be read is a run whose invocation did
 * not succeed, with the reason as an error notification: SARIF's way to say a tool could not look.
 */
export const fleetSarif: FleetFormatter = (fleet, ctx) =>
  sarifLog(
    fleet.clusters.map((c): Run => {
      const about = {
        automationDetails: { id: `kubeha-scan/${c.context}/` },
        properties: {
          context: c.context,
          ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
          ...(c.server !== undefined ? { server: c.server } : {}),
        },
      };
      if (isScanned(c))
        return {
          ...sarifRun(c.result, { ...ctx, rules: c.rules }),
          invocations: [{ executionSuccessful: true }],
          ...about,
        };
      return {
        tool: sarifTool({ ...ctx, rules: [] }),
        results: [],
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: 'error', message: { text: `not scanned: ${c.error}` } }],
          },
        ],
        ...about,
      };
    }),
  );
