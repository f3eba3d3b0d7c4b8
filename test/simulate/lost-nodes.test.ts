import { describe, expect, it } from 'vitest';
import { deployment, node, objects, placed, run, statefulSet, topo } from './harness.js';
import { topologyFromObjects } from '../../src/simulate/index.js';

const outcome = (r: ReturnType<typeof run>, scenario: string, workload = 'shop/Deployment/web') =>
  r.scenarios.find((s) => s.id === scenario)?.workloads.find((w) => w.workload === workload);

describe('pods on a lost node stay Terminating', () => {
  it('required zone anti-affinity: the Terminating pod keeps the free node of its zone closed', () => {
    const spec = `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: topology.kubernetes.io/zone
        labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx }]
`;
    const t = topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'a'), node('node-4', 'b')]);
    const { where } = placed(deployment('web', 2, spec), t);
    const lostNode = where('web')[0]!;
    const r = run(deployment('web', 2, spec), t, { scenarios: [`node-loss:${lostNode}`] });
    const o = outcome(r, `node-loss:${lostNode}`)!;
    expect(o).toMatchObject({ verdict: 'stuck', minReady: 1, readyAfter: 1, pendingAfter: 1 });
    expect(o.reason).toContain(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 node(s) didn't match pod anti-affinity rules.",
    );
    expect(o.reason).toContain(
      `the pods Terminating on ${lostNode} still count for anti-affinity until the node is deleted (kubectl delete node ${lostNode}) or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
    );
  });

  it('a StatefulSet pod keeps its name: it is not recreated, and the reason says what to do', () => {
    const yaml = statefulSet('db', 3, 'containers: [{ name: db, image: postgres }]');
    const t = topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')]);
    const { ctx } = placed(yaml, t);
    const pod = ctx.workloads[0]!.pods.find((p) => ctx.state.names[p.node] === 'node-2')!;
    const r = run(yaml, t, { scenarios: ['node-loss:node-2'] });
    const o = outcome(r, 'node-loss:node-2', 'shop/StatefulSet/db')!;
    // Two of three stay ready, above the floor: ok, but the third does not come back by itself.
    expect(o).toMatchObject({ verdict: 'ok', minReady: 2, readyAfter: 2, pendingAfter: 0 });
    expect(o.reason).toBe(
      `1 of 3 replicas was on node-2; 2 stayed ready; db-${pod.ordinal} stays Terminating on node-2: the StatefulSet cannot recreate it until the node is deleted (kubectl delete node node-2) or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
    );
  });

  it('a one-replica StatefulSet: an outage until the node is deleted or tainted out-of-service', () => {
    const yaml = statefulSet('db', 1, 'containers: [{ name: db, image: postgres }]');
    const t = topo([node('node-1', 'a'), node('node-2', 'b')]);
    const r = run(yaml, t, { scenarios: ['node-loss'] });
    const lost = r.scenarios.find((s) => s.kind === 'node-loss' && s.workloads.length > 0)!;
    const where = lost.id.slice('node-loss:'.length);
    expect(lost.workloads[0]).toMatchObject({
      verdict: 'outage',
      minReady: 0,
      readyAfter: 0,
      pendingAfter: 0,
    });
    expect(lost.workloads[0]!.reason).toBe(
      `0 of 1 ready until the node comes back — the only replica was on ${where}; run 2 or more replicas; db-0 stays Terminating on ${where}: the StatefulSet cannot recreate it until the node is deleted (kubectl delete node ${where}) or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
    );
  });

  it('a Deployment is replaced at once after the toleration (a Terminating pod is not active)', () => {
    const t = topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')]);
    const r = run(deployment('web', 3, 'containers: [{ name: web, image: nginx }]'), t, {
      scenarios: ['node-loss:node-2'],
    });
    expect(outcome(r, 'node-loss:node-2')).toMatchObject({
      verdict: 'ok',
      minReady: 2,
      readyAfter: 3,
      pendingAfter: 0,
    });
  });

  it('topology spread does not count the Terminating pod (the lost node is an empty domain)', () => {
    // Counted, the lost node would hold 1 and the replacement could join another node (skew 1);
    // not counted, the lost node holds 0 and a second pod anywhere makes the skew 2.
    const spec = `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx }]
`;
    const t = topo([node('node-1', 'a'), node('node-2', 'a'), node('node-3', 'a')]);
    const o = outcome(
      run(deployment('web', 3, spec), t, { scenarios: ['node-loss:node-1'] }),
      'node-loss:node-1',
    )!;
    expect(o).toMatchObject({ verdict: 'stuck', readyAfter: 2, pendingAfter: 1 });
    expect(o.reason).toContain("2 node(s) didn't match pod topology spread constraints");
  });

  it('a Terminating pod holds its requests and its affinity counts, and leaves the spread counts', () => {
    const spec = `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1" } } }]
`;
    const { ctx } = placed(deployment('web', 1, spec), topo([node('node-1', 'a')]));
    const wl = ctx.workloads[0]!;
    const pod = wl.pods[0]!;
    const state = ctx.state;
    const spread = wl.cls.hardSpread[0]!.counter;
    const anti = wl.cls.reqAnti[0]!.counter;
    state.begin();
    ctx.terminatePod(wl, pod);
    expect([state.reqCpu[0], state.podCount[0], spread.perNode[0], anti.perNode[0]]).toEqual([1000, 1, 0, 1]);
    expect(wl.pods).toEqual([]);
    state.rollback();
    expect([state.reqCpu[0], spread.perNode[0], anti.perNode[0], wl.pods.length]).toEqual([1000, 1, 1, 1]);
  });

  it('pods that tolerate every taint stay Running on the lost node and are never replaced', () => {
    const spec = `
tolerations: [{ operator: Exists }]
containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1" } } }]
`;
    const t = topo([node('node-1', 'a'), node('node-2', 'b')]);
    const r = run(deployment('web', 1, spec), t, { scenarios: ['node-loss'] });
    const lost = r.scenarios.find((s) => s.kind === 'node-loss' && s.workloads.length > 0)!;
    expect(lost.workloads[0]).toMatchObject({ verdict: 'outage', readyAfter: 0, pendingAfter: 0 });
    expect(lost.workloads[0]!.reason).toContain('its pods tolerate the unreachable taint forever');
  });
});

describe('Terminating pods of a live topology', () => {
  it('a bound Pod with a deletionTimestamp is Terminating background: anti-affinity yes, spread no', () => {
    const nodes = objects(`apiVersion: v1
kind: Node
metadata: { name: node-1, labels: { topology.kubernetes.io/zone: a } }
---
apiVersion: v1
kind: Node
metadata: { name: node-2, labels: { topology.kubernetes.io/zone: b } }
---
apiVersion: v1
kind: Pod
metadata: { name: old-web, namespace: shop, labels: { app: web }, deletionTimestamp: '2026-01-01T00:00:00Z' }
spec: { nodeName: node-1, containers: [{ name: web, image: nginx, resources: { requests: { cpu: '1' } } }] }
`);
    const { topology } = topologyFromObjects(nodes);
    expect(topology.background[0]).toMatchObject({ name: 'old-web', terminating: true, cpu: 1000 });
    const spec = `
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: { matchLabels: { app: web } }
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector: { matchLabels: { app: web } }
containers: [{ name: web, image: nginx }]
`;
    const { ctx, where } = placed(deployment('web', 1, spec), topology);
    const wl = ctx.workloads[0]!;
    expect(where('web')).toEqual(['node-2']);
    expect([wl.cls.hardSpread[0]!.counter.perNode[0], wl.cls.reqAnti[0]!.counter.perNode[0]]).toEqual([0, 1]);
    expect(ctx.state.reqCpu[0]).toBe(1000);
  });
});

describe('pods that tolerate the unreachable taint forever', () => {
  it('enough replicas left: ok, and the reason says the lost ones are never replaced', () => {
    const spec = 'tolerations: [{ operator: Exists }]\ncontainers: [{ name: web, image: nginx }]';
    const t = topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')]);
    const r = run(deployment('web', 3, spec), t, { scenarios: ['node-loss:node-1'] });
    const o = r.scenarios[1]!.workloads[0]!;
    expect(o).toMatchObject({ verdict: 'ok', minReady: 2, readyAfter: 2, pendingAfter: 0 });
    expect(o.reason).toBe(
      '1 of 3 replicas was on node-1; 2 stayed ready (its pods tolerate the unreachable taint forever, so they are never replaced)',
    );
  });
});
