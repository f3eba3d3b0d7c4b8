import { describe, expect, it } from 'vitest';
import { matches, type LabelRequirement, type LabelSelector, type Labels } from '../../src/model/labels.js';
import { LabelSetIndex, SelectorIndex } from '../../src/model/selector-index.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Few keys and values, so that selectors and label sets meet often.
const KEYS = ['app', 'tier', 'team', 'track', 'a/b', 'x\u0000y'];
const VALUES = ['web', 'api', 'db', '', '1'];
const OPERATORS: LabelRequirement['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function pick<T>(next: () => number, from: readonly T[]): T {
  return from[Math.floor(next() * from.length)]!;
}

function labelsOf(next: () => number): Labels {
  const out: Labels = {};
  const n = Math.floor(next() * 4);
  for (let i = 0; i < n; i++) out[pick(next, KEYS)] = pick(next, VALUES);
  return out;
}

function selectorOf(next: () => number): LabelSelector {
  const matchLabels = next() < 0.5 ? labelsOf(next) : {};
  const matchExpressions: LabelRequirement[] = [];
  const n = Math.floor(next() * 3);
  for (let i = 0; i < n; i++) {
    const values = Array.from({ length: Math.floor(next() * 3) }, () => pick(next, VALUES));
    matchExpressions.push({ key: pick(next, KEYS), operator: pick(next, OPERATORS), values });
  }
  return { matchLabels, matchExpressions };
}

describe('selector indexes give what testing every selector against every label set gives', () => {
  const next = random(15);
  const selectors = Array.from({ length: 300 }, (_, i) => ({ item: i, selector: selectorOf(next) }));
  const labelSets = Array.from({ length: 300 }, (_, i) => ({ item: i, labels: labelsOf(next) }));

  it('SelectorIndex: the selectors that select a label set, in input order', () => {
    const index = new SelectorIndex(selectors);
    let found = 0;
    for (const { labels } of labelSets) {
      const expected = selectors.filter((s) => matches(s.selector, labels)).map((s) => s.item);
      expect(index.selecting(labels)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(300); // the cases do meet: the comparison is not between empty lists
  });

  it('LabelSetIndex: the label sets a selector selects, in input order', () => {
    const index = new LabelSetIndex(labelSets);
    let found = 0;
    for (const { selector } of selectors) {
      const expected = labelSets.filter((l) => matches(selector, l.labels)).map((l) => l.item);
      expect(index.selectedBy(selector)).toEqual(expected);
      expect(index.selectsAny(selector)).toBe(expected.length > 0);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(300);
  });
});
