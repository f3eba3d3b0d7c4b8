import type { SimFormatter } from './simulate-types.js';

/**
 * The versioned envelope of `simulate -o json` (README.md, `simulate -o`): topology, placement,
 * scenarios (touched workloads), summary.
 */
export const simulateJson: SimFormatter = (report, ctx) =>
  JSON.stringify(
    {
      version: 1,
      tool: { name: 'kubeha', version: ctx.toolVersion },
      topology: report.topology,
      placement: report.placement,
      scenarios: report.scenarios,
      workloads: report.workloads,
      summary: report.summary,
    },
    null,
    2,
  ) + '\n';
