// The simulator on a live cluster's objects, as a cluster read returns them (uids, ownerReferences,
// status): it starts from the pods where they run, and a drain starts from the PDBs' status.
import { describe, expect, it } from 'vitest';
import { liveTopology, simulate, type SimReport } from '../../src/simulate/index.js';
import { objects } from './harness.js';

const nodeYaml = (name: string, zone: string): string => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: { kubernetes.io/hostname: ${name}, topology.kubernetes.io/zone: ${zone} }
status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
`;

const deploymentYaml = (name: string, replicas: number, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop, uid: dep-${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${extra}      containers: [{ name: app, image: nginx, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
`;

const replicaSetYaml = (
  deployment: string,
  hash: string,
  revision: number,
  replicas: number,
): string => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${deployment}-${hash}
  namespace: shop
  uid: rs-${deployment}-${hash}
  labels: { app: ${deployment}, pod-template-hash: ${hash} }
  annotations: { deployment.kubernetes.io/revision: '${revision}' }
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: ${deployment}, uid: dep-${deployment}, controller: true }]
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${deployment}, pod-template-hash: ${hash} } }
  template:
    metadata: { labels: { app: ${deployment}, pod-template-hash: ${hash} } }
    spec:
      containers: [{ name: app, image: nginx, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
`;

interface PodState {
  node?: string;
  ready?: boolean;
  terminating?: boolean;
  message?: string;
}

/** A pod of a Deployment's ReplicaSet (or of another owner), in the state given. */
function podYaml(
  name: string,
  owner: { kind: string; name: string; uid: string },
  labels: Record<string, string>,
  s: PodState,
): string {
  const conditions = s.node
    ? `[{ type: PodScheduled, status: 'True' }, { type: Ready, status: '${s.ready === false ? 'False' : 'True'}' }]`
    : `[{ type: PodScheduled, status: 'False', reason: Unschedulable, message: ${JSON.stringify(s.message ?? '')} }]`;
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  uid: pod-${name}
  labels: ${JSON.stringify(labels)}
${s.terminating ? "  deletionTimestamp: '2026-12-04T00:00:00Z'\n" : ''}  ownerReferences: [{ apiVersion: apps/v1, kind: ${owner.kind}, name: ${owner.name}, uid: ${owner.uid}, controller: true }]
spec:
${s.node ? `  nodeName: ${s.node}\n` : ''}  containers: [{ name: app, image: nginx, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
status:
  phase: ${s.node ? 'Running' : 'Pending'}
  conditions: ${conditions}
`;
}

const rsPod = (deployment: string, hash: string, i: number, s: PodState): string =>
  podYaml(
    `${deployment}-${hash}-${i}`,
    { kind: 'ReplicaSet', name: `${deployment}-${hash}`, uid: `rs-${deployment}-${hash}` },
    { app: deployment, 'pod-template-hash': hash },
    s,
  );

const pdbYaml = (
  name: string,
  rule: string,
  status: { allowed: number; healthy: number; desired: number; expected: number },
): string => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: shop, generation: 1 }
spec:
  ${rule}
  selector: { matchLabels: { app: ${name} } }
status:
  observedGeneration: 1
  disruptionsAllowed: ${status.allowed}
  currentHealthy: ${status.healthy}
  desiredHealthy: ${status.desired}
  expectedPods: ${status.expected}
