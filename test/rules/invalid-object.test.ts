import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fixSources } from '../../src/fix/run.js';
import rule from '../../src/rules/invalid-object.js';
import { parseManifests } from '../../src/sources/parse.js';
import { runRule, testRule, yaml } from '../rule-tester.js';

// Sources: k8s.io/kubernetes v1.36 pkg/apis/apps/validation (ValidateDeploymentSpec, ValidateStatefulSetSpec,
// ValidateDaemonSetSpec, ValidateReplicaSetSpec, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent,
// ValidateRollingUpdateDeployment, ValidateRollingUpdateDaemonSet), pkg/apis/core/validation
// (validateContainers, validateContainerCommon, validateResourceRequirements), pkg/apis/policy/validation
// (ValidatePodDisruptionBudgetSpec) and pkg/apis/apps/v1/defaults.go (SetDefaults_DaemonSet).

const deployment = (name: string, spec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
${spec
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

const TEMPLATE = `selector: { matchLabels: { app: web } }
template:
  metadata: { labels: { app: web } }
  spec:
    containers: [{ name: web, image: nginx }]`;

testRule(rule, {
  valid: [
    {
      name: 'well-formed workloads of every kind, a Pod, a PDB and a Service',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web, labels: { tier: front } }
        spec:
          replicas: 3
          selector:
            matchLabels: { app: web }
            matchExpressions: [{ key: track, operator: In, values: [stable, canary] }]
          strategy:
            type: RollingUpdate
            rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" }
          template:
            metadata: { labels: { app: web, track: stable } }
            spec:
              initContainers: [{ name: init, image: busybox }]
              containers:
                - name: web
                  image: nginx
                  resources:
                    requests: { cpu: 250m, memory: 64Mi, ephemeral-storage: 1Gi }
                    limits: { cpu: "1", memory: 128Mi, nvidia.com/gpu: 1 }
                - name: sidecar
                  image: envoy
                  resources: { requests: { cpu: 0.1, memory: 1e8 } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: pass-db }
        spec:
          replicas: 0
          selector: { matchLabels: { app: db } }
          template:
            metadata: { labels: { app: db } }
            spec: { containers: [{ name: db, image: postgres }] }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: pass-agent }
        spec:
          selector: { matchLabels: { app: agent } }
          updateStrategy: { rollingUpdate: { maxSurge: "10%", maxUnavailable: 0 } }
          template:
            metadata: { labels: { app: agent } }
            spec: { containers: [{ name: agent, image: agent }] }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-cron }
        spec:
          schedule: "*/5 * * * *"
          jobTemplate:
            spec:
              template:
                spec: { restartPolicy: OnFailure, containers: [{ name: job, image: busybox }] }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { generateName: pass-pod- }
        spec: { containers: [{ name: app, image: nginx }] }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-pdb }
        spec: { maxUnavailable: "10%", selector: { matchLabels: { app: web } } }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: pass-svc, annotations: { a: "1", b: null } }
        spec: { selector: { app: web }, ports: [{ port: 80 }] }
      `,
    },
    {
      name: 'unknown CRDs, client-side config files and removed API versions are left to other rules',
      yaml: yaml`
        apiVersion: kind.x-k8s.io/v1alpha4
        kind: Cluster
        nodes: [{ role: control-plane }]
        ---
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deploy.yaml]
        ---
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: { name: pass-old }
        spec: { replicas: 1 }
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: pass-rollout }
        spec: { workloadRef: { apiVersion: apps/v1, kind: Deployment, name: web } }
      `,
    },
    {
      name: 'defaults that make a strategy valid: Deployment zero unavailability with the 25% surge default',
      yaml: deployment('pass-web', TEMPLATE + '\nstrategy: { rollingUpdate: { maxUnavailable: 0 } }'),
    },
    {
      name: 'a Deployment with Recreate and no rollingUpdate, and a ReplicationController without a selector',
      yaml:
        deployment('pass-recreate', TEMPLATE + '\nstrategy: { type: Recreate }') +
        yaml`
          ---
          apiVersion: v1
          kind: ReplicationController
          metadata: { name: pass-rc }
          spec:
            template:
              metadata: { labels: { app: rc } }
              spec: { containers: [{ name: rc, image: nginx }] }
        `,
    },
  ],
  invalid: [
    {
      name: 'replicas that are not a non-negative integer',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-string }
        spec:
          replicas: "3"
          selector: { matchLabels: { app: a } }
          template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-negative }
        spec:
          replicas: -1
          selector: { matchLabels: { app: a } }
          template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: fail-decimal }
        spec:
          replicas: 2.5
          selector: { matchLabels: { app: a } }
          template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }
      `,
      errors: [
        {
          object: 'fail-string',
          messageId: 'type',
          line: 5,
          column: 3,
          path: '/spec/replicas',
          data: { field: 'spec.replicas', expected: 'an integer', actual: 'a string', value: '"3"' },
        },
        {
          object: 'fail-negative',
          messageId: 'negative',
          line: 13,
          data: { value: -1 },
          message:
            'spec.replicas is -1, below 0\nThe API server rejects it ("must be greater than or equal to 0")',
        },
        { object: 'fail-decimal', messageId: 'type', line: 21, data: { actual: 'a decimal number' } },
      ],
    },
    {
      name: 'apps/v1 workloads without a selector, with an empty one, and with one that misses the template',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-missing }
        spec:
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [{ name: web, image: nginx }] }
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: fail-empty }
        spec:
          selector: {}
          template:
            metadata: { labels: { app: db } }
            spec: { containers: [{ name: db, image: postgres }] }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-mismatch }
        spec:
          selector:
            matchLabels: { app: agent, tier: node }
          template:
            metadata:
              labels: { app: agent }
            spec: { containers: [{ name: agent, image: agent }] }
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: { name: fail-expr }
        spec:
          selector:
            matchExpressions: [{ key: app, operator: NotIn, values: [web] }]
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [{ name: web, image: nginx }] }
      `,
      errors: [
        {
          object: 'fail-missing',
          messageId: 'selectorMissing',
          path: '/spec/selector',
          line: 4,
          data: { labels: 'app=web' },
          message: 'Set spec.selector.matchLabels to the pod template labels (app=web)',
        },
        {
          object: 'fail-empty',
          messageId: 'selectorEmpty',
          line: 13,
          column: 3,
          data: { what: 'statefulset' },
          message: '"empty selector is invalid for statefulset"',
        },
        {
          object: 'fail-mismatch',
          messageId: 'selectorMismatch',
          path: '/spec/template/metadata/labels',
          line: 26,
          column: 7,
          data: { selector: 'app=agent,tier=node', labels: 'app=agent' },
        },
        { object: 'fail-expr', messageId: 'selectorMismatch', data: { selector: 'app notin (web)' } },
      ],
    },
    {
      name: 'containers: missing, not a list, without name or image, duplicated, and init containers too',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: fail-none }
        spec:
          selector: { matchLabels: { app: a } }
          template: { metadata: { labels: { app: a } } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-map }
        spec:
          containers: { name: app, image: nginx }
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: { name: fail-fields }
        spec:
          template:
            spec:
              restartPolicy: Never
              initContainers:
                - image: busybox
              containers:
                - name: work
                - name: work
                  image: busybox
      `,
      errors: [
        {
          object: 'fail-none',
          messageId: 'containersMissing',
          path: '/spec/template/spec/containers',
          line: 6,
          data: { field: 'spec.template.spec.containers' },
        },
        {
          object: 'fail-map',
          messageId: 'type',
          line: 12,
          data: { field: 'spec.containers', expected: 'a list', actual: 'a mapping' },
        },
        {
          object: 'fail-fields',
          messageId: 'containerImage',
          line: 24,
          column: 11,
          path: '/spec/template/spec/containers/0/image',
          data: { container: 'work', field: 'spec.template.spec.containers[0].image' },
        },
        {
          object: 'fail-fields',
          messageId: 'containerDuplicate',
          line: 25,
          column: 11,
          path: '/spec/template/spec/containers/1/name',
          data: { container: 'work' },
        },
        {
          object: 'fail-fields',
          messageId: 'containerName',
          line: 22,
          column: 11,
          path: '/spec/template/spec/initContainers/0/name',
          data: { n: 1, field: 'spec.template.spec.initContainers[0].name' },
        },
      ],
    },
    {
      name: 'resource quantities that do not parse, are negative, or request more than the limit',
      // Quantities that do not parse stop decoding; only a decoded object reaches validation.
      yaml: yaml`
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-pod }
        spec:
          containers:
            - name: app
              image: nginx
              resources:
                requests:
                  memory: 100MB
                limits:
                  memory: 1 Gi
            - name: side
              image: envoy
              resources: { requests: { cpu: true } }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: fail-limits }
        spec:
          containers:
            - name: app
              image: nginx
              resources:
                requests: { cpu: 2 }
                limits:
                  cpu: 500m
                  ephemeral-storage: -1Gi
      `,
      errors: [
        {
          object: 'fail-pod',
          messageId: 'quantity',
          line: 10,
          column: 11,
          path: '/spec/containers/0/resources/requests/memory',
          data: { value: '"100MB"', example: '256Mi or 1Gi' },
          message:
            'spec.containers[0].resources.requests.memory is "100MB", not a quantity\nThe API server rejects a value that is not a Kubernetes quantity. Write it like 256Mi or 1Gi.',
        },
        { object: 'fail-pod', messageId: 'quantity', line: 12, data: { value: '"1 Gi"' } },
        {
          object: 'fail-pod',
          messageId: 'type',
          line: 15,
          path: '/spec/containers/1/resources/requests/cpu',
          data: { actual: 'a boolean' },
        },
        {
          object: 'fail-limits',
          messageId: 'negativeQuantity',
          line: 28,
          data: { resource: 'ephemeral-storage' },
        },
        {
          object: 'fail-limits',
          messageId: 'requestAboveLimit',
          line: 25,
          path: '/spec/containers/0/resources/requests/cpu',
          data: { resource: 'cpu', request: '2', limit: '"500m"' },
        },
      ],
    },
    {
      name: 'a PDB with both minAvailable and maxUnavailable, and IntOrString values that are invalid',
      yaml: yaml`
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-both }
        spec:
          minAvailable: 2
          maxUnavailable: 1
          selector: { matchLabels: { app: web } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-string }
        spec:
          minAvailable: "2"
          selector: { matchLabels: { app: web } }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: fail-pct }
        spec:
          maxUnavailable: 150%
          selector: { matchLabels: { app: web } }
      `,
      errors: [
        {
          object: 'fail-both',
          messageId: 'pdbBoth',
          path: '/spec/minAvailable',
          line: 5,
          column: 3,
          data: { min: '2', max: '1' },
          message: '"minAvailable and maxUnavailable cannot be both set"',
        },
        {
          object: 'fail-string',
          messageId: 'intstrString',
          line: 13,
          data: { value: '2', suggestion: 'minAvailable: 2 (a number of pods) or minAvailable: "2%"' },
        },
        { object: 'fail-pct', messageId: 'percentOver100', line: 20, data: { value: '150%' } },
      ],
    },
    {
      name: 'Deployment rolling update fields: a string without %, a negative, both zero, Recreate with rollingUpdate',
      yaml:
        deployment(
          'fail-surge',
          TEMPLATE + '\nstrategy: { rollingUpdate: { maxSurge: "1", maxUnavailable: -1 } }',
        ) +
        '---\n' +
        deployment(
          'fail-zero',
          TEMPLATE + '\nstrategy: { rollingUpdate: { maxSurge: 0%, maxUnavailable: 0 } }',
        ) +
        '---\n' +
        deployment(
          'fail-recreate',
          TEMPLATE + '\nstrategy: { type: Recreate, rollingUpdate: { maxSurge: 1 } }',
        ),
      errors: [
        {
          object: 'fail-surge',
          messageId: 'negative',
          line: 10,
          data: { field: 'spec.strategy.rollingUpdate.maxUnavailable' },
        },
        {
          object: 'fail-surge',
          messageId: 'intstrString',
          line: 10,
          data: { value: '1', field: 'spec.strategy.rollingUpdate.maxSurge' },
        },
        {
          object: 'fail-zero',
          messageId: 'rollingBothZero',
          line: 21,
          path: '/spec/strategy/rollingUpdate/maxUnavailable',
        },
        {
          object: 'fail-recreate',
          messageId: 'recreateWithRollingUpdate',
          line: 32,
          path: '/spec/strategy/rollingUpdate',
        },
      ],
    },
    {
      name: 'DaemonSet: maxSurge with the default maxUnavailable of 1, and both zero',
      yaml: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-surge }
        spec:
          selector: { matchLabels: { app: a } }
          updateStrategy:
            rollingUpdate:
              maxSurge: 1
          template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: fail-zero }
        spec:
          selector: { matchLabels: { app: a } }
          updateStrategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 0, maxUnavailable: 0% } }
          template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: a, image: a }] } }
      `,
      errors: [
        {
          object: 'fail-surge',
          messageId: 'daemonSetSurgeAndUnavailable',
          line: 8,
          column: 7,
          data: { surge: '1', unavailable: '1', defaulted: ' (the default when it is not set)' },
          message: 'Set maxUnavailable: 0 to surge',
        },
        { object: 'fail-zero', messageId: 'daemonSetBothZero', line: 16 },
      ],
    },
    {
      name: 'label, annotation and selector values that are not strings',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: fail-labels
          labels: { version: 2 }
          annotations:
            prometheus.io/scrape: true
        spec:
          selector: { matchLabels: { app: web, version: 2 } }
          template:
            metadata: { labels: { app: web, version: 2 } }
            spec: { containers: [{ name: web, image: nginx }] }
      `,
      errors: [
        {
          object: 'fail-labels',
          messageId: 'labelValue',
          line: 5,
          path: '/metadata/labels/version',
          data: { actual: 'an integer', value: '2' },
          message: 'Quote it: "2"',
        },
        {
          object: 'fail-labels',
          messageId: 'labelValue',
          line: 7,
          column: 5,
          path: '/metadata/annotations/prometheus.io~1scrape',
          data: { field: 'metadata.annotations.prometheus.io/scrape', actual: 'a boolean' },
        },
        {
          object: 'fail-labels',
          messageId: 'labelValue',
          line: 9,
          path: '/spec/selector/matchLabels/version',
        },
        {
          object: 'fail-labels',
          messageId: 'labelValue',
          line: 11,
          path: '/spec/template/metadata/labels/version',
        },
      ],
    },
  ],
});

