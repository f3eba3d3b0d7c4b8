/**
 * Numbers as the API server reads them and as a person writes them. YAML hands kubeha JavaScript
 * numbers: 1e308 and 2^31 are "integers" to JavaScript, .inf and .nan are numbers, and String()
 * writes them as 1e+308, Infinity and NaN. The API server decodes an int32 or int64 field only when
 * the value is an integer within that range.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** An integer an int32 field decodes (the range of replicas, ports, periods, maxSkew …). */
export function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/**
 * An integer an int64 field decodes (terminationGracePeriodSeconds …). Above 2^53 a double cannot
 * tell neighbours apart, so the bounds are the nearest doubles: 2^63 itself is out.
 */
export function isInt64(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63;
}

/** A number as a person writes it: never 1e+308, never Infinity or NaN (YAML's .inf and .nan). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '.inf' : '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  if (Number.isInteger(n)) {
    const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
    return `${mantissa}e${exponent.replace('+', '')}`;
  }
  return String(n);
}
