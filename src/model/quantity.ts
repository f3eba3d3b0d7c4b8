/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), parsed to a number of base
 * units: cores for cpu, bytes for memory. Returns undefined for anything the API server would reject.
 */
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const m = QUANTITY.exec(input.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  const mult = SUFFIX[suffix];
  return mult === undefined ? undefined : base * mult;
}

/** Milli-units, rounded up as Quantity.MilliValue() does (the scheduler counts cpu in millicores). */
export function milliValue(input: unknown): number | undefined {
  const v = parseQuantity(input);
  return v === undefined ? undefined : Math.ceil(Math.round(v * 1e9) / 1e6);
}

/** Whole units, rounded up as Quantity.Value() does (memory in bytes, pods). */
export function wholeValue(input: unknown): number | undefined {
  const v = parseQuantity(input);
  return v === undefined ? undefined : Math.ceil(Math.round(v * 1e6) / 1e6);
}

export function formatMilliCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
