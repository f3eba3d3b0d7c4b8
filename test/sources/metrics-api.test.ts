import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/types.js';
import { podMetricsSamples } from '../../src/sources/metrics-api.js';

describe('PodMetrics (metrics.k8s.io/v1beta1) as usage samples', () => {
  it('reads each container: CPU in cores (n, u, m suffixes), memory in bytes, at the timestamp', () => {
    // The shape metrics-server v0.8.0 serves (PodMetricsList).
    const list: JsonObject = {
      kind: 'PodMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          metadata: {
            name: 'web-1',
            namespace: 'shop',
            creationTimestamp: '2026-12-04T10:00:31Z',
            labels: { app: 'web' },
          },
          timestamp: '2026-12-04T10:00:20Z',
          window: '15.012s',
          containers: [
            { name: 'app', usage: { cpu: '250123456n', memory: '102400Ki' } },
            { name: 'sidecar', usage: { cpu: '5m', memory: '20Mi' } },
          ],
        },
        { metadata: { name: 'broken' }, timestamp: 'not a time', window: '15s', containers: [] },
      ],
    };
    const time = Date.parse('2026-12-04T10:00:20Z') / 1000;
    expect(podMetricsSamples(list)).toEqual([
      { pod: 'web-1', container: 'app', time, cpuCores: 0.250123456, memoryBytes: 102400 * 1024 },
      { pod: 'web-1', container: 'sidecar', time, cpuCores: 0.005, memoryBytes: 20 * 2 ** 20 },
    ]);
  });

  it('reads nothing from an empty or foreign answer', () => {
    expect(podMetricsSamples({ items: [] })).toEqual([]);
    expect(podMetricsSamples({ kind: 'Status' })).toEqual([]);
  });
});
