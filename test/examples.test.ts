import { describe, expect, it } from 'vitest';
import { run } from './cli/run.js';

/** "file:line rule Kind/name" for every finding kubeha reports on one example folder. */
async function findings(folder: string): Promise<{ lines: string[]; code: number }> {
  const r = await run(['check', `examples/${folder}`, '-o', 'json', '--fail-on', 'warning']);
  const out = JSON.parse(r.stdout) as {
    findings: {
      rule: string;
      location: { file: string; line: number };
      object?: { kind: string; name: string };
    }[];
  };
  return {
    code: r.code,
    lines: out.findings.map(
      (f) =>
        `${f.location.file.replace('examples/', '')}:${f.location.line} ${f.rule}${f.object ? ` ${f.object.kind}/${f.object.name}` : ''}`,
    ),
  };
}

// What kubeha reports on each bundled example, pinned: a rule that starts or stops firing on
// them shows up here, and the README's output (test/readme.test.ts) follows.
describe('bundled examples', () => {
  it('seed', async () => {
    const r = await findings('seed');
    expect(r.lines).toEqual([
      'seed/my-svc-pdb.yaml:1 deprecated-api PodDisruptionBudget/my-svc-pdb',
      'seed/my-svc-pdb.yaml:7 pdb-matches-nothing PodDisruptionBudget/my-svc-pdb',
      'seed/spread-host-az.yaml:1 invalid-object Deployment/spread-host-az',
      'seed/spread-host-az.yaml:2 hpa-missing Deployment/spread-host-az',
      'seed/spread-host-az.yaml:9 missing-pdb Deployment/spread-host-az',
      'seed/spread-host-az.yaml:16 no-zone-spread Deployment/spread-host-az',
      'seed/spread-host-az.yaml:29 duplicate-key Deployment/spread-host-az',
      'seed/spread-host-az.yaml:41 missing-liveness-probe Deployment/spread-host-az',
      'seed/spread-host-az.yaml:41 missing-readiness-probe Deployment/spread-host-az',
      'seed/spread-host-az.yaml:41 missing-resource-requests Deployment/spread-host-az',
    ]);
    expect(r.code).toBe(1);
  });
  it('bad-app', async () => {
    const r = await findings('bad-app');
    expect(r.lines).toEqual([
      'bad-app/api.yaml:8 hpa-replicas-conflict Deployment/api',
      // Its PDB is policy/v1beta1, which a 1.37 API server refuses: the Deployment has no budget.
      'bad-app/api.yaml:9 missing-pdb Deployment/api',
      'bad-app/api.yaml:14 rollout-all-unavailable Deployment/api',
      'bad-app/api.yaml:24 required-zone-anti-affinity Deployment/api',
      'bad-app/api.yaml:29 no-graceful-shutdown Deployment/api',
      'bad-app/api.yaml:34 identical-probes Deployment/api',
      'bad-app/api.yaml:38 slow-start-without-startup-probe Deployment/api',
      'bad-app/api.yaml:44 hpa-missing-requests Deployment/api',
      'bad-app/api.yaml:44 missing-resource-requests Deployment/api',
      'bad-app/api.yaml:69 hpa-min-replicas HorizontalPodAutoscaler/api',
      'bad-app/api.yaml:84 vpa-hpa-conflict VerticalPodAutoscaler/api',
      'bad-app/api.yaml:84 vpa-disruptive-update VerticalPodAutoscaler/api',
      'bad-app/api.yaml:91 deprecated-api PodDisruptionBudget/api',
      'bad-app/api.yaml:97 pdb-blocks-eviction PodDisruptionBudget/api',
      'bad-app/cache.yaml:7 statefulset-service-missing StatefulSet/cache',
      'bad-app/cache.yaml:8 single-replica StatefulSet/cache',
      'bad-app/cache.yaml:18 deprecated-topology-key StatefulSet/cache',
      'bad-app/cache.yaml:20 missing-liveness-probe StatefulSet/cache',
      'bad-app/cache.yaml:27 probe-port-mismatch StatefulSet/cache',
      'bad-app/cache.yaml:35 singleton-pod Pod/debug-shell',
      'bad-app/cache.yaml:41 missing-liveness-probe Pod/debug-shell',
      'bad-app/cache.yaml:41 missing-readiness-probe Pod/debug-shell',
      'bad-app/cache.yaml:41 missing-resource-requests Pod/debug-shell',
      'bad-app/frontend.yaml:4 hpa-missing Deployment/frontend',
      'bad-app/frontend.yaml:10 single-replica Deployment/frontend',
      'bad-app/frontend.yaml:12 recreate-strategy Deployment/frontend',
      'bad-app/frontend.yaml:13 no-rollback-history Deployment/frontend',
      'bad-app/frontend.yaml:22 no-graceful-shutdown Deployment/frontend',
      'bad-app/frontend.yaml:24 missing-readiness-probe Deployment/frontend',
      'bad-app/frontend.yaml:24 missing-liveness-probe Deployment/frontend',
      'bad-app/frontend.yaml:24 missing-resource-requests Deployment/frontend',
      'bad-app/frontend.yaml:24 no-graceful-shutdown Deployment/frontend',
      'bad-app/mesh.yaml:9 mesh-no-rate-limit VirtualService/api',
      'bad-app/mesh.yaml:10 mesh-no-retries VirtualService/api',
      'bad-app/mesh.yaml:10 mesh-no-timeout VirtualService/api',
      'bad-app/mesh.yaml:21 mesh-no-circuit-breaker DestinationRule/api',
    ]);
    expect(r.code).toBe(1);
  });
  it('good-app', async () => {
    const r = await findings('good-app');
    expect(r.lines).toEqual([]);
    expect(r.code).toBe(0);
  });
});
