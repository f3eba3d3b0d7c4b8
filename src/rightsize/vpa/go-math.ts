/**
 * Go's math.Log, math.Exp2, math.Pow (integer exponents), Frexp and Ldexp, ported operation by
 * operation. JavaScript's Math.log and Math.pow are other algorithms and can differ by an ulp;
 * VPA truncates bucket starts to whole millicores and bytes, so an ulp can move a recommendation
 * by one unit. With Go's own sequence of IEEE operations the results are bit-identical.
 */

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
/** Index of the high 32 bits (sign, exponent, top of the mantissa) in the platform's byte order. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function bitsHigh(x: number): number {
  float[0] = x;
  return words[HIGH] as number;
}

function withHigh(x: number, high: number): number {
  float[0] = x;
  words[HIGH] = high;
  return float[0];
}

/** 2^k for every normal exponent: ldexp multiplies by one of these. */
const POW2 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) POW2[k + 1022] = 2 ** k;

const SMALLEST_NORMAL = 2.2250738585072014e-308;
const TWO_52 = 4503599627370496;

/** Go's math.Frexp: x = frac × 2^exp with |frac| in [0.5, 1). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exp = 0;
  let f = x;
  if (Math.abs(f) < SMALLEST_NORMAL) {
    f *= TWO_52;
    exp = -52;
  }
  const high = bitsHigh(f);
  exp += ((high >>> 20) & 0x7ff) - 1023 + 1;
  const frac = withHigh(f, (high & 0x800fffff) | (1022 << 20));
  return [frac, exp];
}

/** Go's math.Ldexp: frac × 2^exp, exact (powers of two are exact; split to avoid overflow). */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  // VPA's values (decay factors, bucket starts) stay far from overflow and subnormals.
  if (exp >= -1022 && exp <= 1023 && frac >= 0.25 && frac < 4) return frac * (POW2[exp + 1022] as number);
  let result = frac;
  let e = exp;
  while (e > 1000) {
    result *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    // Go rounds a subnormal result once; halving in steps could round twice, but VPA never
    // produces subnormal weights that survive (they fall below epsilon long before).
    result *= 2 ** -1000;
    e += 1000;
  }
  return result * 2 ** e;
}

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2_HALF = Math.SQRT2 / 2;

/** Go's math.Log (log.go; the amd64 assembly computes the same sequence). */
export function goLog(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;
  let [f1, ki] = frexp(x);
  if (f1 < SQRT2_HALF) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 =
    s2 *
    (6.66666666666673513e-1 +
      s4 * (2.857142874366239149e-1 + s4 * (1.818357216161805012e-1 + s4 * 1.479819860511658591e-1)));
  const t2 = s4 * (3.999999999940941908e-1 + s4 * (2.222219843214978396e-1 + s4 * 1.531383769920937332e-1));
  const r = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}

/** Go's math.Exp2 (exp.go, exp2 and expmulti). */
export function goExp2(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 1.0239999999999999e3) return Infinity;
  if (x < -1.074e3) return 0;
  let k = 0;
  if (x > 0) k = Math.trunc(x + 0.5);
  else if (x < 0) k = Math.trunc(x - 0.5);
  const t = x - k;
  const hi = t * LN2_HI;
  const lo = -t * LN2_LO;
  const r = hi - lo;
  const tt = r * r;
  const c =
    r -
    tt *
      (1.66666666666666657415e-1 +
        tt *
          (-2.77777777770155933842e-3 +
            tt *
              (6.61375632143793436117e-5 +
                tt * (-1.6533902205465251539e-6 + tt * 4.13813679705723846039e-8))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // y is within [0.7, 1.42]: times a normal power of two it is exact, as Ldexp's result.
  if (k >= -1021 && k <= 1022) return y * (POW2[k + 1022] as number);
  return ldexp(y, k);
}

/**
 * Go's math.Pow for the exponents VPA uses (whole numbers: bucket starts and the confidence
 * multipliers 1 and -2), by Go's successive squarings; other exponents fall back to Math.pow.
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (
    x === 0 ||
    !Number.isFinite(x) ||
    !Number.isFinite(y) ||
    !Number.isInteger(y) ||
    Math.abs(y) > 2 ** 52
  ) {
    return Math.pow(x, y);
  }
  let a1 = 1;
  let ae = 0;
  let [x1, xe] = frexp(x);
  for (let i = Math.abs(y); i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
