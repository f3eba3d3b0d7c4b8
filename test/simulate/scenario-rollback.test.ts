import { describe, expect, it } from 'vitest';
import { deployment, node, placed, topo } from './harness.js';

describe('a scenario that throws', () => {
  it('leaves the cluster as placed', () => {
    const { ctx } = placed(
      deployment('web', 2, 'containers: [{ name: c, image: nginx, resources: { requests: { cpu: "1" } } }]'),
      topo([node('node-1', 'a'), node('node-2', 'b')]),
    );
    const wl = ctx.workloads[0]!;
    const snapshot = () => [wl.pods.map((p) => [p.node, p.terminating]), [...ctx.state.reqCpu.slice(0, 2)]];
    const before = JSON.stringify(snapshot());
    expect(() =>
      ctx.inScenario(() => {
        ctx.state.setUnreachable(0, true);
        ctx.terminatePod(wl, wl.pods[0]!);
        ctx.schedule(ctx.newPod(wl));
        throw new Error('half-way');
      }),
    ).toThrow('half-way');
    expect(JSON.stringify(snapshot())).toBe(before);
    expect([ctx.state.unreachable[0], ctx.observer]).toEqual([0, undefined]);
  });
});
