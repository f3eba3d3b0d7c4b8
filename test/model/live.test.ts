import { describe, expect, it } from 'vitest';
import { describeCondition, type Condition } from '../../src/model/live.js';

const cond = (message: string): Condition => ({
  type: 'ScalingActive',
  status: 'False',
  reason: 'FailedGetResourceMetric',
  message,
  path: '/status/conditions/0',
});

describe('describeCondition', () => {
  it('gives reason and message on one line', () => {
    expect(describeCondition(cond('the HPA was unable\n  to compute'))).toBe(
      'FailedGetResourceMetric: the HPA was unable to compute',
    );
  });

  it('shortens a long message at a word boundary, without a dangling colon', () => {
    // The HPA controller's own words when there is no metrics server (Kubernetes v1.36).
    const text = describeCondition(
      cond(
        'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
      ),
      100,
    );
    expect(text).toBe(
      'FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu…',
    );
    expect(text.length).toBeLessThanOrEqual(100);
  });
});
