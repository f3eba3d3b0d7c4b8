import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/yaml-syntax.js';
import { parseManifests } from '../../src/sources/parse.js';
import { testRule, yaml } from '../rule-tester.js';

// A billion-laughs document: nine levels of nine aliases each (9^9 strings once expanded).
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');

const BEFORE = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata: { name: before }
`;
const AFTER = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata: { name: after }
`;

/** Loads a file and tells which objects survived and where the syntax errors are. */
function load(text: string): { objects: string[]; errors: [number, number, string][] } {
  const { objects, problems } = parseManifests(text, 'f.yaml');
  return {
    objects: objects.map((o) => o.name),
    errors: problems.filter((p) => p.rule === 'yaml-syntax').map((p) => [p.line, p.column, p.message]),
  };
}

// yaml-syntax is reported by the loader (scope 'load'). The harness names a load problem after the
// file's first loaded object, so each case starts with a document that loads ("before").
testRule(rule, {
  valid: [
    {
      name: 'empty documents, comments, a leading ---, tabs inside values and JSON',
      yaml:
        '# only a comment\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  a:\t"1"\n---\n' +
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}\n',
    },
    {
      name: 'ordinary anchors and aliases',
      yaml: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: c, labels: &labels { app: web } }
        data: { a: &v "x", b: *v }
        spec: { selector: *labels }
      `,
    },
  ],
  invalid: [
    {
      name: 'an unterminated flow sequence is reported at its line',
      yaml:
        BEFORE +
        '---\n' +
        yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: broken
          spec:
            containers: [{ name: app, image: nginx }
        ` +
        '---\n' +
        AFTER,
      errors: [{ object: 'before', line: 10, column: 1, message: 'Flow sequence' }],
    },
    {
      name: 'tabs used as indentation',
      yaml: BEFORE + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n',
      errors: [{ object: 'before', line: 8, column: 1, message: 'Tabs are not allowed as indentation' }],
    },
    {
      name: 'an alias bomb is refused instead of expanded',
      yaml: BEFORE + '---\n' + ALIAS_BOMB + '\n---\n' + AFTER,
      errors: [{ object: 'before', line: 5, message: /alias/i }],
    },
    {
      name: 'a key indented under a scalar',
      yaml: BEFORE + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   labels: {}\n',
      errors: [{ object: 'before', line: 8, message: 'Nested mappings are not allowed in compact mappings' }],
    },
  ],
});

describe('yaml-syntax, as the loader sees it', () => {
  it('still loads the documents before and after a broken one', () => {
    const broken =
      BEFORE +
      '---\napiVersion: v1\nkind: Pod\nmetadata: { name: broken }\nspec:\n  args: [a, b\n---\n' +
      AFTER;
    expect(load(broken)).toEqual({
      objects: ['before', 'after'],
      errors: [[9, 1, expect.stringContaining('Flow sequence') as unknown as string]],
    });
  });

  it('loads the other documents around an alias bomb, quickly', () => {
    const started = Date.now();
    const result = load(BEFORE + '---\n' + ALIAS_BOMB + '\n---\n' + AFTER);
    expect(result.objects).toEqual(['before', 'after']);
    expect(result.errors).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a binary file once, at its first line, and loads nothing from it', () => {
    expect(load('apiVersion: v1\n\u0000\u0001\u0002kind: Secret\n')).toEqual({
      objects: [],
      errors: [[1, 1, 'binary file: not YAML or JSON text']],
    });
  });

  it('reports each broken document once, and only the first error of each', () => {
    const text = 'a: [1\n---\n' + AFTER + '---\nb: {c\n';
    const result = load(text);
    expect(result.objects).toEqual(['after']);
    expect(result.errors.map((e) => e[0])).toEqual([1, 7]);
  });
});

describe('yaml-syntax: one document cannot swallow the next', () => {
  // kubectl splits a stream on "---" lines before parsing (k8s.io/apimachinery/pkg/util/yaml), so a
  // quote left open in one document does not swallow the next ones; the loader does the same.
  it('loads the documents after an unterminated quoted scalar, and reports the quote at its own line', () => {
    const text = BEFORE + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: "x }\n---\n' + AFTER;
    const result = load(text);
    expect(result.objects).toEqual(['before', 'after']);
    expect(result.errors.map((e) => e[0])).toEqual([7]);
  });

  it("merges YAML merge keys (<<: *base), as the API server's YAML decoder does", () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  base: &b {a: "1"}\n  merged:\n    <<: *b\n    c: "2"\n';
    const { objects } = parseManifests(text, 'm.yaml');
    expect(objects[0]!.raw['data']).toEqual({ base: { a: '1' }, merged: { a: '1', c: '2' } });
  });
});

describe('yaml-syntax: headline and detail', () => {
  const finding = (text: string) => {
    const { objects, problems } = parseManifests(text, 'broken.yaml');
    return check(objects, { problems }).findings.find((f) => f.rule === 'yaml-syntax');
  };

  it("the parser's words are the headline, the rule says why it matters and what to do", () => {
    const f = finding('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm\n');
    expect(f?.message).not.toMatch(/\n/);
    expect(f?.message.length).toBeLessThanOrEqual(120);
    expect(rule.messages['load']).toMatchObject({ headline: '{{message}}', detail: f?.detail });
    expect(f?.detail).toMatch(/^A document that does not parse is not applied at all\./);
  });

  it('a binary file has its own detail: what to leave out', () => {
    const f = finding('\u0000\u0001');
    expect(f?.message).toBe('binary file: not YAML or JSON text');
    expect(f?.detail).toBe(
      'Neither kubectl nor kubeha reads manifests from it. Leave it out of the paths given to kubeha.',
    );
  });

  it('an alias inside its own anchor: the headline says where, the detail quotes kubectl', () => {
    const f = finding('apiVersion: v1\nkind: ConfigMap\nmetadata: &a { name: cm, again: *a }\n');
    expect(f?.message).toBe('alias *a is inside the value its anchor &a names');
    expect(f?.detail).toContain(`kubectl refuses it ("yaml: anchor 'a' value contains itself")`);
  });
});
