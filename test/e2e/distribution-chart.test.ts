// The kubeha-serve Helm chart (charts/kubeha-serve), rendered by helm built from its Go module
// (tools/helm/build.sh), applied to the test control plane's kube-apiserver with server-side
// dry-run: the API server validates and admits every object (schema, defaulting, RBAC references,
// the webhook configuration) without keeping any. cert-manager's CRDs are not installed here, so the
// defaults' Issuer and Certificate are the only objects left out, and said so; the rendering
// without cert-manager is applied whole.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { HELM, KUBECTL_DIR, renderChart, runProgram, type Obj } from '../distribution/support.js';

const kubectl = join(KUBECTL_DIR, 'kubectl');
const NAMESPACE = 'kubeha';

describe('the kubeha-serve chart on the real API server', () => {
  let kubeconfig: string;
  const k = (args: string[], input?: string) =>
    runProgram(kubectl, ['--kubeconfig', kubeconfig, ...args], { input });
  let createdNamespace = false;

  beforeAll(() => {
    kubeconfig = kubeconfigPath();
    if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run 'npm run cluster:up'`);
    if (!existsSync(HELM)) throw new Error(`no helm at ${HELM}: run 'bash tools/helm/build.sh'`);
    // Namespaced objects are admitted only into a namespace that exists (NamespaceLifecycle).
    const made = k(['create', 'namespace', NAMESPACE]);
    createdNamespace = made.code === 0;
    if (!createdNamespace && !made.stderr.includes('AlreadyExists')) throw new Error(made.stderr);
  });
  afterAll(() => {
    if (createdNamespace) k(['delete', 'namespace', NAMESPACE, '--wait=false']);
  });

  function dryRun(objects: Obj[]) {
    const text = objects.map((o) => stringify(o)).join('---\n');
    return k(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=helm', '-o', 'name', '-f', '-'],
      text,
    );
  }

  it("admits every object of the default rendering but cert-manager's, and keeps none", () => {
    const { code, stderr, objects } = renderChart();
    expect(code, stderr).toBe(0);
    const certManager = objects.filter((o) => o.apiVersion.startsWith('cert-manager.io/'));
    expect(certManager.map((o) => o.kind).sort()).toEqual(['Certificate', 'Issuer']);
    const rest = objects.filter((o) => !o.apiVersion.startsWith('cert-manager.io/'));
    const r = dryRun(rest);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(rest.length);
    expect(r.stdout).toContain('validatingwebhookconfiguration.admissionregistration.k8s.io/kubeha-serve');
    expect(r.stdout).toContain('deployment.apps/kubeha-serve');
    // Dry-run: nothing was kept.
    expect(k(['get', 'deployment', 'kubeha-serve', '-n', NAMESPACE]).code).not.toBe(0);
    expect(k(['get', 'clusterrole', 'kubeha-serve']).code).not.toBe(0);
  });

  it('admits the rendering without cert-manager and autoscaling whole', () => {
    const { code, stderr, objects } = renderChart(
      'tls.certManager=false',
      `tls.caBundle=${Buffer.from('not a CA').toString('base64')}`,
      'autoscaling.enabled=false',
    );
    expect(code, stderr).toBe(0);
    const r = dryRun(objects);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(objects.length);
  });

  it('is refused by the API server where the schema says so: a bad value reaches it as a bad object', () => {
    // The API server is the judge of what the chart renders: an invalid failurePolicy is refused.
    const { objects } = renderChart('webhook.failurePolicy=Sometimes');
    const r = dryRun(objects.filter((o) => !o.apiVersion.startsWith('cert-manager.io/')));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/failurePolicy/);
  });

  it('helm itself asks the API server (helm template --dry-run=server) which kinds it serves', () => {
    const r = runProgram(HELM, [
      'template',
      'kubeha-serve',
      join(import.meta.dirname, '..', '..', 'charts', 'kubeha-serve'),
      '--namespace',
      NAMESPACE,
      '--kubeconfig',
      kubeconfig,
      '--dry-run=server',
      '--set',
      'tls.certManager=false',
      '--set',
      'tls.caBundle=Q0E=',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: ValidatingWebhookConfiguration');
    // With the defaults, the cert-manager kinds this control plane does not serve are named.
    const defaults = runProgram(HELM, [
      'template',
      'kubeha-serve',
      join(import.meta.dirname, '..', '..', 'charts', 'kubeha-serve'),
      '--namespace',
      NAMESPACE,
      '--kubeconfig',
      kubeconfig,
      '--dry-run=server',
    ]);
    expect(defaults.code).not.toBe(0);
    expect(defaults.stderr).toContain('no matches for kind "Certificate" in version "cert-manager.io/v1"');
  });
});
