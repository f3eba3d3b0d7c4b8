import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { KUBECTL_YAML, resolvePlain } from '../../src/sources/kubectl-yaml.js';
import { parseManifests } from '../../src/sources/parse.js';

/**
 * Each value below was checked against the real kubectl of tools/cluster (v1.36.5): a Deployment
 * with `replicas: <scalar>` applied with --dry-run=server, whose answer gives what kubectl sent.
 */
describe('plain scalars as kubectl (sigs.k8s.io/yaml, go-yaml v2) reads them', () => {
  const read = (text: string) => resolvePlain(text).value;

  it('reads every go-yaml v2 boolean spelling as a boolean', () => {
    for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])
      expect(read(t), t).toBe(true);
    for (const t of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])
      expect(read(t), t).toBe(false);
    // Other casings are strings.
    for (const t of ['yES', 'oN', 'nO', 'tRUE', 'ok']) expect(read(t), t).toBe(t);
  });

  it('reads integers as strconv.ParseInt(s, 0, 64) does once underscores are gone', () => {
    expect(read('0777')).toBe(511); // kubectl sent replicas 511
    expect(read('0o17')).toBe(15); // 15
    expect(read('-0x1F')).toBe(-31); // "spec.replicas: Invalid value: -31"
    expect(read('0b101')).toBe(5); // 5
    expect(read('1_000')).toBe(1000); // 1000
    expect(read('+5')).toBe(5); // 5
    expect(read('2147483648')).toBe(2147483648);
  });

  it('reads floats as go-yaml v2 does, including forms YAML 1.1 calls strings', () => {
    expect(read('1e3')).toBe(1000); // 1000
    expect(read('09')).toBe(9); // 9 (not octal: a float)
    expect(read('1.0')).toBe(1); // 1
    expect(read('.5e1')).toBe(5); // 5
    expect(read('.inf')).toBe(Infinity); // kubectl: "json: unsupported value: +Inf"
  });

  it('leaves sexagesimal numbers, timestamps and overflowing floats as strings', () => {
    expect(read('1:20')).toBe('1:20'); // "cannot unmarshal string into ... of type int32"
    expect(read('1e400')).toBe('1e400'); // the same
    expect(read('2001-12-14')).toBe('2001-12-14');
    expect(read('0x')).toBe('0x');
  });

  it('reads null as go-yaml v2 does', () => {
    for (const t of ['', '~', 'null', 'Null', 'NULL']) expect(read(t), t).toBeNull();
    expect(read('nULL')).toBe('nULL');
  });
});

describe('the loader', () => {
  it('gives kubeha the values kubectl sends, keys included', () => {
    const { objects } = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labels: { gdpr: no } }\ndata: { y: z, on: a, 010: b, q: "yes", r: !!str yes }\n',
      'c.yaml',
    );
    const raw = objects[0]!.raw;
    expect(raw['metadata']).toEqual({ name: 'c', labels: { gdpr: false } });
    // kubectl sent {"8":"b","true":"a",...}: y and on are both the key "true", the last one wins.
    expect(raw['data']).toEqual({ true: 'a', 8: 'b', q: 'yes', r: 'yes' });
  });

  it('remembers how a plain scalar was written, for messages and fixes', () => {
    const { objects } = parseManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      image: a\n      env:\n        - { name: X, value: Yes }\n        - { name: Y, value: "no" }\n',
      'p.yaml',
    );
    const source = objects[0]!.source!;
    expect(source.scalar?.('/spec/containers/0/env/0/value')).toBe('Yes');
    expect(source.scalar?.('/spec/containers/0/env/1/value')).toBeUndefined(); // quoted
    expect(source.scalar?.('/spec/containers/0/env')).toBeUndefined(); // not a scalar
  });
});

describe('writing with the same tags', () => {
  it('quotes a string kubectl would read as something else, and keeps unchanged scalars as written', () => {
    const doc = parseDocument('a: 0777\nb: yes\nc: 1e3\nd: ~\n', KUBECTL_YAML);
    for (const s of ['yes', 'on', 'y', '0777', '1e3', '09', '1_000', '~', '']) doc.set(`s${s}`, s);
    doc.set('plain', 'web');
    doc.set('time', '2001-12-14');
    doc.set('sexagesimal', '1:20');
    expect(doc.toString()).toBe(
      [
        'a: 0777',
        'b: yes',
        'c: 1e3',
        'd: ~',
        'syes: "yes"',
        'son: "on"',
        'sy: "y"',
        's0777: "0777"',
        's1e3: "1e3"',
        's09: "09"',
        's1_000: "1_000"',
        's~: "~"',
        's: ""',
        'plain: web',
        'time: 2001-12-14',
        'sexagesimal: 1:20',
        '',
      ].join('\n'),
    );
    // and what it wrote reads back as the same strings
    expect(parseDocument(doc.toString(), KUBECTL_YAML).toJS()).toMatchObject({
      syes: 'yes',
      s0777: '0777',
      s: '',
    });
  });
});

describe('explicit tags', () => {
  it('yield JSON values only, as go-yaml v2 decodes them into interface{}', () => {
    const doc = parseDocument(
      'a: !!binary aGVsbG8=\nb: !!timestamp 2001-12-14\nc: !!set { x, z }\nd: !!omap [ { k: 1 } ]\ne: !!str 0777\nf: !!int "3"\n',
      KUBECTL_YAML,
    );
    expect(doc.toJS()).toEqual({
      a: 'hello',
      b: '2001-12-14',
      c: { x: null, z: null },
      d: [{ k: 1 }],
      e: '0777',
      f: 3,
    });
  });
});

describe('.inf and .nan', () => {
  it('are refused at their line, as kubectl cannot write them as JSON', () => {
    const { objects, problems } = parseManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      image: a\n      resources: { requests: { cpu: .inf } }\n',
      'p.yaml',
    );
    expect(objects).toHaveLength(1);
    expect(problems.map((p) => [p.rule, p.line, p.path])).toEqual([
      ['invalid-object', 8, '/spec/containers/0/resources/requests/cpu'],
    ]);
    expect(problems[0]!.message).toBe(
      'spec.containers[0].resources.requests.cpu is .inf, which kubectl cannot send as JSON',
    );
    expect(problems[0]!.detail).toContain('json: unsupported value: +Inf');
    const quoted = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: ".inf", b: x.inf }\n';
    expect(parseManifests(quoted, 'q.yaml').problems).toEqual([]);
  });
});
