import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import {
  shorthandTopology,
  simulate,
  topologyFromObjects,
  zoneNamesFor,
  zonesNamedIn,
} from '../../src/simulate/index.js';
import { simulateJson } from '../../src/report/simulate-json.js';
import { simulateMd } from '../../src/report/simulate-md.js';
import { simulateText } from '../../src/report/simulate-text.js';
import { deployment, objects } from './harness.js';

const NODE_LIST = `
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: ip-10-0-1-10.eu-west-1.compute.internal
      labels:
        kubernetes.io/hostname: ip-10-0-1-10
        topology.kubernetes.io/zone: eu-west-1a
    spec:
      taints: [{ key: dedicated, value: batch, effect: NoSchedule }]
    status:
      allocatable: { cpu: 3920m, memory: 15623720Ki, pods: "58" }
  - apiVersion: v1
    kind: Node
    metadata:
      name: ip-10-0-2-20.eu-west-1.compute.internal
      labels:
        kubernetes.io/hostname: ip-10-0-2-20
        failure-domain.beta.kubernetes.io/zone: eu-west-1b
    status:
      allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
  - apiVersion: v1
    kind: Pod
    metadata: { name: coredns-1, namespace: kube-system, labels: { k8s-app: kube-dns } }
    spec:
      nodeName: ip-10-0-2-20.eu-west-1.compute.internal
      containers: [{ name: coredns, image: coredns, resources: { requests: { cpu: 100m, memory: 70Mi } } }]
`;

