// End-to-end smoke test against the real control plane of tools/cluster (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok). `npm run cluster:up` starts it; this test
// reads the kubeconfig from $KUBEHA_E2E_KUBECONFIG (default: the one cluster:up linked).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import {
  applyNodes,
  deleteNodes,
  readTopology,
  waitNodesReady,
  type KwokNode,
} from '../../tools/cluster/nodes.mjs';
import { e2eKubeconfig, isPodReady as isReady, until, type Obj } from './support.js';

const ZONE = 'topology.kubernetes.io/zone';
const topologyFile = fileURLToPath(new URL('./topology.yaml', import.meta.url));

describe('test control plane (kube-apiserver, kube-scheduler, kube-controller-manager, kwok)', () => {
  let kc: Kubeconfig;
  let nodes: KwokNode[];
  const ns = `kubeha-e2e-${Date.now().toString(36)}`;

  beforeAll(async () => {
    kc = e2eKubeconfig().kc;
    nodes = readTopology(readFileSync(topologyFile, 'utf8'), topologyFile);
    await applyNodes(kc, nodes);
    await waitNodesReady(
      kc,
      nodes.map((n) => n.metadata.name),
      60_000,
    );
    await kubeCall(kc, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
  });

  afterAll(async () => {
    if (!kc) return;
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    if (nodes)
      await deleteNodes(
        kc,
        nodes.map((n) => n.metadata.name),
      );
  });

  it('serves the pinned Kubernetes version', async () => {
    const { body } = await kubeCall(kc, 'GET', '/version');
    expect(body.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('creates kwok nodes with the zones, capacity and taints of the topology file', async () => {
    const { body } = await kubeCall(kc, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
    const byName = new Map<string, Obj>(body.items.map((n: Obj) => [n.metadata.name, n]));
    const a1 = byName.get('e2e-a-1');
    expect(a1.metadata.labels[ZONE]).toBe('e2e-a');
    expect(a1.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
    expect(a1.status.allocatable).toMatchObject({ cpu: '1900m', memory: '7Gi', pods: '110' });
    expect(a1.metadata.uid).not.toBe('0b8f0c6e-0000-4000-8000-000000000001');
    // allocatable defaults to capacity when the topology gives only capacity
    expect(byName.get('e2e-a-batch').status.allocatable).toMatchObject({ cpu: '8', memory: '16Gi' });
    // (the node lifecycle controller may still hold its own not-ready taint for a moment)
    expect(byName.get('e2e-a-batch').spec.taints).toContainEqual({
      key: 'dedicated',
      value: 'batch',
      effect: 'NoSchedule',
    });
  });

  it('runs a Deployment: controllers create the pods, kube-scheduler spreads them, kwok makes them Ready', async () => {
    const labels = { app: 'web' };
    await kubeCall(kc, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: ZONE,
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name: 'web',
                image: 'registry.invalid/web:1',
                resources: { requests: { cpu: '500m', memory: '256Mi' } },
              },
            ],
          },
        },
      },
    });
    await kubeCall(kc, 'POST', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: ns },
      spec: { minAvailable: 2, selector: { matchLabels: labels } },
    });

    const pods: Obj[] = await until('3 Running and Ready pods', 120_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dweb`);
      const ready = body.items.filter(isReady);
      return ready.length === 3 ? ready : undefined;
    });

    const { body: nodeList } = await kubeCall(kc, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
    const zoneOf = new Map<string, string>(
      nodeList.items.map((n: Obj) => [n.metadata.name, n.metadata.labels[ZONE]]),
    );
    const placed = pods.map((p) => p.spec.nodeName as string);
    // The real scheduler bound them: one per zone (maxSkew 1 over 3 zones), never on the tainted node.
    for (const p of pods) {
      expect(p.spec.schedulerName).toBe('default-scheduler');
      expect(p.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
      );
    }
    expect(placed).not.toContain('e2e-a-batch');
    expect(new Set(placed.map((n) => zoneOf.get(n)))).toEqual(new Set(['e2e-a', 'e2e-b', 'e2e-c']));

    // The disruption controller in kube-controller-manager computes the budget's status.
    const pdb: Obj = await until('PodDisruptionBudget status', 60_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/web`);
      return body.status?.currentHealthy === 3 ? body : undefined;
    });
    expect(pdb.status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
      expectedPods: 3,
    });
  });
});