describe('invalid-object: objects without a name', () => {
  it('reports a known kind with neither name nor generateName, at metadata', () => {
    const reports = runRule(rule, {
      name: 'no name',
      yaml: yaml`
        apiVersion: v1
        kind: Service
        metadata:
          labels: { app: web }
        spec: { ports: [{ port: 80 }] }
        ---
        apiVersion: v1
        kind: ConfigMap
        data: { a: "1" }
      `,
    });
    expect(reports.map((r) => [r.messageId, r.path, r.line, r.column])).toEqual([
      ['noName', '/metadata/name', 3, 1],
      ['noName', '/metadata/name', 7, 1],
    ]);
  });

  it('reports a name that is not a string at the name, to be quoted', () => {
    const reports = runRule(rule, {
      name: 'numeric name',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 42\n',
    });
    expect(reports.map((r) => [r.messageId, r.line, r.column, r.data?.['actual']])).toEqual([
      ['notString', 4, 3, 'an integer'],
    ]);
  });
});

describe('invalid-object: documents without apiVersion or kind (reported by the loader)', () => {
  it("reports the seed's piVersion typo, and still analyses the Deployment under its evident apiVersion", () => {
    const text = readFileSync(join(import.meta.dirname, '../../examples/seed/spread-host-az.yaml'), 'utf8');
    const { objects, problems } = parseManifests(text, 'spread-host-az.yaml');
    const invalid = problems.filter((p) => p.rule === 'invalid-object');
    expect(invalid.map((p) => [p.line, p.column, p.object?.name])).toEqual([[1, 1, 'spread-host-az']]);
    expect(invalid[0]!.message).toContain('"piVersion" looks like a misspelt apiVersion');
    expect(objects.map((o) => [o.apiVersion, o.kind])).toEqual([['apps/v1', 'Deployment']]);
    // The engine turns the loader's problem into an invalid-object finding next to the rule's own.
    const findings = check(objects, { rules: [rule], problems }).findings;
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([['invalid-object', 1]]);
  });

  it('reports a document with no kind at all, and one that is not a mapping', () => {
    const { objects, problems } = parseManifests(
      'apiVersion: v1\nmetadata: { name: x }\n---\n- a\n- b\n',
      'f.yaml',
    );
    expect(objects).toEqual([]);
    expect(problems.map((p) => [p.rule, p.line])).toEqual([
      ['invalid-object', 1],
      ['invalid-object', 4],
    ]);
  });
});

