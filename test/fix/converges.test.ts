/**
 * Property finding F1 (test/property/fix.test.ts, seed 20261204): missing-pdb added a
 * PodDisruptionBudget in every round for a workload whose selector misses its own pod template, so
 * fix never reached its fixed point and a second `kubeha fix` added yet another.
 */
import { describe, expect, it } from 'vitest';
import { fixSources } from '../../src/fix/run.js';
import { parseManifests } from '../../src/sources/parse.js';

/** One fix run over one file, then a second over its output. */
function twice(
  text: string,
  file = 'a.yaml',
): { first: ReturnType<typeof fixSources>; second: ReturnType<typeof fixSources> } {
  const first = fixSources([{ file, text }]);
  const second = fixSources(first.files.map((f) => ({ file: f.file, text: f.after })));
  return { first, second };
}

describe('F1: a workload whose selector misses its pod template', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: other}}',
    '    spec: {containers: [{name: app, image: nginx:1.27}]}',
    '',
  ].join('\n');

  it('gets no PodDisruptionBudget (it would select none of its pods), so one fix run is its fixed point', () => {
    const { first, second } = twice(text);
    const after = parseManifests(first.files[0]!.after, 'a.yaml').objects;
    expect(after.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(first.rounds.flat().map((p) => p.rule)).not.toContain('missing-pdb');
    expect(first.notFixed.find((n) => n.rule === 'missing-pdb')?.reason).toBe(
      "spec.selector does not select the pod template's labels, so a PodDisruptionBudget with that selector would protect none of its pods: make the selector and the template labels agree first",
    );
    // The mismatch itself is what the user has to repair: check says so.
    expect(first.notFixed.map((n) => n.rule)).toContain('invalid-object');
    expect(second.rounds).toEqual([]);
  });

  it('still gets its PodDisruptionBudget when the selector selects the template, also by matchExpressions', () => {
    const matching = text
      .replace('{app: other}', '{app: web, tier: front}')
      .replace(
        '{matchLabels: {app: web}}',
        '{matchExpressions: [{key: tier, operator: In, values: [front]}]}',
      );
    const { first, second } = twice(matching);
    const pdbs = parseManifests(first.files[0]!.after, 'a.yaml').objects.filter(
      (o) => o.kind === 'PodDisruptionBudget',
    );
    expect(pdbs.map((p) => p.raw['spec'])).toEqual([
      {
        maxUnavailable: 1,
        selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    ]);
    expect(second.rounds).toEqual([]);
  });
});
