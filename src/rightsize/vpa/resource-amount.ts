/**
 * VPA's ResourceAmount (model/types.go): an int64 of millicores or bytes. Every conversion from a
 * float truncates toward zero, clamps negatives to 0 and caps at 1e14; NaN becomes Go's
 * "integer indefinite" (a negative number) on amd64, which makes the sample invalid.
 */

/** MaxResourceAmount. */
export const MAX_RESOURCE_AMOUNT = 1e14;

/** NaN's amount: negative, so isValid() rejects the sample. */
export const INVALID_AMOUNT = -1;

export function resourceAmountFromFloat(amount: number): number {
  if (Number.isNaN(amount)) return INVALID_AMOUNT;
  if (amount > MAX_RESOURCE_AMOUNT) return MAX_RESOURCE_AMOUNT;
  if (amount < 0) return 0;
  return Math.trunc(amount);
}

export function cpuAmountFromCores(cores: number): number {
  return resourceAmountFromFloat(cores * 1000.0);
}

export function coresFromCpuAmount(millicores: number): number {
  return millicores / 1000.0;
}

export function memoryAmountFromBytes(bytes: number): number {
  return resourceAmountFromFloat(bytes);
}

export function scaleResource(amount: number, factor: number): number {
  return resourceAmountFromFloat(amount * factor);
}

/** RoundUpToScale: up to the next multiple of scale (what --round-cpu-millicores/--round-memory-bytes do). */
export function roundUpToScale(amount: number, scale: number): number {
  if (!(scale > 0)) return amount;
  return Math.ceil(amount / scale) * scale;
}
