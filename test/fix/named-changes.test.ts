import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fix } from '../../src/fix/plan.js';
import { getAt } from '../../src/model/json-path.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { fixSources } from '../../src/fix/run.js';
import { yaml } from '../rule-tester.js';

const ROOT = join(import.meta.dirname, '../..');

/** Every rule's documented Bad example, and every file of examples/: what the planners are run on. */
function inputs(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const rule of rules) {
    const page = readFileSync(join(ROOT, 'docs/rules', `${rule.id}.md`), 'utf8');
    const section = page.split(/^## /m).find((s) => s.startsWith('Bad'));
    const yaml = section ? /```yaml\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
    if (yaml) out.push({ name: `docs/rules/${rule.id}.md`, text: yaml });
  }
  for (const dir of readdirSync(join(ROOT, 'examples')))
    for (const f of readdirSync(join(ROOT, 'examples', dir)).filter((f) => /\.ya?ml$/.test(f)))
      out.push({ name: `examples/${dir}/${f}`, text: readFileSync(join(ROOT, 'examples', dir, f), 'utf8') });
  return [...out, ...EXTRA];
}

/** Values the Bad examples do not reach: a short grace period, a budget of 0%, a policy set to Ignore. */
const EXTRA = [
  {
    name: 'a grace period of 5 s, a preStop sleep of 0, a sleep longer than the grace period',
    text: yaml`
      apiVersion: v1
      kind: Service
      metadata: { name: web }
      spec: { selector: { app: web }, ports: [{ port: 80 }] }
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            terminationGracePeriodSeconds: 5
            containers: [{ name: web, image: nginx:1.27 }]
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web-zero }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers:
              - name: web
                image: nginx:1.27
                lifecycle: { preStop: { sleep: { seconds: 0 } } }
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web-long }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            terminationGracePeriodSeconds: 20
            containers:
              - name: web
                image: nginx:1.27
                lifecycle: { preStop: { exec: { command: [sleep, "25"] } } }
    `,
  },
  {
    name: 'a budget of 0%, a rollout of 100% unavailable, a spread that ignores taints',
    text: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: api }
      spec:
        replicas: 4
        selector: { matchLabels: { app: api } }
        strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 0, maxUnavailable: 100% } }
        template:
          metadata: { labels: { app: api } }
          spec:
            topologySpreadConstraints:
              - maxSkew: 1
                topologyKey: topology.kubernetes.io/zone
                whenUnsatisfiable: DoNotSchedule
                nodeTaintsPolicy: Ignore
                labelSelector: { matchLabels: { app: api } }
            containers: [{ name: api, image: nginx:1.27 }]
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: api }
      spec:
        maxUnavailable: 0%
        selector: { matchLabels: { app: api } }
    `,
  },
];

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The value as a word of the description ("0" is not found in "10"). */
const token = (v: string | number | boolean): RegExp =>
  new RegExp(`(^|[\\s"'(=])${String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s"'),;:]|\\.\\s)`);

describe('no value changes without being named', () => {
  for (const input of inputs()) {
    it(`${input.name}: each edit that changes a value the user wrote names the old and the new value`, () => {
      const { objects, problems } = parseManifests(input.text, 'f.yaml');
      const { findings } = check(objects, { problems, rules: rules.filter((r) => r.fix) });
      const { patches } = fix(objects, findings, { unsafe: true });
      for (const patch of patches) {
        const object = objects.find((o) => o.source?.doc === patch.doc);
        if (!object) continue;
        // A kind change (a Pod made a Deployment) names the kinds; its apiVersion goes with them.
        const kindChange = patch.ops.some((op) => op.op === 'replace' && op.path === '/kind');
        for (const op of patch.ops) {
          if (op.op !== 'add' && op.op !== 'replace') continue;
          if (kindChange && op.path === '/apiVersion') continue;
          const old = getAt(object.raw, op.path);
          if (!isScalar(old) || !isScalar(op.value) || old === op.value) continue;
          const why = `${patch.rule} ${op.path}: ${JSON.stringify(old)} → ${JSON.stringify(op.value)}`;
          expect(patch.description, why).toMatch(token(op.value));
          // Quoting a YAML 1.1 boolean (no → "no") keeps the text the user wrote: the new value names it.
          if (typeof old === 'boolean' && typeof op.value === 'string') continue;
          expect(patch.description, why).toMatch(token(old));
        }
      }
    });
  }
});

describe('no-graceful-shutdown names the grace period it raises', () => {
  it('adds the preStop sleep and says that terminationGracePeriodSeconds goes from 5 to 30', () => {
    const run = fixSources([{ file: 'f.yaml', text: EXTRA[0]!.text }], { rules: ['no-graceful-shutdown'] });
    const web = run.rounds.flat().filter((p) => p.object.name === 'web');
    expect(web.map((p) => p.description)).toEqual([
      'add a preStop sleep of 5 s, and raise terminationGracePeriodSeconds from 5 to 30',
    ]);
    expect(run.files[0]!.after).toContain('terminationGracePeriodSeconds: 30');
  });
});
