import type { MessageData } from '../model/location.js';
import { formatNumber } from '../model/number-text.js';
import type { AnyRule, Rule } from './types.js';

/**
 * Declares a rule; the identity function exists for its types (ESLint's and Spectral's shape). The
 * message ids are inferred from `messages` (or given after the options type, as
 * `defineRule<Options, 'a' | 'b'>`): `report` and the fix planner accept only those, so a misspelt id
 * does not compile.
 */
export function defineRule<Options = Record<string, never>, MessageIds extends string = never>(
  rule: Rule<Options, MessageIds>,
): AnyRule {
  return rule as unknown as AnyRule;
}

/** Fills `{{name}}` placeholders; a missing value stays visible rather than becoming "undefined". */
export function interpolate(template: string, data: MessageData = {}): string {
  const parts = compiled(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i + 1]!;
    if (Object.prototype.hasOwnProperty.call(data, name)) {
      const value = data[name];
      out += typeof value === 'number' ? formatNumber(value) : String(value);
    } else out += parts[i]!;
    out += parts[i + 2]!;
  }
  return out;
}

/**
 * A template split once into [text, (placeholder as written, its name, text)…]: every finding fills
 * one of the rules' few templates, and a regex replace per finding was a measurable share of a check
 * with thousands of findings.
 */
const templates = new Map<string, readonly string[]>();

function compiled(template: string): readonly string[] {
  const known = templates.get(template);
  if (known) return known;
  const split: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) {
    split.push(template.slice(last, m.index), m[0], m[1]!);
    last = m.index + m[0].length;
  }
  split.push(template.slice(last));
  templates.set(template, split);
  return split;
}
