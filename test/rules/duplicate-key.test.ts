import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/duplicate-key.js';
import { parseManifests } from '../../src/sources/parse.js';
import { getAt } from '../../src/model/json-path.js';
import { testRule, yaml } from '../rule-tester.js';

// duplicate-key is reported by the loader (scope 'load'); the harness turns its problems into reports.
testRule(rule, {
  valid: [
    {
      name: 'the same key in different mappings (sibling containers, nested levels)',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, labels: { name: web } }
        spec:
          template:
            metadata: { name: pod }
            spec:
              containers:
                - name: app
                  image: nginx
                - name: sidecar
                  image: envoy
      `,
    },
    {
      name: 'keys that differ by case, and a key repeated in another document',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: cm }
        data: { Key: a, key: b, KEY: c }
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: cm2 }
        data: { key: d }
      `,
    },
  ],
  invalid: [
    {
      name: 'a repeated key is reported at the repeat, on the object it belongs to',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
        data:
          mode: blue
          color: red
          mode: green
      `,
      errors: [{ object: 'cm', line: 8, column: 3, message: 'key "mode" is repeated in the same mapping' }],
    },
    {
      name: "the seed's Deployment repeats podAntiAffinity: the zone rule is lost",
      yaml: readFileSync(join(import.meta.dirname, '../../examples/seed/spread-host-az.yaml'), 'utf8'),
      errors: [
        {
          object: 'spread-host-az',
          line: 29,
          column: 9,
          message: 'key "podAntiAffinity" is repeated in the same mapping (first at line 18)',
        },
      ],
    },
    {
      name: 'every repeat of a key is its own finding, and a flow mapping is located at the key',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: cm, name: cm2 }
        data:
          a: "1"
          a: "2"
          a: "3"
      `,
      errors: [
        { object: 'cm2', line: 3, column: 23, message: 'key "name"' },
        { object: 'cm2', line: 6, column: 3, message: 'key "a"' },
        { object: 'cm2', line: 7, column: 3, message: 'key "a"' },
      ],
    },
    {
      name: 'quoted and plain spellings of the same key are the same key',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: cm }
        data:
          "timeout": 5s
          timeout: 10s
      `,
      errors: [{ object: 'cm', line: 6, column: 3, message: 'key "timeout"' }],
    },
    {
      name: 'in the second document, and in one item of a List: the finding names that object',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: first }
        ---
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: { name: item-a }
          - apiVersion: v1
            kind: Service
            metadata: { name: item-b }
            spec:
              selector: { app: b }
              selector: { app: c }
      `,
      errors: [{ object: 'item-b', line: 16, column: 7 }],
    },
  ],
});

describe('duplicate-key, as the loader sees it', () => {
  it("keeps the seed's Deployment, with only the last podAntiAffinity (the hostname term)", () => {
    const text = readFileSync(join(import.meta.dirname, '../../examples/seed/spread-host-az.yaml'), 'utf8');
    const { objects, problems } = parseManifests(text, 'spread-host-az.yaml');
    expect(objects.map((o) => o.name)).toEqual(['spread-host-az']);
    const terms = getAt(
      objects[0]!.raw,
      '/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution',
    );
    expect(Array.isArray(terms) && terms.length).toBe(1);
    expect(
      getAt(
        objects[0]!.raw,
        '/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/topologyKey',
      ),
    ).toBe('kubernetes.io/hostname');
    // The same file also misspells apiVersion: that is invalid-object's, not a duplicate.
    expect(problems.map((p) => p.rule).sort()).toEqual(['duplicate-key', 'invalid-object']);
  });

  it('does not stop the other documents of the file from loading', () => {
    const { objects, problems } = parseManifests(
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: a }
        data: { k: "1", k: "2" }
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: b }
      `,
      'f.yaml',
    );
    expect(objects.map((o) => [o.name, o.raw['data'] ?? null])).toEqual([
      ['a', { k: '2' }],
      ['b', null],
    ]);
    expect(problems.map((p) => [p.rule, p.line, p.object?.name])).toEqual([['duplicate-key', 4, 'a']]);
  });
});

describe('duplicate-key silencing', () => {
  it('honours the kubeha.io/ignore annotation of the object that holds the repeat', () => {
    const { objects, problems } = parseManifests(
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
          annotations: { kubeha.io/ignore: duplicate-key }
        data: { k: "1", k: "2" }
      `,
      'f.yaml',
    );
    const result = check(objects, { rules: [rule], problems });
    expect(result.findings).toEqual([]);
    expect(result.summary.suppressed).toBe(1);
  });
});

describe('duplicate-key: headline and detail', () => {
  it('the headline names the key and where the first one is; the detail says what is lost and what to do', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: cm }
      data:
        mode: a
        mode: b
    `;
    const { objects, problems } = parseManifests(text, 'dup.yaml');
    const [f] = check(objects, { problems }).findings.filter((x) => x.rule === 'duplicate-key');
    expect(f?.message).toBe('key "mode" is repeated in the same mapping (first at line 5)');
    expect(f?.detail).toBe(
      'Only this last one takes effect: the earlier value is silently lost. Keep one of the two, with the value you mean.',
    );
  });
});
