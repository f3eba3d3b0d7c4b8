/**
 * Property finding F3: fix wrote a quoted "<<" key back plain, which kubectl (and yaml) read as a merge
 * key: `"<<": null` made applyPatches throw, `"<<": {…}` merged the mapping into the object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixSources } from '../../src/fix/run.js';
import { parseManifests } from '../../src/sources/parse.js';

const KUBECTL = join(import.meta.dirname, '..', '..', 'tools', 'cluster', 'bin', 'kubectl');

const WEB =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}\n';

/** One fix run over one file, then a second over its output. */
function twice(
  text: string,
  file = 'a.yaml',
): { first: ReturnType<typeof fixSources>; second: ReturnType<typeof fixSources> } {
  const first = fixSources([{ file, text }]);
  const second = fixSources(first.files.map((f) => ({ file: f.file, text: f.after })));
  return { first, second };
}

describe('F3: a quoted "<<" is a key, not a merge (as kubectl reads it)', () => {
  const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {}\n';

  it('fix edits the document and keeps the key quoted, in YAML and in JSON', () => {
    for (const [file, text] of [
      ['a.yaml', `${hpa}"<<": null\n`],
      ['b.yaml', `${hpa}'<<': {x: 1}\n`],
      [
        'c.json',
        '{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}, "spec": {}, "<<": null}\n',
      ],
    ] as const) {
      const before = parseManifests(text, file);
      expect(before.problems).toEqual([]);
      const { first, second } = twice(text, file);
      const after = first.files[0]!.after;
      expect(first.rounds.flat().map((p) => p.description)).toContain('set spec.minReplicas to 2');
      const reread = parseManifests(after, file);
      expect(reread.problems).toEqual([]);
      expect(reread.objects[0]!.raw['<<']).toEqual(before.objects[0]!.raw['<<']);
      expect(after).toMatch(/["']<<["']:/);
      expect(second.rounds).toEqual([]);
    }
  });

  it.skipIf(!existsSync(KUBECTL))(
    'kubectl reads the fixed file as the original with the edit, as the loader does',
    () => {
      // A quoted "<<" with a mapping value: were it written plain, kubectl would merge it into the object.
      const text = `${WEB.replace('metadata: {name: web}', 'metadata: {name: web}\n"<<": {replicas: 5}')}`;
      const dir = mkdtempSync(join(tmpdir(), 'kubeha-f3-'));
      try {
        const read = (yaml: string): unknown => {
          writeFileSync(join(dir, 'f.yaml'), yaml);
          // Offline: `label --local` converts the YAML to JSON as kubectl apply does, with no server.
          const r = spawnSync(
            KUBECTL,
            ['label', '--local', '-f', join(dir, 'f.yaml'), 'kubeha=test', '-o', 'json'],
            {
              encoding: 'utf8',
              env: { ...process.env, KUBECONFIG: join(dir, 'none') },
            },
          );
          expect(r.stderr).toBe('');
          const object = JSON.parse(r.stdout) as { metadata: { labels?: Record<string, string> } };
          delete object.metadata.labels;
          return object;
        };
        const run = fixSources([{ file: 'a.yaml', text }]);
        const after = run.files[0]!.after;
        const before = read(text) as Record<string, unknown>;
        expect(before['<<']).toEqual({ replicas: 5 });
        expect(before).toEqual(parseManifests(text, 'a.yaml').objects[0]!.raw);
        const fixed = read(after.split('\n---\n')[0]!);
        expect(fixed).toEqual(parseManifests(after, 'a.yaml').objects[0]!.raw);
        expect((fixed as Record<string, unknown>)['<<']).toEqual({ replicas: 5 });
        expect((fixed as { spec: { replicas: number } }).spec.replicas).toBe(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
