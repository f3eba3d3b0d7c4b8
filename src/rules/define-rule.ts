import type { MessageData } from '../model/location.js';
import { formatNumber } from '../model/number-text.js';
import { cutAtWord } from '../model/text.js';
import type { AnyRule, Rule, RuleMessage } from './types.js';

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

/** The Kubernetes API asks admission warnings to be at most 120 characters; every headline fits one. */
export const HEADLINE_MAX = 120;

/** A finding's two texts, filled. */
export interface RenderedMessage {
  headline: string;
  detail: string;
}

/**
 * Fills a message's headline and detail. A headline longer than HEADLINE_MAX (a 253-character name)
 * has its longest names shortened in the middle (a name inside a longer value too), so the object
 * stays recognisable, or is cut at a word; the detail then begins with the headline in full, so nothing is lost.
 */
export function renderMessage(template: RuleMessage, data: MessageData = {}): RenderedMessage {
  const full = interpolate(template.headline, data);
  const detail = interpolate(template.detail, data);
  if (full.length <= HEADLINE_MAX) return { headline: full, detail };
  const headline = fitHeadline(template.headline, data);
  return { headline, detail: detail === '' ? `${full}.` : `${full}. ${detail}` };
}

function fitHeadline(template: string, data: MessageData): string {
  const shortened: Record<string, string | number> = { ...data };
  const used = compiled(template).filter((_, i) => i % 3 === 2);
  for (let round = 0; round < 8; round++) {
    const text = interpolate(template, shortened);
    const over = text.length - HEADLINE_MAX;
    if (over <= 0) return text;
    // The longest word among the values: a name, alone ("web-…-prod") or inside a value that names
    // its kind too ("Deployment web-…-prod"). A value of only short words is prose, cut at its end below.
    let longest: { name: string; value: string; word: string } | undefined;
    for (const name of used) {
      if (!Object.prototype.hasOwnProperty.call(shortened, name)) continue;
      const value = String(shortened[name]);
      for (const word of value.split(/\s+/))
        if (word.length > (longest?.word.length ?? 12)) longest = { name, value, word };
    }
    if (!longest) break;
    const { name, value, word } = longest;
    const keep = Math.max(10, word.length - over - 1);
    const head = Math.ceil(keep / 2);
    shortened[name] = value.replace(
      word,
      `${word.slice(0, head)}…${word.slice(word.length - (keep - head))}`,
    );
  }
  return cutAtWord(interpolate(template, shortened), HEADLINE_MAX);
}
