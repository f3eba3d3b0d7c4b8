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
