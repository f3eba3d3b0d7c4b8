// deploy/serve.yaml is how serve runs in a cluster: it must pass kubeha's own checks, start serve
// with flags serve has, and register a webhook that fails open and covers the kinds serve judges.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { registerServe } from '../../src/cli/serve.js';
import type { CliIO } from '../../src/cli/io.js';
import { ROOT, run } from '../cli/run.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents
type Obj = any;
const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/serve.yaml'), 'utf8')).map(
  (d) => d.toJS() as Obj,
);
const byKind = (kind: string): Obj => docs.find((d) => d.kind === kind);

describe('deploy/serve.yaml', () => {
  it('passes every check kubeha makes, down to info', async () => {
    const r = await run([
      'check',
      'deploy/serve.yaml',
      'deploy/rbac.yaml',
      '--fail-on',
      'info',
      '-o',
      'json',
    ]);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('starts serve with flags serve has, and probes the paths it answers', () => {
    const program = new Command();
    registerServe(program, {} as CliIO, () => undefined);
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    const known = new Set(serve.options.map((o) => o.long));
    const container = byKind('Deployment').spec.template.spec.containers[0];
    expect(container.args[0]).toBe('serve');
    for (const arg of container.args.slice(1) as string[]) expect(known, arg).toContain(arg.split('=')[0]);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    // The grace period covers the preStop sleep and the drain.
    const grace = Number(/--shutdown-grace=(\d+)s/.exec(container.args.join(' '))![1]);
    expect(byKind('Deployment').spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      grace + container.lifecycle.preStop.sleep.seconds,
    );
  });

  it('registers a webhook that fails open, never reviews its own namespace, and asks for v1 reviews', () => {
    const [hook] = byKind('ValidatingWebhookConfiguration').webhooks;
    expect(hook.failurePolicy).toBe('Ignore');
    expect(hook.sideEffects).toBe('None');
    expect(hook.admissionReviewVersions).toEqual(['v1']);
    expect(hook.namespaceSelector.matchExpressions[0].values).toContain('kubeha');
    expect(hook.clientConfig.service).toMatchObject({
      name: 'kubeha-serve',
      namespace: 'kubeha',
      path: '/validate',
    });
    expect(byKind('ClusterRoleBinding').roleRef.name).toBe('kubeha-scan');
  });
});
