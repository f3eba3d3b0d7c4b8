// A PDB on an apiVersion the target Kubernetes no longer serves cannot be created, so it blocks no
// drain in simulate, as check already judges it (missing-pdb names it, deprecated-api moves it).
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/sources/parse.js';
import { shorthandTopology, simulate } from '../../src/simulate/index.js';

const manifest = (apiVersion: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
      containers:
        - {name: web, image: nginx, resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: web}}
`;

const drain = (apiVersion: string, kubeVersion?: string): string => {
  const { objects } = parseManifests(manifest(apiVersion), 'app.yaml', { defaultNamespace: 'default' });
  const topology = shorthandTopology({ nodes: 6, zones: 3, nodeCpu: '4', nodeMemory: '16Gi' });
  const report = simulate(objects, topology, {
    scenarios: ['drain'],
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
  });
  return report.workloads[0]!.verdict;
};

describe('simulate at a target Kubernetes version', () => {
  it('a policy/v1beta1 PDB blocks no drain on a target that no longer serves it', () => {
    expect(drain('policy/v1beta1', '1.36')).toBe('ok');
  });
  it('the same PDB blocks the drain where it is served, and with no target (live objects)', () => {
    expect(drain('policy/v1beta1', '1.20')).toBe('stuck');
    expect(drain('policy/v1beta1')).toBe('stuck');
  });
  it('a policy/v1 PDB blocks the drain at any target', () => {
    expect(drain('policy/v1', '1.36')).toBe('stuck');
  });
});
