/**
 * The fast reader (src/sources/fast-reader.ts) against `yaml`, the loader's only reader before it:
 * on every manifest the repository ships or tests with, the conformance corpus, both benchmark
 * corpora (quick sizes) and generated YAML, parseManifests and parseManifestsWithYaml must give the
 * same objects (values, key order, -0), the same problems (rule, message, line, column, owner) and
 * the same position and plain-scalar text for every path of every object.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../src/sources/fast-reader.js';
import { parseManifests, parseManifestsWithYaml, splitDocuments } from '../../src/sources/parse.js';
import type { JsonValue, K8sObject } from '../../src/model/types.js';
import { seedCorpus } from '../conformance/corpus.js';
import { mutationCorpus } from '../conformance/mutate.js';
import { manifestText, mostlyValidText } from '../property/generators.js';
import { holds, params, timeout } from '../property/settings.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Paths to ask positions of: every path of the value, and a missing child of some (sampled on huge objects). */
function pathsOf(value: JsonValue, limit: number): string[] {
  const out: string[] = [
    '',
    '/spec/template/spec/containers/0/resources/limits',
    '/items/1',
    '/metadata/x/y',
  ];
  const walk = (v: JsonValue, base: string): void => {
    const entries: [string, JsonValue][] = Array.isArray(v)
      ? v.map((x, i) => [String(i), x])
      : v !== null && typeof v === 'object'
        ? Object.entries(v)
        : [];
    for (const [k, child] of entries) {
      const p = `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      out.push(p);
      walk(child, p);
    }
    if (entries.length > 0) out.push(`${base}/missing-key`, `${base}/9999`);
  };
  walk(value, '');
  if (out.length <= limit) return out;
  const step = Math.ceil(out.length / limit);
  return out.filter((_, i) => i % step === 0);
}

function describeObject(o: K8sObject): unknown {
  return { ...o, source: { file: o.source?.file, doc: o.source?.doc } };
}

/** Segments the fast reader took, of all segments (how much of the input the comparison covers). */
interface Coverage {
  fast: number;
  segments: number;
}

function expectSameLoad(text: string, file: string, coverage?: Coverage, pathLimit = 2000): void {
  const fast = parseManifests(text, file);
  const slow = parseManifestsWithYaml(text, file);
  const where = `${file}`;
  expect(fast.objects.length, where).toBe(slow.objects.length);
  fast.objects.forEach((o, i) => {
    const s = slow.objects[i]!;
    expect(describeObject(o), where).toEqual(describeObject(s));
    // Key order is what every output format shows: toEqual does not look at it.
    expect(JSON.stringify(o.raw), where).toBe(JSON.stringify(s.raw));
    for (const path of pathsOf(s.raw, pathLimit)) {
      expect(o.source!.locate(path), `${where} locate ${path}`).toEqual(s.source!.locate(path));
      expect(o.source!.scalar?.(path), `${where} scalar ${path}`).toBe(s.source!.scalar?.(path));
    }
  });
  const problems = (r: typeof fast) =>
    r.problems.map((p) => ({
      ...p,
      object: p.object === undefined ? undefined : [r.objects.indexOf(p.object), p.object.id],
    }));
  expect(problems(fast), where).toEqual(problems(slow));
  if (coverage) {
    for (const segment of splitDocuments(text)) {
      coverage.segments++;
      if (readDocument(segment.text).kind !== 'unsupported') coverage.fast++;
    }
  }
}

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

function fixtureDirs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    if (name === 'fixtures') out.push(p);
    else fixtureDirs(p, out);
  }
  return out;
}

interface Corpus {
  dir: string;
}
type Generate = (options: Record<string, unknown>) => Corpus;

/** A benchmark corpus, generated (or reused when already on disk) by its bench/check script. */
async function benchCorpus(
  script: string,
  name: string,
  options: Record<string, unknown>,
): Promise<string[]> {
  const url = new URL(`../../bench/check/${script}`, import.meta.url).href;
  const module = (await import(url)) as Record<string, Generate>;
  return filesUnder(module[name]!(options).dir);
}

function expectCorpus(files: readonly string[], minShare: number): Coverage {
  const coverage: Coverage = { fast: 0, segments: 0 };
  for (const f of files) expectSameLoad(readFileSync(f, 'utf8'), f.slice(ROOT.length + 1), coverage);
  // The comparison is only worth something if the fast reader read the documents.
  expect(coverage.fast / coverage.segments, JSON.stringify(coverage)).toBeGreaterThanOrEqual(minShare);
  return coverage;
}

describe('the fast reader reads as `yaml` does', () => {
  it('on examples, every test fixture and the fidelity cases', () => {
    const files = [
      ...filesUnder(join(ROOT, 'examples')),
      ...fixtureDirs(join(ROOT, 'test')).flatMap((d) => filesUnder(d)),
      ...filesUnder(join(ROOT, 'test', 'fidelity', 'cases')),
    ];
    expect(files.length).toBeGreaterThan(50);
    expectCorpus(files, 0.5);
  });

  it('on the conformance corpus (shipped manifests and their seeded mutations)', () => {
    const items = [...seedCorpus(), ...mutationCorpus(1)];
    const coverage: Coverage = { fast: 0, segments: 0 };
    // Thousands of small objects: a sample of each one's paths (the loop takes 1-2 minutes on the
    // shared 2-core machine, longer than its old 120 s bound when the machine is busy).
    for (const item of items) expectSameLoad(item.text, `${item.id}.yaml`, coverage, 60);
    expect(coverage.fast / coverage.segments, JSON.stringify(coverage)).toBeGreaterThanOrEqual(0.8);
  }, 300_000);

  it('on the real-world-shaped benchmark corpus (operator bundles, Helm output, big ConfigMaps)', async () => {
    const files = await benchCorpus('generate-realworld.mjs', 'generateRealworld', {});
    expect(files.length).toBeGreaterThan(100);
    expectCorpus(files, 0.99);
  }, 300_000);

  it('on the generated benchmark corpus (1 250 objects)', async () => {
    const files = await benchCorpus('generate.mjs', 'generate', { objects: 1250 });
    expectCorpus(files, 0.99);
  }, 300_000);

  it(
    'on generated manifests, with and without mutations',
    () => {
      holds(
        'reader-differential-manifests',
        fc.property(fc.oneof(manifestText, mostlyValidText), (text) => expectSameLoad(text, 'in.yaml')),
        params(400, 8_000),
      );
    },
    timeout(8_000),
  );

  it(
    'on YAML made of the constructs the fast reader decides on (indents, indicators, scalars kubectl reads as non-strings)',
    () => {
      holds(
        'reader-differential-lines',
        fc.property(yamlLines, (text) => expectSameLoad(text, 'in.yaml')),
        params(1500, 8_000),
      );
    },
    timeout(8_000),
  );
});

/** Scalars at the edge of what the reader handles: YAML 1.1 values, indicators, quotes, escapes, comments. */
const SCALARS = [
  'web',
  'yes',
  'No',
  'on',
  '~',
  'null',
  '0777',
  '-1',
  '-0',
  '+12',
  '1_000',
  '0x1F',
  '.5',
  '1e400',
  '.inf',
  '-.Inf',
  '.nan',
  '12:30',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  'x:',
  '-',
  '- x',
  '-x',
  ':x',
  '?x',
  '"q"',
  '"a\\nb\\u00e9\\\\"',
  '"a\\x41"',
  '"un',
  "'it''s'",
  "'a",
  '[]',
  '{}',
  '[a, b]',
  '[a, "b", 1]',
  '[a,]',
  '{a: 1, b: [x]}',
  '{a: 1, a: 2}',
  '{"a":1}',
  '{a}',
  '[a: 1]',
  '|',
  '|-',
  '|+',
  '|2',
  '>',
  '&a x',
  '*a',
  '!!str 1',
  'a\tb',
  '',
  '  ',
  '# c',
  'x # c',
  'x#c',
  '"x"#c',
  '"x" # c',
];
const KEYS = [
  'a',
  'b',
  'apiVersion',
  'kind',
  '"q k"',
  "'s'",
  'yes',
  '1',
  'x y',
  '<<',
  '__proto__',
  '-k',
  '? k',
  'a #b',
];

/** A line of YAML: a key and value, a list item, a comment or a blank line, at a random indentation. */
const yamlLine = fc.oneof(
  fc
    .tuple(fc.constantFrom(0, 1, 2, 3, 4, 6), fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS))
    .map(([indent, key, value]) => `${' '.repeat(indent)}${key}:${value === '' ? '' : ' '}${value}`),
  fc
    .tuple(fc.constantFrom(0, 1, 2, 3, 4, 6), fc.constantFrom(...SCALARS, 'a: 1', 'b:'))
    .map(([indent, value]) => `${' '.repeat(indent)}- ${value}`),
  fc
    .tuple(fc.constantFrom(2, 4, 6, 8), fc.constantFrom('text', '', '  ', 'x: y', '# not a comment', 'a\tb'))
    .map(([indent, text]) => `${' '.repeat(indent)}${text}`),
  fc.constantFrom('# comment', '', '  ', '---', '...', '\t', 'a:\tb'),
);

const yamlLines = fc
  .tuple(fc.array(yamlLine, { minLength: 1, maxLength: 14 }), fc.boolean())
  .map(
    ([lines, newline]) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${lines.join('\n')}${newline ? '\n' : ''}`,
  );
