/**
 * The answers of Prometheus' HTTP API (/api/v1/query, /api/v1/query_range) as plain series, and its
 * errors as one line each. Pure: the text in, series or a PrometheusError out.
 */
import type { UsageSample } from '../model/usage.js';

/** One series: its labels and its samples in time order (unix seconds). */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: UsageSample[];
}

/** Prometheus could not be read, or answered something that is not what was asked: one line. */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

/**
 * Series of an answer: a matrix (range query, or an instant query of a range) or a vector (instant
 * query; one sample each). `where` names the server in messages.
 */
export function parseSeries(text: string, httpStatus: number, where: string): Series[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isObject(body) || (body['status'] !== 'success' && body['status'] !== 'error')) {
    const what = text.trim() === '' ? 'an empty answer' : 'no Prometheus API answer';
    throw new PrometheusError(
      `${where} answered HTTP ${httpStatus} with ${what} (is it the base URL of a Prometheus server?)`,
    );
  }
  if (body['status'] === 'error') {
    const type = typeof body['errorType'] === 'string' ? `${body['errorType']}: ` : '';
    const message = typeof body['error'] === 'string' ? body['error'] : 'no message';
    throw new PrometheusError(`${where} answered HTTP ${httpStatus}, ${type}${firstLine(message)}`);
  }
  const data = body['data'];
  if (!isObject(data) || !Array.isArray(data['result']))
    throw new PrometheusError(`${where} answered without data.result`);
  const type = data['resultType'];
  if (type !== 'matrix' && type !== 'vector')
    throw new PrometheusError(`${where} answered a ${String(type)}, not a matrix or a vector`);
  const out: Series[] = [];
  for (const item of data['result'] as unknown[]) {
    if (!isObject(item)) continue;
    const labels = stringRecord(item['metric']);
    const samples: UsageSample[] = [];
    if (type === 'matrix' && Array.isArray(item['values'])) {
      for (const pair of item['values'] as unknown[]) {
        const sample = samplePair(pair);
        if (sample) samples.push(sample);
      }
    } else if (type === 'vector') {
      const sample = samplePair(item['value']);
      if (sample) samples.push(sample);
    }
    out.push({ labels, samples });
  }
  return out;
}

/** `[1733300000.123, "0.25"]`; NaN and infinities (a rate over a reset gap) are no sample. */
function samplePair(pair: unknown): UsageSample | undefined {
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const time = Number(pair[0]);
  const value = typeof pair[1] === 'string' ? Number(pair[1]) : NaN;
  if (!Number.isFinite(time) || !Number.isFinite(value)) return undefined;
  return { time, value };
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
