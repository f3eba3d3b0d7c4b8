// kubeha scan against the real control plane of tools/cluster: objects applied for real, pods made
// Running and Ready by kwok, PDB and HPA status computed by the real controllers; then what scan says.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { deleteNodes, kubeconfigPath, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { connect } from '../../src/sources/cluster-client.js';
import { readCluster } from '../../src/sources/cluster-reader.js';
import { ROOT, run } from '../cli/run.js';
import { launch, openReport } from '../report/browser.js';
import {
  e2eKubeconfig,
  createAll,
  schedulableNodes,
  serviceAccountKubeconfig,
  until,
  waitPodsReady,
  type Obj,
} from './support.js';

const kubeconfig = kubeconfigPath();
let kc: Kubeconfig;

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  object?: { kind: string; namespace: string; name: string };
}

async function scan(args: string[]): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const r = await run(['scan', '--kubeconfig', kubeconfig, '-o', 'json', ...args]);
  const findings = r.stdout ? (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings : [];
  return { code: r.code, findings, stderr: r.stderr };
}

function node(name: string, zone: string): KwokNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': name },
      annotations: {},
    },
    spec: {},
    status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
  };
}

const deployment = (name: string, replicas: number, extraSpec = ''): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: { app: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:${extraSpec}
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: registry.example/${name}:1.0
          ports: [{ name: http, containerPort: 8080 }]
          resources: { requests: { cpu: 100m, memory: 128Mi } }
          readinessProbe: { httpGet: { path: /ready, port: http } }
          livenessProbe: { httpGet: { path: /healthz, port: http } }
          lifecycle: { preStop: { sleep: { seconds: 5 } } }
---
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: http }]
`;

beforeAll(() => {
  kc = e2eKubeconfig(kubeconfig).kc;
});

describe('scan on a one-node cluster', () => {
  const ns = `scan-solo-${Date.now().toString(36)}`;
  const nodes = [node('scan-solo-1', 'zone-a')];

  beforeAll(async () => {
    await schedulableNodes(kc, nodes);
    await createAll(kc, `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }`);
    await createAll(
      kc,
      `${deployment('web', 3)}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web }
