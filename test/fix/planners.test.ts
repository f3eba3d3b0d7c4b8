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
];

/** What the documented examples keep: findings whose value the user chooses. */
const LEFT: Record<string, RegExp[]> = {
  // web-frontend or web: which one the HPA is for is the user's call.
  'hpa-target-missing': [/the autoscaler scales nothing/],
  // The intended unit (128M or 128Mi) and whether selector or labels are right are the user's call.
  'invalid-object': [/not a Kubernetes quantity/, /does not select its own pod template/],
};

describe("every planner fixes its rule's failing examples, once", () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const left = c.left ?? (c.name === 'the documented Bad example' ? (LEFT[c.rule] ?? []) : []);
      expect(findingsOf(c.rule, c.yaml).length).toBeGreaterThan(0);
      const first = fixSources([{ file: 'bad.yaml', text: c.yaml }], { rules: [c.rule] });
      const fixed = first.files[0]!.after;
      const remaining = findingsOf(c.rule, fixed);
      expect(
        remaining.filter((m) => !left.some((l) => l.test(m))),
        fixed,
      ).toEqual([]);
      if (left.length) expect(first.notFixed.length).toBeGreaterThanOrEqual(remaining.length);
      // A second run changes nothing.
      const second = fixSources([{ file: 'bad.yaml', text: fixed }], { rules: [c.rule] });
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
