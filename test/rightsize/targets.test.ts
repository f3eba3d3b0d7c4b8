import { describe, expect, it } from 'vitest';
import { parseWorkloadName, resourcesOf, rightsizeTargets } from '../../src/rightsize/targets.js';
import { objectsOf, WEB } from './fixtures.js';

describe('rightsizeTargets', () => {
  it('takes a Deployment with its containers, their requests and limits, and its selector as labels', () => {
    const { targets } = rightsizeTargets(objectsOf(WEB));
    expect(targets).toHaveLength(1);
    const t = targets[0]!;
    expect(t.id).toBe('shop/Deployment/web');
    expect(t.query).toEqual({
      workload: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      matchLabels: { app: 'web' },
      containers: ['app', 'sidecar'],
    });
    expect(t.containers[0]!.current).toEqual({
      requests: { cpuCores: 0.5, memoryBytes: 512 * 2 ** 20 },
      limits: { cpuCores: 1, memoryBytes: 2 ** 30 },
    });
    expect(t.containers[0]!.path).toBe('/spec/template/spec/containers/0');
    expect(t.containers[1]!.current).toEqual({ requests: {}, limits: {} });
    expect(t.replicas).toBe(3);
    expect(t.problems).toEqual([]);
  });

  it('leaves out a ReplicaSet its Deployment owns, and finds named workloads', () => {
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-abc
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: x}]}}
`;
    const objects = [...objectsOf(WEB), ...objectsOf(rs)];
    expect(rightsizeTargets(objects).targets.map((t) => t.id)).toEqual(['shop/Deployment/web']);
    const named = rightsizeTargets(objects, [{ kind: 'Deployment', name: 'web' }, { name: 'nope' }]);
    expect(named.targets.map((t) => t.id)).toEqual(['shop/Deployment/web']);
    expect(named.unmatched).toEqual([{ name: 'nope' }]);
    expect(rightsizeTargets(objects, [{ kind: 'StatefulSet', name: 'web' }]).targets).toEqual([]);
  });

  it('folds a one-value In expression into the labels and refuses the others in one line', () => {
    const yaml = (expr: string): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector:
    matchLabels: {app: db}
    matchExpressions: [${expr}]
  template: {metadata: {labels: {app: db, tier: a}}, spec: {containers: [{name: pg, image: x}]}}
`;
    const one = rightsizeTargets(objectsOf(yaml('{key: tier, operator: In, values: [a]}'))).targets[0]!;
    expect(one.query.matchLabels).toEqual({ app: 'db', tier: 'a' });
    expect(one.problems).toEqual([]);
    const other = rightsizeTargets(objectsOf(yaml('{key: tier, operator: NotIn, values: [b]}'))).targets[0]!;
    expect(other.problems).toEqual([
      `its selector's expression "tier NotIn (b)" cannot be asked as labels: its pods are not measured`,
    ]);
  });

  it('reads a limit without a request as the request too, as the API server defaults it', () => {
    expect(resourcesOf({ resources: { limits: { cpu: '2', memory: '1Gi' } } })).toEqual({
      requests: { cpuCores: 2, memoryBytes: 2 ** 30 },
      limits: { cpuCores: 2, memoryBytes: 2 ** 30 },
    });
  });
});

describe('parseWorkloadName', () => {
  it('reads kind/name with kubectl aliases, or a bare name', () => {
    expect(parseWorkloadName('deploy/web')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseWorkloadName('StatefulSets/db')).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(parseWorkloadName('web')).toEqual({ name: 'web' });
    expect(parseWorkloadName('service/web')).toBeUndefined();
    expect(parseWorkloadName('a/b/c')).toBeUndefined();
  });
});
