import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { formatters } from '../../src/report/index.js';
import { DOCS_BASE_URL, type ReportContext } from '../../src/report/types.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';

const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

const input = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
---
kind: [broken
---
apiVersion: v1
kind: Pod
metadata: {name: "debug <&> \\"x\\""}
spec: {containers: [{name: c, image: busybox}]}
`;
const { objects, problems } = parseManifests(input, 'k8s/app one.yaml');
const selected = rules.filter((r) => ['single-replica', 'singleton-pod', 'yaml-syntax'].includes(r.id));
const result = check(objects, { problems, rules: selected });
const ctx: ReportContext = {
  toolVersion: '9.9.9',
  rules: selected,
  color: false,
  failOn: 'error',
  docsBaseUrl: DOCS_BASE_URL,
};

describe('formatters', () => {
  it('the input gives findings of three rules (the fixture the formatters share)', () => {
    expect(result.findings.map((f) => f.rule)).toEqual(['single-replica', 'yaml-syntax', 'singleton-pod']);
  });

  it('json follows the versioned envelope the README documents', () => {
    const out = JSON.parse(formatters.json(result, ctx));
    expect(out.version).toBe(1);
    expect(out.tool).toEqual({ name: 'kubeha', version: '9.9.9' });
    expect(out.findings[0]).toEqual({
      rule: 'single-replica',
      severity: 'error',
      category: 'workload',
      message: expect.stringContaining('Deployment web runs 1 replica'),
      detail: expect.stringContaining('Set spec.replicas: 2 or more'),
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      location: { file: 'k8s/app one.yaml', line: 5, column: 3 },
      path: '/spec/replicas',
    });
    expect(out.summary).toEqual({ objects: 2, workloads: 2, error: 3, warning: 0, info: 0, suppressed: 0 });
  });

  it('sarif is valid SARIF 2.1.0 with one reportingDescriptor per rule and physical locations', () => {
    const log = JSON.parse(formatters.sarif(result, ctx));
    const ajv = new AjvDraft04.default({
      allErrors: true,
      strict: false,
      validateFormats: false,
      unicodeRegExp: false,
    });
    const valid = ajv.validate(sarifSchema, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(selected.map((r) => r.id));
    expect(run.tool.driver.rules[0].helpUri).toBe(`${DOCS_BASE_URL}singleton-pod.md`);
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'k8s/app%20one.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 3 },
    });
    expect(run.results[0].ruleIndex).toBe(1);
  });

  it('junit is well-formed XML with one test case per workload, failing at --fail-on', () => {
    const xml = formatters.junit(result, ctx);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suite = doc.testsuites.testsuite;
    const cases = suite.testcase as { '@_name': string; failure?: unknown }[];
    expect(cases.map((c) => c['@_name'])).toEqual([
      'shop/Deployment/web',
      'default/Pod/debug <&> "x"',
      'k8s/app one.yaml',
    ]);
    expect(suite['@_failures']).toBe('3');
    const lenient = new XMLParser({ ignoreAttributes: false }).parse(
      formatters.junit(result, { ...ctx, failOn: 'none' }),
    );
    expect(lenient.testsuites.testsuite['@_failures']).toBe('0');
  });

  it('md is a PR comment: a summary line and a table row per finding, pipes escaped', () => {
    const out = formatters.md(result, ctx);
    expect(out).toContain('**3 problems**: 3 errors, 0 warnings, 0 info');
    expect(out).toContain(
      `| 🔴 | [single-replica](${DOCS_BASE_URL}single-replica.md) | Deployment shop/web | \`k8s/app one.yaml:5\` |`,
    );
    expect(out.split('\n').filter((l) => l.startsWith('| 🔴'))).toHaveLength(3);
    const clean = check([], {});
    expect(formatters.md(clean, ctx)).toContain('✅ No HA problems');
  });

  it('text groups by file and object, and colours only when asked', () => {
    const plain = formatters.text(result, ctx);
    expect(plain).toContain(
      'k8s/app one.yaml\n  Deployment shop/web\n    5:3     error   Deployment web runs 1 replica',
    );
    expect(plain).not.toContain('\u001b[');
    expect(formatters.text(result, { ...ctx, color: true })).toContain('\u001b[31merror');
    expect(formatters.text(check([], {}), ctx)).toContain('✔ no HA problems found in 0 objects, 0 workloads');
  });

  describe('objects read from a cluster (scan): no file, no line', () => {
    // As scan hands them to check: the same objects without a source position.
    const live = check(
      objects.map(({ source: _source, ...o }) => o),
      { rules: selected },
    );

    it('text groups them by namespace, without a blank position column', () => {
      expect(live.findings.length).toBeGreaterThan(0);
      expect(formatters.text(live, ctx)).toContain(
        'namespace shop\n  Deployment web\n    error   Deployment web runs 1 replica',
      );
    });

    it('md and junit name the command they report', () => {
      expect(formatters.md(live, { ...ctx, command: 'scan' })).toMatch(/^## kubeha scan\n/);
      expect(formatters.junit(live, { ...ctx, command: 'scan' })).toContain('<testsuite name="kubeha scan"');
      expect(formatters.md(live, ctx)).toMatch(/^## kubeha check\n/);
    });

    it('sarif names the object as a logical location and stays valid', () => {
      const log = JSON.parse(formatters.sarif(live, ctx));
      const ajv = new AjvDraft04.default({
        allErrors: true,
        strict: false,
        validateFormats: false,
        unicodeRegExp: false,
      });
      expect(ajv.validate(sarifSchema, log), JSON.stringify(ajv.errors)).toBe(true);
      const web = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'single-replica');
      expect(web.locations).toEqual([
        { logicalLocations: [{ name: 'web', fullyQualifiedName: 'shop/Deployment/web', kind: 'resource' }] },
      ]);
    });
  });
});
