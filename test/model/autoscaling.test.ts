import { describe, expect, it } from 'vitest';
import {
  containerRequests,
  limitRangeRequestDefaults,
  podLevelRequests,
  resourceMetricsOf,
  scaleTargetOf,
  scalerMinReplicas,
  scalersFor,
  vpaControls,
  vpaEvictsPods,
  vpaUpdateMode,
  vpaUpdatesRunningPods,
} from '../../src/model/autoscaling.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import type { K8sObject } from '../../src/model/types.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

function load(text: string): { index: ObjectIndex; objects: K8sObject[] } {
  const { objects } = parseManifests(text, 'test.yaml');
  return { index: new ObjectIndex(objects), objects };
}

function one(text: string): K8sObject {
  return load(text).objects[0]!;
}

describe('resourceMetricsOf', () => {
  it('applies the 80% cpu default to HPAs without metrics (v2) or a cpu target (v1)', () => {
    const v2 = one(yaml`
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: a }
      spec: { scaleTargetRef: { kind: Deployment, name: a }, maxReplicas: 3, metrics: [] }
    `);
    const v1 = one(yaml`
      apiVersion: autoscaling/v1
      kind: HorizontalPodAutoscaler
      metadata: { name: a }
      spec: { scaleTargetRef: { kind: Deployment, name: a }, maxReplicas: 3 }
    `);
    for (const hpa of [v2, v1]) {
      expect(resourceMetricsOf(hpa)).toMatchObject([
        { resource: 'cpu', utilization: true, averageUtilization: 80, implicit: true },
      ]);
    }
  });

  it('reads the metrics an autoscaling/v1 HPA keeps in its annotation instead of the default', () => {
    const hpa = one(yaml`
      apiVersion: autoscaling/v1
      kind: HorizontalPodAutoscaler
      metadata:
        name: a
        annotations:
          autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":60}}]'
      spec: { scaleTargetRef: { kind: Deployment, name: a }, maxReplicas: 3 }
    `);
    expect(resourceMetricsOf(hpa)).toMatchObject([
      { resource: 'memory', utilization: true, implicit: false },
    ]);
  });

  it('reads v2 Resource and ContainerResource metrics, keeping target types apart, and skips other metric types', () => {
    const hpa = one(yaml`
      apiVersion: autoscaling/v2beta2
      kind: HorizontalPodAutoscaler
      metadata: { name: a }
      spec:
        scaleTargetRef: { kind: Deployment, name: a }
        maxReplicas: 3
        metrics:
          - { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } }
          - { type: Resource, resource: { name: memory, target: { type: AverageValue, averageValue: 1Gi } } }
          - type: ContainerResource
            containerResource: { name: cpu, container: app, target: { type: Utilization, averageUtilization: 60 } }
          - { type: External, external: { metric: { name: q }, target: { type: Value, value: '1' } } }
    `);
    expect(resourceMetricsOf(hpa)).toEqual([
      {
        resource: 'cpu',
        utilization: true,
        averageUtilization: 50,
        implicit: false,
        path: '/spec/metrics/0',
      },
      { resource: 'memory', utilization: false, implicit: false, path: '/spec/metrics/1' },
      {
        resource: 'cpu',
        container: 'app',
        utilization: true,
        averageUtilization: 60,
        implicit: false,
        path: '/spec/metrics/2',
      },
    ]);
  });

  it('treats KEDA cpu and memory triggers as resource metrics (metricType or the older metadata.type)', () => {
    const so = one(yaml`
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: { name: a }
      spec:
        scaleTargetRef: { name: a }
        triggers:
          - { type: cpu, metadata: { type: Utilization, value: '50', containerName: app } }
          - { type: memory, metricType: AverageValue, metadata: { value: 1Gi } }
          - { type: kafka, metadata: { topic: t } }
    `);
    expect(resourceMetricsOf(so)).toMatchObject([
      { resource: 'cpu', utilization: true, averageUtilization: 50, container: 'app' },
      { resource: 'memory', utilization: false },
    ]);
    expect(scaleTargetOf(so)).toEqual({ kind: 'Deployment', name: 'a' });
    expect(scalerMinReplicas(so)).toBe(0);
  });
});

