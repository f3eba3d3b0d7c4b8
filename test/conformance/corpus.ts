// The conformance suite's seed objects: every manifest the repository ships or tests with, one YAML
// document each, kept as the exact text its author wrote (re-serialising would change how YAML 1.1
// reads scalars such as `on` or `0777`, which is part of what the suite judges).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';

export interface CorpusItem {
  /** Stable, unique, file-name safe: the class, the source and the document's position. */
  id: string;
  /** What the item exercises: `seed:<where>` for shipped manifests, `mutation:<class>` for generated ones. */
  group: string;
  /** Where it comes from and what was changed, for the disagreement report. */
  origin: string;
  /** The YAML text of exactly one document, written to its own file. */
  text: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Files under `dir` whose names end with one of `exts`, sorted so the corpus is the same on every run. */
function filesUnder(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => name.endsWith(e))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The documents of a YAML stream as their own text. The separator is a line that starts with `---`
 * (the YAML directives end marker), as kubectl's YAML splitter reads it.
 */
export function splitYamlStream(text: string): string[] {
  const docs: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (/^---(\s|$)/.test(line)) {
      docs.push(current.join('\n'));
      current = [];
      const rest = line.slice(3).trim();
      if (rest && !rest.startsWith('#')) current.push(rest);
    } else current.push(line);
  }
  docs.push(current.join('\n'));
  return docs.filter((d) => d.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#')));
}

/** The `kind:` of a document, read leniently (a document that does not parse has none). */
function kindOf(doc: string): string | undefined {
  try {
    const v: unknown = parseDocument(doc).toJS();
    if (v && typeof v === 'object' && 'kind' in v && typeof v.kind === 'string') return v.kind;
  } catch {
    // Not YAML: still a document kubectl will be asked about.
  }
  return undefined;
}

function slug(s: string): string {
  return s
    .replace(/\.(ya?ml|md)$/, '')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

function fromStream(
  group: string,
  file: string,
  text: string,
  skipKinds: readonly string[] = [],
): CorpusItem[] {
  const rel = relative(ROOT, file);
  return splitYamlStream(text)
    .filter((doc) => !skipKinds.includes(kindOf(doc) ?? ''))
    .map((doc, i) => ({
      id: `${slug(rel)}-${i + 1}`,
      group,
      origin: `${rel}, document ${i + 1}`,
      text: doc.endsWith('\n') ? doc : `${doc}\n`,
    }));
}

/** What the rule tester's `yaml` tag does to a template: drop the first newline and the common indent. */
function dedent(raw: string): string {
  const text = raw.replace(/^\n/, '');
  const indents = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return text
    .split('\n')
    .map((l) => l.slice(cut))
    .join('\n');
}

/** The ```yaml blocks of a rule's page (its Bad and Good examples, and any other). */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

/**
 * Every manifest the repository ships or tests with: examples/, the rule pages' examples, the fidelity
 * cases' objects (their FidelityCase header is the suite's own, not a Kubernetes object) and the e2e
 * topology.
 */
export function seedCorpus(): CorpusItem[] {
  const items: CorpusItem[] = [];
  for (const f of filesUnder(join(ROOT, 'examples'), ['.yaml', '.yml']))
    items.push(...fromStream('seed:examples', f, readFileSync(f, 'utf8')));
  for (const f of filesUnder(join(ROOT, 'docs', 'rules'), ['.md'])) {
    yamlBlocks(readFileSync(f, 'utf8')).forEach((block, b) => {
      const rel = relative(ROOT, f);
      items.push(
        ...fromStream('seed:docs/rules', f, block).map((it) => ({
          ...it,
          id: `${slug(rel)}-b${b + 1}-${it.id.split('-').pop()}`,
          origin: `${rel}, yaml block ${b + 1}, ${it.origin.split(', ').pop()}`,
        })),
      );
    });
  }
  for (const f of filesUnder(join(ROOT, 'test', 'fidelity', 'cases'), ['.yaml', '.yml']))
    items.push(...fromStream('seed:test/fidelity', f, readFileSync(f, 'utf8'), ['FidelityCase']));
  // The unit tests' own manifests: every yaml`…` template without interpolations, dedented as the
  // rule tester's tag does.
  for (const f of filesUnder(join(ROOT, 'test'), ['.test.ts'])) {
    if (f.includes(`${join('test', 'e2e')}`) || f.includes(join('test', 'conformance'))) continue;
    const rel = relative(ROOT, f);
    [...readFileSync(f, 'utf8').matchAll(/\byaml`([^`]*)`/g)].forEach((m, b) => {
      if (m[1]!.includes('${')) return;
      items.push(
        ...fromStream('seed:test/*.test.ts', f, dedent(m[1]!)).map((it) => ({
          ...it,
          id: `${slug(rel)}-y${b + 1}-${it.id.split('-').pop()}`,
          origin: `${rel}, yaml template ${b + 1}, ${it.origin.split(', ').pop()}`,
        })),
      );
    });
  }
  const topology = join(ROOT, 'test', 'e2e', 'topology.yaml');
  items.push(...fromStream('seed:test/e2e', topology, readFileSync(topology, 'utf8')));
  return items;
}
