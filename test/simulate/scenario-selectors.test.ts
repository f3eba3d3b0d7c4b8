import { describe, expect, it } from 'vitest';
import { deployment, node, run, topo } from './harness.js';

const four = () => topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'a'), node('node-4', 'b')]);
const web = deployment('web', 4, 'containers: [{ name: web, image: nginx }]');

describe('scenarios named by node or zone', () => {
  it('node-loss:<node> runs only that node loss', () => {
    const r = run(web, four(), { scenarios: ['node-loss:node-3'] });
    expect(r.scenarios.map((s) => s.id)).toEqual(['placement', 'node-loss:node-3']);
  });

  it('zone-loss:<zone> and drain:<node> mix with whole kinds', () => {
    const r = run(web, four(), { scenarios: ['zone-loss:b', 'drain:node-2', 'node-loss'] });
    expect(r.scenarios.map((s) => s.id)).toEqual([
      'placement',
      'node-loss:node-1',
      'node-loss:node-2',
      'node-loss:node-3',
      'node-loss:node-4',
      'zone-loss:b',
      'drain:node-2',
    ]);
  });

  it('a zone named in a one-zone cluster is lost too; unknown names give no scenario', () => {
    const t = topo([node('node-1', 'a'), node('node-2', 'a')]);
    const r = run(web, t, { scenarios: ['zone-loss:a', 'node-loss:nowhere'] });
    expect(r.scenarios.map((s) => s.id)).toEqual(['placement', 'zone-loss:a']);
    expect(r.scenarios[1]!.workloads[0]).toMatchObject({ verdict: 'outage', minReady: 0 });
  });
});
