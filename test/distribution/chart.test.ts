// The Helm chart of serve (charts/kubeha-serve), linted and rendered by helm itself, built from its
// Go module by tools/helm/build.sh. What it renders passes kubeha's own checks at every severity, has
// the read-only RBAC of deploy/rbac.yaml and serve's watch role of deploy/serve.yaml, and every value is documented in docs/distribution.md.
// test/e2e/distribution-chart.test.ts applies the rendering to the real API server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CHART, HELM, ROOT, renderChart as render, runProgram, type Obj } from './support.js';

const built = existsSync(HELM);
if (!built) console.warn('chart test skipped: run `bash tools/helm/build.sh` first');

/** Every leaf key of a values tree, dotted (lists and empty maps are leaves). */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0)
    return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

describe.runIf(built)('the kubeha-serve chart', { timeout: 60_000 }, () => {
  it('passes helm lint', () => {
    const r = runProgram(HELM, ['lint', CHART, '--strict']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('renders serve, its RBAC, PDB, HPA, Service, certificate and webhook', () => {
    const { code, stderr, objects } = render();
    expect(code, stderr).toBe(0);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        'Certificate/kubeha-serve',
        'ClusterRole/kubeha-serve',
        'ClusterRole/kubeha-serve-watch',
        'ClusterRoleBinding/kubeha-serve',
        'ClusterRoleBinding/kubeha-serve-watch',
        'Deployment/kubeha-serve',
        'HorizontalPodAutoscaler/kubeha-serve',
        'Issuer/kubeha-serve-selfsigned',
        'PodDisruptionBudget/kubeha-serve',
        'Role/kubeha-serve-leader-election',
        'RoleBinding/kubeha-serve-leader-election',
        'Service/kubeha-serve',
        'ServiceAccount/kubeha-serve',
        'ValidatingWebhookConfiguration/kubeha-serve',
      ].sort(),
    );
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/kubeha/kubeha:0.1.0');
    const webhook = objects.find((o) => o.kind === 'ValidatingWebhookConfiguration');
    expect(webhook.webhooks[0].failurePolicy).toBe('Ignore');
    expect(webhook.webhooks[0].namespaceSelector.matchExpressions[0].values).toContain('kubeha');
  });

  it('has the same read-only rules as deploy/rbac.yaml', () => {
    const role = render().objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'kubeha-serve');
    const deployed = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8'))
      .map((d) => d.toJS() as Obj)
      .find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual(deployed.rules);
    for (const rule of role.rules) expect(rule.verbs).toEqual(['get', 'list']);
  });

  it("has the same watch rules as deploy/serve.yaml's kubeha-serve-watch, bound to the release's ServiceAccount", () => {
    const { objects } = render();
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'kubeha-serve-watch');
    const deployed = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'serve.yaml'), 'utf8'))
      .map((d) => d.toJS() as Obj)
      .find((o) => o?.kind === 'ClusterRole' && o.metadata.name === 'kubeha-serve-watch');
    expect(role.rules).toEqual(deployed.rules);
    const binding = objects.find(
      (o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'kubeha-serve-watch',
    );
    expect(binding.roleRef.name).toBe('kubeha-serve-watch');
    expect(binding.subjects[0].name).toBe('kubeha-serve');
  });

  const checkRendered = (text: string) =>
    runProgram(
      process.execPath,
      [join(ROOT, 'dist', 'cli', 'bin.js'), 'check', '-f', '-', '--fail-on', 'info', '-o', 'json'],
      {
        input: text,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );

  it.each([
    ['the defaults', []],
    ['without cert-manager', ['tls.certManager=false', 'tls.caBundle=Q0E=']],
  ])('renders objects that pass kubeha check --fail-on info: %s', (_, set) => {
    const { code, text, stderr } = render(...set);
    expect(code, stderr).toBe(0);
    const r = checkRendered(text);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('with autoscaling off, kubeha says what is given up, and nothing else', () => {
    const r = checkRendered(render('autoscaling.enabled=false').text);
    const findings = JSON.parse(r.stdout).findings as { rule: string; severity: string }[];
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['info hpa-missing']);
  });

  it('sets replicas itself when autoscaling is off, and refuses to render without a CA when cert-manager is off', () => {
    const noHpa = render(
      'tls.certManager=false',
      'tls.caBundle=Q0E=',
      'autoscaling.enabled=false',
      'replicas=4',
    );
    expect(noHpa.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(4);
    expect(noHpa.objects.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(noHpa.objects.map((o) => o.kind)).not.toContain('Certificate');
    expect(
      noHpa.objects.find((o) => o.kind === 'ValidatingWebhookConfiguration').webhooks[0].clientConfig
        .caBundle,
    ).toBe('Q0E=');

    const noCa = render('tls.certManager=false');
    expect(noCa.code).not.toBe(0);
    expect(noCa.stderr).toContain('tls.caBundle is required');
  });

  it('documents every value in docs/distribution.md', () => {
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as object;
    const docs = readFileSync(join(ROOT, 'docs', 'distribution.md'), 'utf8');
    for (const key of leafKeys(values)) {
      const documented =
        docs.includes(`\`${key}\``) ||
        key.split('.').some((_, i, parts) => docs.includes(`\`${parts.slice(0, i + 1).join('.')}\` |`));
      expect(documented, key).toBe(true);
    }
  });
});
