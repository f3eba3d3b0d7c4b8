import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fix } from '../../src/fix/plan.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

const input = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
  spec:
    replicas: 1
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec: { containers: [{ name: web, image: nginx:1.27 }] }
`;

function findings() {
  const { objects, problems } = parseManifests(input, 'web.yaml');
  return { objects, findings: check(objects, { problems }).findings };
}

describe('a finding carries its fix', () => {
  it('check gives a fixable finding its planner, and a JSON report does not show it', () => {
    const { findings: all } = findings();
    const replica = all.find((f) => f.rule === 'single-replica')!;
    expect(typeof replica.fix).toBe('function');
    expect(JSON.stringify(replica)).not.toContain('fix');
    // A rule without a planner gives its findings none.
    expect(all.find((f) => f.rule === 'missing-readiness-probe')!.fix).toBeUndefined();
  });

  it('fix plans from the finding, and says why when a finding was read back without its fix', () => {
    const { objects, findings: all } = findings();
    const replica = all.filter((f) => f.rule === 'single-replica');
    const planned = fix(objects, replica, { zones: 3 });
    expect(planned.patches.map((p) => p.ops)).toEqual([[{ op: 'add', path: '/spec/replicas', value: 3 }]]);
    const readBack = replica.map((f) => JSON.parse(JSON.stringify(f)) as typeof f);
    const left = fix(objects, readBack, { zones: 3 });
    expect(left.patches).toEqual([]);
    expect(left.notFixed.map((n) => n.reason)).toEqual([
      'the finding does not carry its fix (was it read back from a report rather than made by check?)',
    ]);
  });
});
