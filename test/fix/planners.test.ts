import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fixSources } from '../../src/fix/run.js';
import { parseManifests } from '../../src/sources/parse.js';
import { rules } from '../../src/rules/index.js';
import { yaml } from '../rule-tester.js';

const ROOT = join(import.meta.dirname, '../..');

/** The yaml block under "## Bad" of a rule's page: every rule's documented failing fixture. */
function badExample(id: string): string {
  const page = readFileSync(join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith('Bad'))!;
  return /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
}

function findingsOf(id: string, text: string): string[] {
  const { objects, problems } = parseManifests(text, 'bad.yaml');
  const rule = rules.find((r) => r.id === id)!;
  return check(objects, { rules: [rule], problems }).findings.map((f) => f.message);
}

interface Case {
  rule: string;
  name: string;
  yaml: string;
  /** Findings of the rule that are the user's to settle, so the fix leaves them (with a reason). */
  left?: RegExp[];
}

const cases: Case[] = [
  ...rules
    .filter((r) => r.fix)
    .map((r) => ({ rule: r.id, name: 'the documented Bad example', yaml: badExample(r.id) })),
  {
    rule: 'invalid-object',
    name: "the seed's piVersion",
    yaml: readFileSync(join(ROOT, 'examples/seed/spread-host-az.yaml'), 'utf8'),
  },
  {
    rule: 'hpa-target-missing',
    name: 'an HPA naming the wrong kind',
    yaml: yaml`
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec: { containers: [{ name: db, image: postgres:17 }] }
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27 }] }
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: db }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: db }
        minReplicas: 2
        maxReplicas: 4
    `,
  },
  {
    rule: 'pdb-blocks-eviction',
    name: 'a PDB with neither minAvailable nor maxUnavailable',
    yaml: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27 }] }
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web }
      spec:
        selector: { matchLabels: { app: web } }
    `,
  },
];

/** What the documented examples keep: findings whose value the user chooses. */
const LEFT: Record<string, RegExp[]> = {
  // web-frontend or web: which one the HPA is for is the user's call.
  'hpa-target-missing': [/^HPA web targets Deployment web, which is missing$/],
  // The intended unit (128M or 128Mi) and whether selector or labels are right are the user's call.
  'invalid-object': [/, not a quantity$/, /does not select its own pod template$/],
  // One replica: a second one comes first (single-replica's fix), which the user decides.
  'pdb-allows-all-evictions': [/^PDB search lets a drain evict all 1 of its pods at once$/],
};

describe("every planner fixes its rule's failing examples, once", () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const left = c.left ?? (c.name === 'the documented Bad example' ? (LEFT[c.rule] ?? []) : []);
      expect(findingsOf(c.rule, c.yaml).length).toBeGreaterThan(0);
      const first = fixSources([{ file: 'bad.yaml', text: c.yaml }], { rules: [c.rule], unsafe: true });
      const fixed = first.files[0]!.after;
      const remaining = findingsOf(c.rule, fixed);
      expect(
        remaining.filter((m) => !left.some((l) => l.test(m))),
        fixed,
      ).toEqual([]);
      if (left.length) expect(first.notFixed.length).toBeGreaterThanOrEqual(remaining.length);
      // A second run changes nothing.
      const second = fixSources([{ file: 'bad.yaml', text: fixed }], { rules: [c.rule], unsafe: true });
      expect(second.files[0]!.after).toBe(fixed);
      expect(second.rounds).toEqual([]);
    });
  }
});

describe('required-zone-anti-affinity: the term becomes a zone spread constraint', () => {
  const fixed = (text: string): string =>
    fixSources([{ file: 'f.yaml', text }], { rules: ['required-zone-anti-affinity'] }).files[0]!.after;
  const head = yaml`
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: db }
    spec:
      replicas: 5
      serviceName: db
      selector: { matchLabels: { app: db } }
      template:
        metadata: { labels: { app: db } }
        spec:
  `;

  it('removes only the term when other required terms stay, and adds the constraint with its selector', () => {
    const text =
      head +
      [
        '      affinity:',
        '        podAntiAffinity:',
        '          requiredDuringSchedulingIgnoredDuringExecution:',
        '            - labelSelector: { matchExpressions: [{ key: app, operator: In, values: [db] }] }',
        '              topologyKey: topology.kubernetes.io/zone',
        '            - labelSelector: { matchLabels: { app: db } }',
        '              topologyKey: kubernetes.io/hostname',
        '      containers: [{ name: db, image: postgres:17 }]',
        '',
      ].join('\n');
    expect(fixed(text)).toBe(
      head +
        [
          '      affinity:',
          '        podAntiAffinity:',
          '          requiredDuringSchedulingIgnoredDuringExecution:',
          '            - labelSelector: { matchLabels: { app: db } }',
          '              topologyKey: kubernetes.io/hostname',
          '      topologySpreadConstraints:',
          '        - maxSkew: 1',
          '          topologyKey: topology.kubernetes.io/zone',
          '          whenUnsatisfiable: DoNotSchedule',
          '          nodeTaintsPolicy: Honor',
          // New nodes are written in block style, whatever the style of the term they come from.
          '          labelSelector:',
          '            matchExpressions:',
          '              - key: app',
          '                operator: In',
          '                values:',
          '                  - db',
          '      containers: [{ name: db, image: postgres:17 }]',
          '',
        ].join('\n'),
    );
  });

  it('keeps podAntiAffinity when it has preferred terms, and adds nothing when an equivalent constraint exists', () => {
    const text =
      head +
      [
        '      affinity:',
        '        podAntiAffinity:',
        '          requiredDuringSchedulingIgnoredDuringExecution:',
        '            - labelSelector: { matchLabels: { app: db } }',
        '              topologyKey: topology.kubernetes.io/zone',
        '          preferredDuringSchedulingIgnoredDuringExecution:',
        '            - weight: 100',
        '              podAffinityTerm:',
        '                labelSelector: { matchLabels: { app: db } }',
        '                topologyKey: kubernetes.io/hostname',
        '      topologySpreadConstraints:',
        '        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: db } } }',
        '      containers: [{ name: db, image: postgres:17 }]',
        '',
      ].join('\n');
    expect(fixed(text)).toBe(
      text.replace(
        '          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector: { matchLabels: { app: db } }\n              topologyKey: topology.kubernetes.io/zone\n',
        '',
      ),
    );
  });
});

describe('unsafe fixes apply only on request', () => {
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      replicas: 3
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx:1.27 }] }
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: { name: web, namespace: shop }
    spec:
      scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      minReplicas: 3
      maxReplicas: 12
  `;

  it('leaves them out, saying what they would do and what to check, then applies them with unsafe', () => {
    const safe = fixSources([{ file: 'f.yaml', text: deployment }], { rules: ['hpa-replicas-conflict'] });
    expect(safe.files[0]!.after).toBe(deployment);
    expect(safe.review).toEqual([]);
    expect(safe.notFixed).toEqual([
      expect.objectContaining({
        rule: 'hpa-replicas-conflict',
        unsafe: true,
        reason: expect.stringMatching(
          /^an unsafe fix \(--unsafe-fixes applies it\): remove spec.replicas .*kubectl apply edit-last-applied deployment\/web -n shop/,
        ) as unknown,
      }),
    ]);
    const unsafe = fixSources([{ file: 'f.yaml', text: deployment }], {
      rules: ['hpa-replicas-conflict'],
      unsafe: true,
    });
    expect(unsafe.files[0]!.after).toBe(deployment.replace('  replicas: 3\n', ''));
    expect(unsafe.notFixed).toEqual([]);
    expect(unsafe.review.map((p) => [p.rule, p.unsafe !== undefined])).toEqual([
      ['hpa-replicas-conflict', true],
    ]);
  });
});

