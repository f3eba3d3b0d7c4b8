import type { Formatter } from './types.js';

/** The stable, versioned JSON envelope of `check` and `scan` (README.md, "Output formats"). */
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
