/**
 * Every rule, through the engine's check, on generated objects: as files give them (with source
 * positions, and the loader's problems), as a cluster or an admission review gives them (no source,
 * with the live rules and their facts). No rule may fail (check reports a rule's exception in
 * `errors`), every finding is of a known rule with a finished message, and no input takes long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/engine/check.js';
import { objectId, isClusterScoped } from '../../src/model/kinds.js';
import type { JsonObject, K8sObject } from '../../src/model/types.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { manifestText, objects, render, type JsonMap } from './generators.js';
import { bounded, holds, params, timeout } from './settings.js';

const RULE_IDS = new Set(rules.map((r) => r.id));
const SEVERITIES = new Set(['error', 'warning', 'info']);
const CASE_MS = 5_000;

/** The placeholders of each rule's message templates: one left in a message was not filled in. */
const PLACEHOLDERS = new Map(
  rules.map((r) => [
    r.id,
    Object.values(r.messages).flatMap((t) =>
      [...(typeof t === 'string' ? t : `${t.headline} ${t.detail}`).matchAll(/\{\{\s*[\w.-]+\s*\}\}/g)].map(
        (m) => m[0],
      ),
    ),
  ]),
);

function expectSound(result: CheckResult): void {
  expect(result.errors, result.errors.join('; ')).toEqual([]);
  for (const f of result.findings) {
    expect(RULE_IDS.has(f.rule), `unknown rule ${f.rule}`).toBe(true);
    expect(SEVERITIES.has(f.severity)).toBe(true);
    // A message with a placeholder left, or a value printed as JavaScript prints it, is unfinished
    // (values from the input, a `{{ .Values.x }}` included, are the user's and are quoted as they are).
    for (const placeholder of PLACEHOLDERS.get(f.rule) ?? [])
      expect(f.message, `${f.rule}: ${f.message}`).not.toContain(placeholder);
    // kubectl's own error for a NaN ("json: unsupported value: NaN") is quoted on purpose.
    const text = f.message.replace('unsupported value: NaN', '');
    expect(text, `${f.rule}: ${f.message}`).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
    if (f.location) {
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(f.location.column).toBeGreaterThanOrEqual(1);
    }
  }
  const { error, warning, info } = result.summary;
  expect(error + warning + info).toBe(result.findings.length);
}

/**
 * An object as `scan` or an admission review hands it over: decoded JSON (JSON.parse, so plain
 * prototypes: fast-check's dictionaries have none, and identical-probes throws on such an exec
 * item, finding F6), no source.
 */
function fromJson(generated: JsonMap): K8sObject | undefined {
  const raw = JSON.parse(JSON.stringify(generated)) as JsonMap;
  const metadata = (raw['metadata'] ?? {}) as JsonObject;
  const { apiVersion, kind } = raw;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata !== 'object')
    return undefined;
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '<unnamed>';
  const namespace = isClusterScoped(kind)
    ? ''
    : typeof metadata['namespace'] === 'string' && metadata['namespace']
      ? metadata['namespace']
      : 'default';
  return { apiVersion, kind, name, namespace, id: objectId(kind, namespace, name), raw: raw as JsonObject };
}

/** What a scan knows besides the objects. */
const clusterFacts = fc.record({
  listed: fc
    .subarray([
      'Pod',
      'Node',
      'Deployment',
      'APIService',
      'CustomResourceDefinition',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ])
    .map((kinds) => new Set(kinds)),
  now: fc.constant(Date.parse('2026-12-04T00:00:00Z')),
  namespace: fc.option(fc.constantFrom('default', 'shop'), { nil: undefined }),
});

describe('property: every rule through check', () => {
  it(
    'objects from files, with the loader problems',
    () => {
      holds(
        'rules-files',
        fc.property(objects, fc.constantFrom('block', 'flow', 'json', 'list'), (docs, how) => {
          const { objects: loaded, problems } = parseManifests(render(docs, how), 'app.yaml', {
            defaultNamespace: 'default',
          });
          expectSound(bounded('check', CASE_MS, () => check(loaded, { problems })));
        }),
        params(300, 4_000),
      );
    },
    timeout(4_000),
  );

  it(
    'mutated manifests',
    () => {
      holds(
        'rules-mutated',
        fc.property(manifestText, (text) => {
          const { objects: loaded, problems } = parseManifests(text, 'app.yaml');
          expectSound(bounded('check', CASE_MS, () => check(loaded, { problems })));
        }),
        params(200, 2_000),
      );
    },
    timeout(2_000),
  );

  it(
    'objects from a cluster: live rules with the scan facts, other kube versions and zone counts',
    () => {
      holds(
        'rules-live',
        fc.property(
          objects,
          clusterFacts,
          fc.constantFrom('1.25', '1.29', '1.36', '1.99', 'v1.36.5', 'not-a-version'),
          fc.integer({ min: 0, max: 5 }),
          (docs, cluster, kubeVersion, zones) => {
            const loaded = docs.map(fromJson).filter((o): o is K8sObject => o !== undefined);
            expectSound(bounded('check', CASE_MS, () => check(loaded, { cluster, kubeVersion, zones })));
          },
        ),
        params(200, 2_000),
      );
    },
    timeout(2_000),
  );
});
