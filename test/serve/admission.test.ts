import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { refOf } from '../../src/model/types.js';
import { DOCS_BASE_URL } from '../../src/model/doc-url.js';
import { rules } from '../../src/rules/index.js';
import {
  admit,
  denial,
  parseReview,
  related,
  reviewResponse,
  warning,
  WARNING_MAX,
  type AdmissionRequest,
} from '../../src/serve/admission.js';
import { joinedKinds, joinsOf } from '../../src/serve/context-joins.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { JsonObject } from '../../src/model/types.js';
import { yaml } from '../rule-tester.js';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');

function objectsOf(text: string) {
  return parseManifests(text, 'ctx.yaml', { defaultNamespace: 'shop' }).objects;
}

function request(text: string, operation = 'CREATE'): AdmissionRequest {
  return { uid: 'u-1', operation, namespace: 'shop', object: objectsOf(text)[0]!.raw as JsonObject };
}

const web = (replicas: number, strategy = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web, namespace: shop }
  spec:
    replicas: ${String(replicas)}
    selector: { matchLabels: { app: web } }${strategy}
    template:
      metadata: { labels: { app: web } }
      spec: { containers: [{ name: web, image: nginx:1.27 }] }
`;
const hpa = yaml`
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: web, namespace: shop }
  spec:
    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    minReplicas: 2
    maxReplicas: 6
