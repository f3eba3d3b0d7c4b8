import { matches, type LabelSelector, type Labels } from './labels.js';

/*
 * Joins between label selectors and label sets (PDB → pods, Service → pods, term → workloads) asked
 * once per workload turn quadratic when every selector is tested against every label set: 10 000
 * objects hold a few hundred of each per namespace. Both indexes below narrow the candidates with one
 * requirement every match must meet (an equality, an `In`, an `Exists`), then test the candidates with
 * `matches` itself, so the answer is exactly the one a full scan gives, in the same (input) order.
 */

/** `key=value` as one Map key (a NUL inside a key could collide: that only adds a candidate `matches` rejects). */
function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function push(map: Map<string, number[]>, key: string, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}

/** Many selectors, asked which of them select one label set. */
export class SelectorIndex<T> {
  private readonly items: readonly T[];
  private readonly selectors: readonly LabelSelector[];
  /** Positions of selectors that require `key=value` (matchLabels, or one of an `In`'s values). */
  private readonly byPair = new Map<string, number[]>();
  /** Positions of selectors whose only narrowing requirement is `key` exists. */
  private readonly byKey = new Map<string, number[]>();
  /** Positions of selectors that every label set may meet (empty, or only NotIn/DoesNotExist). */
  private readonly unanchored: number[] = [];

  constructor(entries: readonly { item: T; selector: LabelSelector }[]) {
    this.items = entries.map((e) => e.item);
    this.selectors = entries.map((e) => e.selector);
    this.selectors.forEach((s, position) => {
      const anchor = anchorOf(s);
      if (anchor.kind === 'pairs') for (const k of anchor.keys) push(this.byPair, k, position);
      else if (anchor.kind === 'key') push(this.byKey, anchor.key, position);
      else this.unanchored.push(position);
    });
  }

  /** The items whose selector selects these labels, in the order they were given. */
  selecting(labels: Labels): T[] {
    const candidates: number[] = [...this.unanchored];
    for (const [k, v] of Object.entries(labels)) {
      const paired = this.byPair.get(pairKey(k, v));
      if (paired) for (const p of paired) candidates.push(p);
      const keyed = this.byKey.get(k);
      if (keyed) for (const p of keyed) candidates.push(p);
    }
    // A selector sits under one requirement's key only, and a label set has one value per key: no repeats.
    candidates.sort((a, b) => a - b);
    const out: T[] = [];
    for (const p of candidates) if (matches(this.selectors[p]!, labels)) out.push(this.items[p]!);
    return out;
  }
}

/** Many label sets, asked which of them one selector selects. */
export class LabelSetIndex<T> {
  private readonly items: readonly T[];
  private readonly labelSets: readonly Labels[];
  private readonly byPair = new Map<string, number[]>();
  private readonly byKey = new Map<string, number[]>();

  constructor(entries: readonly { item: T; labels: Labels }[]) {
    this.items = entries.map((e) => e.item);
    this.labelSets = entries.map((e) => e.labels);
    this.labelSets.forEach((labels, position) => {
      for (const [k, v] of Object.entries(labels)) {
        push(this.byPair, pairKey(k, v), position);
        push(this.byKey, k, position);
      }
    });
  }

  /** The items whose labels the selector selects, in the order they were given. */
  selectedBy(selector: LabelSelector): T[] {
    const out: T[] = [];
    for (const p of this.candidates(selector))
      if (matches(selector, this.labelSets[p]!)) out.push(this.items[p]!);
    return out;
  }

  /** Whether the selector selects any of the label sets. */
  selectsAny(selector: LabelSelector): boolean {
    for (const p of this.candidates(selector)) if (matches(selector, this.labelSets[p]!)) return true;
    return false;
  }

  private candidates(selector: LabelSelector): readonly number[] {
    const anchor = anchorOf(selector);
    if (anchor.kind === 'none') return this.labelSets.map((_, p) => p);
    if (anchor.kind === 'key') return this.byKey.get(anchor.key) ?? [];
    if (anchor.keys.length === 1) return this.byPair.get(anchor.keys[0]!) ?? [];
    // One `In` over several values: a label set has one value for the key, so the lists are disjoint.
    return anchor.keys.flatMap((k) => this.byPair.get(k) ?? []).sort((a, b) => a - b);
  }
}

type Anchor = { kind: 'pairs'; keys: string[] } | { kind: 'key'; key: string } | { kind: 'none' };

/**
 * One requirement that every label set the selector selects meets: the first matchLabels entry, else
 * the first `In` (any of its values), else the first `Exists`. NotIn and DoesNotExist hold on label
 * sets that lack the key, so they narrow nothing.
 */
function anchorOf(s: LabelSelector): Anchor {
  for (const [k, v] of Object.entries(s.matchLabels)) return { kind: 'pairs', keys: [pairKey(k, v)] };
  const within = s.matchExpressions.find((r) => r.operator === 'In');
  if (within) return { kind: 'pairs', keys: [...new Set(within.values)].map((v) => pairKey(within.key, v)) };
  const exists = s.matchExpressions.find((r) => r.operator === 'Exists');
  if (exists) return { kind: 'key', key: exists.key };
  return { kind: 'none' };
}
