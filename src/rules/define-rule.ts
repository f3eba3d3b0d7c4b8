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
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(data, name)
      ? typeof data[name] === 'number'
        ? formatNumber(data[name])
        : String(data[name])
      : whole,
  );
}
