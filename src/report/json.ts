import type { Formatter } from './types.js';

/** DESIGN.md's stable, versioned JSON envelope. */
export const json: Formatter = (result, ctx) =>
  JSON.stringify(
    {
      version: 1,
      tool: { name: 'kubeha', version: ctx.toolVersion },
      findings: result.findings,
      summary: result.summary,
    },
    null,
    2,
  ) + '\n';
