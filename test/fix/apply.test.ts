import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAt } from '../../src/model/json-path.js';
import { parseManifests } from '../../src/sources/parse.js';
import { applyPatches, OVERLAPS } from '../../src/fix/apply.js';
import type { Patch, PatchOp } from '../../src/fix/types.js';

const ROOT = join(import.meta.dirname, '../..');
const seedDeployment = readFileSync(join(ROOT, 'examples/seed/spread-host-az.yaml'), 'utf8');

function patch(doc: number | undefined, kind: string, name: string, ops: PatchOp[], file = 'f.yaml'): Patch {
  return {
    rule: 'test',
    description: 'test',
    file,
    ...(doc !== undefined ? { doc } : {}),
    object: { apiVersion: 'v1', kind, namespace: 'default', name },
    ops,
  };
}

describe('applyPatches', () => {
  it('keeps a file with no patch for it byte for byte (the same string)', () => {
    const text = '# c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    expect(applyPatches(text, 'f.yaml', [patch(0, 'ConfigMap', 'a', [], 'other.yaml')]).text).toBe(text);
  });

  it('changes only the document it edits; comments, quoting, blank lines and separators survive', () => {
    const text = [
      '# header comment',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web   # the name',
      '  labels: { app: "web", tier: \'front\' }',
      'spec:',
      '  replicas: 1 # one for now',
      '',
      '  # the selector',
      '  selector:',
      '    matchLabels:',
      '      app: "web"',
      '---   # second document',
      'apiVersion: v1',
      'kind: Service',
      'metadata:   {name: web}',
      'spec:',
      '    selector: {app: web}',
      '',
    ].join('\n');
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'Deployment', 'web', [{ op: 'replace', path: '/spec/replicas', value: 3 }]),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.text).toBe(text.replace('replicas: 1 # one for now', 'replicas: 3 # one for now'));
  });

  it('adds keys in the indentation and sequence style of the file', () => {
    const four =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n    name: w\nspec:\n    template:\n        spec:\n            containers:\n                - name: a\n                  image: x\n';
    const tolerations = {
      op: 'add' as const,
      path: '/spec/template/spec/tolerations',
      value: [{ key: 'k', operator: 'Exists' }],
    };
    // Placed before containers (see the placement test below), in the file's own indentation.
    const before = (text: string, line: string, added: string): string => text.replace(line, added + line);
    expect(applyPatches(four, 'f.yaml', [patch(0, 'Deployment', 'w', [tolerations])]).text).toBe(
      before(
        four,
        '            containers:\n',
        '            tolerations:\n                - key: k\n                  operator: Exists\n',
      ),
    );
    const two =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n';
    expect(applyPatches(two, 'f.yaml', [patch(0, 'Deployment', 'w', [tolerations])]).text).toBe(
      before(two, '      containers:\n', '      tolerations:\n      - key: k\n        operator: Exists\n'),
    );
    // yaml cannot write 4-space mappings with unindented sequences: the untouched lines stay as they
    // are, and the new ones read right though they are indented differently.
    const mixed = four
      .replace('                - name', '            - name')
      .replace('                  image', '              image');
    const out = applyPatches(mixed, 'f.yaml', [patch(0, 'Deployment', 'w', [tolerations])]).text;
    expect(
      out.replace('            tolerations:\n              - key: k\n                operator: Exists\n', ''),
    ).toBe(mixed);
    expect(getAt(parseManifests(out, 'f.yaml').objects[0]!.raw, '/spec/template/spec/tolerations')).toEqual(
      tolerations.value,
    );
  });

  it("renames a misspelt key in place and merges the seed's repeated podAntiAffinity", () => {
    const out = applyPatches(seedDeployment, 'f.yaml', [
      patch(0, 'Deployment', 'spread-host-az', [{ op: 'rename', path: '/piVersion', to: 'apiVersion' }]),
      patch(0, 'Deployment', 'spread-host-az', [
        { op: 'dedupe', path: '/spec/template/spec/affinity/podAntiAffinity' },
      ]),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.text.startsWith('apiVersion: apps/v1\nkind: Deployment\n')).toBe(true);
    const { objects, problems } = parseManifests(out.text, 'f.yaml');
    expect(problems).toEqual([]);
    const terms = getAt(
      objects[0]!.raw,
      '/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution',
    );
    expect([getAt(terms, '/0/weight'), getAt(terms, '/1/weight'), getAt(terms, '/2')]).toEqual([
      100,
      99,
      undefined,
    ]);
    // Only the lines of the repeated key change: the rest keeps its bytes, trailing space included.
    expect(out.text).toContain('topologyKey: kubernetes.io/hostname \n');
    // The second key and its sequence's key are the only lines gone.
    expect(out.text.split('\n').length).toBe(seedDeployment.split('\n').length - 2);
  });

  it('keeps the later value and leaves the earlier one as a comment when the two contradict', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  mode: fast\n  mode: safe\n';
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'c', [{ op: 'dedupe', path: '/data/mode' }]),
    ]);
    expect(out.text).toContain('# kubeha fix: "mode" was repeated here');
    expect(out.text).toContain('#   mode: fast');
    expect(out.text).toMatch(/\n {2}mode: safe\n$/);
    expect(parseManifests(out.text, 'f.yaml').problems).toEqual([]);
  });

  it('never changes a file with a syntax error', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\nkey: [unclosed\n';
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'c', [{ op: 'add', path: '/data', value: { a: 'b' } }]),
    ]);
    expect(out.text).toBe(text);
    expect(out.skipped[0]!.reason).toMatch(/does not parse/);
  });

  it('puts a new document after its object, or at the end of another file', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'a', [
        { op: 'create', value: { kind: 'X', metadata: { name: 'new' } }, comment: 'added' },
      ]),
    ]);
    expect(out.text).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# added\nkind: X\nmetadata:\n  name: new\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    );
    const empty = applyPatches('', 'p.yaml', [
      patch(undefined, 'ConfigMap', 'a', [{ op: 'create', value: { kind: 'X' } }], 'p.yaml'),
    ]);
    expect(empty.text).toBe('kind: X\n');
    expect(
      applyPatches('a: 1', 'p.yaml', [
        patch(undefined, 'C', 'a', [{ op: 'create', value: { kind: 'X' } }], 'p.yaml'),
      ]).text,
    ).toBe('a: 1\n---\nkind: X\n');
  });

  it('defers a patch that overlaps an earlier edit of the same document', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n';
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'a', [{ op: 'replace', path: '/data/x', value: '2' }]),
      patch(0, 'ConfigMap', 'a', [{ op: 'remove', path: '/data' }]),
    ]);
    expect(out.text).toBe(text.replace('"1"', '"2"'));
    expect(out.skipped.map((s) => s.reason)).toEqual([OVERLAPS]);
  });

  it('refuses a patch whose document is no longer its object, and keeps CRLF line ends', () => {
    const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\ndata:\r\n  x: "1"\r\n';
    expect(
      applyPatches(text, 'f.yaml', [patch(0, 'ConfigMap', 'b', [{ op: 'remove', path: '/data' }])])
        .skipped[0]!.reason,
    ).toMatch(/no longer ConfigMap b/);
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'a', [{ op: 'add', path: '/data/y', value: 'z' }]),
    ]);
    expect(out.text).toBe(text + '  "y": z\r\n'); // quoted: kubectl reads a plain y as true
  });

  it('moves a node with its comments, and the comment above its key, into a new parent', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '# the pod spec',
      'spec:',
      '  containers:',
      '    - name: c # the only one',
      '      image: busybox:1.36',
      '',
    ].join('\n');
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'Pod', 'p', [
        { op: 'move', from: '/spec', path: '/parked' },
        { op: 'add', path: '/spec', value: { template: { metadata: { labels: { app: 'p' } } } } },
        { op: 'move', from: '/parked', path: '/spec/template/spec' },
      ]),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.text).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: p',
        'spec:',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: p',
        '    # the pod spec',
        '    spec:',
        '      containers:',
        '        - name: c # the only one',
        '          image: busybox:1.36',
        '',
      ].join('\n'),
    );
    const into = applyPatches(text, 'f.yaml', [
      patch(0, 'Pod', 'p', [{ op: 'move', from: '/spec', path: '/spec/template/spec' }]),
    ]);
    expect(into.text).toBe(text);
    expect(into.skipped[0]!.reason).toMatch(/cannot move \/spec into itself/);
    const missing = applyPatches(text, 'f.yaml', [
      patch(0, 'Pod', 'p', [{ op: 'move', from: '/status', path: '/x' }]),
    ]);
    expect(missing.skipped[0]!.reason).toMatch(/nothing at \/status to move/);
  });

  it('keeps a line yaml would write differently when only its neighbour is edited', () => {
    // yaml writes one space before a comment and cannot write `[{ … }]` (padding inside only): both
    // lines differ from its rendering, and removing the first must leave the second byte for byte.
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  nodeName: node-1   # while debugging',
      '  containers: [{ name: c, image: busybox:1.36 }]',
      '',
    ].join('\n');
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'Pod', 'p', [{ op: 'remove', path: '/spec/nodeName' }]),
    ]);
    expect(out.text).toBe(text.replace('  nodeName: node-1   # while debugging\n', ''));
  });

  it('keeps anchors and aliases', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l\n    app: a\n  annotations: *l\ndata:\n  x: "1"\n';
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'ConfigMap', 'a', [{ op: 'add', path: '/data/y', value: '2' }]),
    ]);
    expect(out.text).toBe(text + '  "y": "2"\n');
  });

  it('puts a new key where a person would: before the first key the convention puts after it', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  # how it rolls out',
      '  strategy:',
      '    type: RollingUpdate',
      '  selector:',
      '    matchLabels: { app: web }',
      '  template:',
      '    metadata:',
      '      labels: { app: web }',
      '    spec:',
      '      affinity: {}',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '---',
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata:',
      '  name: web',
      'spec:',
      '  selector:',
      '    matchLabels: { app: web }',
      '',
    ].join('\n');
    const out = applyPatches(text, 'f.yaml', [
      patch(0, 'Deployment', 'web', [
        { op: 'add', path: '/spec/replicas', value: 2 },
        { op: 'add', path: '/spec/revisionHistoryLimit', value: 10 },
        { op: 'add', path: '/spec/template/spec/topologySpreadConstraints/-', value: { maxSkew: 1 } },
        // A key the convention does not place goes at the end, as before.
        { op: 'add', path: '/spec/template/spec/hostAliases', value: [] },
      ]),
      patch(1, 'PodDisruptionBudget', 'web', [{ op: 'add', path: '/spec/maxUnavailable', value: 1 }]),
    ]);
    expect(out.skipped).toEqual([]);
    expect(out.text).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  replicas: 2',
        '  # how it rolls out',
        '  strategy:',
        '    type: RollingUpdate',
        '  selector:',
        '    matchLabels: { app: web }',
        '  revisionHistoryLimit: 10',
        '  template:',
        '    metadata:',
        '      labels: { app: web }',
        '    spec:',
        '      affinity: {}',
        '      topologySpreadConstraints:',
        '        - maxSkew: 1',
        '      containers:',
        '        - name: web',
        '          image: nginx:1.27',
        '      hostAliases: []',
        '---',
        'apiVersion: policy/v1',
        'kind: PodDisruptionBudget',
        'metadata:',
        '  name: web',
        'spec:',
        '  maxUnavailable: 1',
        '  selector:',
        '    matchLabels: { app: web }',
        '',
      ].join('\n'),
    );
  });
});
