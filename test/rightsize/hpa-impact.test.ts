import { describe, expect, it } from 'vitest';
import { hpaImpact, hpaSpecOf, type HpaSpec } from '../../src/rightsize/hpa-impact.js';
import { objectsOf, WEB } from './fixtures.js';

const hpa = (over: Partial<HpaSpec> = {}): HpaSpec => ({
  name: 'web',
  minReplicas: 2,
  maxReplicas: 10,
  currentReplicas: 4,
  metrics: [{ resource: 'cpu', target: 50 }],
  otherMetrics: 0,
  ...over,
});
// 4 pods using 0.8 cores in total on average, 1.6 at the peak.
const loads = [{ container: 'app', cpu: { mean: 0.8, peak: 1.6 }, memory: { mean: 4e8, peak: 8e8 } }];
const req = (cpu: number | undefined) => [
  { container: 'app', requests: cpu === undefined ? {} : { cpuCores: cpu } },
];

describe('hpaImpact', () => {
  it("computes the HPA controller's replica count with today's and the new requests", () => {
    // Today 0.5 core/pod: 40% on average (ratio 0.8 → ceil(3.2) = 4), 80% at the peak (ratio 1.6 → 7).
    // Resized 0.2 core/pod: 100% (ratio 2 → 8) and 200% (ratio 4 → 16, above maxReplicas 10).
    const r = hpaImpact(hpa(), loads, req(0.5), req(0.2));
    expect(r.metrics[0]!.before).toEqual({ mean: 40, peak: 80 });
    expect(r.metrics[0]!.after).toEqual({ mean: 100, peak: 200 });
    expect(r.before).toEqual({ mean: 4, peak: 7 });
    expect(r.after).toEqual({ mean: 8, peak: 16 });
    expect(r.warnings).toEqual([
      'at the peak load the HPA would want 16 replicas (today 7), above maxReplicas 10: out of reach, the pods would run above the target',
    ]);
  });

  it('keeps the count within the tolerance of 0.1', () => {
    // 0.8 / (4 × 0.42) = 47.6% → 47 (whole percent): ratio 0.94, within 0.1: stays 4.
    expect(hpaImpact(hpa(), loads, req(0.42), req(0.42)).after.mean).toBe(4);
    // 0.8 / (4 × 0.44) = 45.4% → 45: ratio 0.9, still within (|1 − 0.9| ≤ 0.1).
    expect(hpaImpact(hpa(), loads, req(0.44), req(0.44)).after.mean).toBe(4);
    // 0.8 / (4 × 0.5) = 40%: ratio 0.8, outside: ceil(0.8 × 4) = 4 (the count happens to stay).
    // With 10 replicas now: 0.8 / (10 × 0.46) = 17.39% → 17: ratio 0.34 → ceil(3.4) = 4.
    expect(hpaImpact(hpa({ currentReplicas: 10 }), loads, req(0.46), req(0.46)).after.mean).toBe(4);
    // 0.8 / (4 × 0.47) = 42.55% → 42: ratio 0.84 → ceil(3.36) = 4; at 0.6: 33% → ratio 0.66 → 3.
    expect(hpaImpact(hpa(), loads, req(0.6), req(0.6)).after.mean).toBe(3);
  });

  it('warns when the average load wants fewer replicas than minReplicas', () => {
    const r = hpaImpact(hpa({ minReplicas: 6 }), loads, req(0.5), req(1));
    // 0.8 / (4 × 1) = 20%: ratio 0.4 → ceil(1.6) = 2 < 6.
    expect(r.after.mean).toBe(2);
    expect(r.warnings).toEqual([
      'at the average load the HPA would want 2 replicas (today 4), below minReplicas 6: out of reach, the floor keeps more replicas than the load needs',
    ]);
  });

  it('says a missing request makes the metric fail, as the controller refuses it, and takes the largest of several metrics', () => {
    const r = hpaImpact(hpa(), loads, req(undefined), req(0.2));
    expect(r.before).toEqual({});
    expect(r.metrics[0]!.problems).toEqual(['today: container app has no cpu request']);
    const two = hpaImpact(
      hpa({
        metrics: [
          { resource: 'cpu', target: 50 },
          { resource: 'memory', target: 50 },
        ],
      }),
      loads,
      [{ container: 'app', requests: { cpuCores: 0.5, memoryBytes: 1e8 } }],
      [{ container: 'app', requests: { cpuCores: 0.5, memoryBytes: 1e8 } }],
    );
    // memory: 4e8 / (4 × 1e8) = 100% → ratio 2 → 8 beats cpu's 4.
    expect(two.after.mean).toBe(8);
  });
});

describe('hpaSpecOf', () => {
  it('reads minReplicas, maxReplicas and the Utilization targets of an autoscaling/v2 HPA', () => {
    const h = objectsOf(WEB).find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect(hpaSpecOf(h, 3)).toEqual({
      name: 'web',
      minReplicas: 2,
      maxReplicas: 4,
      currentReplicas: 3,
      metrics: [{ resource: 'cpu', target: 60 }],
      otherMetrics: 0,
    });
  });
});