`;
const rulesOf = (a: ReturnType<typeof admit>) => a.findings.map((f) => f.rule);

describe('parseReview', () => {
  it('reads an admission.k8s.io/v1 review and refuses anything else with a reason', () => {
    expect(
      parseReview({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { uid: 'x', operation: 'CREATE', namespace: 'a', object: { kind: 'Pod' } },
      }),
    ).toEqual({
      uid: 'x',
      operation: 'CREATE',
      namespace: 'a',
      object: { kind: 'Pod' },
    });
    expect(parseReview([])).toBe('the body is not a JSON object');
    expect(parseReview({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview' })).toMatch(
      /v1 AdmissionReview/,
    );
    expect(parseReview({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} })).toMatch(
      /uid/,
    );
    expect(reviewResponse({ uid: 'x', allowed: true })).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'x', allowed: true },
    });
  });
});

describe('admit', () => {
  it('warns about the object under review, joined with its namespace (an HPA there sets the floor)', () => {
    const alone = admit(request(web(1), 'UPDATE'), [], { rules: STATIC, denyOn: 'none' });
    expect(alone.response.allowed).toBe(true);
    expect(rulesOf(alone)).toContain('single-replica');
    expect(
      alone.response.warnings!.some((w) => w.startsWith('kubeha error single-replica: Deployment web')),
    ).toBe(true);
    const withHpa = admit(request(web(1), 'UPDATE'), objectsOf(hpa), { rules: STATIC, denyOn: 'none' });
    expect(rulesOf(withHpa)).not.toContain('single-replica');
    // Findings about the context's objects are not this request's.
    expect(withHpa.findings.every((f) => f.object?.kind === 'Deployment')).toBe(true);
  });

  it('denies only on findings of rules that judge the object itself, at or above --deny-on', () => {
    const unsafeRollout = web(2, '\n    strategy: { rollingUpdate: { maxUnavailable: "100%" } }');
    const denied = admit(request(unsafeRollout), [], { rules: STATIC, denyOn: 'error' });
    expect(denied.response.allowed).toBe(false);
    expect(denied.denied.map((f) => f.rule)).toEqual(['rollout-all-unavailable']);
    expect(denied.response.status).toEqual({
      code: 403,
      message: expect.stringMatching(/^kubeha: rollout-all-unavailable: Deployment web /) as unknown,
    });
    // single-replica is an error too, but reads the absence of an HPA that the same apply may bring.
    const one = admit(request(web(1), 'UPDATE'), [], { rules: STATIC, denyOn: 'error' });
    expect(one.response.allowed).toBe(true);
    expect(rulesOf(one)).toContain('single-replica');
    expect(admit(request(unsafeRollout), [], { rules: STATIC, denyOn: 'none' }).response.allowed).toBe(true);
  });

  it('on CREATE, leaves to the periodic scan what an object still to come in the same apply may excuse', () => {
    const created = admit(request(web(1)), [], { rules: STATIC, denyOn: 'error' });
    expect(created.response.allowed).toBe(true);
    expect(rulesOf(created)).not.toContain('single-replica');
    expect(created.deferred.map((f) => f.rule)).toContain('single-replica');
    expect(created.response.warnings!.join('\n')).not.toMatch(/single-replica|hpa-missing|missing-pdb/);
    // What the object itself says is still told at once, and needs no fresh read of the namespace.
    expect(rulesOf(created)).toContain('missing-liveness-probe');
    expect(created.fromContext).toBe(false);
  });

  it('says when a finding rests on the namespace, so that the server confirms it on a fresh read', () => {
    // The HPA in the (perhaps stale) context is what makes replicas: 3 a conflict.
    const a = admit(request(web(3)), objectsOf(hpa), { rules: STATIC, denyOn: 'none' });
    expect(rulesOf(a)).toContain('hpa-replicas-conflict');
    expect(a.fromContext).toBe(true);
  });

  it('judges who set replicas on the object the API server sends (defaults filled, managedFields kept)', () => {
    const reviews = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/admission-creates.json'), 'utf8'),
    ) as Record<string, { operation: string; namespace: string; object: JsonObject }>;
    const hpaFor = (name: string) =>
      objectsOf(hpa.replace(/name: web/g, `name: ${name}`).replace(/namespace: shop/, 'namespace: probe'));
    const conflicts = Object.entries(reviews).map(([name, r]) => {
      const a = admit({ uid: 'u', ...r }, hpaFor(name), { rules: STATIC, denyOn: 'none' });
      return [name, rulesOf(a).includes('hpa-replicas-conflict')];
    });
    // Applied without replicas (client-side, server-side, kubectl create: the API server's 1), and
    // with replicas: 3 (client-side apply).
    expect(Object.fromEntries(conflicts)).toEqual({ ssa: false, csa: false, created: false, csa3: true });
  });

  it('judges an UPDATE by the new object, not the copy in the context', () => {
    const a = admit(request(web(3), 'UPDATE'), objectsOf(web(1)), { rules: STATIC, denyOn: 'none' });
    expect(rulesOf(a)).not.toContain('single-replica');
  });

  it("lets through deletes, a controller's pods and objects without a kind", () => {
    expect(admit(request(web(1), 'DELETE'), [], { rules: STATIC, denyOn: 'info' }).response).toEqual({
      uid: 'u-1',
      allowed: true,
    });
    const owned = yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-abc
        namespace: shop
        ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: r, controller: true }]
      spec: { containers: [{ name: web, image: nginx:1.27 }] }
    `;
    expect(admit(request(owned), [], { rules: STATIC, denyOn: 'info' }).response).toEqual({
      uid: 'u-1',
      allowed: true,
    });
    const bare = admit(request(owned.replace(/ {2}ownerReferences.*\n/, '')), [], {
      rules: STATIC,
      denyOn: 'none',
    });
    expect(rulesOf(bare)).toContain('singleton-pod');
    expect(
      admit({ uid: 'u', operation: 'CREATE', namespace: 'shop', object: { metadata: {} } }, [], {
        rules: STATIC,
        denyOn: 'info',
      }).response.allowed,
    ).toBe(true);
  });

  it('keeps each warning to `kubeha <severity> <rule>: <headline>`, cut at a word to 120 characters', () => {
    // The longest name Kubernetes allows (a DNS subdomain, 253 characters), in a Pod and a Deployment.
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(name).toHaveLength(253);
    const long = web(1, '\n    strategy: { rollingUpdate: { maxUnavailable: "100%" } }').replaceAll(
      'name: web,',
      `name: ${name},`,
    );
    const pod = yaml`
      apiVersion: v1
      kind: Pod
      metadata: { name: ${name}, namespace: shop }
      spec: { containers: [{ name: c, image: busybox }] }
    `;
    for (const text of [long, pod]) {
      const a = admit(request(text, 'UPDATE'), [], { rules: STATIC, denyOn: 'none' });
      expect(a.response.warnings!.length).toBeGreaterThan(1);
      a.findings.forEach((f, i) => {
        const w = a.response.warnings![i]!;
        expect(w.length, w).toBeLessThanOrEqual(WARNING_MAX);
        expect(w.startsWith(`kubeha ${f.severity} ${f.rule}: `), w).toBe(true);
        // The object is still named: at least the start of its long name.
        if (f.message.includes('aaaaa')) expect(w, w).toMatch(/ a{5,}/);
      });
    }
    expect(WARNING_MAX).toBe(120);
    const finding = { rule: 'r', severity: 'info' as const, category: 'workload' as const, detail: 'More.' };
    expect(warning({ ...finding, message: 'Deployment web runs 1 replica' })).toBe(
      'kubeha info r: Deployment web runs 1 replica',
    );
    // A long name is shortened in the middle, so that the object stays named, and the rest is kept.
    const named = warning({ ...finding, message: `Deployment ${'n'.repeat(90)}x has no livenessProbe` });
    expect(named).toMatch(/^kubeha info r: Deployment n+…n*x has no livenessProbe$/);
    expect(named).toHaveLength(120);
    // A headline of 120 characters no longer fits with the prefix: cut at a word, never mid-word.
    const w = warning({ ...finding, message: `${'word '.repeat(23)}end!` });
    expect(w).toMatch(/^kubeha info r: (word )+word…$/);
    expect(w.length).toBeLessThanOrEqual(120);
  });

  it("a denial's status message carries each headline, its detail and the rule's docs URL", () => {
    const unsafeRollout = web(2, '\n    strategy: { rollingUpdate: { maxUnavailable: "100%" } }');
    const denied = admit(request(unsafeRollout), [], { rules: STATIC, denyOn: 'error' });
    const [f] = denied.denied;
    expect(denied.response.status!.message).toBe(
      `kubeha: rollout-all-unavailable: ${f!.message}${/[.!?]$/.test(f!.message) ? '' : '.'}` +
        `${f!.detail ? ` ${f!.detail}` : ''} See ${DOCS_BASE_URL}rollout-all-unavailable.md`,
    );
    const finding = { rule: 'r', severity: 'error' as const, category: 'workload' as const };
    expect(denial({ ...finding, message: 'Pod p has no controller', detail: 'Nothing recreates it.' })).toBe(
      `r: Pod p has no controller. Nothing recreates it. See ${DOCS_BASE_URL}r.md`,
    );
    expect(denial({ ...finding, message: 'Pod p has no controller.', detail: '' })).toBe(
      `r: Pod p has no controller. See ${DOCS_BASE_URL}r.md`,
    );
  });
});

