import { isInt32 } from './number-text.js';

/**
 * IntOrString values (maxSurge, maxUnavailable, minAvailable), scaled as
 * intstr.GetScaledValueFromIntOrPercent does: a percentage of `total`, rounded up or down as the
 * calling controller asks. undefined when the value is neither an int32 (what the API server
 * decodes) nor an "N%" string.
 */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return isInt32(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return undefined;
  const pct = Number(m[1]);
  // Integer arithmetic first, as Go does, so 25% of 4 is exactly 1.
  const product = pct * total;
  return roundUp ? Math.ceil(product / 100) : Math.floor(product / 100);
}

export function isPercent(value: unknown): value is string {
  return typeof value === 'string' && /^\d+%$/.test(value);
}
