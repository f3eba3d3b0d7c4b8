import { describe, expect, it } from 'vitest';
import { planExperiment, type ExperimentPlan } from '../../src/chaos/plan.js';
import { planText, resultJson, resultText } from '../../src/chaos/report.js';
import type { ExperimentResult } from '../../src/chaos/run.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

// What readCluster returns for a small cluster: nodes in two zones, a Deployment's ReplicaSet and
// pods (with the owner references the controllers set), a DaemonSet pod, a bare pod, a PDB.
const live = parseManifests(
  yaml`
    apiVersion: v1
    kind: Node
    metadata: { name: n-a, labels: { topology.kubernetes.io/zone: a } }
    ---
    apiVersion: v1
    kind: Node
    metadata: { name: n-b, labels: { topology.kubernetes.io/zone: b } }
    spec: { unschedulable: true }
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      replicas: 4
      selector: { matchLabels: { app: web } }
      template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } }
    status: { readyReplicas: 4 }
    ---
    apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: web-1
      namespace: shop
      ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, controller: true }]
    spec:
      replicas: 4
      selector: { matchLabels: { app: web } }
      template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } }
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: web-1-x
      namespace: shop
      labels: { app: web }
      ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-1, controller: true }]
    spec: { nodeName: n-a, containers: [{ name: web, image: nginx }] }
    status: { phase: Running }
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: web-1-y
      namespace: shop
      labels: { app: web }
      ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-1, controller: true }]
    spec: { nodeName: n-b, containers: [{ name: web, image: nginx }] }
    status: { phase: Running }
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: proxy-a
      namespace: shop
      ownerReferences: [{ apiVersion: apps/v1, kind: DaemonSet, name: proxy, controller: true }]
    spec: { nodeName: n-a, containers: [{ name: p, image: envoy }] }
    status: { phase: Running }
    ---
    apiVersion: v1
    kind: Pod
    metadata: { name: debug, namespace: shop }
    spec: { nodeName: n-a, containers: [{ name: sh, image: busybox }] }
    status: { phase: Running, conditions: [{ type: Ready, status: 'True' }] }
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: web, namespace: shop }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
  `,
  'live.yaml',
).objects;

describe('planExperiment', () => {
  it('zone-loss: the zone’s nodes, their pods but the DaemonSet’s, and each workload with its floor', () => {
    const plan = planExperiment(live, { kind: 'zone-loss', target: 'a' }) as ExperimentPlan;
    expect(plan.nodes).toEqual([{ name: 'n-a', zone: 'a', cordoned: false }]);
    expect(plan.pods.map((p) => [p.name, p.workload])).toEqual([
      ['web-1-x', 'shop/Deployment/web'],
      ['debug', 'shop/Pod/debug'],
    ]);
    expect(plan.skipped).toEqual([{ namespace: 'shop', name: 'proxy-a', reason: 'DaemonSet pod' }]);
    expect(plan.workloads).toEqual([
      expect.objectContaining({
        id: 'shop/Deployment/web',
        desired: 4,
        floor: 3,
        floorSource: 'PDB web',
        readyBefore: 4,
      }),
      expect.objectContaining({ id: 'shop/Pod/debug', desired: 1, floor: 1, readyBefore: 1 }),
    ]);
  });

  it('node-loss and drain take one node; a node cordoned already stays cordoned after', () => {
    const plan = planExperiment(live, { kind: 'drain', target: 'n-b' }) as ExperimentPlan;
    expect(plan.nodes).toEqual([{ name: 'n-b', zone: 'b', cordoned: true }]);
    expect(plan.pods.map((p) => p.name)).toEqual(['web-1-y']);
  });

  it('names the nodes or zones there are when the target is not one', () => {
    expect(planExperiment(live, { kind: 'node-loss', target: 'n-z' })).toBe('no node "n-z" (n-a, n-b)');
    expect(planExperiment(live, { kind: 'zone-loss', target: 'c' })).toBe('no zone "c" (a, b)');
  });
});

