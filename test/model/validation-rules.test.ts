import { describe, expect, it } from 'vitest';
import { schemaIssues } from '../../src/model/schema-checks.js';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from '../../src/model/name-syntax.js';
import { portNameProblem } from '../../src/model/pod-validation.js';
import type { JsonObject, K8sObject } from '../../src/model/types.js';

// Each case below is one the conformance suite (test/e2e/conformance.test.ts) applied to the real
// API server; these pin the messages and paths.

function object(apiVersion: string, kind: string, raw: JsonObject): K8sObject {
  return {
    apiVersion,
    kind,
    name: 'x',
    namespace: 'default',
    id: `default/${kind}/x`,
    raw: { apiVersion, kind, metadata: { name: 'web' }, ...raw },
  };
}
const issues = (o: K8sObject): string[] => schemaIssues(o).map((i) => `${i.messageId} ${i.path}`);
const pod = (spec: JsonObject): K8sObject =>
  object('v1', 'Pod', { spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec } });
const container = (c: JsonObject): K8sObject => pod({ containers: [{ name: 'web', image: 'nginx', ...c }] });

describe('name syntax (apimachinery util/validation)', () => {
  it('reads names, labels and keys as the API server does', () => {
    expect(dns1123Subdomain('web.v2')).toBeUndefined();
    expect(dns1123Subdomain('Web')).toMatch(/RFC 1123 subdomain/);
    expect(dns1123Label('web.v2')).toMatch(/RFC 1123 label/);
    expect(dns1123Label('1web')).toBeUndefined();
    expect(labelValue('')).toBeUndefined();
    expect(labelValue('a b')).toMatch(/valid label/);
    expect(labelValue('x'.repeat(64))).toBe('must be no more than 63 characters');
    expect(qualifiedName('example.com/team')).toBeUndefined();
    expect(qualifiedName('Example.com/team')).toMatch(/^prefix part/);
    expect(qualifiedName('example.com/')).toBe('name part must be non-empty');
    expect(qualifiedName('a/b/c')).toMatch(/qualified name/);
    expect(portNameProblem('http-metrics-port')).toBe('must be no more than 15 characters');
    expect(portNameProblem('http_1')).toMatch(/alpha-numeric/);
    expect(portNameProblem('8080')).toMatch(/at least one letter/);
  });

  it('checks names by kind, and labels and annotations wherever they are', () => {
    expect(issues(object('v1', 'ConfigMap', { metadata: { name: 'Web' } }))).toEqual([
      'nameSyntax /metadata/name',
    ]);
    const ports = { ports: [{ port: 80 }] };
    expect(issues(object('v1', 'Service', { metadata: { name: '1web' }, spec: ports }))).toEqual([]);
    expect(issues(object('v1', 'Service', { metadata: { name: 'web.v2' }, spec: ports }))).toEqual([
      'nameSyntax /metadata/name',
    ]);
    // Only an ExternalName or a headless Service may have no ports.
    expect(issues(object('v1', 'Service', { spec: {} }))).toEqual(['invalidValue /spec/ports']);
    expect(issues(object('v1', 'Service', { spec: { clusterIP: 'None' } }))).toEqual([]);
    // PodDisruptionBudget names are not checked by the 1.36 API server; a cluster-scoped namespace is ignored.
    expect(
      issues(object('policy/v1', 'PodDisruptionBudget', { metadata: { name: 'Web' }, spec: {} })),
    ).toEqual([]);
    expect(
      issues(
        object('scheduling.k8s.io/v1', 'PriorityClass', {
          metadata: { name: 'p', namespace: 'Bad' },
          value: 1,
        }),
      ),
    ).toEqual([]);
    expect(
      issues(
        object('v1', 'ConfigMap', {
          metadata: {
            name: 'c',
            namespace: 'Bad',
            labels: { 'a b': 'x', ok: '-x' },
            annotations: { 'owner team': 'a' },
          },
        }),
      ),
    ).toEqual([
      'nameSyntax /metadata/namespace',
      'labelSyntax /metadata/labels/a b',
      'labelSyntax /metadata/labels/ok',
      'labelSyntax /metadata/annotations/owner team',
    ]);
  });
});

describe("a CustomResourceDefinition's schema", () => {
  it('is not read as labels: a property named matchLabels holds a description, not label values', () => {
    const selector = {
      type: 'object',
      properties: {
        matchLabels: {
          type: 'object',
          description:
            'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions.',
          additionalProperties: { type: 'string' },
        },
        nodeSelector: {
          type: 'object',
          description: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
        },
      },
    };
    const crd = object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
      metadata: { name: 'widgets.example.com', labels: { 'bad label': 'x' } },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: selector } }],
      },
    });
    // Only the metadata's own bad label key; nothing from the schema's descriptions.
    expect(issues(crd)).toEqual(['labelSyntax /metadata/labels/bad label']);
  });
});

