/**
 * fix does work in proportion to what it changes (issue 15): these tests count the work itself (rule
 * runs, document copies), not the time, so they hold on a loaded machine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Document, Parser } from 'yaml';
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

  it('parses with yaml only the documents its patches edit, not the other parts of the file', () => {
    const configMap = (i: number): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\ndata:\n` +
      Array.from({ length: 200 }, (_, j) => `  key${j}: value-${i}-${j}\n`).join('');
    const text = [configMap(0), deployment, configMap(1)].join('---\n');
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const toJS = vi.spyOn(Document.prototype, 'toJS');
    const out = applyPatches(text, 'f.yaml', [
      { ...patch([{ op: 'replace', path: '/spec/replicas', value: 2 }]), doc: 1 },
      // Addressed to a ConfigMap that is not the Deployment: refused without parsing it.
      { ...patch([{ op: 'replace', path: '/spec/replicas', value: 2 }]), doc: 2 },
    ]);
    expect(out.applied).toHaveLength(1);
    expect(out.skipped.map((s) => s.reason)).toEqual(['document 2 is no longer Deployment web']);
    expect(out.text).toBe(text.replace('  replicas: 1\n', '  replicas: 2\n'));
    const parsed = parse.mock.calls.map(([source]) => source);
    // The Deployment alone (yaml's rendering differs from it: the splice is checked on its value).
    expect(parsed).toEqual([deployment]);
    expect(toJS).not.toHaveBeenCalled();
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

  it('parses for its edits only the documents a later round edits, not the whole file again', () => {
    const configMap = (i: number): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\ndata:\n` +
      Array.from({ length: 200 }, (_, j) => `  key${j}: value-${i}-${j}\n`).join('');
    // A Deployment among 20 long ConfigMaps; its fixes take two rounds (the PDB and the spread come
    // once it has two replicas).
    const web = deployment
      .replace('  selector:', '  strategy:\n    type: Recreate\n  selector:')
      .replace('    spec:\n', '    spec:\n      terminationGracePeriodSeconds: 30\n');
    const parts = [...Array.from({ length: 10 }, (_, i) => configMap(i)), web];
    parts.push(...Array.from({ length: 10 }, (_, i) => configMap(10 + i)));
    const text = parts.join('---\n');
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const run = fixSources([{ file: 'all.yaml', text }]);
    const parsed = parse.mock.calls.reduce((n, [source]) => n + source.length, 0);
    expect(run.rounds.length).toBeGreaterThanOrEqual(2);
    // What yaml's parser reads for the edits (applyPatches): the whole file in the first round, then
    // only the documents the later rounds edit. It read the whole file each round before (3 times).
    // (The loader's own re-reading is src/fix/reload.ts, tested in perf-reload.test.ts.)
    expect(parsed / text.length).toBeLessThan(1.5);
  });
});