describe('invalid-object: what kubectl reads differently (YAML 1.1 scalars, strict fields, ranges)', () => {
  const text = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: { app: web, gdpr: no }
    spec:
      replicas: 2147483648
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers:
            - name: web
              image: nginx
              env:
                - { name: DEBUG, value: yes }
                - { name: MODE, value: 0777 }
    ---
    apiVersion: autoscaling/v1
    kind: HorizontalPodAutoscaler
    metadata: { name: web }
    spec:
      scaleRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      maxReplicas: 4
  `;

  it('reports each at its line, saying what kubectl reads and what the API server expects', () => {
    const reports = runRule(rule, { name: 'kubectl reads', yaml: text });
    expect(reports.map((r) => [r.messageId, r.line, r.path])).toEqual([
      ['labelValue', 5, '/metadata/labels/gdpr'],
      ['range', 7, '/spec/replicas'],
      ['notString', 16, '/spec/template/spec/containers/0/env/0/value'],
      ['notString', 17, '/spec/template/spec/containers/0/env/1/value'],
      ['unknownField', 23, '/spec/scaleRef'],
    ]);
    const message = (i: number) => reports[i]!.rendered;
    expect(message(0)).toContain('web: metadata.labels.gdpr needs quotes around no\n');
    expect(message(0)).toContain('Without quotes kubectl reads no as boolean false');
    expect(message(0)).toContain('Quote it: "no"');
    expect(message(1)).toBe(
      'web: spec.replicas is 2147483648, out of range\nIt is outside the int32 range (-2147483648 to 2147483647): the API server cannot decode it and rejects the object. Use a value from -2147483648 to 2147483647.',
    );
    expect(message(2)).toContain('kubectl reads yes as boolean true');
    expect(message(3)).toContain('kubectl reads 0777 as the number 511');
    expect(message(4)).toContain('web: unknown field spec.scaleRef in HorizontalPodAutoscalerSpec\n');
    expect(message(4)).toContain('unknown field "spec.scaleRef"');
    expect(message(4)).toContain('Did you mean scaleTargetRef?');
    for (const r of reports) expect(r.rendered).not.toMatch(/e\+\d|\(null\)|undefined|\{\{/);
  });

  it('fixes the YAML 1.1 scalars by quoting them as written, and nothing else', () => {
    const result = fixSources([{ file: 'web.yaml', text }], { rules: ['invalid-object'] });
    const after = result.files[0]!.after;
    expect(after).toContain('labels: { app: web, gdpr: "no" }');
    expect(after).toContain('- { name: DEBUG, value: "yes" }');
    expect(after).toContain('- { name: MODE, value: "0777" }');
    expect(after).toContain('replicas: 2147483648'); // no safe value to choose: listed, not changed
    expect(after).toContain('scaleRef:');
    const again = runRule(rule, { name: 'after the fix', yaml: after });
    expect(again.map((r) => r.messageId)).toEqual(['range', 'unknownField']);
  });
});

describe('invalid-object: unknown fields, fixed only with --unsafe-fixes', () => {
  const text = yaml`
    apiVersion: autoscaling/v1
    kind: HorizontalPodAutoscaler
    metadata: { name: web }
    spec:
      scaleRef: { apiVersion: apps/v1, kind: Deployment, name: web }
      maxReplicas: 4
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          replicas: 3
          containers: [{ name: web, image: nginx }]
  `;

  it('renames a typo to the field it is closest to, and moves a misplaced field where it belongs', () => {
    // Only the unknown field: required fields are validation's, which an undecodable object never reaches.
    expect(runRule(rule, { name: 'unknown', yaml: text }).map((r) => r.messageId)).toEqual([
      'unknownField',
      'unknownField',
    ]);
    const safe = fixSources([{ file: 'web.yaml', text }], { rules: ['invalid-object'] });
    expect(safe.files[0]?.after ?? text).toBe(text);
    const unsafe = fixSources([{ file: 'web.yaml', text }], { rules: ['invalid-object'], unsafe: true });
    const after = unsafe.files[0]!.after;
    expect(after).toMatch(
      /\n {2}scaleTargetRef: \{ ?apiVersion: apps\/v1, kind: Deployment, name: web ?\}\n/,
    );
    expect(after).not.toContain('scaleRef');
    expect(after).toMatch(/\nspec:\n {2}replicas: 3\n/);
    expect(runRule(rule, { name: 'after', yaml: after })).toEqual([]);
  });
});

describe('invalid-object: a headline that fits an admission warning, a detail that says why and what to do', () => {
  const findings = (text: string) => {
    const { objects, problems } = parseManifests(text, 'split.yaml');
    return check(objects, { problems }).findings.filter((f) => f.rule === 'invalid-object');
  };

  it('a PDB with both bounds: the headline names it, the numbers and the advice are the detail', () => {
    const [f] = findings(yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web-pdb }
      spec: { minAvailable: 2, maxUnavailable: 1, selector: { matchLabels: { app: web } } }
    `);
    expect(f?.message).toBe('PodDisruptionBudget web-pdb sets both minAvailable and maxUnavailable');
    expect(f?.detail).toBe(
      'It sets minAvailable 2 and maxUnavailable 1: the API server rejects it ("minAvailable and maxUnavailable cannot be both set"). Keep one: maxUnavailable: 1 keeps drains moving whatever the replica count.',
    );
  });

  it('a document without apiVersion: the loader says what is missing, and why and what to do apart', () => {
    const [f] = findings('kindd: Deployment\nmetadata: { name: web }\n');
    expect(f?.message).toBe('document has no apiVersion or kind ("kindd" looks like a misspelt kind)');
    expect(f?.detail).toBe('The API server rejects it. Set apiVersion and kind.');
  });

  it('a .nan: the headline says kubectl cannot send it, the detail quotes kubectl and says what to write', () => {
    const f = findings(yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: web }
      data: { ratio: .nan }
    `).find((x) => x.message.includes('.nan'));
    expect(f?.message).toBe('data.ratio is .nan, which kubectl cannot send as JSON');
    expect(f?.detail).toMatch(
      /^kubectl reads it as a float it cannot write as JSON \("json: unsupported value: NaN"\)/,
    );
  });
});
