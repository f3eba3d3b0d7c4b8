import { describe, expect, it } from 'vitest';
import { deployment, run } from './harness.js';
import { shorthandTopology } from '../../src/simulate/index.js';
import { regionOf } from '../../src/simulate/topology.js';

describe('shorthand nodes carry the labels the kubelet and the cloud node controller set', () => {
  it('GA, beta and failure-domain forms of os, arch, hostname, zone, region and instance type', () => {
    const t = shorthandTopology({ nodes: 2, zones: 2, zoneNames: ['eu-west-1a'] });
    expect(t.nodes[1]!.labels).toEqual({
      'kubernetes.io/hostname': 'node-2',
      'topology.kubernetes.io/zone': 'eu-west-1b',
      'failure-domain.beta.kubernetes.io/zone': 'eu-west-1b',
      'topology.kubernetes.io/region': 'eu-west-1',
      'failure-domain.beta.kubernetes.io/region': 'eu-west-1',
      'kubernetes.io/os': 'linux',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'kubeha-4cpu-16gi',
      'beta.kubernetes.io/instance-type': 'kubeha-4cpu-16gi',
    });
  });

  it('regions of cloud-style zone names, and one region for the others', () => {
    expect(['us-central1-b', 'eu-west-1a', 'zone-a'].map(regionOf)).toEqual([
      'us-central1',
      'eu-west-1',
      'region-1',
    ]);
  });

  it('pods that select beta.kubernetes.io/os: linux are placed (no outage at placement)', () => {
    const spec = `
nodeSelector: { beta.kubernetes.io/os: linux, beta.kubernetes.io/arch: amd64 }
containers: [{ name: web, image: nginx }]
`;
    const r = run(deployment('web', 3, spec), shorthandTopology({ nodes: 3, zones: 3 }), { scenarios: [] });
    expect(r.scenarios[0]!.workloads[0]).toMatchObject({ verdict: 'ok', minReady: 3, pendingAfter: 0 });
  });
});
