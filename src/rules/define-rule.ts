import type { AnyRule, Rule } from './types.js';

/** Declares a rule; the identity function exists for its types (ESLint's and Spectral's shape). */
export function defineRule<Options = Record<string, never>>(rule: Rule<Options>): AnyRule {
  return rule as unknown as AnyRule;
}

/** Fills `{{name}}` placeholders; a missing value stays visible rather than becoming "undefined". */
export function interpolate(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(data, name) ? String(data[name]) : whole,
  );
}
