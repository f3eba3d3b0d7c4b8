import { describe, expect, it } from 'vitest';
import { deployment, node, placed, run, topo } from './harness.js';
import type { SimPod } from '../../src/simulate/cluster-state.js';
import { readPodSpec } from '../../src/simulate/pod-spec.js';
import { numCandidates, preempt } from '../../src/simulate/scheduler/default-preemption.js';

const priorityClass = (name: string, value: number, extra = '') => `---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: ${name} }
value: ${value}
${extra}
`;
const cpu = (millis: number, extra = '') =>
  `${extra}containers: [{ name: c, image: nginx, resources: { requests: { cpu: ${millis}m } } }]`;
const outcome = (r: ReturnType<typeof run>, scenario: string, workload: string) =>
  r.scenarios
    .find((s) => s.id === scenario)
    ?.workloads.find((w) => w.workload === `shop/Deployment/${workload}`);
const three = () =>
  topo([
    node('node-1', 'a', { cpu: 2000 }),
    node('node-2', 'b', { cpu: 2000 }),
    node('node-3', 'c', { cpu: 2000 }),
  ]);

// Every node holds one pod of each: a lost node's high-priority replacement finds no room.
const full = (webSpec = 'priorityClassName: high\n') =>
  deployment('batch', 3, cpu(1000)) +
  '---\n' +
  deployment('web', 3, cpu(1000, webSpec)) +
  priorityClass('high', 1000);

