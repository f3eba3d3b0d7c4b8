import { describe, expect, it } from 'vitest';
import { matches, parseSelector } from '../../src/model/labels.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import { parseManifests } from '../../src/sources/parse.js';

function index(text: string): ObjectIndex {
  return new ObjectIndex(parseManifests(text, 'x.yaml').objects);
}

describe('label selectors (metav1.LabelSelector semantics)', () => {
  const sel = (v: unknown) => parseSelector(v as never)!;
  it('matchLabels and every operator', () => {
    const s = sel({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'track', operator: 'NotIn', values: ['beta'] },
        { key: 'team', operator: 'Exists' },
      ],
    });
    expect(matches(s, { app: 'web', tier: 'a', team: 'x' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'a', team: 'x', track: 'stable' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'c', team: 'x' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'a', team: 'x', canary: '1' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'a', team: 'x', track: 'beta' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'a' })).toBe(false);
  });
  it('an empty selector matches everything; an absent one is undefined', () => {
    expect(matches(sel({}), { any: 'thing' })).toBe(true);
    expect(parseSelector(undefined)).toBeUndefined();
    expect(parseSelector(null)).toBeUndefined();
  });
});

describe('ObjectIndex joins', () => {
  const objects = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web, tier: fe}}, spec: {containers: [{name: c, image: i}]}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: everything, namespace: shop}
spec: {maxUnavailable: 1, selector: {}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: nothing, namespace: shop}
spec: {maxUnavailable: 1, selector: {}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: other-ns, namespace: default}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 5}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: headless-external, namespace: shop}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: web, namespace: shop}
spec: {targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web-rollout, namespace: shop}
spec:
  replicas: 3
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
`;
  const idx = index(objects);
  const web = idx.workload('shop', 'Deployment', 'web')!;

  it('joins PDBs by selector in the same namespace; policy/v1 {} selects all, v1beta1 {} none', () => {
    expect(idx.pdbsFor(web).map((p) => p.name)).toEqual(['web', 'everything']);
  });

  it('joins HPAs, canaries and Services to their targets', () => {
    expect(idx.hpasFor(web).map((h) => h.name)).toEqual(['web']);
    expect(idx.canariesFor(web).map((h) => h.name)).toEqual(['web']);
    expect(idx.servicesFor(web).map((s) => s.name)).toEqual(['web']);
    expect(idx.targetOf(idx.hpas[0]!)).toBe(web);
  });

  it("resolves an Argo Rollout's workloadRef to the Deployment's pod template", () => {
    const rollout = idx.workload('shop', 'Rollout', 'web-rollout')!;
    expect(rollout.templateRef).toEqual({ kind: 'Deployment', name: 'web' });
    expect(idx.templateOf(rollout)).toBe(web);
    expect(idx.pdbsFor(rollout).map((p) => p.name)).toEqual(['web', 'everything']);
  });

  it('knows which kinds each namespace has, so a missing target means something', () => {
    expect(idx.hasKindIn('shop', 'Deployment')).toBe(true);
    expect(idx.hasKindIn('shop', 'StatefulSet')).toBe(false);
  });

  it('gives workloads of every pod-making kind a pod spec path', () => {
    const w = index(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec: {jobTemplate: {spec: {template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}], initContainers: [{name: s, image: i, restartPolicy: Always}, {name: init, image: i}]}}}}}
`).workloads[0]!;
    expect(w.podSpecPath).toBe('/spec/jobTemplate/spec/template/spec');
    expect(w.longRunning).toBe(false);
    expect(w.podLabels).toEqual({ a: 'b' });
    expect(w.containers.map((c) => [c.name, c.kind, c.path])).toEqual([
      ['c', 'app', '/spec/jobTemplate/spec/template/spec/containers/0'],
      ['s', 'sidecar', '/spec/jobTemplate/spec/template/spec/initContainers/0'],
    ]);
  });
});

describe('ObjectIndex joins per object, not per name', () => {
  // Two overlays (or environments) checked together define Deployment shop/web twice, with other labels.
  const file = (labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  template: {metadata: {labels: {${labels}}}, spec: {containers: [{name: c, image: i}]}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-${labels.replace(/\W/g, '')}, namespace: shop}
spec: {maxUnavailable: 1, selector: {matchLabels: {${labels}}}}
---
apiVersion: v1
kind: Service
metadata: {name: web-${labels.replace(/\W/g, '')}, namespace: shop}
spec: {selector: {${labels}}}
`;
  const objects = [
    ...parseManifests(file('app: blue'), 'overlays/blue/web.yaml').objects,
    ...parseManifests(file('app: green'), 'overlays/green/web.yaml').objects,
  ];

  it('gives two same-named workloads from different files their own PDBs and Services', () => {
    const idx = new ObjectIndex(objects);
    const [blue, green] = idx.workloads;
    expect(blue!.id).toBe(green!.id);
    expect(idx.pdbsFor(blue!).map((p) => p.name)).toEqual(['web-appblue']);
    // Asked second, the green copy used to get the blue one's answer (the joins were cached by id).
    expect(idx.pdbsFor(green!).map((p) => p.name)).toEqual(['web-appgreen']);
    expect(idx.servicesFor(blue!).map((s) => s.name)).toEqual(['web-appblue']);
    expect(idx.servicesFor(green!).map((s) => s.name)).toEqual(['web-appgreen']);
  });
});

describe('ObjectIndex.remember', () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

  it('works an answer out once per question and key, and again for another index', () => {
    const a = index(yaml);
    const w = a.workloads[0]!;
    let calls = 0;
    const ask = (i: ObjectIndex, key: object) => i.remember('replicas', key, () => ++calls);
    expect(ask(a, w)).toBe(1);
    expect(ask(a, w)).toBe(1);
    // undefined is an answer too, remembered like any other.
    expect(a.remember('nothing', w, () => (calls++, undefined))).toBeUndefined();
    expect(a.remember('nothing', w, () => (calls++, undefined))).toBeUndefined();
    expect(calls).toBe(2);
    const b = index(yaml);
    expect(ask(b, b.workloads[0]!)).toBe(3);
    expect(ask(a, a.objects[0]!)).toBe(4);
  });
});