describe('chaos reports', () => {
  const plan = planExperiment(live, { kind: 'zone-loss', target: 'a' }) as ExperimentPlan;
  it('without --yes: what it would do, and that nothing changed', () => {
    const text = planText(plan, 'ctx, namespace shop');
    expect(text).toMatch(
      /^kubeha chaos: zone-loss a on ctx, namespace shop would cordon n-a and delete at once 2 pods:\n/,
    );
    expect(text).toContain('  left alone: shop/proxy-a (DaemonSet pod)\n');
    expect(text).toContain('  watch shop/Deployment/web: 4 of 4 ready, floor 3 (PDB web)\n');
    expect(text.endsWith('nothing was changed: add --yes to run it\n')).toBe(true);
    expect(JSON.parse(resultJson(plan, '0.1.0'))).toMatchObject({
      version: 1,
      executed: false,
      experiment: { kind: 'zone-loss', target: 'a' },
    });
  });

  it('after a run: the steps and a verdict per workload, as simulate words them', () => {
    const result: ExperimentResult = {
      plan,
      steps: [
        { seconds: 0, step: 'cordoned n-a' },
        { seconds: 0.1, step: 'deleted 2 pods at once (the zone is lost)' },
        { seconds: 30.1, step: 'uncordoned n-a (the nodes are back)' },
        { seconds: 31.4, step: 'every workload is back to its replicas' },
      ],
      events: 41,
      seconds: 31.4,
      workloads: [
        {
          ...plan.workloads[0]!,
          verdict: 'ok',
          minReady: 3,
          secondsBelowFloor: 0,
          secondsDown: 0,
          recoveredAfter: 1.2,
          blocked: undefined,
          readyAfter: 4,
          notWaited: undefined,
          spreadLost: [
            {
              topology: 'zone',
              domain: 'b',
              before: 2,
              after: 4,
              replicas: 4,
              domainsBefore: 2,
              domainsAfter: 1,
            },
          ],
        },
        {
          ...plan.workloads[1]!,
          verdict: 'outage',
          minReady: 0,
          secondsBelowFloor: 31.3,
          secondsDown: 31.3,
          recoveredAfter: undefined,
          blocked: undefined,
          readyAfter: 0,
          notWaited: 'a bare pod: nothing recreates it',
          spreadLost: [],
        },
      ],
    };
    const text = resultText(result, 'ctx, namespace shop');
    expect(text).toContain('    0.1 s  deleted 2 pods at once (the zone is lost)\n');
    expect(text).toContain(
      '✔ ok       shop/Deployment/web  min 3 of 4 ready (floor 3: PDB web); back after 1.2 s; spread not back: zone b holds all 4 replicas (2 before; 1 zone now, 2 before)\n',
    );
    expect(text).toContain(
      '✖ outage   shop/Pod/debug       min 0 of 1 ready (floor 1: half of 1, rounded up (no PDB)); 31.3 s with none ready; not waited for: a bare pod: nothing recreates it\n',
    );
    expect(
      text.startsWith(
        'kubeha chaos: zone-loss a on ctx, namespace shop: 1 node, 2 pods, 2 workloads watched (41 watch events)\n',
      ),
    ).toBe(true);
    expect(text).not.toContain('\u001b[');
    expect(resultText(result, 'ctx', true)).toContain('\u001b[32m✔ ok      \u001b[39m shop/Deployment/web');
    expect(JSON.parse(resultJson(result, '0.1.0'))).toMatchObject({
      executed: true,
      seconds: 31.4,
      events: 41,
    });
  });

  it('a workload below its floor before the experiment: said so, with what it was, and not waited for', () => {
    const result: ExperimentResult = {
      plan,
      steps: [],
      events: 3,
      seconds: 2,
      workloads: [
        {
          ...plan.workloads[0]!,
          readyBefore: 2,
          verdict: 'degraded-before',
          minReady: 1,
          readyAfter: 2,
          secondsBelowFloor: 2,
          secondsDown: 0,
          recoveredAfter: undefined,
          notWaited: 'already below its floor before the experiment (2 of 4 ready)',
          blocked: undefined,
          spreadLost: [],
        },
      ],
    };
    expect(resultText(result, 'ctx')).toContain(
      '▲ degraded-before shop/Deployment/web  2 of 4 ready before the experiment (floor 3: PDB web); min 1 of 4 ready during it; not waited for\n',
    );
    const below = { ...plan, workloads: [{ ...plan.workloads[0]!, readyBefore: 2 }] };
    expect(planText(below, 'ctx')).toContain(
      '  watch shop/Deployment/web: 2 of 4 ready, floor 3 (PDB web): already below it\n',
    );
  });
});
