import { describe, expect, it } from 'vitest';
import { deployment, node, objects, topo } from './harness.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import { simulationFor } from '../../src/simulate/findings.js';

describe("check's simulation cache", () => {
  it('two topologies of one size are two simulations', () => {
    const index = new ObjectIndex(
      objects(
        deployment(
          'web',
          2,
          'containers: [{ name: c, image: nginx, resources: { requests: { cpu: "3" } } }]',
        ),
      ),
    );
    const big = topo([node('node-1', 'a', { cpu: 4000 }), node('node-2', 'b', { cpu: 4000 })]);
    const small = topo([node('node-1', 'a', { cpu: 2000 }), node('node-2', 'b', { cpu: 2000 })]);
    const scheduled = (t: typeof big) =>
      simulationFor(index, { topology: t, scenarios: [] }, 2)!.placement[0]!.scheduled;
    expect([scheduled(big), scheduled(small), scheduled(big)]).toEqual([2, 0, 2]);
  });

  it('one topology is simulated once per analysis and options', () => {
    const index = new ObjectIndex(objects(deployment('web', 2, 'containers: [{ name: c, image: nginx }]')));
    const t = topo([node('node-1', 'a'), node('node-2', 'b')]);
    const first = simulationFor(index, { topology: t, scenarios: [] }, 2);
    expect(simulationFor(index, { topology: t, scenarios: [] }, 2)).toBe(first);
    expect(simulationFor(index, { topology: t, scenarios: ['node-loss'] }, 2)).not.toBe(first);
    expect(simulationFor(index, { simulate: true, scenarios: [] }, 2)).not.toBe(first);
  });
});
