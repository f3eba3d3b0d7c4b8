// The README's "As a library" snippets, run against the package's entry (src/index.ts): the names
// they import exist and do what the README says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  admit,
  applyPatches,
  check,
  fix,
  formatters,
  parseManifests,
  parseReview,
  reviewResponse,
  rules,
  shorthandTopology,
  simulate,
} from '../src/index.js';
import { ROOT } from './cli/run.js';

const file = 'examples/seed/spread-host-az.yaml';
const yamlText = readFileSync(join(ROOT, file), 'utf8');

describe('the library, as the README uses it', () => {
  const { objects, problems } = parseManifests(yamlText, 'k8s/web.yaml');
  const result = check(objects, { problems, kubeVersion: '1.31' });

  it('check: findings with lines and messages', () => {
    expect(result.findings.some((f) => f.rule === 'duplicate-key' && f.location?.line)).toBe(true);
    expect(
      formatters.json(result, {
        toolVersion: 'x',
        rules: [],
        color: false,
        failOn: 'error',
        docsBaseUrl: '',
      }),
    ).toContain('"version": 1');
  });

  it('simulate: a verdict per workload on the shorthand topology', () => {
    const report = simulate(objects, shorthandTopology({ nodes: 6, zones: 3 }), { scenarios: ['zone-loss'] });
    expect(report.workloads.map((w) => w.workload)).toEqual(['default/Deployment/spread-host-az']);
  });

  it('check with ClusterFacts (a scan) runs the live rules, and the simulator only when asked', () => {
    const live = parseManifests(
      `apiVersion: v1
kind: Node
metadata: { name: n1, labels: { topology.kubernetes.io/zone: a } }
status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web:1 }] }
`,
      'live.yaml',
    ).objects.map(({ source: _source, ...o }) => o);
    const facts = { listed: new Set(['Node', 'Deployment', 'Pod']), now: Date.parse('2026-01-01T00:00:00Z') };
    const rulesOf = (r: ReturnType<typeof check>): Set<string> => new Set(r.findings.map((f) => f.rule));
    const scanned = rulesOf(check(live, { cluster: facts }));
    expect(scanned).toContain('single-zone-cluster');
    expect([...scanned].filter((id) => id.startsWith('sim-'))).toEqual([]);
    // Asked for, they run: two replicas on the one node are an outage when it is lost.
    expect(rulesOf(check(live, { cluster: facts, rules }))).toContain('sim-outage');
    // Without ClusterFacts the same objects get the static rules only.
    expect(rulesOf(check(live))).not.toContain('single-zone-cluster');
  });

  it('fix + applyPatches: the edited text, comments and untouched lines kept', () => {
    const { patches, notFixed } = fix(objects, result.findings, { zones: 3 });
    const { text } = applyPatches(yamlText, 'k8s/web.yaml', patches);
    expect(patches.length).toBeGreaterThan(0);
    expect(notFixed.length).toBeGreaterThan(0);
    expect(text).toContain('apiVersion: apps/v1');
    expect(text).not.toMatch(/^piVersion:/m);
    // The hostname term's trailing space, exactly as the guide prints it, survives.
    expect(text).toContain('topologyKey: kubernetes.io/hostname \n');
  });

  it('admit: an admission decision from a review body, as the README shows', () => {
    const body = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'u', operation: 'CREATE', namespace: 'default', object: objects[0]!.raw },
    });
    const request = parseReview(JSON.parse(body));
    expect(typeof request).not.toBe('string');
    if (typeof request === 'string') return;
    // The seed's piVersion: the API server would refuse it first; with apiVersion it is judged.
    request.object = { ...request.object, apiVersion: 'apps/v1' };
    const { response } = admit(request, [], { rules, denyOn: 'error' });
    expect(reviewResponse(response)).toMatchObject({ kind: 'AdmissionReview', response: { uid: 'u' } });
    expect(response.warnings?.length).toBeGreaterThan(0);
  });
});
