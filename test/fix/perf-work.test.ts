/**
 * fix does work in proportion to what it changes (issue 15): these tests count the work itself (rule
 * runs, document copies), not the time, so they hold on a loaded machine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Document } from 'yaml';
import { applyPatches } from '../../src/fix/apply.js';
import { fixSources } from '../../src/fix/run.js';
import type { Patch, PatchOp } from '../../src/fix/types.js';
import { rules } from '../../src/rules/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function patch(ops: PatchOp[]): Patch {
  return {
    rule: 'test',
    description: 'test',
    file: 'f.yaml',
    doc: 0,
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
    ops,
  };
}

const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web # the name',
  'spec:',
  '  replicas: 1',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '',
].join('\n');

describe('applyPatches', () => {
  it('edits a document in place: no copy of the document per patch', () => {
    const clone = vi.spyOn(Document.prototype, 'clone');
    const out = applyPatches(deployment, 'f.yaml', [
      patch([{ op: 'replace', path: '/spec/replicas', value: 2 }]),
      patch([{ op: 'add', path: '/spec/revisionHistoryLimit', value: 5 }]),
      patch([{ op: 'add', path: '/spec/minReadySeconds', value: 10 }]),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.applied).toHaveLength(3);
    expect(out.text).toBe(
      deployment
        .replace('  replicas: 1\n', '  replicas: 2\n')
        .replace('  template:\n', '  revisionHistoryLimit: 5\n  minReadySeconds: 10\n  template:\n'),
    );
    expect(clone).not.toHaveBeenCalled();
  });

  it('leaves no half of a patch whose later op fails, and applies the patches around it', () => {
    const out = applyPatches(deployment, 'f.yaml', [
      patch([{ op: 'replace', path: '/spec/replicas', value: 2 }]),
      // The first op applies, the second cannot (the name is not a mapping): neither stays.
      patch([
        { op: 'add', path: '/spec/revisionHistoryLimit', value: 5 },
        { op: 'add', path: '/metadata/name/nested', value: 1 },
      ]),
      patch([{ op: 'add', path: '/spec/minReadySeconds', value: 10 }]),
    ]);
    expect(out.applied).toHaveLength(2);
    expect(out.skipped).toHaveLength(1);
    expect(out.skipped[0]!.reason).toMatch(/not a mapping/);
    expect(out.text).toBe(
      deployment
        .replace('  replicas: 1\n', '  replicas: 2\n')
        .replace('  template:\n', '  minReadySeconds: 10\n  template:\n'),
    );
  });

  it('leaves a document untouched when the only patch for it fails half way', () => {
    const out = applyPatches(deployment, 'f.yaml', [
      patch([
        { op: 'add', path: '/spec/revisionHistoryLimit', value: 5 },
        { op: 'add', path: '/metadata/name/nested', value: 1 },
      ]),
    ]);
    expect(out.applied).toEqual([]);
    expect(out.text).toBe(deployment);
  });
});

describe('fixSources', () => {
  it('runs each rule with a planner once per round, and at the fixed point only the other rules again', () => {
    const single = rules.find((r) => r.id === 'single-replica')!;
    const overlap = rules.find((r) => r.id === 'pdb-overlap')!;
    expect(single.fix).toBeDefined();
    expect(overlap.fix).toBeUndefined();
    const fixing = vi.spyOn(single, 'check');
    const other = vi.spyOn(overlap, 'check');
    const run = fixSources([{ file: 'web.yaml', text: deployment }], { rules: ['single-replica'] });
    expect(run.rounds).toHaveLength(1);
    expect(run.files[0]!.after).toContain('replicas: 2');
    // Round 1 plans the edit, round 2 finds nothing more to do: the fixed point.
    expect(fixing).toHaveBeenCalledTimes(run.rounds.length + 1);
    expect(other).toHaveBeenCalledTimes(1);
  });
});