describe('singleton-pod: a long-running bare Pod becomes a Deployment', () => {
  const run = (text: string) =>
    fixSources([{ file: 'f.yaml', text }], { rules: ['singleton-pod'], unsafe: true, zones: 3 });

  it('keeps the pod spec with its comments, labels the pods, and moves pod annotations to the template', () => {
    const text = [
      '# left behind',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: worker',
      '  namespace: jobs',
      '  annotations:',
      '    sidecar.istio.io/inject: "false"',
      'spec:',
      '  containers:',
      '    - name: worker # the queue consumer',
      '      image: ghcr.io/example/worker:2',
      '',
    ].join('\n');
    const r = run(text);
    expect(r.files[0]!.after).toBe(
      [
        '# left behind',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: worker',
        '  namespace: jobs',
        '  labels:',
        '    app: worker',
        'spec:',
        '  replicas: 3',
        '  selector:',
        '    matchLabels:',
        '      app: worker',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: worker',
        '      annotations:',
        '        sidecar.istio.io/inject: "false"',
        '    spec:',
        '      containers:',
        '        - name: worker # the queue consumer',
        '          image: ghcr.io/example/worker:2',
        '',
      ].join('\n'),
    );
    expect(r.review[0]!.unsafe).toMatch(/kubectl delete pod worker -n jobs/);
    expect(findingsOf('singleton-pod', r.files[0]!.after)).toEqual([]);
  });

  it('leaves a pod that runs to completion, claims a volume, or is bound to a node', () => {
    const pod = (spec: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: { name: p, labels: { app: p } }\nspec:\n${spec}`;
    const cases: [string, RegExp][] = [
      ['  restartPolicy: Never\n  containers: [{ name: c, image: busybox:1.36 }]\n', /a Job/],
      [
        '  containers: [{ name: c, image: busybox:1.36 }]\n  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]\n',
        /volume data .*StatefulSet/,
      ],
      ['  nodeName: node-1\n  containers: [{ name: c, image: busybox:1.36 }]\n', /node node-1/],
    ];
    for (const [spec, reason] of cases) {
      const r = run(pod(spec));
      expect(r.files[0]!.after).toBe(pod(spec));
      expect(r.notFixed.map((n) => n.reason)).toEqual([expect.stringMatching(reason)]);
    }
  });
});

describe('no-zone-spread: a pin to one zone goes (unsafe), and the spread constraint follows', () => {
  const statefulSet = (podSpec: string, extra = ''): string =>
    [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata: { name: db }',
      'spec:',
      '  replicas: 3',
      '  serviceName: db',
      '  selector: { matchLabels: { app: db } }',
      '  template:',
      '    metadata: { labels: { app: db } }',
      '    spec:',
      podSpec,
      '      containers: [{ name: db, image: postgres:17 }]',
      extra,
    ].join('\n');
  const run = (text: string) =>
    fixSources([{ file: 'f.yaml', text }], { rules: ['no-zone-spread'], unsafe: true });

  it('removes the nodeSelector (or only its zone key) and adds the zone constraint', () => {
    const only = run(statefulSet('      nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }'));
    expect(only.files[0]!.after).not.toContain('nodeSelector');
    expect(only.files[0]!.after).toContain('topologyKey: topology.kubernetes.io/zone');
    expect(only.review.map((p) => p.description)).toEqual([
      'remove the pin to topology.kubernetes.io/zone=eu-west-1a',
    ]);
    expect(findingsOf('no-zone-spread', only.files[0]!.after)).toEqual([]);
    const two = run(
      statefulSet(
        '      nodeSelector:\n        topology.kubernetes.io/zone: eu-west-1a\n        kubernetes.io/os: linux',
      ),
    );
    expect(two.files[0]!.after).toContain('      nodeSelector:\n        kubernetes.io/os: linux\n');
  });

  it('removes a nodeName pin for no-node-spread', () => {
    const text = statefulSet('      nodeName: node-1 # while debugging');
    const r = fixSources([{ file: 'f.yaml', text }], { rules: ['no-node-spread'], unsafe: true });
    expect(r.review.map((p) => p.description)).toEqual(['remove the pin to node node-1']);
    expect(r.files[0]!.after).not.toContain('nodeName');
    expect(r.files[0]!.after).toContain('topologyKey: kubernetes.io/hostname');
    expect(findingsOf('no-node-spread', r.files[0]!.after)).toEqual([]);
  });

  it('leaves pins of pods with claimed volumes, and pins by node affinity, to the user', () => {
    const claims = statefulSet(
      '      nodeSelector: { topology.kubernetes.io/zone: eu-west-1a }',
      '  volumeClaimTemplates: [{ metadata: { name: data }, spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } } }]\n',
    );
    expect(run(claims).files[0]!.after).toBe(claims);
    expect(run(claims).notFixed[0]!.reason).toMatch(/claim persistent volumes/);
    const affinity = statefulSet(
      '      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a] }] }] } } }',
    );
    expect(run(affinity).files[0]!.after).toBe(affinity);
    expect(run(affinity).notFixed[0]!.reason).toMatch(/required node affinity/);
  });
});
