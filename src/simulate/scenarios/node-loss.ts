import { loseNodes } from './unplanned.js';
import type { Scenario } from './scenario.js';

/** `node-loss:<node>` for every node (or the ones named). */
export const nodeLoss: Scenario<number> = {
  kind: 'node-loss',
  instances: (ctx) => ctx.state.order.map((n) => ({ name: ctx.state.names[n]!, value: n })),
  run: (ctx, n) => {
    const name = ctx.state.names[n]!;
    return loseNodes(ctx, [n], 'node-loss', `node-loss:${name}`, name);
  },
};
