import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { rules } from '../../src/rules/index.js';

function index(text: string): ObjectIndex {
  return new ObjectIndex(parseManifests(text, 'x.yaml').objects);
}

const KUBE_PROMETHEUS = new URL('./fixtures/kube-prometheus.yaml', import.meta.url);

describe('prometheus-operator resources are workloads (issue 17, item 2)', () => {
  it('a Prometheus: podMetadata labels, the labels the operator reserves, replicas times shards', () => {
    const w = index(`
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: { name: k8s, namespace: monitoring }
spec:
  replicas: 2
  shards: 3
  podMetadata:
    labels: { team: obs, app.kubernetes.io/name: mine, app.kubernetes.io/version: "1" }
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }]
`).workloads[0]!;
    expect(w.kind).toBe('Prometheus');
    expect(w.podLabels).toEqual({
      team: 'obs',
      // Reserved: the operator's value wins over podMetadata's.
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'app.kubernetes.io/instance': 'k8s',
      prometheus: 'k8s',
      'operator.prometheus.io/name': 'k8s',
    });
    expect(w.declaredReplicas).toBe(2);
    expect(w.replicas).toBe(6);
    expect(w.podSpecPath).toBe('/spec');
    expect(w.podMetadataPath).toBe('/spec/podMetadata');
    expect(w.podSpec['topologySpreadConstraints']).toHaveLength(1);
    // The operator makes the containers (spec.containers only patches them): none for container rules.
    expect(w.containers).toEqual([]);
    expect(w.longRunning).toBe(true);
  });

  it('Alertmanager and ThanosRuler: the operator default of 1 replica, a negative count is 0', () => {
    const ws = index(`
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: { name: main, namespace: monitoring }
spec: {}
---
apiVersion: monitoring.coreos.com/v1
kind: ThanosRuler
metadata: { name: rules, namespace: monitoring }
spec: { replicas: -1 }
`).workloads;
    expect(ws.map((w) => [w.kind, w.declaredReplicas, w.replicas])).toEqual([
      ['Alertmanager', undefined, 1],
      ['ThanosRuler', -1, 0],
    ]);
    expect(ws[0]!.podLabels).toEqual({
      'app.kubernetes.io/name': 'alertmanager',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'app.kubernetes.io/instance': 'main',
      alertmanager: 'main',
    });
    expect(ws[1]!.podLabels['thanos-ruler']).toBe('rules');
  });

  it('the same kinds in another API group are not workloads', () => {
    expect(
      index(`
apiVersion: example.com/v1
kind: Prometheus
metadata: { name: k8s }
spec: { replicas: 2 }
`).workloads,
    ).toEqual([]);
  });

  it("kube-prometheus' PDBs and Services select the pods of its Alertmanager and Prometheus", () => {
    const objects = parseManifests(readFileSync(KUBE_PROMETHEUS, 'utf8'), 'kube-prometheus.yaml').objects;
    const idx = new ObjectIndex(objects);
    const am = idx.workload('monitoring', 'Alertmanager', 'main')!;
    const prom = idx.workload('monitoring', 'Prometheus', 'k8s')!;
    expect(idx.pdbsFor(am).map((p) => p.name)).toEqual(['alertmanager-main']);
    expect(idx.pdbsFor(prom).map((p) => p.name)).toEqual(['prometheus-k8s']);
    expect(idx.servicesFor(am).map((s) => s.name)).toEqual(['alertmanager-main']);
    expect(idx.servicesFor(prom).map((s) => s.name)).toEqual(['prometheus-k8s']);
    // What `kubeha check` warned before: both PDBs "select no pods".
    const findings = check(objects, { rules }).findings;
    expect(findings.filter((f) => f.rule === 'pdb-matches-nothing')).toEqual([]);
  });
});

describe('namespaces where custom resources may make pods kubeha cannot see', () => {
  const idx = index(`
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: pg, namespace: db }
spec: { instances: 3 }
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web, namespace: config-only }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: config-only }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: config-only }
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: { name: k8s, namespace: modelled }
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: web, namespace: modelled }
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: { name: agent, namespace: agent }
`);
  it('an operator kind kubeha does not model may make pods', () => {
    expect(idx.mayHaveUnknownPods('db')).toBe(true);
    expect(idx.mayHaveUnknownPods('agent')).toBe(true);
  });
  it('configuration-only kinds, Kubernetes groups and the modelled workloads do not', () => {
    expect(idx.mayHaveUnknownPods('config-only')).toBe(false);
    expect(idx.mayHaveUnknownPods('modelled')).toBe(false);
    expect(idx.mayHaveUnknownPods('elsewhere')).toBe(false);
  });
});

describe('pdb-matches-nothing where a custom resource may make the pods', () => {
  const text = (withCluster: boolean) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: db }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: api:1 }] } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: pg, namespace: db }
spec: { maxUnavailable: 1, selector: { matchLabels: { cnpg.io/cluster: pg } } }
${
  withCluster
    ? `---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: pg, namespace: db }
spec: { instances: 3 }
`
    : ''
}`;
  const severities = (withCluster: boolean) =>
    check(parseManifests(text(withCluster), 'x.yaml').objects, { rules })
      .findings.filter((f) => f.rule === 'pdb-matches-nothing')
      .map((f) => f.severity);
  it('an operator resource kubeha does not model is in the namespace: info, not a warning', () => {
    expect(severities(true)).toEqual(['info']);
  });
  it('nothing else may make pods there: the orphan stays a warning', () => {
    expect(severities(false)).toEqual(['warning']);
  });
});

describe('spread rules judge the pods of prometheus-operator resources', () => {
  const alertmanager = (spread: string) => `
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: { name: main, namespace: monitoring }
spec:
  replicas: 3
  podMetadata: { labels: { app.kubernetes.io/component: alert-router } }
${spread}`;
  const zoneFindings = (text: string) =>
    check(parseManifests(text, 'x.yaml').objects, { rules })
      .findings.filter((f) => f.rule === 'no-zone-spread')
      .map((f) => `${f.object?.kind}/${f.object?.name} ${f.path}`);
  it('3 Alertmanager replicas with nothing spreading them over zones are reported at spec', () => {
    expect(zoneFindings(alertmanager(''))).toEqual(['Alertmanager/main /spec/topologySpreadConstraints']);
  });
  it('a zone spread constraint under spec, selecting the labels the operator adds, satisfies it', () => {
    const spread = `  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector: { matchLabels: { alertmanager: main } }`;
    expect(zoneFindings(alertmanager(spread))).toEqual([]);
  });
});