describe('topology', () => {
  it('reads `kubectl get nodes -o yaml` lists: labels, taints, allocatable, legacy zone label, pods as background', () => {
    const { topology } = topologyFromObjects(objects(NODE_LIST));
    expect(
      topology.nodes.map((n) => [n.name, n.labels['topology.kubernetes.io/zone'], n.cpu, n.pods]),
    ).toEqual([
      ['ip-10-0-1-10.eu-west-1.compute.internal', 'eu-west-1a', 3920, 58],
      ['ip-10-0-2-20.eu-west-1.compute.internal', 'eu-west-1b', 4000, 110],
    ]);
    expect(topology.nodes[0]!.memory).toBe(15623720 * 1024);
    expect(topology.nodes[0]!.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    expect(topology.background).toEqual([
      expect.objectContaining({
        name: 'coredns-1',
        node: 'ip-10-0-2-20.eu-west-1.compute.internal',
        cpu: 100,
      }),
    ]);
    // The tainted node takes no pod; the background pod's requests count on the other one.
    const r = simulate(
      objects(
        deployment(
          'web',
          2,
          'containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1" } } }]',
        ),
      ),
      topology,
      { scenarios: [] },
    );
    expect(r.placement[0]!.byNode).toEqual({ 'ip-10-0-2-20.eu-west-1.compute.internal': 2 });
    expect(r.map[1]!.nodes[0]!.usedCpu).toBe(2100);
  });

  it('the shorthand deals nodes round-robin over zone-a, zone-b, …', () => {
    const t = shorthandTopology({ nodes: 4, zones: 3, nodeCpu: '2', nodeMemory: '8Gi' });
    expect(t.nodes.map((n) => `${n.name}@${n.labels['topology.kubernetes.io/zone']}`)).toEqual([
      'node-1@zone-a',
      'node-2@zone-b',
      'node-3@zone-c',
      'node-4@zone-a',
    ]);
    expect(t.nodes[0]).toMatchObject({ cpu: 2000, memory: 8 * 2 ** 30, pods: 110 });
    // The cloud node controller still sets the beta zone label beside the GA one.
    expect(t.nodes[1]!.labels['failure-domain.beta.kubernetes.io/zone']).toBe('zone-b');
  });

  it('the shorthand names its zones after the zones the workloads name', () => {
    expect(zoneNamesFor(3)).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(zoneNamesFor(3, ['eu-west-1a'])).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(zoneNamesFor(3, ['us-central1-b'])).toEqual(['us-central1-b', 'us-central1-a', 'us-central1-c']);
    expect(zoneNamesFor(2, ['primary'])).toEqual(['primary', 'zone-a']);
    expect(zoneNamesFor(1, ['eu-west-1b', 'eu-west-1a'])).toEqual(['eu-west-1b']);
    const named = zonesNamedIn(
      objects(
        [
          deployment(
            'a',
            2,
            'nodeSelector: { failure-domain.beta.kubernetes.io/zone: eu-west-1c }\ncontainers: [{ name: a, image: nginx }]',
          ),
          deployment(
            'b',
            2,
            'affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a, eu-west-1c] }] } }] } }\ncontainers: [{ name: b, image: nginx }]',
          ),
          deployment(
            'c',
            2,
            'nodeSelector: { kubernetes.io/os: linux }\ncontainers: [{ name: c, image: nginx }]',
          ),
        ].join('---\n'),
      ),
    );
    expect(named).toEqual(['eu-west-1a', 'eu-west-1c']);
  });

  it('simulate without --zones makes a zone for every zone the workloads name, at least 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-zones-'));
    const pinned = (name: string, zone: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      nodeSelector: { topology.kubernetes.io/zone: ${zone} }\n      containers: [{ name: ${name}, image: nginx }]\n`;
    writeFileSync(
      join(dir, 'a.yaml'),
      ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d']
        .map((z, i) => pinned(`w${i}`, z))
        .join('---\n'),
    );
    const a = io(dir);
    await main(['simulate', '.', '-s', 'zone-loss'], a);
    const out = a.out;
    expect(out).toMatch(
      /^kubeha simulate: 8 nodes in 4 zones \(eu-west-1a, eu-west-1b, eu-west-1c, eu-west-1d\)\n/,
    );
    // Every pinned workload schedules; each is lost with its own zone.
    expect(out).not.toMatch(/placement: /);
    expect(out).toMatch(/w3 +zone-loss:eu-west-1d: 0 of 2 ready/);
  });
});

describe('reports', () => {
  const r = simulate(
    objects(deployment('web', 1, 'containers: [{ name: web, image: nginx }]')),
    shorthandTopology({ nodes: 2, zones: 2 }),
  );
  const ctx = { toolVersion: '0.1.0', color: false, failOn: 'outage' as const };

  it('json: the versioned envelope the README documents', () => {
    const j = JSON.parse(simulateJson(r, ctx)) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual([
      'version',
      'tool',
      'topology',
      'placement',
      'scenarios',
      'workloads',
      'summary',
    ]);
    expect(j['summary']).toEqual({ workloads: 1, ok: 0, degraded: 0, outage: 1, stuck: 0 });
  });
  it('text: one line per workload with the worst verdict and its scenario, then the map', () => {
    const t = simulateText(r, ctx);
    expect(t).toMatch(
      /✖ outage\s+shop\/Deployment\/web\s+node-loss:node-\d: 0 of 1 ready for 300 s — the only replica was on node-\d; run 2 or more replicas/,
    );
    expect(t).toContain('placement\n  zone-a\n    node-1');
  });
  it('md: a table for a pull request', () => {
    expect(simulateMd(r, ctx)).toContain('| 🔴 outage | `shop/Deployment/web` |');
  });
});

function io(cwd: string): CliIO & { out: string; err: string } {
  const o = { out: '', err: '' };
  return Object.assign(o, {
    stdout: (s: string) => (o.out += s),
    stderr: (s: string) => (o.err += s),
    readStdin: async () => '',
    cwd,
    env: {},
    stdoutIsTTY: false,
  });
}

describe('kubeha simulate (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-sim-'));
  writeFileSync(join(dir, 'one.yaml'), deployment('web', 1, 'containers: [{ name: web, image: nginx }]'));
  writeFileSync(
    join(dir, 'three.yaml'),
    deployment(
      'web',
      3,
      `topologySpreadConstraints:
  - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: web } } }
