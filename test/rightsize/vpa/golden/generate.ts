/**
 * Generates the usage of the golden scenarios. main.go (beside this file) generates the very same
 * samples with the same integer arithmetic and runs VPA v1.8.1's own model and logic packages on
 * them; expected.json is what they computed.
 */
import type { ContainerUsage, OomKill, UsageSample } from '../../../../src/model/usage.js';

export interface Scenario {
  readonly name: string;
  readonly seed: number;
  readonly pods: number;
  readonly containers: readonly string[];
  readonly shape: 'steady' | 'spiky' | 'growing' | 'idle';
  readonly cpuBase: number;
  readonly memBase: number;
  readonly step: number;
  readonly samples: number;
  readonly ooms?: readonly (readonly [number, number])[];
  readonly disorder?: boolean;
  readonly nan?: boolean;
  readonly stagger?: number;
  readonly noCpuFor?: string;
  readonly zeroFirstMemory?: boolean;
}

export interface ExpectedContainer {
  readonly container: string;
  readonly target: readonly [number, number];
  readonly lowerBound: readonly [number, number];
  readonly upperBound: readonly [number, number];
  readonly totalSamplesCount: number;
  readonly confidence: number;
}

/** A 32-bit linear congruential generator (Numerical Recipes' constants), as in main.go. */
class Lcg {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state;
  }
}

const div = (a: number, b: number): number => Math.floor(a / b);

export function generate(start: number, s: Scenario): ContainerUsage[] {
  const rng = new Lcg(s.seed);
  const result: ContainerUsage[] = [];
  for (let p = 0; p < s.pods; p++) {
    const podStart = start + p * (s.stagger ?? 0) * s.step;
    for (const container of s.containers) {
      const cpu: UsageSample[] = [];
      const memory: UsageSample[] = [];
      let previous = podStart;
      for (let i = 0; i < s.samples; i++) {
        let t = podStart + i * s.step;
        if (s.disorder === true && i % 50 === 10) t = previous;
        if (s.disorder === true && i % 97 === 3) t = t - 7 * s.step;
        previous = t;
        const r = rng.next();
        let m: number;
        switch (s.shape) {
          case 'steady':
            m = s.cpuBase + (r % (div(s.cpuBase, 5) + 1));
            break;
          case 'spiky':
            m =
              r % 20 === 0
                ? s.cpuBase * 5 + (r % (s.cpuBase + 1))
                : s.cpuBase + (r % (div(s.cpuBase, 5) + 1));
            break;
          case 'growing':
            m = s.cpuBase + div(s.cpuBase * i, s.samples) + (r % (div(s.cpuBase, 5) + 1));
            break;
          case 'idle':
            m = r % 3;
            break;
        }
        const r2 = rng.next();
        let bytes = s.memBase + (r2 % 1000) * div(s.memBase, 10000);
        if (s.shape === 'growing') bytes += div(s.memBase * i, s.samples);
        if (s.shape === 'spiky' && r2 % 30 === 0) bytes *= 2;
        if (s.zeroFirstMemory === true && i === 0) bytes = 0;
        let cores = m / 1000;
        if (s.nan === true && i % 37 === 5) cores = NaN;
        if (s.nan === true && i % 41 === 7) bytes = -5;
        if (container !== s.noCpuFor) cpu.push({ time: t, value: cores });
        memory.push({ time: t, value: bytes });
      }
      const ooms: OomKill[] =
        container === s.containers[0]
          ? (s.ooms ?? []).map(([index, request]) => ({
              time: podStart + index * s.step + 1,
              memoryBytes: request,
            }))
          : [];
      result.push({ pod: `pod-${p}`, container, cpu, memory, ooms });
    }
  }
  return result;
}
