import { describe, expect, it } from 'vitest';
import { prove } from '../../src/rightsize/proof.js';
import { shorthandTopology } from '../../src/simulate/index.js';
import { objectsOf } from './fixtures.js';

const deployment = (
  name: string,
  replicas: number,
  cpu: string,
  memory: string,
): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: x, resources: {requests: {cpu: ${cpu}, memory: ${memory}}}}]
`;
// 3 zones × 1 node of 4 cores and 8Gi.
const topology = shorthandTopology({ nodes: 3, zones: 3, nodeCpu: '4', nodeMemory: '8Gi', nodePods: 110 });

describe('prove', () => {
  it('finds a resize that no longer survives a zone loss, and the headroom it takes', () => {
    // 3 pods of 1 core: one per zone, a zone loss leaves room for the lost pod elsewhere.
    const before = objectsOf(deployment('web', 3, '1', '1Gi'));
    // 3 pods of 3 cores: still one per zone, but a lost pod fits nowhere (4 − 3 = 1 core left).
    const after = objectsOf(deployment('web', 3, '3', '1Gi'));
    const proof = prove(before, after, ['shop/Deployment/web'], topology);
    const w = proof.workloads[0]!;
    expect(w.before).toEqual({ placement: 'ok', 'node-loss': 'ok', 'zone-loss': 'ok', drain: 'ok' });
    expect(w.after.placement).toBe('ok');
    expect(w.after['zone-loss']).not.toBe('ok');
    expect(w.worse).toBe(true);
    expect(w.reason).toMatch(/^(node-loss|zone-loss|drain)/);
    expect(proof.nodes).toBe(3);
    expect(proof.zones).toHaveLength(3);
    for (const z of proof.zones) {
      expect(z.allocatable).toEqual({ cpu: 4000, memory: 8 * 2 ** 30 });
      expect(z.before.cpu).toBe(3000);
      expect(z.after.cpu).toBe(1000);
      expect(z.before.memory).toBe(7 * 2 ** 30);
    }
  });

  it('says the same verdicts when the requests shrink, and more headroom', () => {
    const before = objectsOf(deployment('web', 3, '1', '2Gi'));
    const after = objectsOf(deployment('web', 3, '250m', '512Mi'));
    const proof = prove(before, after, ['shop/Deployment/web'], topology);
    expect(proof.workloads[0]!.worse).toBe(false);
    expect(proof.workloads[0]!.after).toEqual(proof.workloads[0]!.before);
    expect(proof.zones.map((z) => z.after.cpu - z.before.cpu)).toEqual([750, 750, 750]);
  });
});