containers: [{ name: web, image: nginx }]`,
    ) +
      '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }\n',
  );
  writeFileSync(join(dir, 'nodes.yaml'), NODE_LIST);

  it('exits 1 on an outage, 0 with --fail-on none', async () => {
    const a = io(dir);
    expect(await main(['simulate', 'one.yaml', '--nodes', '3', '--zones', '3'], a)).toBe(1);
    expect(a.out).toContain('outage');
    expect(await main(['simulate', 'one.yaml', '--fail-on', 'none'], io(dir))).toBe(0);
  });
  it('says nothing on stderr about a topology the user asked for', async () => {
    const a = io(dir);
    await main(['simulate', 'one.yaml', '--nodes', '3', '--zones', '3'], a);
    expect(a.err).toBe('');
  });
  it('says on stderr when Node objects among the manifests are the topology', async () => {
    const a = io(dir);
    await main(['simulate', 'one.yaml', 'nodes.yaml', '-o', 'json'], a);
    expect(a.err).toBe('kubeha: topology from Node objects in the input\n');
  });
  it('refuses more --zones than --nodes, and says when the default zones outnumber --nodes', async () => {
    const a = io(dir);
    expect(await main(['simulate', 'one.yaml', '--nodes', '2', '--zones', '3'], a)).toBe(2);
    expect(a.err).toBe(
      'kubeha: --zones 3 needs at least 3 nodes (--nodes 2): each zone exists only with a node in it\n',
    );
    const b = io(dir);
    await main(['simulate', 'one.yaml', '--nodes', '2', '-o', 'json'], b);
    expect(b.err).toBe(
      'kubeha: --nodes 2 gives only 2 zones (the default is 3); give --nodes 3 or more to have every zone, or --zones 2 to say so\n',
    );
    expect((JSON.parse(b.out) as { topology: { zones: string[] } }).topology.zones).toHaveLength(2);
  });
  it('exits 0 when every workload survives; --scenario selects', async () => {
    const a = io(dir);
    expect(
      await main(
        ['simulate', 'three.yaml', '--nodes', '6', '--zones', '3', '-s', 'node-loss,drain', '-o', 'json'],
        a,
      ),
    ).toBe(0);
    const j = JSON.parse(a.out) as { scenarios: { kind: string }[] };
    expect(new Set(j.scenarios.map((s) => s.kind))).toEqual(new Set(['placement', 'node-loss', 'drain']));
  });
  it('reads a topology file', async () => {
    const a = io(dir);
    await main(['simulate', 'one.yaml', '--topology', 'nodes.yaml', '-o', 'json', '-s', 'placement'], a);
    expect((JSON.parse(a.out) as { topology: unknown }).topology).toEqual({
      nodes: 2,
      zones: ['eu-west-1a', 'eu-west-1b'],
    });
  });
  it('usage errors exit 2 with one line', async () => {
    const a = io(dir);
    expect(await main(['simulate', 'one.yaml', '-s', 'meteor'], a)).toBe(2);
    expect(a.err).toBe(
      'kubeha: --scenario must be among placement, node-loss, zone-loss, drain, rollout, upgrade, or node-loss:<node>, zone-loss:<zone>, drain:<node> (got "meteor")\n',
    );
  });
  it('kubeha check --simulate adds sim-* findings; without it there are none', async () => {
    const a = io(dir);
    await main(['check', 'one.yaml', '--simulate', '-o', 'json', '--fail-on', 'none'], a);
    const rules = (JSON.parse(a.out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).toContain('sim-outage');
    const b = io(dir);
    await main(['check', 'one.yaml', '-o', 'json', '--fail-on', 'none'], b);
    expect((JSON.parse(b.out) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).not.toContain(
      'sim-outage',
    );
  });
});
