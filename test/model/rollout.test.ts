import { describe, expect, it } from 'vitest';
import {
  isWholePercent,
  resolveFenceposts,
  resolveRollout,
  rolloutSpec,
  scaleIntOrPercent,
  type RolloutSpec,
} from '../../src/model/rollout.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

function spec(text: string): RolloutSpec | undefined {
  const { objects } = parseManifests(text, 'test.yaml');
  return rolloutSpec(objects[0]!);
}

function must(text: string): RolloutSpec {
  const s = spec(text);
  if (!s) throw new Error('no rollout spec');
  return s;
}

describe('scaleIntOrPercent (intstr.GetScaledValueFromIntOrPercent)', () => {
  it('keeps counts and scales percentages, rounding as asked', () => {
    expect(scaleIntOrPercent(3, 10, false)).toBe(3);
    expect(scaleIntOrPercent('25%', 10, true)).toBe(3);
    expect(scaleIntOrPercent('25%', 10, false)).toBe(2);
    expect(scaleIntOrPercent('25%', 4, false)).toBe(1);
    expect(scaleIntOrPercent('100%', 7, false)).toBe(7);
  });

  it('refuses strings that are not percentages, as the controller does', () => {
    expect(scaleIntOrPercent('3', 10, false)).toBeUndefined();
    expect(scaleIntOrPercent('abc%', 10, false)).toBeUndefined();
  });

  it('knows a percentage that covers every pod', () => {
    expect(isWholePercent('100%')).toBe(true);
    expect(isWholePercent('99%')).toBe(false);
    expect(isWholePercent(100)).toBe(false);
  });
});

describe('resolveFenceposts (deployment util)', () => {
  // The examples in the comment above ResolveFenceposts in pkg/controller/deployment/util.
  it('2 desired, max unavailable 1%, surge 0%: unavailable raised to 1', () => {
    expect(resolveFenceposts('0%', '1%', 2)).toEqual({ surge: 0, unavailable: 1, raisedToOne: true });
  });
  it('2 desired, max unavailable 25%, surge 1%: surge rounds up to 1, unavailable down to 0', () => {
    expect(resolveFenceposts('1%', '25%', 2)).toEqual({ surge: 1, unavailable: 0, raisedToOne: false });
  });
  it('1 desired, max unavailable 0%, surge 1%', () => {
    expect(resolveFenceposts('1%', '0%', 1)).toEqual({ surge: 1, unavailable: 0, raisedToOne: false });
  });
  it('the 25%/25% default on 10 replicas: surge 3, unavailable 2', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2, raisedToOne: false });
  });
});

