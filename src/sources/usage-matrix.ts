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
  if (httpStatus === 200) {
    const fast = scanMatrix(text);
    if (fast) return fast;
  }
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

/**
 * A matrix answer read without building its whole JSON tree: a range query's answer is mostly
 * `[time,"value"]` pairs, which JSON.parse turns into millions of small arrays and strings (5× the
 * time of this scan). Only the layout Prometheus writes is recognized; anything else (an error, a
 * vector, a field this does not know) returns undefined, and the caller parses the text as JSON.
 */
export function scanMatrix(text: string): Series[] | undefined {
  const head = '{"status":"success","data":{"resultType":"matrix","result":[';
  if (!text.startsWith(head)) return undefined;
  const out: Series[] = [];
  let i = head.length;
  if (text.charCodeAt(i) === 93 /* ] */) return out;
  for (;;) {
    if (!text.startsWith('{"metric":', i)) return undefined;
    const metricEnd = objectEnd(text, i + 10);
    if (metricEnd < 0) return undefined;
    let labels: Record<string, string>;
    try {
      labels = stringRecord(JSON.parse(text.slice(i + 10, metricEnd)));
    } catch {
      return undefined;
    }
    i = metricEnd;
    if (!text.startsWith(',"values":[', i)) return undefined;
    i += 11;
    const samples: UsageSample[] = [];
    while (text.charCodeAt(i) === 91 /* [ */) {
      const comma = text.indexOf(',"', i);
      const close = text.indexOf('"]', comma + 2);
      if (comma < 0 || close < 0) return undefined;
      const time = integerAt(text, i + 1, comma) ?? Number(text.slice(i + 1, comma));
      const value = Number(text.slice(comma + 2, close));
      if (!Number.isFinite(time)) return undefined;
      if (Number.isFinite(value)) samples.push({ time, value });
      i = close + 2;
      if (text.charCodeAt(i) === 44 /* , */) i++;
    }
    if (text.charCodeAt(i) !== 93 /* ] */) return undefined;
    i++;
    // Native histograms ("histograms": [...]) are not usage: their series end up without samples.
    if (text.startsWith(',"histograms":', i)) {
      const end = arrayEnd(text, i + 14);
      if (end < 0) return undefined;
      i = end;
    }
    if (text.charCodeAt(i) !== 125 /* } */) return undefined;
    i++;
    out.push({ labels, samples });
    const next = text.charCodeAt(i);
    if (next === 44 /* , */) i++;
    else if (next === 93 /* ] */) break;
    else return undefined;
  }
  // What follows the result: the end of data, then perhaps warnings or infos (not needed here).
  return text.startsWith(']}', i) ? out : undefined;
}

/** The whole number text[start, end) spells (a range query's times at whole seconds), without a string. */
function integerAt(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 15) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** The index just past the JSON object that starts at `start`, or -1. */
function objectEnd(text: string, start: number): number {
  return balancedEnd(text, start, 123 /* { */, 125 /* } */);
}

function arrayEnd(text: string, start: number): number {
  return balancedEnd(text, start, 91 /* [ */, 93 /* ] */);
}

function balancedEnd(text: string, start: number, open: number, close: number): number {
  if (text.charCodeAt(start) !== open) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return -1;
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
  // defineProperty: `__proto__` is a valid label name, and an assignment would set the prototype.
  for (const [k, value] of Object.entries(v))
    if (typeof value === 'string')
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