describe('PriorityClass and DefaultPreemption', () => {
  it("placement queues every workload's pods together: higher priority first (PrioritySort)", () => {
    const yaml =
      deployment('batch', 3, cpu(2000)) +
      '---\n' +
      deployment('web', 3, cpu(2000, 'priorityClassName: high\n')) +
      priorityClass('high', 1000);
    const r = run(yaml, three(), { scenarios: [] });
    expect(r.placement.map((p) => [p.workload, p.scheduled, p.pending])).toEqual([
      ['shop/Deployment/batch', 0, 3],
      ['shop/Deployment/web', 3, 0],
    ]);
    expect(r.scenarios[0]!.workloads[0]!.reason).not.toContain('preempted');
  });

  it('at placement a high-priority pod preempts lower-priority background load', () => {
    const t = three();
    t.background = ['node-1', 'node-2', 'node-3'].map((n) => ({
      name: `other-${n}`,
      namespace: 'other',
      node: n,
      labels: {},
      cpu: 2000,
      memory: 0,
    }));
    const r = run(
      deployment('web', 3, cpu(2000, 'priorityClassName: high\n')) + priorityClass('high', 1000),
      t,
      {
        scenarios: [],
      },
    );
    expect(r.placement[0]).toMatchObject({ scheduled: 3, pending: 0 });
    t.background[0]!.priority = 2000;
    const held = run(
      deployment('web', 3, cpu(2000, 'priorityClassName: high\n')) + priorityClass('high', 1000),
      t,
      {
        scenarios: [],
      },
    );
    expect(held.placement[0]).toMatchObject({ scheduled: 2, pending: 1 });
  });

  it('the replacements of one eviction are queued by priority (PrioritySort)', () => {
    // Both lose a pod on node-1; only one replacement fits the room left: the higher-priority one gets it.
    const yaml =
      deployment('batch', 2, cpu(1000, 'priorityClassName: low\n')) +
      '---\n' +
      deployment('web', 2, cpu(1000, 'priorityClassName: high\npreemptionPolicy: Never\n')) +
      priorityClass('low', 10, 'preemptionPolicy: Never') +
      priorityClass('high', 1000, 'preemptionPolicy: Never');
    const t = topo([node('node-1', 'a', { cpu: 2000 }), node('node-2', 'b', { cpu: 3000 })]);
    const r = run(yaml, t, { scenarios: ['node-loss:node-1'] });
    expect(outcome(r, 'node-loss:node-1', 'web')).toMatchObject({ readyAfter: 2, pendingAfter: 0 });
    expect(outcome(r, 'node-loss:node-1', 'batch')).toMatchObject({ readyAfter: 1, pendingAfter: 1 });
  });

  it('after a node loss the high-priority replacement preempts a low-priority pod, which stays Pending', () => {
    const r = run(full(), three(), { scenarios: ['node-loss:node-1'] });
    expect(outcome(r, 'node-loss:node-1', 'web')).toMatchObject({
      verdict: 'ok',
      minReady: 2,
      readyAfter: 3,
      pendingAfter: 0,
    });
    const batch = outcome(r, 'node-loss:node-1', 'batch')!;
    expect(batch).toMatchObject({ verdict: 'stuck', minReady: 1, readyAfter: 1, pendingAfter: 2 });
    expect(batch.reason).toMatch(
      /1 pod preempted by shop\/Deployment\/web \(priority 1000 > 0\) on node-[23]$/,
    );
  });

  it('preemptionPolicy Never: the replacement waits, nothing is preempted', () => {
    const yaml = full().replace('value: 1000', 'value: 1000\npreemptionPolicy: Never');
    const r = run(yaml, three(), { scenarios: ['node-loss:node-1'] });
    expect(outcome(r, 'node-loss:node-1', 'web')).toMatchObject({
      verdict: 'stuck',
      readyAfter: 2,
      pendingAfter: 1,
    });
    const batch = outcome(r, 'node-loss:node-1', 'batch')!;
    expect(batch).toMatchObject({ readyAfter: 2, pendingAfter: 1 });
    expect(batch.reason).not.toContain('preempted');
  });

  it('a globalDefault class gives pods without priorityClassName its value; the built-in classes exist', () => {
    const defaulted =
      deployment('batch', 3, cpu(1000)) +
      '---\n' +
      deployment('web', 3, cpu(1000)) +
      priorityClass('high', 1000, 'globalDefault: true');
    // Both at 1000: equal priority, no preemption.
    const r1 = run(defaulted, three(), { scenarios: ['node-loss:node-1'] });
    expect(outcome(r1, 'node-loss:node-1', 'batch')!.reason).not.toContain('preempted');
    const critical = full('priorityClassName: system-cluster-critical\n');
    const r2 = run(critical, three(), { scenarios: ['node-loss:node-1'] });
    expect(outcome(r2, 'node-loss:node-1', 'batch')!.reason).toContain('(priority 2000000000 > 0)');
  });

  it('a pod whose preemption would only free a node of its own priority preempts nothing', () => {
    const yaml = full().replace('priorityClassName: high\n', '');
    const r = run(yaml, three(), { scenarios: ['node-loss:node-1'] });
    expect(outcome(r, 'node-loss:node-1', 'web')).toMatchObject({ verdict: 'stuck', pendingAfter: 1 });
  });

  it('victims: the fewest of the lowest priority, and PDB-protected pods avoided', () => {
    const pinned = (host: string) => `nodeSelector: { kubernetes.io/hostname: ${host} }\n`;
    const yaml =
      deployment('low', 1, cpu(1000, `priorityClassName: low\n${pinned('node-1')}`)) +
      '---\n' +
      deployment('mid', 1, cpu(1000, `priorityClassName: mid\n${pinned('node-1')}`)) +
      '---\n' +
      deployment('guarded', 1, cpu(2000, `priorityClassName: low\n${pinned('node-2')}`)) +
      priorityClass('low', 10) +
      priorityClass('mid', 100);
    // node-1: low + mid, node-2: guarded; both full. A pod of priority 1000 asking 1 cpu fits nowhere.
    const t = topo([node('node-1', 'a', { cpu: 2000 }), node('node-2', 'b', { cpu: 2000 })]);
    const { ctx } = placed(yaml, t);
    const cls = ctx.state.addClass({
      workload: -1,
      namespace: 'shop',
      labels: { app: 'web' },
      spec: readPodSpec({ containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] }),
      revision: '',
      defaultSelector: undefined,
      ownSelector: undefined,
      priority: 1000,
    });
    const name = (p: SimPod) => ctx.workloads[p.workload]!.name;
    const before = ctx.state.podsOn.map((on) => [...on]);
    const guardedBy = (allowed: number) =>
      preempt(ctx.state, cls, { of: (p) => (name(p) === 'guarded' ? [0] : []), allowed: () => allowed })!;
    // One victim either way; node-2's violates the PDB, node-1's is of the lowest priority.
    const plan = guardedBy(0);
    expect([ctx.state.names[plan.node], plan.victims.map(name), plan.violations]).toEqual([
      'node-1',
      ['low'],
      0,
    ]);
    // Without the PDB, node-1 (victim priority 10) and node-2 (10) tie on priority; the sums tie
    // too, and the fewest victims tie: the latest-started victim's node wins (guarded started last).
    const free = guardedBy(1);
    expect([ctx.state.names[free.node], free.victims.map(name)]).toEqual(['node-2', ['guarded']]);
    // The dry runs left the state as it was.
    expect(ctx.state.podsOn).toEqual(before);
    expect([ctx.state.reqCpu[0], ctx.state.reqCpu[1]]).toEqual([2000, 2000]);
  });

  it('a drain whose high-priority replacement preempts: the victim workload is affected, naming the preemptor', () => {
    // web (placed first) and batch fill a node each; draining web's node leaves its replacement no room.
    const yaml =
      deployment('web', 1, cpu(2000, 'priorityClassName: high\n')) +
      '---\n' +
      deployment('batch', 1, cpu(2000)) +
      priorityClass('high', 1000);
    const t = topo([node('node-1', 'a', { cpu: 2000 }), node('node-2', 'b', { cpu: 2000 })]);
    const r = run(yaml, t, { scenarios: ['drain'] });
    const webNode = Object.keys(r.placement[0]!.byNode)[0]!;
    const batch = outcome(r, `drain:${webNode}`, 'batch')!;
    expect(batch).toMatchObject({ verdict: 'outage', minReady: 0, readyAfter: 0, pendingAfter: 1 });
    expect(batch.reason).toMatch(
      /^0 of 1 ready — 1 pod preempted by shop\/Deployment\/web \(priority 1000 > 0\) on node-\d; 1 replacement stays Pending: 0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) were unschedulable\. — keep spare capacity/,
    );
    expect(outcome(r, `drain:${webNode}`, 'web')).toMatchObject({ readyAfter: 1, pendingAfter: 0 });
  });

  it('the dry run looks for max(100, 10% of the nodes) candidates', () => {
    expect([50, 1000, 5000].map(numCandidates)).toEqual([50, 100, 500]);
  });

  it('victims that resolve anti-affinity, not only resources; unresolvable failures preempt nothing', () => {
    const antiBatch = `priorityClassName: high
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector: { matchLabels: { app: batch } }
`;
    const t = three();
    t.background = t.nodes.map((n) => ({
      name: `batch-${n.name}`,
      namespace: 'shop',
      node: n.name,
      labels: { app: 'batch' },
      cpu: 100,
      memory: 0,
    }));
    const r = run(deployment('web', 1, cpu(100, antiBatch)) + priorityClass('high', 1000), t, {
      scenarios: [],
    });
    expect(r.placement[0]).toMatchObject({ scheduled: 1, pending: 0 });
    // Three batch pods and web would be 400m: one batch pod was preempted to make room.
    const used = r.map.flatMap((z) => z.nodes).reduce((a, n) => a + n.usedCpu, 0);
    expect(used).toBe(300);
    // A node selector no node matches is UnschedulableAndUnresolvable: nothing is preempted.
    const pinned = run(
      deployment('web', 1, cpu(100, antiBatch + 'nodeSelector: { disk: ssd }\n')) +
        priorityClass('high', 1000),
      t,
      { scenarios: [] },
    );
    expect(pinned.placement[0]).toMatchObject({ scheduled: 0, pending: 1 });
    expect(pinned.map.flatMap((z) => z.nodes).map((n) => n.usedCpu)).toEqual([100, 100, 100]);
  });
});