describe('scalersFor', () => {
  it('finds HPAs and ScaledObjects, but not the HPA KEDA generated for a ScaledObject in the input', () => {
    const { index } = load(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec: {}
      ---
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: { name: web }
      spec: { scaleTargetRef: { name: web } }
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: keda-hpa-web
        ownerReferences: [{ apiVersion: keda.sh/v1alpha1, kind: ScaledObject, name: web, uid: x }]
      spec: { scaleTargetRef: { kind: Deployment, name: web }, maxReplicas: 3 }
    `);
    const w = index.workload('default', 'Deployment', 'web')!;
    expect(scalersFor(index, w).map((o) => `${o.kind}/${o.name}`)).toEqual(['ScaledObject/web']);
  });
});

describe('requests after defaulting', () => {
  it('counts limits as requests and adds LimitRange defaults of the namespace', () => {
    const { index, objects } = load(yaml`
      apiVersion: v1
      kind: LimitRange
      metadata: { name: lr, namespace: a }
      spec:
        limits:
          - { type: Pod, max: { cpu: '4' } }
          - { type: Container, min: { memory: 16Mi } }
      ---
      apiVersion: v1
      kind: Pod
      metadata: { name: p, namespace: a }
      spec: { containers: [{ name: c, image: c, resources: { limits: { cpu: 100m } } }] }
    `);
    const defaults = limitRangeRequestDefaults(index, 'a');
    expect([...defaults]).toEqual(['memory']);
    expect([...limitRangeRequestDefaults(index, 'b')]).toEqual([]);
    const pod = index.workloads.find((w) => w.object === objects[1])!;
    expect([...containerRequests(pod.containers[0]!, defaults)].sort()).toEqual(['cpu', 'memory']);
  });

  it('reads pod-level requests (a pod-level limit defaults them) only from 1.34', () => {
    const { index } = load(yaml`
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        resources: { limits: { memory: 1Gi, hugepages-2Mi: 2Mi } }
        containers: [{ name: c, image: c }]
    `);
    const pod = index.workloads[0]!;
    expect(podLevelRequests(pod, '1.33')).toBeUndefined();
    expect([...podLevelRequests(pod, '1.34')!]).toEqual(['memory']);
  });
});

describe('VPA', () => {
  const vpa = (spec: string) =>
    one(
      `apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: { name: v }\nspec: ${spec}\n`,
    );

  it('defaults the update mode to Auto and tells which modes update or evict running pods', () => {
    expect(vpaUpdateMode(vpa('{ targetRef: { kind: Deployment, name: a } }'))).toBe('Auto');
    const modes = ['Auto', 'Recreate', 'InPlaceOrRecreate', 'InPlace', 'Initial', 'Off'].map((m) =>
      vpa(`{ updatePolicy: { updateMode: '${m}' } }`),
    );
    expect(modes.map(vpaUpdatesRunningPods)).toEqual([true, true, true, true, false, false]);
    expect(modes.map(vpaEvictsPods)).toEqual([true, true, true, false, false, false]);
  });

  it('picks the container policy by name, else the * policy, else controls cpu and memory', () => {
    const v = vpa(`
      resourcePolicy:
        containerPolicies:
          - { containerName: '*', controlledResources: [memory] }
          - { containerName: app, controlledResources: [cpu] }
          - { containerName: sidecar, mode: 'Off' }
    `);
    expect(vpaControls(v, 'app', 'cpu')).toBe(true);
    expect(vpaControls(v, 'app', 'memory')).toBe(false);
    expect(vpaControls(v, 'other', 'memory')).toBe(true);
    expect(vpaControls(v, 'other', 'cpu')).toBe(false);
    expect(vpaControls(v, 'sidecar', 'memory')).toBe(false);
    expect(vpaControls(vpa('{}'), 'any', 'cpu')).toBe(true);
    expect(vpaControls(vpa('{}'), 'any', 'ephemeral-storage')).toBe(false);
  });
});
