// deploy/rbac.yaml is the contract of what scan may read: every kind scan lists is granted, and the
// role grants nothing more (no Secrets, no ConfigMaps, no verb but get and list). deploy/serve.yaml
// adds what serve needs besides: watch on the kinds its view of a namespace follows, and nothing more
// (test/e2e/serve-context.test.ts asks the real API server what the ServiceAccount may do).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { admissionKind } from '../../src/serve/context.js';
import { SCANNED } from '../../src/sources/cluster-reader.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

interface Doc {
  kind: string;
  metadata: { name: string };
  rules?: PolicyRule[];
  subjects?: unknown[];
  roleRef?: { name: string };
}
const read = (file: string): Doc[] =>
  parseAllDocuments(readFileSync(join(ROOT, file), 'utf8')).map((d) => d.toJS() as Doc);
const grantsOf = (role: Doc): Set<string> =>
  new Set(role.rules!.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))));

const docs = read('deploy/rbac.yaml');
const role = docs.find((d) => d.kind === 'ClusterRole')!;
const granted = grantsOf(role);

describe('deploy/rbac.yaml', () => {
  it('grants list on every kind scan reads', () => {
    for (const t of SCANNED) expect(granted, `${t.plural}.${t.group}`).toContain(`${t.plural}.${t.group}`);
  });

  it('grants nothing scan does not read', () => {
    const read = new Set(SCANNED.map((t) => `${t.plural}.${t.group}`));
    expect([...granted].filter((g) => !read.has(g))).toEqual([]);
    expect(granted).not.toContain('secrets.');
    expect(granted).not.toContain('configmaps.');
  });

  it('is read-only', () => {
    expect(new Set(role.rules!.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list']));
  });

  it('binds the role to the scan ServiceAccount', () => {
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubeha-scan', namespace: 'kubeha' }]);
    expect(docs.some((d) => d.kind === 'ServiceAccount' && d.metadata.name === 'kubeha-scan')).toBe(true);
  });
});

describe("deploy/serve.yaml's roles", () => {
  const serve = read('deploy/serve.yaml').filter((d) => d && d.kind);
  const SERVE_SA = { kind: 'ServiceAccount', name: 'kubeha-serve', namespace: 'kubeha' };
  const bound = serve
    .filter((d) => d.kind === 'ClusterRoleBinding')
    .filter((b) => JSON.stringify(b.subjects) === JSON.stringify([SERVE_SA]))
    .map((b) => b.roleRef!.name);
  const watchRole = serve.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'kubeha-serve-watch')!;

  it("binds serve's ServiceAccount to scan's read-only role and to the watch role, and to nothing else", () => {
    expect(bound.sort()).toEqual(['kubeha-scan', 'kubeha-serve-watch']);
    expect(serve.filter((d) => d.kind === 'ClusterRole').map((d) => d.metadata.name)).toEqual([
      'kubeha-serve-watch',
    ]);
  });

  it('grants watch on exactly the kinds serve follows in a namespace, and no other verb', () => {
    const followed = SCANNED.filter(admissionKind).map((t) => `${t.plural}.${t.group}`);
    expect([...grantsOf(watchRole)].sort()).toEqual(followed.sort());
    expect(new Set(watchRole.rules!.flatMap((r) => r.verbs))).toEqual(new Set(['watch']));
    // Listed by scan's role, which serve's view needs before it can watch.
    for (const kind of followed) expect(granted).toContain(kind);
  });
});
