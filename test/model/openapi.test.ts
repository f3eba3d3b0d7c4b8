import { describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/model/openapi/load.js';
import {
  closest,
  validateWith,
  isBuiltInKind,
  servedGroups,
  validateMetadata,
  validateObject,
  type SchemaError,
} from '../../src/model/openapi/validate.js';
import type { JsonObject } from '../../src/model/types.js';

const deployment = (spec: JsonObject, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
    ...spec,
  },
  ...extra,
});
const errors = (raw: JsonObject): SchemaError[] =>
  validateObject(raw, String(raw['apiVersion']), String(raw['kind'])) ?? [];
const brief = (raw: JsonObject): string[] => errors(raw).map((e) => `${e.kind} ${e.path}`);

describe('the OpenAPI artifact', () => {
  it('comes from the pinned Kubernetes and lists the served kinds only', () => {
    const a = loadArtifact();
    expect(a.kubernetesVersion).toMatch(/^v1\.36\./);
    expect(a.source).toContain('/openapi/v3');
    expect(isBuiltInKind('apps/v1', 'Deployment')).toBe(true);
    expect(isBuiltInKind('autoscaling/v1', 'HorizontalPodAutoscaler')).toBe(true);
    // Removed versions and custom resources are not in it.
    expect(isBuiltInKind('extensions/v1beta1', 'Deployment')).toBe(false);
    expect(isBuiltInKind('policy/v1beta1', 'PodDisruptionBudget')).toBe(false);
    expect(isBuiltInKind('argoproj.io/v1alpha1', 'Rollout')).toBe(false);
    expect(validateObject({}, 'argoproj.io/v1alpha1', 'Rollout')).toBeUndefined();
    expect([...servedGroups()]).toEqual(expect.arrayContaining(['', 'apps', 'batch', 'policy']));
  });
});

describe('validateObject', () => {
  it('accepts a well-formed Deployment', () => {
    expect(brief(deployment({ replicas: 3 }))).toEqual([]);
  });

  it('reports unknown fields, with the closest known name', () => {
    const hpa = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 },
    };
    const found = errors(hpa);
    expect(found.map((e) => `${e.kind} ${e.path}`)).toEqual([
      'unknownField /spec/scaleRef',
      'required /spec/scaleTargetRef',
    ]);
    expect(found[0]).toMatchObject({ suggestion: 'scaleTargetRef', parent: 'HorizontalPodAutoscalerSpec' });
    // Field names are case-sensitive, as the API server's decoder is.
    expect(errors(deployment({ Replicas: 2 }))[0]).toMatchObject({
      kind: 'unknownField',
      suggestion: 'replicas',
    });
    expect(closest('xyz', ['replicas', 'selector'])).toBeUndefined();
  });

  it('says where a misplaced field belongs', () => {
    const misplaced = deployment({
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { replicas: 2, containers: [{ name: 'web', image: 'nginx', nodeSelector: { a: 'b' } }] },
      },
    });
    const found = errors(misplaced);
    expect(found.map((e) => [e.path, e.belongsAt])).toEqual([
      ['/spec/template/spec/replicas', 'spec.replicas'],
      ['/spec/template/spec/containers/0/nodeSelector', 'spec.template.spec.nodeSelector'],
    ]);
    expect(errors(deployment({}, { labels: { a: 'b' } }))[0]).toMatchObject({ belongsAt: 'metadata.labels' });
  });

  it('reports values of the wrong JSON type', () => {
    expect(brief(deployment({ replicas: '3' }))).toEqual(['type /spec/replicas']);
    expect(brief(deployment({ replicas: 2.5 }))).toEqual(['type /spec/replicas']);
    expect(brief(deployment({ paused: 'yes' }))).toEqual(['type /spec/paused']);
    expect(brief(deployment({ selector: [] }))).toEqual(['type /spec/selector']);
    expect(brief(deployment({}, { metadata: { name: 'web', labels: { gdpr: false } } }))).toEqual([
      'type /metadata/labels/gdpr',
    ]);
    const env = deployment({
      template: {
        spec: { containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: true }] }] },
      },
    });
    expect(errors(env)).toEqual([
      {
        kind: 'type',
        path: '/spec/template/spec/containers/0/env/0/value',
        expected: 'a string',
        value: true,
      },
    ]);
  });

  it('accepts null wherever Go decodes it to the zero value', () => {
    expect(brief(deployment({ replicas: null, strategy: null }, { status: null }))).toEqual([]);
    expect(
      brief(deployment({}, { metadata: { name: 'web', labels: { a: null }, annotations: null } })),
    ).toEqual([]);
  });

  it('holds integers to their int32 / int64 range', () => {
    expect(brief(deployment({ replicas: 2147483647 }))).toEqual([]);
    const [over] = errors(deployment({ replicas: 2147483648 }));
    expect(over).toMatchObject({ kind: 'range', format: 'int32', min: '-2147483648', max: '2147483647' });
    expect(brief(deployment({ replicas: -2147483649 }))).toEqual(['range /spec/replicas']);
    expect(brief(deployment({ replicas: 1e308 }))).toEqual(['range /spec/replicas']);
    expect(brief(deployment({ progressDeadlineSeconds: 600, revisionHistoryLimit: 0 }))).toEqual([]);
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        activeDeadlineSeconds: 2 ** 40, // int64
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'a' }] } },
      },
    };
    expect(brief(job)).toEqual([]);
    expect(brief({ ...job, spec: { ...job.spec, activeDeadlineSeconds: 1e20 } })).toEqual([
      'range /spec/activeDeadlineSeconds',
    ]);
  });

  it('takes an int32 or a string for IntOrString', () => {
    const surge = (v: unknown) =>
      brief(deployment({ strategy: { rollingUpdate: { maxSurge: v as JsonObject } } }));
    expect(surge(1)).toEqual([]);
    expect(surge('25%')).toEqual([]);
    expect(surge('anything')).toEqual([]); // the string's syntax is validation's business
    expect(surge(1.5)).toEqual(['type /spec/strategy/rollingUpdate/maxSurge']);
    expect(surge(true)).toEqual(['type /spec/strategy/rollingUpdate/maxSurge']);
    expect(surge(2 ** 31)).toEqual(['range /spec/strategy/rollingUpdate/maxSurge']);
  });

  it('takes a string or a number that parses for a quantity', () => {
    const cpu = (v: unknown) =>
      brief(
        deployment({
          template: {
            spec: {
              containers: [{ name: 'a', image: 'a', resources: { requests: { cpu: v as JsonObject } } }],
            },
          },
        }),
      );
    expect(cpu('500m')).toEqual([]);
    expect(cpu(0.5)).toEqual([]);
    expect(cpu(2)).toEqual([]);
    expect(cpu('500 m')).toEqual(['format /spec/template/spec/containers/0/resources/requests/cpu']);
    expect(cpu(true)).toEqual(['type /spec/template/spec/containers/0/resources/requests/cpu']);
  });

  it('checks base64 bytes and RFC 3339 times', () => {
    const secret = (data: JsonObject) =>
      brief({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(secret({ a: 'aGVsbG8=' })).toEqual([]);
    expect(secret({ a: 'hello!' })).toEqual(['format /data/a']);
    const meta = (creationTimestamp: unknown) =>
      brief(
        deployment({}, { metadata: { name: 'web', creationTimestamp: creationTimestamp as JsonObject } }),
      );
    expect(meta(null)).toEqual([]);
    expect(meta('2024-01-02T15:04:05Z')).toEqual([]);
    expect(meta('yesterday')).toEqual(['format /metadata/creationTimestamp']);
  });

  it('lets opaque fields (RawExtension) hold anything, and skips required fields in status', () => {
    const revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r' },
      revision: 1,
      data: { anything: { goes: [1, 'x'] } },
    };
    expect(brief(revision)).toEqual([]);
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'p' },
      spec: { maxUnavailable: 1 },
      status: { conditions: [{ type: 'DisruptionAllowed', status: 'True' }], disruptionsAllowed: 0 },
    };
    expect(brief(pdb)).toEqual([]);
  });

  it('reads metadata of custom resources as ObjectMeta', () => {
    expect(validateMetadata({ name: 'r', labels: { a: 1 } }).map((e) => e.path)).toEqual([
      '/metadata/labels/a',
    ]);
    expect(validateMetadata({ name: 'r', lables: {} })[0]).toMatchObject({
      kind: 'unknownField',
      suggestion: 'labels',
    });
  });
});

