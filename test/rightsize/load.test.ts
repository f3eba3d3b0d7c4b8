import { describe, expect, it } from 'vitest';
import { observedLoad } from '../../src/rightsize/load.js';

describe('observedLoad', () => {
  it('sums the pods at each step, then averages and takes the highest sum', () => {
    const pod = (name: string, cpu: number[]) => ({
      pod: name,
      container: 'app',
      cpu: cpu.map((value, i) => ({ time: 100 + i * 60, value })),
      memory: [],
      ooms: [],
    });
    const [load] = observedLoad([pod('a', [1, 2, 3]), pod('b', [1, 0, 5])], 60);
    expect(load).toEqual({ container: 'app', cpu: { mean: 4, peak: 8 } });
  });

  it('adds pods sampled a few seconds apart in the same step, each pod once per step', () => {
    const c = (pod: string, times: number[], values: number[]) => ({
      pod,
      container: 'app',
      cpu: times.map((time, i) => ({ time, value: values[i]! })),
      memory: [],
      ooms: [],
    });
    const [load] = observedLoad([c('a', [1000, 1002], [1, 2]), c('b', [1004], [3])], 30);
    // a's two samples fall in one step: its last counts.
    expect(load!.cpu).toEqual({ mean: 5, peak: 5 });
  });
});

describe('observedLoad on a long history', () => {
  it('gives the same levels as summing step by step, and a few far-apart samples too', () => {
    const pods = [0, 1, 2].map((p) => ({
      pod: `p${p}`,
      container: 'app',
      cpu: Array.from({ length: 2000 }, (_, i) => ({ time: 60 * i + p, value: ((i * 7 + p * 3) % 11) / 10 })),
      memory: [
        { time: 0, value: 1 + p },
        { time: 86_400 * 30, value: 2 },
      ],
      ooms: [],
    }));
    const [load] = observedLoad(pods, 60);
    let total = 0;
    let peak = 0;
    for (let i = 0; i < 2000; i++) {
      const sum = [0, 1, 2].reduce((a, p) => a + ((i * 7 + p * 3) % 11) / 10, 0);
      total += sum;
      peak = Math.max(peak, sum);
    }
    expect(load!.cpu!.mean).toBeCloseTo(total / 2000, 9);
    expect(load!.cpu!.peak).toBeCloseTo(peak, 9);
    // Two steps 30 days apart: (1 + 2 + 3) and 3 × 2.
    expect(load!.memory).toEqual({ mean: 6, peak: 6 });
  });
});
