/**
 * Property finding F2: the loader refuses a document on conversion (a merge key whose value is not a
 * mapping, an alias to no anchor, too many aliases, an alias inside its own anchor), and fix edited the
 * other documents of that file. A file the loader says does not parse is never changed.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { applyPatches } from '../../src/fix/apply.js';
import { fix } from '../../src/fix/plan.js';
import { fixSources } from '../../src/fix/run.js';
import { parseManifests } from '../../src/sources/parse.js';

const WEB =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}\n';

describe('F2: a file the loader refuses on conversion is never edited', () => {
  const cases: [string, string][] = [
    [
      'a merge key whose value is not a mapping',
      'apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n<<: null\n',
    ],
    ['an alias to no anchor', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: *nowhere}\n'],
    [
      'more aliases than the loader expands',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: &a [x, x]\n${Array.from(
        { length: 8 },
        (_, i) =>
          `  b${i + 1}: &b${i + 1} [${Array.from({ length: 8 }, () => (i === 0 ? '*a' : `*b${i}`)).join(', ')}]`,
      ).join('\n')}\n`,
    ],
    [
      'an alias inside its own anchor',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: &a\n  - name: c\n    image: x\n    command: *a\n',
    ],
  ];

  for (const [what, broken] of cases) {
    it(`${what}: the loader says yaml-syntax, and fix leaves the whole file as it is`, () => {
      const text = `${broken}---\n${WEB}`;
      const loaded = parseManifests(text, 'a.yaml');
      expect(loaded.problems.map((p) => p.rule)).toContain('yaml-syntax');
      const plan = fix(loaded.objects, check(loaded.objects, { problems: loaded.problems }).findings);
      expect(plan.patches.length).toBeGreaterThan(0);
      const out = applyPatches(text, 'a.yaml', plan.patches);
      expect(out.text).toBe(text);
      expect(out.applied).toEqual([]);
      for (const s of out.skipped)
        expect(s.reason).toMatch(/^the file does not parse \(line \d+: .+\): it is left as it is$/);
      const run = fixSources([{ file: 'a.yaml', text }]);
      expect(run.files[0]!.after).toBe(text);
    });
  }

  it('edits a file whose aliases and merge keys the loader reads', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c}\ndata: {<<: {a: "1"}, b: *m}\n---\n${WEB}`;
    expect(parseManifests(text, 'a.yaml').problems).toEqual([]);
    const run = fixSources([{ file: 'a.yaml', text }]);
    expect(run.files[0]!.after).not.toBe(text);
    expect(
      run.files[0]!.after.startsWith(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c}\ndata: {<<: {a: "1"}, b: *m}\n---\n',
      ),
    ).toBe(true);
  });
});
