import { describe, expect, it } from 'vitest';
import { drain } from '../../src/simulate/scenarios/drain.js';
import { nodeLoss } from '../../src/simulate/scenarios/node-loss.js';
import { runInstance, type Scenario } from '../../src/simulate/scenarios/scenario.js';
import { deployment, node, placed, topo } from './harness.js';

const yaml = [
  deployment('web', 3, 'containers: [{ name: c, image: nginx, resources: { requests: { cpu: "1" } } }]'),
  deployment('api', 2, 'containers: [{ name: c, image: nginx, resources: { requests: { cpu: "2" } } }]'),
].join('---\n');
const nodes = () => topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')]);

/** A scenario that changes everything it can reach, then fails half-way. */
const throwing: Scenario<number> = {
  kind: 'node-loss',
  instances: () => [{ value: 0 }],
  run: (ctx, n) => {
    ctx.state.setUnreachable(n, true);
    ctx.state.setUnschedulable(n, true);
    for (const wl of ctx.workloads) {
      ctx.terminatePod(wl, wl.pods[0]!);
      ctx.schedule(ctx.newPod(wl));
      ctx.schedule(ctx.newPod(wl));
    }
    throw new Error('half-way');
  },
};

describe('a scenario that throws', () => {
  it('leaves the cluster as placed', () => {
    const { ctx } = placed(yaml, nodes());
    const snapshot = () =>
      JSON.stringify([
        ctx.workloads.map((wl) => [wl.created, wl.pods.map((p) => [p.id, p.node, p.terminating])]),
        [...ctx.state.reqCpu.slice(0, 3)],
        [...ctx.state.unreachable.slice(0, 3)],
        [...ctx.state.unschedulable.slice(0, 3)],
        ctx.state.pods.length,
      ]);
    const before = snapshot();
    expect(() => runInstance(ctx, throwing, 0)).toThrow('half-way');
    expect(snapshot()).toBe(before);
    expect(ctx.observer).toBeUndefined();
  });

  it('does not change the result of the scenario that runs next', () => {
    for (const next of [nodeLoss, drain] as Scenario<number>[]) {
      for (let n = 0; n < 3; n++) {
        const alone = placed(yaml, nodes()).ctx;
        const expected = runInstance(alone, next, n);
        const after = placed(yaml, nodes()).ctx;
        expect(() => runInstance(after, throwing, (n + 1) % 3)).toThrow('half-way');
        expect(runInstance(after, next, n)).toEqual(expected);
      }
    }
  });
});
