import { zonesOf } from '../topology.js';
import { loseNodes } from './unplanned.js';
import type { Scenario } from './scenario.js';

/**
 * `zone-loss:<zone>` for every zone of a multi-zone cluster. A zone asked for by name is lost even in
 * a one-zone cluster (the whole cluster goes).
 */
export const zoneLoss: Scenario<{ zone: string; nodes: number[] }> = {
  kind: 'zone-loss',
  instances: (ctx) => {
    const zones = zonesOf(ctx.topology);
    return zones
      .map((zone) => ({
        name: zone,
        onlyByName: zones.length < 2,
        value: { zone, nodes: ctx.state.order.filter((n) => ctx.state.zoneOf(n) === zone) },
      }))
      .filter((z) => z.value.nodes.length > 0);
  },
  run: (ctx, { zone, nodes }) =>
    loseNodes(ctx, nodes, 'zone-loss', `zone-loss:${zone}`, zone === '' ? '(no zone)' : zone),
};
