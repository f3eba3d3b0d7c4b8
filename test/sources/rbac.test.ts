// deploy/rbac.yaml is the contract of what scan may read: every kind scan lists is granted, and the
// role grants nothing more (no Secrets, no ConfigMaps, no verb but get and list).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SCANNED } from '../../src/sources/cluster-reader.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/rbac.yaml'), 'utf8')).map(
  (d) => d.toJS() as { kind: string; metadata: { name: string }; rules?: PolicyRule[]; subjects?: unknown[] },
);
const role = docs.find((d) => d.kind === 'ClusterRole')!;
const granted = new Set(
  role.rules!.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))),
);

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
