// The Lease rights of serve's leader election (docs/serve.md, "Leader election"): the chart grants
// what deploy/lease-rbac.yaml grants, for the lease name serve uses by default.
// test/e2e/serve-leader.test.ts checks that these rights are enough, and no more, on the API server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { HELM, ROOT, renderChart as render, type Obj } from './support.js';

const deployed = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'lease-rbac.yaml'), 'utf8')).map(
  (d) => d.toJS() as Obj,
);

describe('the leader election RBAC', () => {
  it('deploy/lease-rbac.yaml binds serve to its Lease, by the name serve uses by default', () => {
    const role = deployed.find((o) => o.kind === 'Role');
    const binding = deployed.find((o) => o.kind === 'RoleBinding');
    expect(role.metadata.namespace).toBe('kubeha');
    expect(role.rules.find((r: Obj) => r.resourceNames).resourceNames).toEqual(['kubeha-serve-scan']);
    expect(readFileSync(join(ROOT, 'src', 'cli', 'serve.ts'), 'utf8')).toContain("?? 'kubeha-serve-scan'");
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubeha-serve', namespace: 'kubeha' }]);
  });

  it.runIf(existsSync(HELM))('the chart renders the same rules in the release namespace', () => {
    const { objects } = render();
    const role = objects.find((o) => o.kind === 'Role');
    expect(role.rules).toEqual(deployed.find((o) => o.kind === 'Role').rules);
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects[0].name).toBe('kubeha-serve');
    expect(role.metadata.namespace).toBe(binding.subjects[0].namespace);
  });
});
