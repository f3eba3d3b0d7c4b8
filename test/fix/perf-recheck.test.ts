/**
 * fix re-checks the rules whose findings about an object depend on that object alone only on the files
 * a round changed (src/fix/run.ts, PER_OBJECT_RULES): the findings must be those of a check on
 * everything, in the same order, on every manifest the repository ships or tests with.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fixSources, PER_OBJECT_RULES, type SourceFile } from '../../src/fix/run.js';
import { rules } from '../../src/rules/index.js';
import type { RuleContext } from '../../src/rules/types.js';
import { parseManifests } from '../../src/sources/parse.js';
import { seedCorpus } from '../conformance/corpus.js';

const ROOT = join(import.meta.dirname, '../..');

afterEach(() => {
  vi.restoreAllMocks();
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const full = join(dir, e);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.(ya?ml|json)$/.test(e) ? [full] : [];
    });
}

/** The manifests of the repository. */
const manifests: SourceFile[] = [
  ...yamlFiles(join(ROOT, 'examples')),
  ...['chaos', 'serve', 'sources'].flatMap((d) => yamlFiles(join(ROOT, 'test', d, 'fixtures'))),
  ...yamlFiles(join(ROOT, 'test/fidelity/cases')),
].map((f) => ({ file: f.slice(ROOT.length + 1), text: readFileSync(f, 'utf8') }));

/** And the conformance corpus' seeds. */
const inputs: SourceFile[] = [
  ...manifests,
  ...seedCorpus().map((c) => ({ file: `${c.id}.yaml`, text: c.text })),
];

/** A finding as a report shows it, with the position of its fix's target. */
const shown = (f: object): string => JSON.stringify(f);

describe('rules fix re-checks per file', () => {
  it.each(PER_OBJECT_RULES)('%s finds on each file alone what it finds on all of them', (id) => {
    const rule = rules.find((r) => r.id === id)!;
    const loaded = inputs.map((s) => parseManifests(s.text, s.file, { defaultNamespace: 'default' }));
    const all = check(
      loaded.flatMap((l) => l.objects),
      { rules: [rule] },
    ).findings;
    const alone = loaded
      .flatMap((l) => check(l.objects, { rules: [rule] }).findings)
      .sort((a, b) =>
        a.location!.file < b.location!.file ? -1 : a.location!.file > b.location!.file ? 1 : 0,
      );
    expect(all.length).toBeGreaterThan(0);
    expect(alone.map(shown)).toEqual(all.map(shown));
  });

  it('fixes every manifest as a run that re-checks every rule on every file does', () => {
    // The manifests of the repository, without the conformance seeds (fixing them twice takes minutes).
    for (const group of [manifests.slice(0, manifests.length >> 1), manifests.slice(manifests.length >> 1)]) {
      for (const options of [{ unsafe: true }]) {
        const quick = fixSources(group, options);
        const full = fixSources(group, options, { perObjectRules: [] });
        expect(JSON.stringify(quick.files)).toBe(JSON.stringify(full.files));
        expect(JSON.stringify(quick.rounds)).toBe(JSON.stringify(full.rounds));
        expect(JSON.stringify(quick.notFixed)).toBe(JSON.stringify(full.notFixed));
      }
    }
  });

  it('checks invalid-object in a later round only on the files the round before changed', () => {
    const rule = rules.find((r) => r.id === 'invalid-object')!;
    const seen: number[] = [];
    const original = rule.check.bind(rule);
    vi.spyOn(rule, 'check').mockImplementation((context: RuleContext<never>) => {
      seen.push(context.index.objects.length);
      original(context);
    });
    const web = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 1',
      '  selector:',
      '    matchLabels: {app: web}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '',
    ].join('\n');
    const configs = Array.from({ length: 30 }, (_, i) => ({
      file: `config-${i}.yaml`,
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\ndata:\n  key: value\n`,
    }));
    const run = fixSources([{ file: 'web.yaml', text: web }, ...configs]);
    expect(run.rounds.length).toBeGreaterThanOrEqual(1);
    // Round 1 checks the 31 objects; each later round only web.yaml's (the Deployment, and the PDB
    // fix added after it).
    expect(seen[0]).toBe(31);
    expect(seen.length).toBe(run.rounds.length + 1);
    for (const n of seen.slice(1)) expect(n).toBeLessThanOrEqual(2);
  });
});
