/**
 * The load a workload carried over the window, per container name: at each sample time the sum of
 * its pods' usage, then the average and the highest of those sums. This is what an HPA sees summed
 * over the pods when it computes utilization. Pure.
 */
import type { ContainerUsage, UsageSample } from '../model/usage.js';

export interface LoadLevels {
  /** Average over the sample times of the pods' summed usage (cores, bytes). */
  readonly mean: number;
  /** The highest summed usage at one sample time. */
  readonly peak: number;
}

export interface ContainerLoad {
  readonly container: string;
  readonly cpu?: LoadLevels;
  readonly memory?: LoadLevels;
}

function levels(series: readonly (readonly UsageSample[])[], step: number): LoadLevels | undefined {
  let first = Infinity;
  let last = -Infinity;
  let count = 0;
  // Samples come in time order (the UsageSource contract): the ends of each series bound it.
  for (const samples of series) {
    if (samples.length === 0) continue;
    first = Math.min(first, Math.round(samples[0]!.time / step));
    last = Math.max(last, Math.round(samples[samples.length - 1]!.time / step));
    count += samples.length;
  }
  if (count === 0) return undefined;
  // Steps as array slots (a 14-day history at 1-minute steps is 20 160 of them): a map per step
  // made this the slowest part of a right-sizing of 1 000 workloads.
  const span = last - first + 1;
  if (span > 4 * count + 1024) return levelsSparse(series, step);
  const sums = new Float64Array(span);
  const seen = new Uint8Array(span);
  for (const samples of series) {
    // One value per pod and step (its last), so pods sampled at slightly different instants (the
    // metrics API stamps each pod on its own) add up in the same step.
    let previous = -1;
    let previousValue = 0;
    for (const s of samples) {
      const at = Math.round(s.time / step) - first;
      if (at < 0 || at >= span) return levelsSparse(series, step);
      if (at === previous) sums[at] = sums[at]! - previousValue + s.value;
      else sums[at] = sums[at]! + s.value;
      seen[at] = 1;
      previous = at;
      previousValue = s.value;
    }
  }
  let total = 0;
  let steps = 0;
  let peak = -Infinity;
  for (let i = 0; i < span; i++) {
    if (!seen[i]) continue;
    total += sums[i]!;
    steps++;
    if (sums[i]! > peak) peak = sums[i]!;
  }
  return { mean: total / steps, peak };
}

/** The same for samples far apart in time (a few samples over a long span). */
function levelsSparse(series: readonly (readonly UsageSample[])[], step: number): LoadLevels {
  const sums = new Map<number, number>();
  for (const samples of series) {
    const own = new Map<number, number>();
    for (const s of samples) own.set(Math.round(s.time / step), s.value);
    for (const [at, v] of own) sums.set(at, (sums.get(at) ?? 0) + v);
  }
  let total = 0;
  let peak = -Infinity;
  for (const v of sums.values()) {
    total += v;
    if (v > peak) peak = v;
  }
  return { mean: total / sums.size, peak };
}

/** The load per container name, in the order the names first appear; `step` in seconds aligns the pods' samples. */
export function observedLoad(containers: readonly ContainerUsage[], step = 1): ContainerLoad[] {
  const byName = new Map<string, ContainerUsage[]>();
  for (const c of containers) byName.set(c.container, [...(byName.get(c.container) ?? []), c]);
  return [...byName].map(([container, list]) => {
    const cpu = levels(
      list.map((c) => c.cpu),
      step,
    );
    const memory = levels(
      list.map((c) => c.memory),
      step,
    );
    return { container, ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
  });
}
