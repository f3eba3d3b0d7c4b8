import { describe, expect, it } from 'vitest';
import { fieldName, schemaIssues } from '../../src/model/schema-checks.js';
import type { JsonObject, K8sObject } from '../../src/model/types.js';

function obj(apiVersion: string, kind: string, raw: JsonObject): K8sObject {
  const name =
    typeof (raw['metadata'] as JsonObject | undefined)?.['name'] === 'string'
      ? String((raw['metadata'] as JsonObject)['name'])
      : '<unnamed>';
  return {
    apiVersion,
    kind,
    name,
    namespace: 'default',
    id: `default/${kind}/${name}`,
    raw: { apiVersion, kind, ...raw },
  };
}

const issues = (o: K8sObject): [string, string][] => schemaIssues(o).map((i) => [i.messageId, i.path]);

describe('fieldName', () => {
  it('writes a JSON pointer the way the API server names fields', () => {
    expect(fieldName('/spec/template/spec/containers/0/image')).toBe(
      'spec.template.spec.containers[0].image',
    );
    expect(fieldName('/metadata/annotations/prometheus.io~1scrape')).toBe(
      'metadata.annotations.prometheus.io/scrape',
    );
    expect(fieldName('/spec')).toBe('spec');
  });
});

describe('schemaIssues', () => {
  const pod = (containers: unknown): K8sObject =>
    obj('v1', 'Pod', { metadata: { name: 'p' }, spec: { containers } as JsonObject });

  it('accepts every quantity form the API server parses', () => {
    for (const q of ['1', '0.5', '.5', '500m', '1e3', '1E', '128Mi', '1Gi', '100k', '+1', 2, 0.25]) {
      expect(
        issues(pod([{ name: 'a', image: 'a', resources: { requests: { memory: q } } }])),
        String(q),
      ).toEqual([]);
    }
  });

  it('refuses the forms it does not', () => {
    for (const q of ['100MB', '1K', '1 Gi', '1,5', 'Gi', '']) {
      expect(
        issues(pod([{ name: 'a', image: 'a', resources: { limits: { memory: q } } }])).map((i) => i[0]),
        JSON.stringify(q),
      ).toEqual(['quantity']);
    }
    // Neither a string nor a number: Quantity's UnmarshalJSON refuses the JSON type itself.
    for (const q of [true, [1], { a: 1 }]) {
      expect(
        issues(pod([{ name: 'a', image: 'a', resources: { limits: { memory: q } } }])).map((i) => i[0]),
        JSON.stringify(q),
      ).toEqual(['type']);
    }
  });

  it('compares requests and limits in base units, across suffixes', () => {
    const c = (req: string | number, lim: string | number) =>
      issues(pod([{ name: 'a', image: 'a', resources: { requests: { cpu: req }, limits: { cpu: lim } } }]));
    expect(c('1', '1000m')).toEqual([]);
    expect(c(0.5, '500m')).toEqual([]);
    expect(c('1001m', 1)).toEqual([['requestAboveLimit', '/spec/containers/0/resources/requests/cpu']]);
  });

  it("treats the selector of an older apps version as that version's business", () => {
    expect(issues(obj('apps/v1beta2', 'Deployment', { metadata: { name: 'd' }, spec: {} }))).toEqual([]);
  });

  it('checks matchExpressions the way the label selector matches them', () => {
    const d = (expr: JsonObject, labels: JsonObject) =>
      issues(
        obj('apps/v1', 'Deployment', {
          metadata: { name: 'd' },
          spec: {
            selector: { matchExpressions: [expr] },
            template: { metadata: { labels }, spec: { containers: [{ name: 'a', image: 'a' }] } },
          },
        }),
      );
    expect(d({ key: 'app', operator: 'Exists' }, { app: 'x' })).toEqual([]);
    expect(d({ key: 'app', operator: 'DoesNotExist' }, { app: 'x' })).toEqual([
      ['selectorMismatch', '/spec/template/metadata/labels'],
    ]);
    // A bad operator is refused for its own reason (ValidateLabelSelectorRequirement), not as a mismatch.
    expect(d({ key: 'app', operator: 'in', values: ['x'] }, { app: 'y' })).toEqual([
      ['unsupportedValue', '/spec/selector/matchExpressions/0/operator'],
    ]);
    expect(d({ key: 'app', operator: 'In' }, { app: 'y' })).toEqual([
      ['invalidValue', '/spec/selector/matchExpressions/0/values'],
    ]);
  });

  it('accepts IntOrString percentages up to 100% and integers, and caps only where the API server does', () => {
    const pdb = (spec: JsonObject) =>
      issues(obj('policy/v1', 'PodDisruptionBudget', { metadata: { name: 'b' }, spec }));
    expect(pdb({ minAvailable: '100%' })).toEqual([]);
    expect(pdb({ maxUnavailable: 0 })).toEqual([]);
    expect(pdb({ minAvailable: '101%' })).toEqual([['percentOver100', '/spec/minAvailable']]);
    expect(pdb({ minAvailable: '50 %' })).toEqual([['intstrString', '/spec/minAvailable']]);
    expect(pdb({ minAvailable: 1.5 })).toEqual([['type', '/spec/minAvailable']]);
    // maxSurge of a Deployment has no 100% cap (ValidateRollingUpdateDeployment checks maxUnavailable only).
    const dep = obj('apps/v1', 'Deployment', {
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        strategy: { rollingUpdate: { maxSurge: '200%' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
      },
    });
    expect(issues(dep)).toEqual([]);
  });
});
