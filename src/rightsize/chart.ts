/**
 * One inline SVG chart of a container's usage history against today's and the recommended request:
 * per step, the highest and the average usage among the workload's pods (a request is per pod, so
 * the hungriest pod is what it must cover), and the two requests as horizontal lines. Long
 * histories are cut into at most MAX_POINTS buckets (each keeps its highest and its average). Pure.
 */
import type { UsageSample } from '../model/usage.js';

export const MAX_POINTS = 400;
const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

export interface ChartLine {
  readonly name: 'today' | 'recommended';
  readonly value: number;
}

export interface ChartInput {
  readonly title: string;
  /** One series per pod. */
  readonly series: readonly (readonly UsageSample[])[];
  readonly lines: readonly ChartLine[];
  /** Writes a value on the axis (cores as "250m", bytes as "512Mi"). */
  readonly format: (v: number) => string;
}

export interface Step {
  readonly time: number;
  readonly max: number;
  readonly mean: number;
}

/** Per sample time: the highest and the average usage among the pods; then bucketed to `points`. */
export function chartSteps(series: readonly (readonly UsageSample[])[], points = MAX_POINTS): Step[] {
  const byTime = new Map<number, { max: number; sum: number; n: number }>();
  for (const samples of series)
    for (const s of samples) {
      const at = byTime.get(s.time);
      if (at) {
        at.max = Math.max(at.max, s.value);
        at.sum += s.value;
        at.n++;
      } else byTime.set(s.time, { max: s.value, sum: s.value, n: 1 });
    }
  const steps = [...byTime]
    .sort((a, b) => a[0] - b[0])
    .map(([time, v]) => ({ time, max: v.max, mean: v.sum / v.n }));
  if (steps.length <= points) return steps;
  const out: Step[] = [];
  const size = steps.length / points;
  for (let i = 0; i < points; i++) {
    const bucket = steps.slice(Math.floor(i * size), Math.floor((i + 1) * size));
    if (bucket.length === 0) continue;
    out.push({
      time: bucket[0]!.time,
      max: Math.max(...bucket.map((s) => s.max)),
      mean: bucket.reduce((a, s) => a + s.mean, 0) / bucket.length,
    });
  }
  return out;
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart as an `<svg>` element. */
export function usageChart(input: ChartInput): string {
  const steps = chartSteps(input.series);
  const top = Math.max(...steps.map((s) => s.max), ...input.lines.map((l) => l.value), 0) * 1.1 || 1;
  const t0 = steps[0]?.time ?? 0;
  const t1 = steps[steps.length - 1]?.time ?? t0 + 1;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number): number => PAD.left + (t1 === t0 ? innerW / 2 : ((t - t0) / (t1 - t0)) * innerW);
  const y = (v: number): number => PAD.top + innerH - (v / top) * innerH;
  const fixed = (n: number): string => n.toFixed(1);
  const path = (f: (s: Step) => number): string =>
    steps.map((s, i) => `${i ? 'L' : 'M'}${fixed(x(s.time))},${fixed(y(f(s)))}`).join('');
  const hours = (t1 - t0) / 3600;
  const span =
    hours >= 48
      ? `${Number((hours / 24).toFixed(1))} days`
      : hours >= 1
        ? `${Number(hours.toFixed(1))} hours`
        : `${Math.round((t1 - t0) / 60)} minutes`;
  const label = `${input.title}: ${steps.length} steps over ${span}; highest pod peak ${input.format(Math.max(0, ...steps.map((s) => s.max)))}; ${input.lines.map((l) => `${l.name} request ${input.format(l.value)}`).join(', ') || 'no request'}`;
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escape(label)}">`,
    `<title>${escape(label)}</title>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${innerW}" height="${innerH}" fill="#fafafa" stroke="#ccc"/>`,
    ...[0, 0.5, 1].map(
      (f) =>
        `<text x="${PAD.left - 6}" y="${fixed(y(top * f) + 4)}" text-anchor="end" font-size="11">${escape(input.format(top * f))}</text>`,
    ),
    `<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11">${escape(new Date(t0 * 1000).toISOString().slice(0, 16).replace('T', ' '))}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" font-size="11" text-anchor="end">${escape(new Date(t1 * 1000).toISOString().slice(0, 16).replace('T', ' '))} UTC</text>`,
    steps.length
      ? `<path data-series="max" d="${path((s) => s.max)}" fill="none" stroke="#d62728" stroke-width="1.2"/>`
      : '',
    steps.length
      ? `<path data-series="mean" d="${path((s) => s.mean)}" fill="none" stroke="#1f77b4" stroke-width="1"/>`
      : '',
    ...input.lines.map(
      (l) =>
        `<line data-line="${l.name}" data-value="${l.value}" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${fixed(y(l.value))}" y2="${fixed(y(l.value))}" stroke="${l.name === 'today' ? '#7f7f7f' : '#2ca02c'}" stroke-width="2" ${l.name === 'today' ? 'stroke-dasharray="6 4"' : ''}/>`,
    ),
    `</svg>`,
  ];
  return parts.filter(Boolean).join('');
}