describe('rolloutSpec and resolveRollout', () => {
  it('Deployment defaults: RollingUpdate 25%/25%', () => {
    const s = must(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec: { replicas: 4 }
    `);
    expect(s).toMatchObject({
      kind: 'Deployment',
      type: 'RollingUpdate',
      maxSurge: '25%',
      maxUnavailable: '25%',
      declared: { maxSurge: false, maxUnavailable: false },
      maxUnavailablePath: '/spec/strategy/rollingUpdate/maxUnavailable',
    });
    expect(resolveRollout(s, 4)).toEqual({
      type: 'RollingUpdate',
      desired: 4,
      maxSurge: 1,
      maxUnavailable: 1,
      minAvailable: 3,
      updated: 4,
      raisedToOne: false,
    });
    // One replica: 25% rounds down to 0 unavailable and up to 1 surge, so the pod stays up.
    expect(resolveRollout(s, 1)).toMatchObject({ maxSurge: 1, maxUnavailable: 0, minAvailable: 1 });
  });

  it('Deployment: extensions/v1beta1 defaulted both fenceposts to 1', () => {
    const s = must(yaml`
      apiVersion: extensions/v1beta1
      kind: Deployment
      metadata: { name: web }
      spec: {}
    `);
    expect(s).toMatchObject({ maxSurge: 1, maxUnavailable: 1 });
  });

  it('Deployment: maxUnavailable is clamped to replicas, and 0 for a Deployment scaled to zero', () => {
    const s = must(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        strategy: { rollingUpdate: { maxUnavailable: 5, maxSurge: 0 } }
    `);
    expect(resolveRollout(s, 3)).toMatchObject({ maxUnavailable: 3, minAvailable: 0 });
    expect(resolveRollout(s, 0)).toMatchObject({ maxUnavailable: 0, minAvailable: 0 });
  });

  it('Deployment: both fenceposts rounding to 0 raise maxUnavailable to 1', () => {
    const s = must(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        strategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 10%, maxSurge: 0 } }
    `);
    expect(resolveRollout(s, 5)).toMatchObject({ maxSurge: 0, maxUnavailable: 1, raisedToOne: true });
    expect(resolveRollout(s, 10)).toMatchObject({ maxSurge: 0, maxUnavailable: 1, raisedToOne: false });
  });

  it('Deployment Recreate: every pod down, no surge', () => {
    const s = must(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec: { strategy: { type: Recreate } }
    `);
    expect(s.typePath).toBe('/spec/strategy/type');
    expect(resolveRollout(s, 3)).toMatchObject({
      type: 'Recreate',
      maxSurge: 0,
      maxUnavailable: 3,
      minAvailable: 0,
    });
  });

  it('values that are neither ints nor percentages give no spec', () => {
    expect(
      spec(yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec: { strategy: { rollingUpdate: { maxUnavailable: "1" } } }
      `),
    ).toBeUndefined();
    expect(
      spec(yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: web }
      `),
    ).toBeUndefined();
  });

  describe('StatefulSet', () => {
    const sts = (strategy: string, apiVersion = 'apps/v1') =>
      must(yaml`
        apiVersion: ${apiVersion}
        kind: StatefulSet
        metadata: { name: db }
        spec:
          replicas: 4
          updateStrategy: ${strategy}
      `);

    it('defaults to one pod at a time, and never surges', () => {
      const s = sts('{}');
      expect(s).toMatchObject({
        type: 'RollingUpdate',
        maxUnavailable: 1,
        declared: { maxUnavailable: false },
      });
      expect(resolveRollout(s, 4, { statefulSetMaxUnavailable: true })).toMatchObject({
        maxSurge: 0,
        maxUnavailable: 1,
        minAvailable: 3,
      });
    });

    it('honours maxUnavailable only with MaxUnavailableStatefulSet (on by default from 1.35)', () => {
      const s = sts('{ rollingUpdate: { maxUnavailable: 100% } }');
      expect(resolveRollout(s, 4, { kubeVersion: '1.34' })).toMatchObject({ maxUnavailable: 1 });
      expect(resolveRollout(s, 4, { kubeVersion: '1.35' })).toMatchObject({
        maxUnavailable: 4,
        minAvailable: 0,
      });
      expect(resolveRollout(s, 4, { kubeVersion: '1.30', statefulSetMaxUnavailable: true })).toMatchObject({
        maxUnavailable: 4,
      });
    });

    it('rounds a percentage down, but never below one pod (getStatefulSetMaxUnavailable)', () => {
      const s = sts('{ rollingUpdate: { maxUnavailable: 10% } }');
      expect(resolveRollout(s, 4, { statefulSetMaxUnavailable: true })).toMatchObject({
        maxUnavailable: 1,
        raisedToOne: true,
      });
      expect(
        resolveRollout(sts('{ rollingUpdate: { maxUnavailable: 60% } }'), 4, { kubeVersion: '1.35' }),
      ).toMatchObject({ maxUnavailable: 2 });
    });

    it('a partition keeps the ordinals below it on the old template, and up', () => {
      const s = sts('{ rollingUpdate: { partition: 3, maxUnavailable: 100% } }');
      expect(s.partition).toBe(3);
      expect(resolveRollout(s, 4, { kubeVersion: '1.35' })).toMatchObject({
        updated: 1,
        maxUnavailable: 1,
        minAvailable: 3,
      });
    });

    it('OnDelete, and the apps/v1beta1 default of OnDelete, replace nothing by themselves', () => {
      expect(resolveRollout(sts('{ type: OnDelete }'), 4)).toMatchObject({
        type: 'OnDelete',
        updated: 0,
        maxUnavailable: 0,
      });
      expect(sts('{}', 'apps/v1beta1').type).toBe('OnDelete');
    });
  });

  describe('DaemonSet', () => {
    const ds = (strategy: string, apiVersion = 'apps/v1') =>
      must(yaml`
        apiVersion: ${apiVersion}
        kind: DaemonSet
        metadata: { name: agent }
        spec:
          updateStrategy: ${strategy}
      `);

    it('defaults to maxUnavailable 1, maxSurge 0', () => {
      expect(resolveRollout(ds('{}'), 6)).toMatchObject({ maxSurge: 0, maxUnavailable: 1, minAvailable: 5 });
    });

    it('rounds both up on the number of nodes (UnavailableCount/SurgeCount)', () => {
      expect(resolveRollout(ds('{ rollingUpdate: { maxUnavailable: 10% } }'), 6)).toMatchObject({
        maxUnavailable: 1,
        raisedToOne: false,
      });
      expect(resolveRollout(ds('{ rollingUpdate: { maxUnavailable: 0, maxSurge: 30% } }'), 6)).toMatchObject({
        maxUnavailable: 0,
        maxSurge: 2,
      });
      expect(resolveRollout(ds('{ rollingUpdate: { maxUnavailable: 100% } }'), 6)).toMatchObject({
        maxUnavailable: 6,
        minAvailable: 0,
      });
    });

    it('both 0 on a non-empty set means maxUnavailable 1 (updatedDesiredNodeCounts)', () => {
      expect(resolveRollout(ds('{ rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }'), 3)).toMatchObject({
        maxUnavailable: 1,
        raisedToOne: true,
      });
    });

    it('extensions/v1beta1 defaulted to OnDelete', () => {
      expect(ds('{}', 'extensions/v1beta1').type).toBe('OnDelete');
    });
  });

  describe('Argo Rollout', () => {
    const rollout = (strategy: string) =>
      must(yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: { name: web }
        spec:
          replicas: 4
          strategy: ${strategy}
      `);

    it('canary defaults to 25%/25% and resolves like a Deployment', () => {
      const s = rollout('{ canary: { steps: [{ setWeight: 20 }] } }');
      expect(s).toMatchObject({ type: 'Canary', maxUnavailablePath: '/spec/strategy/canary/maxUnavailable' });
      expect(resolveRollout(s, 4)).toMatchObject({ maxSurge: 1, maxUnavailable: 1 });
      expect(resolveRollout(rollout('{ canary: { maxUnavailable: 100% } }'), 4)).toMatchObject({
        maxUnavailable: 4,
        minAvailable: 0,
      });
    });

    it('a traffic-routed canary keeps the stable pods, whatever maxUnavailable says', () => {
      const s = rollout('{ canary: { maxUnavailable: 100%, trafficRouting: { istio: {} } } }');
      expect(s.trafficRouted).toBe(true);
      expect(resolveRollout(s, 4)).toMatchObject({ maxUnavailable: 0, maxSurge: 4 });
    });

    it('blue-green brings up a full preview before switching', () => {
      const s = rollout('{ blueGreen: { activeService: web, maxUnavailable: 100% } }');
      expect(resolveRollout(s, 4)).toMatchObject({ type: 'BlueGreen', maxSurge: 4, maxUnavailable: 0 });
    });

    it('a Rollout of another API group is not an Argo Rollout', () => {
      expect(
        spec(yaml`
          apiVersion: example.com/v1
          kind: Rollout
          metadata: { name: web }
        `),
      ).toBeUndefined();
    });
  });

  it('refuses a negative or fractional pod count', () => {
    const s = must(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
    `);
    expect(resolveRollout(s, -1)).toBeUndefined();
    expect(resolveRollout(s, 1.5)).toBeUndefined();
  });
});