`;

const NODES = [nodeYaml('n-a1', 'a'), nodeYaml('n-a2', 'a'), nodeYaml('n-b1', 'b'), nodeYaml('n-b2', 'b')];
const stream = (...docs: string[]): string => docs.join('---\n');

function simulateLive(yaml: string, scenarios?: SimReport['scenarios'][number]['id'][]): SimReport {
  const live = objects(yaml);
  return simulate(live, liveTopology(live, live), scenarios ? { scenarios: scenarios as never } : {});
}

const outcome = (r: SimReport, scenario: string, workload: string) =>
  r.scenarios.find((s) => s.id === scenario)?.workloads.find((w) => w.workload === workload);

describe('liveTopology: the pods of the simulated workloads where they run', () => {
  it('matches pods to their Deployment through the ReplicaSet, with their revision, and the rest as load', () => {
    const live = objects(
      stream(
        ...NODES,
        deploymentYaml('web', 3),
        replicaSetYaml('web', 'old111', 1, 1),
        replicaSetYaml('web', 'new222', 2, 2),
        rsPod('web', 'old111', 0, { node: 'n-a1' }),
        rsPod('web', 'new222', 0, { node: 'n-a1' }),
        rsPod('web', 'new222', 1, { message: '0/4 nodes are available: 4 Insufficient cpu.' }),
        rsPod('web', 'new222', 2, { node: 'n-b2', terminating: true }),
        // A pod of something the read could not see the owner of… is its own (bare) workload.
        podYaml(
          'batch-1',
          { kind: 'Job', name: 'batch', uid: 'job-batch' },
          { app: 'batch' },
          { node: 'n-b1' },
        ),
      ),
    );
    const t = liveTopology(live, live);
    expect(t.nodes.map((n) => n.name)).toEqual(['n-a1', 'n-a2', 'n-b1', 'n-b2']);
    expect(t.live!.workloads).toEqual(['shop/Deployment/web', 'shop/Pod/batch-1']);
    expect(t.live!.revisions).toEqual({ 'shop/Deployment/web': 'new222' });
    const web = t.live!.pods.filter((p) => p.workload === 'shop/Deployment/web');
    expect(
      web.map((p) => [p.name, p.node ?? 'Pending', p.oldRevision ?? '', p.terminating ?? false]),
    ).toEqual([
      ['web-new222-0', 'n-a1', '', false],
      ['web-new222-1', 'Pending', '', false],
      ['web-new222-2', 'n-b2', '', true],
      ['web-old111-0', 'n-a1', 'old111', false],
    ]);
    expect(web[1]!.pendingMessage).toBe('0/4 nodes are available: 4 Insufficient cpu.');
    expect(t.background).toEqual([]);
  });

  it('with manifests alongside, their live namesakes’ pods are neither theirs nor load', () => {
    const live = objects(
      stream(
        ...NODES,
        deploymentYaml('web', 2),
        replicaSetYaml('web', 'h1', 1, 2),
        rsPod('web', 'h1', 0, { node: 'n-a1' }),
        rsPod('web', 'h1', 1, { node: 'n-b1' }),
        deploymentYaml('other', 1),
        replicaSetYaml('other', 'h2', 1, 1),
        rsPod('other', 'h2', 0, { node: 'n-a2' }),
      ),
    );
    const files = objects(deploymentYaml('web', 4));
    const t = liveTopology(live, files);
    expect(t.live!.workloads).toEqual([]);
    expect(t.background.map((b) => [b.name, b.node])).toEqual([['other-h2-0', 'n-a2']]);
    const r = simulate(files, t, { scenarios: [] });
    expect(r.placement[0]!.scheduled).toBe(4);
  });

  it('reads a PDB status only once the disruption controller has observed its generation', async () => {
    const { liveBudget } = await import('../../src/simulate/live-placement.js');
    const [current] = objects(
      pdbYaml('web', 'maxUnavailable: 1', { allowed: 1, healthy: 3, desired: 2, expected: 3 }),
    );
    expect(liveBudget(current!)).toEqual({
      pdb: 'shop/PodDisruptionBudget/web',
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
    });
    const [stale] = objects(
      pdbYaml('web', 'maxUnavailable: 1', { allowed: 1, healthy: 3, desired: 2, expected: 3 }).replace(
        'generation: 1',
        'generation: 2',
      ),
    );
    expect(liveBudget(stale!)).toBeUndefined();
  });
});

describe('simulate from the live placement', () => {
  const web = (states: PodState[]): string[] => [
    deploymentYaml('web', states.length),
    replicaSetYaml('web', 'h1', 1, states.length),
    ...states.map((s, i) => rsPod('web', 'h1', i, s)),
  ];

  it('keeps every pod where it runs: the placement, the map and the node-loss reasons are the cluster’s', () => {
    // Spread over the zones, the scheduler would never put two on n-b2; the cluster did.
    const yaml = stream(
      ...NODES,
      ...web([{ node: 'n-b2' }, { node: 'n-b2' }, { node: 'n-a1' }]).map((d, i) =>
        i === 0
          ? deploymentYaml(
              'web',
              3,
              '      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: web } } }]\n',
            )
          : d,
      ),
    );
    const r = simulateLive(yaml, ['node-loss']);
    expect(r.placement[0]).toMatchObject({ scheduled: 3, pending: 0, byNode: { 'n-a1': 1, 'n-b2': 2 } });
    expect(r.scenarios[0]!.workloads[0]!.reason).toBe('3 of 3 running on 2 nodes in 2 zones');
    expect(outcome(r, 'node-loss:n-b2', 'shop/Deployment/web')!.reason).toContain(
      '2 of 3 replicas were on n-b2',
    );
    expect(outcome(r, 'node-loss:n-a2', 'shop/Deployment/web')).toBeUndefined();
    expect(r.map.flatMap((z) => z.nodes).find((n) => n.name === 'n-b2')!.pods).toEqual({ web: 2 });
  });

  it('a PDB that a Pending pod holds at 0 blocks the drain, and the reason says why', () => {
    const message =
      "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't match pod anti-affinity rules.";
    const yaml = stream(
      ...NODES,
      ...web([{ node: 'n-b1' }, { node: 'n-b2' }, { message }]),
      pdbYaml('web', 'maxUnavailable: 1', { allowed: 0, healthy: 2, desired: 2, expected: 3 }),
    );
    const r = simulateLive(yaml, ['drain']);
    expect(r.placement[0]).toMatchObject({ scheduled: 2, pending: 1, pendingReasons: [message] });
    const o = outcome(r, 'drain:n-b1', 'shop/Deployment/web')!;
    expect(o.blockedBy).toBe('shop/PodDisruptionBudget/web');
    expect(o.reason).toContain(
      `drain blocked — PDB web allows 0 disruptions (2 healthy, maxUnavailable 1 needs 2, as its status says; 1 of its pods is Pending (${message}), so it does not count as healthy)`,
    );
    // Nodes that hold none of its pods drain.
    expect(outcome(r, 'drain:n-a1', 'shop/Deployment/web')).toBeUndefined();
  });

  it('the budget starts from the status and moves as pods are evicted and replaced', () => {
    const yaml = stream(
      ...NODES,
      ...web([{ node: 'n-a1' }, { node: 'n-a1' }, { node: 'n-b1' }]),
      pdbYaml('web', 'maxUnavailable: 1', { allowed: 1, healthy: 3, desired: 2, expected: 3 }),
    );
    const r = simulateLive(yaml, ['drain:n-a1']);
    // One eviction, its replacement Ready elsewhere, then the second.
    expect(outcome(r, 'drain:n-a1', 'shop/Deployment/web')).toMatchObject({
      verdict: 'ok',
      blockedBy: null,
      minReady: 2,
      readyAfter: 3,
    });
    // The status is what the Eviction API reads: a status at 0 refuses, whatever the pods say.
    const stale = simulateLive(yaml.replace('disruptionsAllowed: 1', 'disruptionsAllowed: 0'), [
      'drain:n-a1',
    ]);
    expect(outcome(stale, 'drain:n-a1', 'shop/Deployment/web')!.blockedBy).toBe(
      'shop/PodDisruptionBudget/web',
    );
  });

  it('a budget that lets one eviction through blocks the next while the replacement stays Pending', () => {
    const yaml = stream(
      ...NODES,
      deploymentYaml('web', 2, '      nodeSelector: { kubernetes.io/hostname: n-a1 }\n'),
      replicaSetYaml('web', 'h1', 1, 2),
      rsPod('web', 'h1', 0, { node: 'n-a1' }),
      rsPod('web', 'h1', 1, { node: 'n-a1' }),
      pdbYaml('web', 'maxUnavailable: 1', { allowed: 1, healthy: 2, desired: 1, expected: 2 }),
    );
    const o = outcome(simulateLive(yaml, ['drain:n-a1']), 'drain:n-a1', 'shop/Deployment/web')!;
    expect(o).toMatchObject({ blockedBy: 'shop/PodDisruptionBudget/web', minReady: 1, pendingAfter: 1 });
    // The budget moved from the status (2 healthy) by the eviction: no longer "as its status says".
    expect(o.reason).toMatch(
      /^drain blocked — PDB web allows 0 disruptions \(1 healthy, maxUnavailable 1 needs 1; 1 of its pods is Pending, so it does not count as healthy\); the replacement stays Pending: 0\/4 nodes are available: 1 node\(s\) were unschedulable, /,
    );
  });

  it('a pod that is not Ready is not healthy, and is evicted without the budget when the budget is met', () => {
    const yaml = stream(
      ...NODES,
      ...web([{ node: 'n-a1' }, { node: 'n-a2' }, { node: 'n-b1', ready: false }]),
      pdbYaml('web', 'minAvailable: 2', { allowed: 0, healthy: 2, desired: 2, expected: 3 }),
    );
    const r = simulateLive(yaml, ['drain']);
    expect(r.scenarios[0]!.workloads[0]).toMatchObject({ minReady: 2, verdict: 'ok' });
    expect(outcome(r, 'drain:n-b1', 'shop/Deployment/web')!.blockedBy).toBeNull();
    const o = outcome(r, 'drain:n-a1', 'shop/Deployment/web')!;
    expect(o.blockedBy).toBe('shop/PodDisruptionBudget/web');
    expect(o.reason).toContain('1 is not Ready, so it does not count as healthy');
  });

  it('a scale in progress keeps the pods it has, and says so', () => {
    const yaml = stream(
      ...NODES,
      deploymentYaml('web', 3),
      replicaSetYaml('web', 'h1', 1, 3),
      rsPod('web', 'h1', 0, { node: 'n-a1' }),
      rsPod('web', 'h1', 1, { node: 'n-b1' }),
    );
    const r = simulateLive(yaml, []);
    expect(r.placement[0]).toMatchObject({ desired: 3, scheduled: 2, pending: 0 });
    expect(r.scenarios[0]!.workloads[0]!.reason).toBe(
      '2 of 3 running on 2 nodes in 2 zones (2 pods for 3 replicas: a scale in progress)',
    );
  });

  it('StatefulSet pods keep their names, DaemonSet pods their nodes, Terminating pods their room', () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop, uid: sts-db }
spec:
  replicas: 2
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres, resources: { requests: { cpu: '3' } } }]
status: { updateRevision: db-rev1 }
`;
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop, uid: ds-agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: agent, image: agent, resources: { requests: { cpu: 500m } } }]
`;
    const owner = (kind: string, name: string, uid: string) => ({ kind, name, uid });
    const yaml = stream(
      ...NODES,
      sts,
      podYaml(
        'db-0',
        owner('StatefulSet', 'db', 'sts-db'),
        { app: 'db', 'controller-revision-hash': 'db-rev1' },
        { node: 'n-b1' },
      ),
      podYaml(
        'db-1',
        owner('StatefulSet', 'db', 'sts-db'),
        { app: 'db', 'controller-revision-hash': 'db-rev1' },
        { node: 'n-a2' },
      ),
      ds,
      // The DaemonSet runs on one node only (the others are, say, being added).
      podYaml('agent-x', owner('DaemonSet', 'agent', 'ds-agent'), { app: 'agent' }, { node: 'n-a1' }),
    );
    const r = simulateLive(yaml, ['node-loss:n-a2']);
    expect(r.placement[0]!.byNode).toEqual({ 'n-a2': 1, 'n-b1': 1 });
    expect(outcome(r, 'node-loss:n-a2', 'shop/StatefulSet/db')!.reason).toContain(
      'db-1 stays Terminating on n-a2',
    );
    const used = Object.fromEntries(r.map.flatMap((z) => z.nodes).map((n) => [n.name, n.usedCpu]));
    expect(used).toEqual({ 'n-a1': 500, 'n-a2': 3000, 'n-b1': 3000, 'n-b2': 0 });
  });
});
