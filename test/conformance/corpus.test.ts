// The conformance corpus offline: what the e2e suite (test/e2e/conformance.test.ts) sends to kubectl.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { seedCorpus, splitYamlStream } from './corpus.js';
import { MUTATION_CLASSES, mutationCorpus, toYaml } from './mutate.js';
import { kubehaVerdict, saysRejected } from './verdict.js';

describe('conformance corpus', () => {
  const items = [...seedCorpus(), ...mutationCorpus(1)];

  it('has at least 1 000 items, one document each, with unique ids that are file names', () => {
    expect(items.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const i of items) {
      expect(i.id).toMatch(/^[a-z0-9.-]+$/);
      expect(splitYamlStream(i.text), i.id).toHaveLength(1);
    }
  });

  it('has every mutation class, and the same items for the same seed', () => {
    const groups = new Set(items.map((i) => i.group));
    for (const c of MUTATION_CLASSES) expect(groups.has(`mutation:${c}`), c).toBe(true);
    const again = mutationCorpus(1);
    expect(again).toEqual(items.filter((i) => i.group.startsWith('mutation:')));
    expect(mutationCorpus(2).map((i) => i.text)).not.toEqual(again.map((i) => i.text));
  });

  it('the valid bases are valid for kubeha too (no finding says the API server rejects them)', () => {
    for (const base of items.filter((i) => i.group === 'mutation:base'))
      expect(kubehaVerdict(base.text, `${base.id}.yaml`).reasons, base.origin).toEqual([]);
  });
});

describe('toYaml', () => {
  it('quotes strings YAML 1.1 reads as something else, so only a mutation writes them plainly', () => {
    const text = toYaml({ a: 'yes', b: 'on', c: '0777', d: '12:30', e: 'web' });
    expect(parseDocument(text, { version: '1.1' }).toJS()).toEqual({
      a: 'yes',
      b: 'on',
      c: '0777',
      d: '12:30',
      e: 'web',
    });
  });
});

describe('splitYamlStream', () => {
  it('splits at --- lines, keeps a document on the separator line, and drops empty and comment-only documents', () => {
    expect(splitYamlStream('a: 1\n---\n# only a comment\n--- b: 2\n---\n\nc: 3\n')).toEqual([
      'a: 1',
      'b: 2',
      '\nc: 3\n',
    ]);
  });
});

describe('saysRejected', () => {
  it('is yaml-syntax, invalid-object, and deprecated-api errors; nothing else', () => {
    expect(saysRejected({ rule: 'yaml-syntax', severity: 'error' })).toBe(true);
    expect(saysRejected({ rule: 'invalid-object', severity: 'error' })).toBe(true);
    expect(saysRejected({ rule: 'deprecated-api', severity: 'error' })).toBe(true);
    expect(saysRejected({ rule: 'deprecated-api', severity: 'warning' })).toBe(false);
    expect(saysRejected({ rule: 'duplicate-key', severity: 'error' })).toBe(false);
    expect(saysRejected({ rule: 'missing-pdb', severity: 'warning' })).toBe(false);
  });
});
