// The placement map names each workload so that workloads of the same name in different namespaces
// stay apart (the text map once printed `onezone×3` for three namespaces' one pod each).
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/sources/parse.js';
import { shorthandTopology, simulate } from '../../src/simulate/index.js';

const deployment = (namespace: string, name: string, node?: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      ${node ? `nodeSelector: {kubernetes.io/hostname: ${node}}` : ''}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`;

const mapOf = (yaml: string): Record<string, number>[] => {
  const { objects } = parseManifests(yaml, 'app.yaml', { defaultNamespace: 'default' });
  const topology = shorthandTopology({ nodes: 3, zones: 3, nodeCpu: '4', nodeMemory: '16Gi' });
  return simulate(objects, topology, { scenarios: [] }).map.flatMap((z) => z.nodes.map((n) => n.pods));
};

describe('placement map labels', () => {
  it('three namespaces each with one onezone pod on node-1 are three entries', () => {
    const pods = mapOf(
      ['team-a', 'team-b', 'team-c'].map((ns) => deployment(ns, 'onezone', 'node-1')).join('---'),
    );
    expect(pods[0]).toEqual({ 'team-a/onezone': 1, 'team-b/onezone': 1, 'team-c/onezone': 1 });
  });
  it('a name used once keeps its short form', () => {
    const pods = mapOf(deployment('shop', 'web', 'node-2') + '---' + deployment('team-a', 'api', 'node-2'));
    expect(pods[1]).toEqual({ web: 1, api: 1 });
  });
  it('the same namespace and name under two kinds falls back to the whole id', () => {
    const sts = deployment('shop', 'web', 'node-3')
      .replace('kind: Deployment', 'kind: StatefulSet')
      .replace('spec:\n  replicas', 'spec:\n  serviceName: web\n  replicas');
    const pods = mapOf(deployment('shop', 'web', 'node-3') + '---' + sts);
    expect(pods[2]).toEqual({ 'shop/Deployment/web': 1, 'shop/StatefulSet/web': 1 });
  });
});
