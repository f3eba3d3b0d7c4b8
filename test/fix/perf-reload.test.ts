/**
 * fix reads again only the `---` parts of a file it edited (src/fix/reload.ts): what it reads must be
 * what the loader reads from the whole file, on every manifest the repository ships or tests with.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reloadFile, type PartsRead } from '../../src/fix/reload.js';
import { isJsonObject, type K8sObject } from '../../src/model/types.js';
import { parseManifests } from '../../src/sources/parse.js';
import { seedCorpus } from '../conformance/corpus.js';
import { mutationCorpus } from '../conformance/mutate.js';

const ROOT = join(import.meta.dirname, '../..');
const OPTIONS = { defaultNamespace: 'default' };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const full = join(dir, e);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.(ya?ml|json)$/.test(e) ? [full] : [];
    });
}

/** Every JSON pointer in a value, and one below each that does not exist. */
function pointers(value: unknown, at = ''): string[] {
  const out = [at, `${at}/missing`];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointers(v, `${at}/${i}`)));
  else if (isJsonObject(value))
    for (const [k, v] of Object.entries(value))
      out.push(...pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

function view(o: K8sObject): unknown {
  return {
    id: o.id,
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    raw: o.raw,
    file: o.source?.file,
    doc: o.source?.doc,
    at: pointers(o.raw).map((p) => [p, o.source?.locate(p), o.source?.scalar?.(p)]),
  };
}

const inputs: { file: string; text: string }[] = [
  ...[
    ...yamlFiles(join(ROOT, 'examples')),
    ...['chaos', 'serve', 'sources'].flatMap((d) => yamlFiles(join(ROOT, 'test', d, 'fixtures'))),
    ...yamlFiles(join(ROOT, 'test/fidelity/cases')),
  ].map((f) => ({ file: f.slice(ROOT.length + 1), text: readFileSync(f, 'utf8') })),
  // The conformance corpus: the seeds, and one mutation in eight (all of them take minutes here).
  ...[...seedCorpus(), ...mutationCorpus(1).filter((_, i) => i % 8 === 0)].map((c) => ({
    file: `${c.id}.yaml`,
    text: c.text,
  })),
];

/** The inputs as one multi-document file each folder: parts after the first then sit lower in the file. */
const streams = ((): { file: string; text: string }[] => {
  const out: { file: string; text: string }[] = [];
  for (let i = 0; i < inputs.length; i += 25)
    out.push({
      file: `stream-${i}.yaml`,
      text: inputs
        .slice(i, i + 25)
        .map((x) => x.text)
        .join('\n---\n'),
    });
  return out;
})();

describe('reloadFile', () => {
  it('reads every file as the loader does (or leaves it to the loader), parts read before or not', () => {
    let reloaded = 0;
    let objects = 0;
    for (const { file, text } of [...inputs, ...streams]) {
      const whole = parseManifests(text, file, OPTIONS);
      const read: PartsRead = new Map();
      for (const pass of [1, 2]) {
        const parts = reloadFile(text, file, OPTIONS, read);
        if (!parts) continue;
        if (pass === 1) {
          reloaded++;
          objects += parts.objects.length;
        }
        expect(parts.problems).toEqual(whole.problems);
        expect(parts.objects.map(view), `${file} (pass ${pass})`).toEqual(whole.objects.map(view));
      }
    }
    // Not vacuous: most inputs qualify, multi-document streams included.
    expect(reloaded).toBeGreaterThan(inputs.length / 2);
    expect(objects).toBeGreaterThan(500);
  }, 180_000);

  it('reads a part again only when its text changed, and places the unchanged ones below it', () => {
    const cm = (name: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
    const read: PartsRead = new Map();
    const first = reloadFile([cm('a'), cm('b'), cm('c')].join('---\n'), 'f.yaml', OPTIONS, read)!;
    const edited = [cm('a'), cm('b').replace('data:', 'data:\n  z: "2"'), cm('c')].join('---\n');
    const second = reloadFile(edited, 'f.yaml', OPTIONS, read)!;
    expect(second.objects[0]).toBe(first.objects[0]);
    expect(second.objects[1]).not.toBe(first.objects[1]);
    expect(second.objects[2]!.raw).toBe(first.objects[2]!.raw);
    expect(second.objects[2]!.source!.locate('/metadata/name')).toEqual({ line: 19, column: 3 });
    expect(second.objects.map(view)).toEqual(parseManifests(edited, 'f.yaml', OPTIONS).objects.map(view));
    expect(read.size).toBe(3);
  });

  it('leaves to the loader a file with a problem or a part that may hold several documents', () => {
    const dup = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    expect(reloadFile(dup, 'f.yaml', OPTIONS, new Map())).toBeUndefined();
    const two = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\nkind: ConfigMap\n';
    expect(reloadFile(two, 'f.yaml', OPTIONS, new Map())).toBeUndefined();
    expect(reloadFile('# only a comment\n', 'f.yaml', OPTIONS, new Map())).toBeUndefined();
  });
});
