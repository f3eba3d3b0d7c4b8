import { asWritten } from './text.js';
import { isJsonObject, type JsonValue } from './types.js';

export type Labels = Record<string, string>;

export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A metav1.LabelSelector in a normalised form. */
export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: LabelRequirement[];
}

export function stringMap(v: JsonValue | undefined): Labels {
  const out: Labels = {};
  if (!isJsonObject(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

/** Reads a metav1.LabelSelector; undefined when the field is absent or null. */
export function parseSelector(v: JsonValue | undefined): LabelSelector | undefined {
  if (!isJsonObject(v)) return undefined;
  const exprs = Array.isArray(v['matchExpressions']) ? v['matchExpressions'] : [];
  const matchExpressions: LabelRequirement[] = [];
  for (const e of exprs) {
    if (!isJsonObject(e) || typeof e['key'] !== 'string') continue;
    const op = e['operator'];
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') continue;
    const values = Array.isArray(e['values']) ? e['values'].map(asWritten) : [];
    matchExpressions.push({ key: e['key'], operator: op, values });
  }
  return { matchLabels: stringMap(v['matchLabels']), matchExpressions };
}

/** A Service-style selector (a plain map): equality on every key. */
export function selectorFromMap(labels: Labels): LabelSelector {
  return { matchLabels: { ...labels }, matchExpressions: [] };
}

export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** metav1.LabelSelectorAsSelector semantics: an empty selector matches everything. */
export function matches(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function formatSelector(s: LabelSelector): string {
  // A value that is not a string (the API server refuses it: invalid-object) is shown as JSON.
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${asWritten(v)}`);
  for (const r of s.matchExpressions) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else
      parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.map(asWritten).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<everything>';
}
