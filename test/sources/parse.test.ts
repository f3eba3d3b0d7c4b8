import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

const KUBECTL = join(import.meta.dirname, '..', '..', 'tools', 'cluster', 'bin', 'kubectl');

describe('parseManifests', () => {
  it('loads every document of a multi-document file with 1-based positions of fields', () => {
    const text = yaml`
      # leading comment
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 1
      ---
      apiVersion: v1
      kind: Service
      metadata: { name: web }
    `;
    const { objects, problems } = parseManifests(text, 'k8s/web.yaml');
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.id)).toEqual(['shop/Deployment/web', 'default/Service/web']);
    const dep = objects[0]!;
    expect(dep.source!.locate('/spec/replicas')).toEqual({ line: 8, column: 3 });
    // A missing field falls back to its nearest existing ancestor, as Spectral does.
    expect(dep.source!.locate('/spec/template/spec/containers/0')).toEqual({ line: 7, column: 1 });
    expect(dep.source!.locate('')).toEqual({ line: 2, column: 1 });
    expect(objects[1]!.source!.locate('/metadata/name')).toEqual({ line: 12, column: 13 });
    expect(objects[1]!.source!.doc).toBe(1);
  });

  it('uses the namespace given for objects that name none, and none for cluster-scoped kinds', () => {
    const { objects } = parseManifests(
      'kind: Node\napiVersion: v1\nmetadata: {name: n1}\n---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n',
      'f',
      {
        defaultNamespace: 'team-a',
      },
    );
    expect(objects.map((o) => o.id)).toEqual(['Node/n1', 'team-a/ConfigMap/c']);
  });

  it('expands kind: List as kubectl get -o yaml prints it, with positions inside items', () => {
    const text = yaml`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: apps/v1
          kind: Deployment
          metadata: { name: a }
          spec: { replicas: 2 }
        - apiVersion: apps/v1
          kind: Deployment
          metadata: { name: b }
          spec: { replicas: 3 }
    `;
    const { objects } = parseManifests(text, 'list.yaml');
    expect(objects.map((o) => o.name)).toEqual(['a', 'b']);
    expect(objects[1]!.source!.locate('/spec/replicas')).toEqual({ line: 11, column: 13 });
  });

  it('reads JSON', () => {
    const text =
      '{\n  "apiVersion": "apps/v1",\n  "kind": "Deployment",\n  "metadata": {"name": "j"},\n  "spec": {"replicas": 1}\n}\n';
    const { objects } = parseManifests(text, 'x.json');
    expect(objects[0]!.name).toBe('j');
    expect(objects[0]!.source!.locate('/spec/replicas')).toEqual({ line: 5, column: 12 });
  });

  it('reports a syntax error at its line and still loads the other documents', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [oops\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const { objects, problems } = parseManifests(text, 'bad.yaml');
    expect(objects.map((o) => o.name)).toEqual(['a', 'c']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: 'yaml-syntax', file: 'bad.yaml', line: 5 });
  });

  it("reports the seed's repeated podAntiAffinity key and misspelt apiVersion, and still analyses the object", () => {
    const text = yaml`
      piVersion: apps/v1
      kind: Deployment
      metadata:
        name: spread-host-az
      spec:
        template:
          spec:
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution: []
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution: []
    `;
    const { objects, problems } = parseManifests(text, 'seed.yaml');
    expect(objects).toHaveLength(1);
    expect(objects[0]!.apiVersion).toBe('apps/v1');
    expect(problems.map((p) => [p.rule, p.line, p.column])).toEqual([
      ['invalid-object', 1, 1],
      ['duplicate-key', 11, 9],
    ]);
    expect(problems[0]!.message).toContain('"piVersion" looks like a misspelt apiVersion');
    expect(problems[1]!.message).toContain('"podAntiAffinity"');
    expect(problems[1]!.object?.name).toBe('spread-host-az');
    // The last repeated key wins, as in the API server's decoder.
    expect(JSON.stringify(objects[0]!.raw)).toContain('requiredDuringScheduling');
    expect(JSON.stringify(objects[0]!.raw)).not.toContain('preferredDuringScheduling');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => '  ' + l).join('\n')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n`;
    const started = Date.now();
    const { objects, problems } = parseManifests(text, 'bomb.yaml');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problems.map((p) => p.rule)).toEqual(['yaml-syntax']);
    expect(problems[0]!.message).toMatch(/alias/i);
    expect(objects.map((o) => o.name)).toEqual(['fine']);
  });

  it('reports a binary file and an empty or comment-only file quietly', () => {
    expect(parseManifests('\u0000\u0001PNG', 'x.yaml').problems[0]).toMatchObject({
      rule: 'yaml-syntax',
      line: 1,
    });
    expect(parseManifests('', 'e.yaml')).toEqual({ objects: [], problems: [] });
    expect(parseManifests('# nothing\n---\n', 'c.yaml')).toEqual({ objects: [], problems: [] });
  });

  it('reports documents that are not objects, and list items without kind', () => {
    const { problems } = parseManifests(
      '- a\n- b\n---\njust a string\n---\napiVersion: v1\nkind: List\nitems:\n  - {metadata: {name: x}}\n',
      'f.yaml',
    );
    expect(problems.map((p) => [p.rule, p.line])).toEqual([
      ['invalid-object', 1],
      ['invalid-object', 4],
      ['invalid-object', 9],
    ]);
  });

  // Property finding F8: `yaml` built a circular object from this, and invalid-object threw
  // "Converting circular structure to JSON" on it.
  const SELF_ALIAS =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: &a\n  - name: c\n    image: x\n    command: *a\n';

  it('refuses a document whose alias sits inside its own anchor, as kubectl does, and loads the others', () => {
    const text = `${SELF_ALIAS}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n`;
    const { objects, problems } = parseManifests(text, 'self.yaml');
    expect(objects.map((o) => o.name)).toEqual(['fine']);
    expect(problems).toEqual([
      {
        rule: 'yaml-syntax',
        message: 'alias *a is inside the value its anchor &a names',
        detail:
          'That would make the document contain itself: kubectl refuses it ("yaml: anchor \'a\' value contains itself"). Move the alias out of the anchored value, or write the value out.',
        file: 'self.yaml',
        line: 9,
        column: 14,
      },
    ]);
    // An alias to an anchor outside it, or to an anchor redefined inside it, is no cycle.
    const fine = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c}\ndata: &a {x: &a v, z: *a, m: *m}\n',
      'ok.yaml',
    );
    expect(fine.problems).toEqual([]);
    expect(fine.objects[0]!.raw['data']).toEqual({ x: 'v', z: 'v', m: { name: 'c' } });
  });

  it('checks a file with a self-referencing alias without a rule failing', () => {
    const { objects, problems } = parseManifests(SELF_ALIAS, 'self.yaml');
    const report = check(objects, { problems });
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.rule, f.location?.line])).toEqual([['yaml-syntax', 9]]);
  });

  it.skipIf(!existsSync(KUBECTL))("matches kubectl's own refusal of the self-referencing alias", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-f8-'));
    writeFileSync(join(dir, 'self.yaml'), SELF_ALIAS);
    // Client side only: kubectl converts the YAML to JSON before it needs any server.
    const r = spawnSync(
      KUBECTL,
      ['create', '--dry-run=client', '--validate=false', '-o', 'json', '-f', dir],
      {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: join(dir, 'none') },
      },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("yaml: anchor 'a' value contains itself");
  });
});
