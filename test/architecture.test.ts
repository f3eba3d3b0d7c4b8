/**
 * The layers of docs/architecture.md, enforced: dependency-cruiser checks every import of src/ against
 * the layer table and the no-cycle rule of .dependency-cruiser.mjs. The violations that exist today are
 * listed below, one by one; a new one fails, and so does a listed one that is gone, so the list only
 * shrinks (how to remove an entry: docs/architecture.md, "Enforcement").
 *
 * The second half checks that every path a comment of src/ or a page of docs/ names exists.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Known violations, written `rule: from → to` (a cycle: `no-circular: from → … → from`), each with why
 * it must land before its fix; delete its line in the commit that removes it. Empty: the layers hold.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

const ROOT = join(import.meta.dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

interface LayerRule {
  name: string;
  from: { path: string | string[] };
}

function describeViolation(v: ICruiseResult['summary']['violations'][number]): string {
  const hops = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)] : [v.from, v.to];
  return `${v.rule.name}: ${hops.join(' → ')}`;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

describe('layers and cycles (.dependency-cruiser.mjs)', () => {
  let found: string[] = [];

  beforeAll(async () => {
    const options = await extractDepcruiseOptions(CONFIG);
    const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
    const previous = process.cwd();
    // dependency-cruiser names modules relative to the working directory.
    process.chdir(ROOT);
    try {
      const result = await cruise(['src'], { ...options, validate: true }, {}, { tsConfig });
      const output = result.output as ICruiseResult;
      found = output.summary.violations.map(describeViolation).sort();
    } finally {
      process.chdir(previous);
    }
  }, 60_000);

  it('has no violation that is not in the allowlist', () => {
    const known = new Set(KNOWN_VIOLATIONS);
    expect(found.filter((v) => !known.has(v))).toEqual([]);
  });

  it('has no allowlisted violation that is gone (delete its line)', () => {
    const seen = new Set(found);
    expect(KNOWN_VIOLATIONS.filter((v) => !seen.has(v))).toEqual([]);
  });

  it('lists each known violation once', () => {
    expect(new Set(KNOWN_VIOLATIONS).size).toBe(KNOWN_VIOLATIONS.length);
  });

  it('puts every file of src/ in exactly one layer', async () => {
    const config = (await import(CONFIG)) as { default: { forbidden: LayerRule[] } };
    const layers = config.default.forbidden
      .filter((rule) => rule.name.startsWith('layer-'))
      .map((rule) => ({ name: rule.name, path: new RegExp(String(rule.from.path)) }));
    const misplaced = sourceFiles('src')
      .map((file) => ({ file, in: layers.filter((l) => l.path.test(file)).map((l) => l.name) }))
      .filter((f) => f.in.length !== 1);
    expect(misplaced).toEqual([]);
  });
});

/** A path of the repository named in prose: `src/…`, `docs/…`, `test/…`, `bench/…`, `tools/…`. */
const PATH_MENTION = /(?<![\w.@/-])(?:src|docs|test|bench|tools)\/[\w./-]*/g;

/** A page named by its file name alone (`decisions.md`, `README.md`). */
const PAGE_MENTION = /(?<![\w./<>-])[\w-]+\.md\b/g;

function mentionedPaths(text: string): string[] {
  return [
    ...[...text.matchAll(PATH_MENTION)].map((m) => m[0].replace(/[.-]+$/, '')),
    ...[...text.matchAll(PAGE_MENTION)].map((m) => m[0]),
  ];
}

/** Whether a path named in `file` exists: from the root, or a page's name beside the file or in docs/. */
function exists(file: string, path: string): boolean {
  if (path.includes('/')) return existsSync(join(ROOT, path));
  return [ROOT, join(ROOT, dirname(file)), join(ROOT, 'docs')].some((dir) => existsSync(join(dir, path)));
}

/**
 * Named but missing, written `file: path`; each is being fixed under issue 13, and the test fails when
 * one is no longer named (delete its line).
 */
const KNOWN_MISSING: readonly string[] = [];

/** The text of every comment of a TypeScript file (its strings and code left out). */
function commentsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const ranges = new Map<number, string>();
  const collect = (list: ts.CommentRange[] | undefined): void => {
    for (const r of list ?? []) ranges.set(r.pos, text.slice(r.pos, r.end));
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...ranges.values()];
}

describe('paths named in comments and docs', () => {
  it('finds the paths in a comment, not in code or strings', () => {
    const text = "// see src/model/types.ts and docs/rules/.\nconst x = 'src/nowhere.ts'; /* test/a.ts */";
    const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
    const comments = [
      ...(ts.getLeadingCommentRanges(text, source.statements[0]!.pos) ?? []),
      ...(ts.getTrailingCommentRanges(text, source.statements[0]!.end) ?? []),
    ].map((r) => text.slice(r.pos, r.end));
    expect(comments.flatMap(mentionedPaths)).toEqual(['src/model/types.ts', 'docs/rules/', 'test/a.ts']);
    expect(mentionedPaths('upstream kubernetes/test/e2e and k8s.io/docs/x stay out')).toEqual([]);
    expect(mentionedPaths('as DESIGN.md says (docs/rules/<id>.md, rules/x.md)')).toEqual([
      'docs/rules/',
      'DESIGN.md',
    ]);
    expect(exists('docs/simulate.md', 'decisions.md')).toBe(true);
    expect(exists('src/report/json.ts', 'README.md')).toBe(true);
    expect(exists('src/report/json.ts', 'DESIGN.md')).toBe(false);
  });

  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  const named = [
    ...sourceFiles('src').flatMap((file) =>
      commentsOf(file).flatMap((c) => mentionedPaths(c).map((p) => ({ file, p }))),
    ),
    ...docs.flatMap((file) =>
      mentionedPaths(readFileSync(join(ROOT, file), 'utf8')).map((p) => ({ file, p })),
    ),
  ];

  // Folders a command writes (bench/out/, tools/cluster/.work/, …) are git-ignored: what they hold is
  // named before it exists.
  const generated = readFileSync(join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[\w.-]+\/[\w./-]+\/$/.test(line));

  it('names only files and folders that exist', () => {
    expect(named.length).toBeGreaterThan(0);
    expect(generated).toContain('tools/cluster/.work/');
    const missing = named
      .filter(({ file, p }) => !exists(file, p) && !generated.some((g) => `${p}/`.startsWith(g)))
      .map(({ file, p }) => `${file}: ${p}`);
    const known = new Set(KNOWN_MISSING);
    expect(missing.filter((m) => !known.has(m))).toEqual([]);
    const stillMissing = new Set(missing);
    expect(KNOWN_MISSING.filter((m) => !stillMissing.has(m))).toEqual([]);
  });
});
