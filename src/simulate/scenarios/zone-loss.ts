import type { SimContext } from '../context.js';
import type { ScenarioResult } from '../types.js';
import { runUnplannedLoss } from './unplanned.js';

/** `zone-loss:<zone>` for every zone of a multi-zone cluster. */
export function zoneLossScenarios(ctx: SimContext, zones: readonly string[]): ScenarioResult[] {
  const out: ScenarioResult[] = [];
  if (zones.length < 1) return out;
  for (const zone of zones) {
    const nodes = ctx.state.order.filter((n) => ctx.state.zoneOf(n) === zone);
    if (nodes.length === 0) continue;
    out.push(
      runUnplannedLoss(ctx, nodes, 'zone-loss', `zone-loss:${zone}`, zone === '' ? '(no zone)' : zone),
    );
  }
  return out;
}
