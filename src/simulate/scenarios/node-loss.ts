import type { SimContext } from '../context.js';
import type { ScenarioResult } from '../types.js';
import { runUnplannedLoss } from './unplanned.js';

/** `node-loss:<node>` for every node (or the ones named). */
export function nodeLossScenarios(ctx: SimContext, only?: ReadonlySet<string>): ScenarioResult[] {
  const out: ScenarioResult[] = [];
  for (const n of [...ctx.state.order]) {
    const name = ctx.state.names[n]!;
    if (only && !only.has(name)) continue;
    out.push(runUnplannedLoss(ctx, [n], 'node-loss', `node-loss:${name}`, name));
  }
  return out;
}