describe('validateWith: the markers custom schemas use', () => {
  const artifact = {
    kubernetesVersion: 'test',
    source: 'test',
    kinds: {},
    schemas: {
      'apis.meta.v1.ObjectMeta': loadArtifact().schemas['apis.meta.v1.ObjectMeta']!,
      Thing: {
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            'x-kubernetes-preserve-unknown-fields': true,
          },
          sizes: { type: 'object', additionalProperties: { type: 'integer', format: 'int64' } },
        },
      },
    },
  };
  const check = (value: JsonObject): string[] =>
    validateWith(artifact, 'Thing', value).map((e) => `${e.kind} ${e.path}`);

  it('x-kubernetes-int-or-string takes an integer or a string', () => {
    expect(check({ port: 80 })).toEqual([]);
    expect(check({ port: 'http' })).toEqual([]);
    expect(check({ port: [80] })).toEqual(['type /port']);
  });

  it('x-kubernetes-preserve-unknown-fields keeps any field', () => {
    expect(check({ free: { a: { b: 1 } } })).toEqual([]);
    expect(check({ free: 'x' })).toEqual(['type /free']);
  });

  it('x-kubernetes-embedded-resource needs apiVersion and kind, and checks its metadata', () => {
    expect(check({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } })).toEqual(
      [],
    );
    expect(check({ template: { metadata: { name: 'p', labels: { a: 1 } } } })).toEqual([
      'type /template/metadata/labels/a',
      'required /template/apiVersion',
      'required /template/kind',
    ]);
  });

  it('additionalProperties types every value of a map', () => {
    expect(check({ sizes: { a: 1, b: 2 } })).toEqual([]);
    expect(check({ sizes: { a: 'big' } })).toEqual(['type /sizes/a']);
    expect(check({ other: 1 })).toEqual(['unknownField /other']);
  });
});
