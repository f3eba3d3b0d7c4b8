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

  it('fix plans from the finding, and from a copy or a read-back finding the same', () => {
    const { objects, findings: all } = findings();
    const replica = all.filter((f) => f.rule === 'single-replica');
    const planned = fix(objects, replica, { zones: 3 });
    expect(planned.patches.map((p) => p.ops)).toEqual([[{ op: 'add', path: '/spec/replicas', value: 3 }]]);
    // The fix is not enumerable: a spread copy (a severity raised by the caller) and a finding read
    // back from a JSON report lose it, and fix finds it again from the rule's report on the objects.
    const copied = replica.map((f) => ({ ...f, severity: 'error' as const }));
    const readBack = replica.map((f) => JSON.parse(JSON.stringify(f)) as typeof f);
    for (const lost of [copied, readBack]) {
      expect(lost[0]!.fix).toBeUndefined();
      expect(fix(objects, lost, { zones: 3 })).toEqual(planned);
    }
  });

  it('says why when a finding without its fix does not match the objects', () => {
    const { objects, findings: all } = findings();
    const replica = all.filter((f) => f.rule === 'single-replica');
    const other = replica.map((f) => ({ ...f, object: { ...f.object!, name: 'api' } }));
    const left = fix(objects, other, { zones: 3 });
    expect(left.patches).toEqual([]);
    expect(left.notFixed.map((n) => n.reason)).toEqual([
      'single-replica does not report this on these objects: the finding does not match the input it is fixed on',
    ]);
  });
});
