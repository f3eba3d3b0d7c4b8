// The disruption controller's expected pod count (kube-controller-manager,
// pkg/controller/disruption/disruption.go: getExpectedPodCount skips pods without a controller in
// getExpectedScale, and updatePdbStatus sets disruptionsAllowed to 0 while expectedCount <= 0).
// Measured on the real control plane by test/fidelity/cases/42-pdb-bare-pods-max-unavailable.yaml
// and 43-pdb-empty-spec.yaml (docs/fidelity.md).
import { describe, expect, it } from 'vitest';
import { deployment, node, run, topo } from './harness.js';

const bare = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop, labels: { app: cache } }
spec:
  nodeSelector: { kubernetes.io/hostname: node-1 }
  containers: [{ name: c, image: nginx }]
`;
const pdb = (spec: string, app = 'cache') => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${app}, namespace: shop }
spec:
  ${spec}
  selector: { matchLabels: { app: ${app} } }
`;
const two = () => topo([node('node-1', 'zone-a'), node('node-2', 'zone-b')]);
const drainOf = (yaml: string, workload: string) =>
  run(yaml, two(), { scenarios: ['drain'] })
    .scenarios.find((s) => s.id === 'drain:node-1')!
    .workloads.find((w) => w.workload === workload)!;

describe('PDB budgets as the disruption controller counts them', () => {
  it('maxUnavailable over bare Pods: no controller to scale by, expected pods 0, nothing allowed', () => {
    const o = drainOf(
      [pdb('maxUnavailable: 1'), bare('cache-1'), bare('cache-2')].join('---\n'),
      'shop/Pod/cache-1',
    );
    expect(o.blockedBy).toBe('shop/PodDisruptionBudget/cache');
    expect(o.minReady).toBe(1);
    expect(o.reason).toContain("counts the pods' controllers, and bare Pods have none");
  });

  it('a percentage minAvailable over bare Pods is blocked the same way', () => {
    const o = drainOf(
      [pdb('minAvailable: 50%'), bare('cache-1'), bare('cache-2')].join('---\n'),
      'shop/Pod/cache-1',
    );
    expect(o.blockedBy).toBe('shop/PodDisruptionBudget/cache');
  });

  it('an integer minAvailable over bare Pods counts the pods: one eviction goes through', () => {
    const yaml = [pdb('minAvailable: 1'), bare('cache-1'), bare('cache-2')].join('---\n');
    const r = run(yaml, two(), { scenarios: ['drain'] });
    const s = r.scenarios.find((x) => x.id === 'drain:node-1')!;
    // one of the two is evicted (and not recreated), the other is refused
    expect(s.workloads.map((w) => w.blockedBy).filter(Boolean)).toHaveLength(1);
    expect(s.workloads.map((w) => w.readyAfter).sort()).toEqual([0, 1]);
  });

  it('a PDB with neither minAvailable nor maxUnavailable expects no pods and allows nothing', () => {
    const web = deployment(
      'web',
      3,
      'nodeSelector: { kubernetes.io/hostname: node-1 }\ncontainers: [{ name: web, image: nginx }]',
    );
    const o = drainOf([pdb('', 'web'), web].join('---\n'), 'shop/Deployment/web');
    expect(o.blockedBy).toBe('shop/PodDisruptionBudget/web');
    expect(o.minReady).toBe(3);
    expect(o.reason).toContain('sets neither minAvailable nor maxUnavailable');
  });

  it('maxUnavailable over a Deployment still scales by its replicas', () => {
    const web = deployment(
      'web',
      4,
      'nodeSelector: { kubernetes.io/hostname: node-1 }\ncontainers: [{ name: web, image: nginx }]',
    );
    const o = drainOf([pdb('maxUnavailable: 50%', 'web'), web].join('---\n'), 'shop/Deployment/web');
    expect(o.minReady).toBe(2);
  });
});