describe('pod spec validation (ValidatePodSpec)', () => {
  it('containers, ports and probes', () => {
    expect(issues(pod({ containers: [{ name: 'Web', image: 'nginx' }] }))).toEqual([
      'invalidValue /spec/containers/0/name',
    ]);
    expect(
      issues(container({ ports: [{ name: 'http_1', containerPort: 80 }, { containerPort: 0 }] })),
    ).toEqual([
      'invalidValue /spec/containers/0/ports/0/name',
      'invalidValue /spec/containers/0/ports/1/containerPort',
    ]);
    expect(
      issues(
        container({ livenessProbe: { tcpSocket: { port: 0 }, httpGet: { port: 80 }, periodSeconds: -1 } }),
      ),
    ).toEqual([
      'invalidValue /spec/containers/0/livenessProbe/tcpSocket',
      'invalidValue /spec/containers/0/livenessProbe/tcpSocket/port',
      'invalidValue /spec/containers/0/livenessProbe/periodSeconds',
    ]);
    expect(issues(container({ lifecycle: { preStop: { sleep: { seconds: 30 } } } }))).toEqual([
      'invalidValue /spec/containers/0/lifecycle/preStop/sleep',
    ]);
    expect(issues(container({ securityContext: { runAsUser: 4294967296 } }))).toEqual([
      'invalidValue /spec/containers/0/securityContext/runAsUser',
    ]);
  });

  it('scheduling fields', () => {
    expect(
      issues(pod({ tolerations: [{ key: 'a', operator: 'Exists', value: 'b', effect: 'Sometimes' }] })),
    ).toEqual(['invalidValue /spec/tolerations/0/operator', 'unsupportedValue /spec/tolerations/0/effect']);
    expect(
      issues(
        pod({
          topologySpreadConstraints: [
            { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
          ],
        }),
      ),
    ).toEqual([
      'invalidValue /spec/topologySpreadConstraints/0/maxSkew',
      'invalidValue /spec/topologySpreadConstraints/0/minDomains',
    ]);
    const term = {
      weight: 0,
      podAffinityTerm: {
        topologyKey: 'zone',
        labelSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] },
      },
    };
    expect(
      issues(
        pod({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term] } } }),
      ),
    ).toEqual([
      'invalidValue /spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight',
      'unsupportedValue /spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/labelSelector/matchExpressions/0/operator',
    ]);
    expect(issues(pod({ restartPolicy: 'Sometimes' }))).toEqual(['unsupportedValue /spec/restartPolicy']);
  });
});

describe('kind validation', () => {
  it('HorizontalPodAutoscaler (ValidateHorizontalPodAutoscalerSpec)', () => {
    const hpa = (spec: JsonObject) =>
      issues(
        object('autoscaling/v2', 'HorizontalPodAutoscaler', {
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
            maxReplicas: 10,
            ...spec,
          },
        }),
      );
    expect(hpa({ minReplicas: 2 })).toEqual([]);
    expect(hpa({ scaleTargetRef: { kind: 'Deployment', name: 'web' } })).toEqual([
      'invalidValue /spec/scaleTargetRef/apiVersion',
    ]);
    // maxReplicas missing, below 1 or below minReplicas: hpa-invalid-range's (one finding per fault).
    expect(hpa({ maxReplicas: null })).toEqual([]);
    expect(hpa({ minReplicas: 20 })).toEqual([]);
    expect(hpa({ minReplicas: 0 })).toEqual(['invalidValue /spec/minReplicas']);
    expect(hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } })).toEqual([
      'invalidValue /spec/behavior/scaleDown/stabilizationWindowSeconds',
    ]);
  });

  it('Service, CronJob, ConfigMap, Ingress, Role', () => {
    const svc = (spec: JsonObject) => issues(object('v1', 'Service', { spec }));
    expect(svc({ ports: [{ port: 80 }, { port: 81 }] })).toEqual([
      'invalidValue /spec/ports/0/name',
      'invalidValue /spec/ports/1/name',
    ]);
    expect(svc({ type: 'Internal', ports: [{ port: 80, protocol: 'HTTP', nodePort: 30080 }] })).toEqual([
      'unsupportedValue /spec/type',
      'unsupportedValue /spec/ports/0/protocol',
    ]);
    expect(svc({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual(['invalidValue /spec/ports/0/nodePort']);
    const cron = (spec: JsonObject) =>
      issues(
        object('batch/v1', 'CronJob', {
          spec: {
            jobTemplate: {
              spec: {
                template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'a' }] } },
              },
            },
            ...spec,
          },
        }),
      );
    expect(cron({ schedule: '*/5 * * * *', timeZone: 'Europe/Paris' })).toEqual([]);
    expect(cron({ schedule: 'every minute', timeZone: 'Mars/Olympus' })).toEqual([
      'invalidValue /spec/schedule',
      'invalidValue /spec/timeZone',
    ]);
    expect(
      issues(object('v1', 'ConfigMap', { data: { 'a/b': 'x', c: 'y' }, binaryData: { c: 'eQ==' } })),
    ).toEqual(['invalidValue /data/a~1b', 'invalidValue /binaryData/c']);
    const path = {
      path: 'api',
      pathType: 'Prefix',
      backend: { service: { name: 's', port: { name: 'http', number: 80 } } },
    };
    expect(
      issues(
        object('networking.k8s.io/v1', 'Ingress', {
          spec: { rules: [{ host: 'web.*.example.com', http: { paths: [path] } }] },
        }),
      ),
    ).toEqual([
      'invalidValue /spec/rules/0/host',
      'invalidValue /spec/rules/0/http/paths/0/path',
      'invalidValue /spec/rules/0/http/paths/0/backend',
    ]);
    expect(
      issues(object('rbac.authorization.k8s.io/v1', 'Role', { rules: [{ resources: ['pods'] }] })),
    ).toEqual(['invalidValue /rules/0/verbs', 'invalidValue /rules/0/apiGroups']);
  });
});