spec:
  minAvailable: 3
  selector: { matchLabels: { app: web } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 3
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`,
      ns,
    );
    await waitPodsReady(kc, ns, 3);
    // The disruption controller has looked at the pods: 3 healthy, 3 desired, 0 allowed.
    await until('the PDB status', 60_000, async () => {
      const { body } = await kubeCall(kc, 'GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/web`);
      return body.status?.currentHealthy === 3 && body.status?.desiredHealthy === 3 ? body : undefined;
    });
  });

  afterAll(async () => {
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    await deleteNodes(kc, ['scan-solo-1']);
  });

  it('reports what only the live cluster shows', async () => {
    const { code, findings, stderr } = await scan(['-n', ns]);
    expect(stderr).not.toContain('warning');
    expect(code).toBe(1);
    const on = (rule: string): JsonFinding[] => findings.filter((f) => f.rule === rule);

    // All 3 Ready pods on the one node.
    expect(on('replicas-colocated').map((f) => f.object?.name)).toEqual(['web']);
    expect(on('replicas-colocated')[0]!.message).toMatch(/scan-solo-1/);
    // From status.disruptionsAllowed, as the real disruption controller computed it.
    expect(on('pdb-no-disruptions-allowed').map((f) => `${f.object?.kind}/${f.object?.name}`)).toEqual([
      'PodDisruptionBudget/web',
    ]);
    // No metrics-server in this cluster: the HPA's cpu metric has nothing to read.
    expect(on('metrics-api-unavailable').map((f) => f.object?.name)).toEqual(['web']);
    expect(on('metrics-api-unavailable')[0]!.severity).toBe('error');
    expect(on('metrics-server-missing')).toHaveLength(1);
    expect(on('single-zone-cluster')).toHaveLength(1);
    // The static rules judge the Deployment, not the ReplicaSet or the pods it owns.
    expect(on('pdb-blocks-eviction').map((f) => f.object?.name)).toEqual(['web']);
    expect(findings.filter((f) => f.object?.kind === 'ReplicaSet' || f.object?.kind === 'Pod')).toEqual([]);
  });

  it('-o html in Chromium: a visible row per finding of -o json, under a heading for the namespace', async () => {
    const launched = await launch();
    if (!('browser' in launched)) throw new Error(launched.missing);
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-scan-html-'));
    try {
      const { findings } = await scan(['-n', ns]);
      const html = await run(['scan', '--kubeconfig', kubeconfig, '-n', ns, '-o', 'html']);
      const { page, errors, fetched } = await openReport(launched.browser, dir, 'scan.html', html.stdout);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('kubeha scan');
      expect(await page.locator('tr.finding:visible').count()).toBe(findings.length);
      expect(await page.locator('h3').allInnerTexts()).toContain(`namespace ${ns}`);
      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await launched.browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('simulate --cluster: the live node is the topology, the live Deployment the workload', async () => {
    const r = await run(['simulate', '--cluster', '--kubeconfig', kubeconfig, '-n', ns, '-s', 'node-loss']);
    // web's own 3 pods are placed by the simulator, not counted again as load on the node.
    expect(r.stderr).toContain('1 nodes, 0 running pods as background; live workloads of namespace');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/outage +scan-solo-\S+\/Deployment\/web +node-loss:scan-solo-1/);

    // The same cluster with a file alongside: what the next release would do on it.
    const json = await run(
      [
        'simulate',
        '--cluster',
        '--kubeconfig',
        kubeconfig,
        '-n',
        ns,
        '-f',
        '-',
        '-o',
        'json',
        '--fail-on',
        'none',
      ],
      { stdin: deployment('api', 2) },
    );
    const report = JSON.parse(json.stdout);
    expect(report.topology).toEqual({ nodes: 1, zones: ['zone-a'] });
    expect(report.placement.map((p: Obj) => [p.workload, p.scheduled, p.byNode])).toEqual([
      [`${ns}/Deployment/api`, 2, { 'scan-solo-1': 2 }],
    ]);
  });

  it('shows progress on a terminal, and only there', async () => {
    const args = ['scan', '--kubeconfig', kubeconfig, '-n', ns, '--fail-on', 'none'];
    const tty = await run(args, { stderrIsTTY: true });
    // Each update returns to the start of the line and erases it (ESC [2K) before writing.
    const erase = '\r\u001b[2K';
    expect(tty.stderr).toMatch(
      new RegExp(`${erase.replace('[', '\\[')}kubeha scan: \\d+/\\d+ kinds read; listing \\w+: \\d+`),
    );
    // The progress line is wiped before the summary line.
    expect(tty.stderr).toContain(`${erase}kubeha scan: kwok-`);
    const piped = await run(args);
    expect(piped.stderr).not.toContain('\r');
  });

  it('reads every page: a small --chunk-size lists the same objects in more requests', async () => {
    const client = await connect({ kubeconfig });
    const whole = await readCluster(client, { namespace: ns });
    const paged = await readCluster(client, { namespace: ns, chunkSize: 1 });
    // Only this namespace's objects: cluster-wide ones (other tests' namespaces) may change in between.
    const mine = (r: typeof whole): string[] => r.objects.filter((o) => o.namespace === ns).map((o) => o.id);
    expect(mine(paged)).toEqual(mine(whole));
    expect(mine(paged).length).toBeGreaterThan(6);
    expect(paged.counts['Pod']).toBe(3);
    expect(paged.requests).toBeGreaterThan(whole.requests + 2);
  });
});