describe('admit narrows the namespace to what the object joins with', () => {
  // Every object of every example folder, reviewed with the rest of its folder as the context: the
  // findings on it are those check reports on it with the whole folder.
  const ROOT = join(import.meta.dirname, '../..');
  for (const example of ['bad-app', 'good-app', 'seed', 'scan']) {
    it(`finds on each object of examples/${example} what check finds on it`, () => {
      const dir = join(ROOT, 'examples', example);
      const text = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n---\n');
      const all = parseManifests(text, 'all.yaml', { defaultNamespace: 'shop' }).objects.filter(
        (o) => o.kind !== 'Node',
      );
      const full = check(all, { rules: STATIC }).findings;
      let compared = 0;
      for (const o of all) {
        // The API server refuses an object without apiVersion (the seed's piVersion) before any webhook.
        if (typeof o.raw['apiVersion'] !== 'string') continue;
        const ref = refOf(o);
        const expected = full
          .filter((f) => JSON.stringify(f.object) === JSON.stringify(ref))
          .map((f) => `${f.rule}: ${f.message}`)
          .sort();
        // On CREATE some are deferred to the periodic scan: together they are what check finds.
        const a = admit(
          { uid: 'u', operation: 'CREATE', namespace: o.namespace, object: o.raw as JsonObject },
          all.filter((c) => c !== o),
          { rules: STATIC, denyOn: 'none' },
        );
        const got = [...a.findings, ...a.deferred].map((f) => `${f.rule}: ${f.message}`);
        expect(got.sort(), `${o.kind} ${o.name}`).toEqual(expected);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

describe('the context is indexed once per read and joined per review', () => {
  // A namespace with every way ObjectIndex joins: selectors by matchLabels, by In, by Exists and NotIn
  // only, empty ones, Services without a selector, autoscalers naming targets of another kind with the
  // same name, Rollouts whose workloadRef names a Deployment (and a Rollout naming a Rollout), PDBs in
  // another namespace, and the context's own copy of the object under review.
  const NAMESPACE = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api, namespace: shop }
    spec:
      replicas: 1
      selector: { matchLabels: { app: api } }
      template:
        metadata: { labels: { app: api, tier: backend } }
        spec: { containers: [{ name: api, image: api:1 }] }
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      replicas: 3
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web, tier: frontend } }
        spec: { containers: [{ name: web, image: web:1 }] }
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: { name: canary, namespace: shop }
    spec:
      replicas: 2
      selector: { matchLabels: { app: api } }
      workloadRef: { apiVersion: apps/v1, kind: Deployment, name: api }
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: { name: outer, namespace: shop }
    spec:
      replicas: 2
      workloadRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: canary }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: by-label, namespace: shop }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: api } } }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: by-in, namespace: shop }
    spec:
      minAvailable: 1
      selector: { matchExpressions: [{ key: tier, operator: In, values: [frontend, edge] }] }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: by-exists, namespace: shop }
    spec:
      maxUnavailable: 1
      selector: { matchExpressions: [{ key: tier, operator: Exists }, { key: app, operator: NotIn, values: [api] }] }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: everything, namespace: shop }
    spec: { maxUnavailable: 1, selector: {} }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: elsewhere, namespace: other }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
    ---
    apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: shop }
    spec: { selector: { app: web, tier: frontend }, ports: [{ port: 80 }] }
    ---
    apiVersion: v1
    kind: Service
    metadata: { name: headless, namespace: shop }
    spec: { clusterIP: None, ports: [{ port: 80 }] }
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: { name: web, namespace: shop }
    spec:
      scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      minReplicas: 2
      maxReplicas: 6
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: { name: api-as-statefulset, namespace: shop }
    spec:
      scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: api }
      minReplicas: 2
      maxReplicas: 6
    ---
    apiVersion: autoscaling.k8s.io/v1
    kind: VerticalPodAutoscaler
    metadata: { name: api, namespace: shop }
    spec: { targetRef: { apiVersion: apps/v1, kind: Deployment, name: api } }
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: { name: canary, namespace: shop }
    spec:
      scaleTargetRef: { apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: canary }
      minReplicas: 2
      maxReplicas: 4
  `;
  const context = objectsOf(NAMESPACE);
  const ids = (objects: readonly { id: string }[]) => objects.map((o) => o.id);
  const reviewed = (o: (typeof context)[number], labels?: Record<string, string>) => {
    const raw = structuredClone(o.raw) as JsonObject;
    const template = (raw['spec'] as JsonObject | undefined)?.['template'] as JsonObject | undefined;
    if (labels && template) (template['metadata'] as JsonObject)['labels'] = labels;
    return objectsOf(JSON.stringify(raw))[0]!;
  };

  it('relates each workload to the same objects as an index of the whole namespace does', () => {
    const joins = joinsOf(context);
    let compared = 0;
    for (const o of context) {
      const relabels: (Record<string, string> | undefined)[] = [
        undefined,
        { tier: 'edge' },
        { app: 'web' },
        { other: 'x' },
        {},
      ];
      for (const labels of relabels) {
        const incoming = reviewed(o, labels);
        const narrowed = joins.candidates(incoming);
        if (!narrowed) continue;
        expect(ids(related(incoming, narrowed)), `${o.id} ${JSON.stringify(labels)}`).toEqual(
          ids(related(incoming, joins.everything(incoming))),
        );
        // A confirming read lists only the kinds it says: no object of another kind joins.
        const kinds = joinedKinds(incoming);
        if (kinds)
          for (const c of narrowed.slice(0, -1))
            expect(kinds.has(c.kind), `${o.id} joins ${c.id}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBe(20);
    // What it narrows to for web: its HPA, Service and the PDBs that can select tier: frontend.
    const web = context.find((o) => o.name === 'web' && o.kind === 'Deployment')!;
    expect(ids(joins.candidates(reviewed(web))!)).toEqual([
      'shop/PodDisruptionBudget/by-in',
      'shop/PodDisruptionBudget/by-exists',
      'shop/PodDisruptionBudget/everything',
      'shop/Service/web',
      'shop/Service/headless',
      'shop/HorizontalPodAutoscaler/web',
      'shop/Deployment/web',
    ]);
    // Not a workload: the whole namespace, as before, and a confirming read of every kind.
    expect(joins.candidates(context.find((o) => o.kind === 'PodDisruptionBudget')!)).toBeUndefined();
    expect(joinedKinds(context.find((o) => o.kind === 'PodDisruptionBudget')!)).toBeUndefined();
    expect([...joinedKinds(reviewed(web))!].sort()).toEqual([
      'Canary',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Service',
      'VerticalPodAutoscaler',
    ]);
    // A Rollout that names its template joins the template's kind too: every kind.
    const rollout = context.find((o) => o.kind === 'Rollout');
    if (rollout) expect(joinedKinds(rollout)).toBeUndefined();
  });

  it('judges each review by its own object on a context indexed once, and a new read by its own objects', () => {
    const settings = { rules: STATIC, denyOn: 'none' as const };
    const withHpa = [...objectsOf(hpa)];
    // Same context array, so the same joins: the object under review changes what they give.
    expect(rulesOf(admit(request(web(3), 'UPDATE'), withHpa, settings))).toContain('hpa-replicas-conflict');
    expect(rulesOf(admit(request(web(1), 'UPDATE'), withHpa, settings))).not.toContain('single-replica');
    const renamed = web(3).replace(/name: web/, 'name: shop-web');
    expect(rulesOf(admit(request(renamed, 'UPDATE'), withHpa, settings))).not.toContain(
      'hpa-replicas-conflict',
    );
    expect(rulesOf(admit(request(web(3), 'UPDATE'), withHpa, settings))).toContain('hpa-replicas-conflict');
    // A read made after the HPA was deleted is a new context: it is indexed anew.
    expect(rulesOf(admit(request(web(3), 'UPDATE'), [], settings))).not.toContain('hpa-replicas-conflict');
    expect(rulesOf(admit(request(web(1), 'UPDATE'), [], settings))).toContain('single-replica');
  });
});
