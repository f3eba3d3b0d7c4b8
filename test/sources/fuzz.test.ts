import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every rule and the loader, on one input: nothing may throw, and no rule may fail. */
function analyse(text: string): void {
  const { objects, problems } = parseManifests(text, 'fuzz.yaml');
  const result = check(objects, { problems });
  expect(result.errors).toEqual([]);
  for (const f of result.findings) {
    if (f.location) {
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(f.location.column).toBeGreaterThanOrEqual(1);
    }
  }
}

const KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Pod',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'VerticalPodAutoscaler',
  'Service',
  'Job',
  'CronJob',
  'Rollout',
  'Canary',
  'VirtualService',
  'DestinationRule',
  'List',
];
const API = [
  'apps/v1',
  'v1',
  'policy/v1',
  'policy/v1beta1',
  'autoscaling/v2',
  'autoscaling/v1',
  'autoscaling.k8s.io/v1',
  'batch/v1',
  'argoproj.io/v1alpha1',
  'flagger.app/v1beta1',
  'networking.istio.io/v1',
  'extensions/v1beta1',
];
const FIELDS = [
  'spec',
  'replicas',
  'template',
  'metadata',
  'labels',
  'selector',
  'matchLabels',
  'containers',
  'name',
  'minAvailable',
  'maxUnavailable',
  'scaleTargetRef',
  'minReplicas',
  'maxReplicas',
  'affinity',
  'podAntiAffinity',
  'topologySpreadConstraints',
  'topologyKey',
  'labelSelector',
  'readinessProbe',
  'livenessProbe',
  'httpGet',
  'port',
  'ports',
  'resources',
  'requests',
  'cpu',
  'memory',
  'strategy',
  'rollingUpdate',
  'items',
  'http',
  'targetRef',
  'metrics',
  'jobTemplate',
  'lifecycle',
  'preStop',
  'annotations',
  'namespace',
  'kind',
  'apiVersion',
];

// Values of every JSON type under keys Kubernetes manifests use, so rules see plausible but wrong shapes.
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      0,
      1,
      2,
      -1,
      3.5,
      '',
      '25%',
      '100%',
      '0%',
      'web',
      'app',
      '1Gi',
      '100m',
      'abc%',
    ),
    fc.string(),
    fc.integer(),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('node'), { maxKeys: 5 }),
  ),
})).node;

const manifest = fc.record({
  apiVersion: fc.constantFrom(...API),
  kind: fc.constantFrom(...KINDS),
  metadata: fc.record({ name: fc.constantFrom('web', 'api', 'x'), labels: value }),
  spec: value,
  items: value,
});

describe('bad input never crashes the loader or a rule', () => {
  it('random manifests of known kinds with fields of any shape', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), (docs) => {
        analyse(docs.map((d) => stringify(d)).join('---\n'));
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => analyse(s)),
      { numRuns: 400 },
    );
  });

  it('the bundled examples with random bytes deleted, replaced or inserted', () => {
    const root = join(import.meta.dirname, '..', '..', 'examples');
    const texts = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    const mutation = fc.record({
      file: fc.nat(texts.length - 1),
      at: fc.nat(),
      cut: fc.nat(20),
      insert: fc.constantFrom(
        '',
        ':',
        '- ',
        '  ',
        '\t',
        '{',
        '[',
        '&a ',
        '*a',
        '"',
        '\n',
        '---\n',
        '!!binary ',
        '? ',
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        for (const m of mutations) {
          const t = texts[m.file]!;
          const at = m.at % (t.length + 1);
          analyse(t.slice(0, at) + m.insert + t.slice(at + m.cut));
        }
      }),
      { numRuns: 300 },
    );
  });
});