describe('scan of a well-configured app on three zones', () => {
  const ns = `scan-good-${Date.now().toString(36)}`;
  const nodes = ['a', 'b', 'c'].flatMap((z) => [
    node(`scan-${z}1`, `zone-${z}`),
    node(`scan-${z}2`, `zone-${z}`),
  ]);
  const spread = `
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: { matchLabels: { app: shop } } }
        - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: shop } } }`;

  beforeAll(async () => {
    // Pods created while a node still has its not-ready taint are placed as if it were not there
    // (the spread honours taints): all three once landed on scan-a1.
    await schedulableNodes(kc, nodes);
    await createAll(kc, `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }`);
    await createAll(
      kc,
      `${deployment('shop', 3, spread)}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: shop }
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector: { matchLabels: { app: shop } }
`,
      ns,
    );
    await waitPodsReady(kc, ns, 3);
    await until('the PDB status', 60_000, async () => {
      const { body } = await kubeCall(
        kc,
        'GET',
        `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/shop`,
      );
      return body.status?.disruptionsAllowed === 1 ? body : undefined;
    });
  });

  afterAll(async () => {
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`);
    await deleteNodes(
      kc,
      nodes.map((n) => n.metadata.name),
    );
  });

  it('is clean apart from the cluster add-ons this test cluster lacks', async () => {
    const { code, findings, stderr } = await scan([
      '-n',
      ns,
      '--fail-on',
      'info',
      // This cluster has no metrics-server, monitoring or mesh, and cannot have: kwok runs no containers.
      '--disable-rule',
      'metrics-server-missing,no-monitoring,no-service-mesh,vpa-not-installed',
      // A fixed 3 replicas is the app's choice here (an HPA would need the metrics API).
      '--disable-rule',
      'hpa-missing',
    ]);
    expect(stderr).not.toContain('warning');
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('under the read-only role of deploy/rbac.yaml, reads everything admin reads', async () => {
    await createAll(kc, readFileSync(join(ROOT, 'deploy/rbac.yaml'), 'utf8'));
    const asScanner = await serviceAccountKubeconfig(kc, 'kubeha', 'kubeha-scan');
    // RBAC's authorizer sees the new binding within a moment; retry until it does.
    const r = await until('the kubeha-scan role to take effect', 30_000, async () => {
      const r = await run(['scan', '--kubeconfig', asScanner, '-A', '-o', 'json', '--fail-on', 'none']);
      return r.stderr.includes('warning') ? undefined : r;
    });
    expect(r.code).toBe(0);
    // What each identity could list, and what it read of this namespace (the rest of the cluster may
    // change between two reads while other tests clean up).
    const asAdmin = await readCluster(await connect({ kubeconfig }));
    const asRole = await readCluster(await connect({ kubeconfig: asScanner }));
    expect(asRole.warnings).toEqual([]);
    expect([...asRole.facts.listed].sort()).toEqual([...asAdmin.facts.listed].sort());
    const mine = (read: typeof asAdmin): string[] =>
      read.objects.filter((o) => o.namespace === ns).map((o) => o.id);
    expect(mine(asRole)).toEqual(mine(asAdmin));
    expect(mine(asRole).length).toBeGreaterThan(6);
  });

  it('without a permission, warns with the permission to grant and scans the rest', async () => {
    await createAll(
      kc,
      `apiVersion: v1
kind: ServiceAccount
metadata: { name: kubeha-limited, namespace: kubeha }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kubeha-limited }
rules:
  - { apiGroups: [''], resources: [namespaces, nodes, pods, services], verbs: [get, list] }
  - { apiGroups: [apps], resources: [deployments, statefulsets, daemonsets, replicasets], verbs: [get, list] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kubeha-limited }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeha-limited }
subjects: [{ kind: ServiceAccount, name: kubeha-limited, namespace: kubeha }]
`,
    );
    const limited = await serviceAccountKubeconfig(kc, 'kubeha', 'kubeha-limited');
    const r = await until('the kubeha-limited role to take effect', 30_000, async () => {
      const r = await run(['scan', '--kubeconfig', limited, '-n', ns, '-o', 'json', '--fail-on', 'none']);
      return r.stderr.includes('cannot list pods') ? undefined : r;
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `kubeha: warning: cannot list poddisruptionbudgets.policy in namespace ${ns} (403 Forbidden): grant "list" on poddisruptionbudgets.policy`,
    );
    expect(r.stderr).toContain('cannot list apiservices.apiregistration.k8s.io (403 Forbidden)');
    // Every warning is one line, and the Deployment was still read and judged.
    expect(
      r.stderr.split('\n').filter((l) => l.startsWith('kubeha: warning:')).length,
    ).toBeGreaterThanOrEqual(6);
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { workloads: number } };
    expect(out.summary.workloads).toBe(1);
    // With PDBs unreadable, missing-pdb must not claim the Deployment has none.
    expect(out.findings.filter((f) => f.rule === 'missing-pdb')).toEqual([]);
  });
});
