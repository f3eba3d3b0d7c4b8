/**
 * Property finding F10 (seed 7): a RangeError (stack overflow) escaped fix + applyPatches on a value
 * nested ~3 000 levels deep: yaml writes, clones and converts a document with one recursion per
 * level, and JSON.stringify named the replaced value in the fix's description.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { applyPatches } from '../../src/fix/apply.js';
import { MAX_EDIT_DEPTH } from '../../src/fix/documents.js';
import { fix } from '../../src/fix/plan.js';
import { fixSources } from '../../src/fix/run.js';
import type { JsonValue } from '../../src/model/types.js';
import { boundedJson } from '../../src/rules/fixes/build.js';
import { parseManifests } from '../../src/sources/parse.js';

const WEB =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: nginx:1.27}]}}}\n';

describe('F10: deep nesting', () => {
  const deep = (depth: number, open = '{a: ', close = '}'): string =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {}\n---\n${WEB}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: deep}\nspec:\n  replicas: ${open.repeat(depth)}1${close.repeat(depth)}\n`;

  it('a file nested deeper than fix rewrites is left as it is, with the reason, at any depth', () => {
    for (const depth of [MAX_EDIT_DEPTH, 700, 1500, 3000]) {
      for (const [open, close] of [
        ['{a: ', '}'],
        ['[', ']'],
      ] as const) {
        const text = deep(depth, open, close);
        const run = fixSources([{ file: 'a.yaml', text }]);
        expect(run.files[0]!.after).toBe(text);
        const loaded = parseManifests(text, 'a.yaml');
        const plan = fix(loaded.objects, check(loaded.objects, { problems: loaded.problems }).findings, {
          unsafe: true,
        });
        const out = applyPatches(text, 'a.yaml', plan.patches);
        expect(out.text).toBe(text);
        for (const s of out.skipped)
          expect(s.reason).toMatch(/^the file does not parse \(line \d+: .+\): it is left as it is$/);
        if (loaded.problems.every((p) => p.rule !== 'yaml-syntax'))
          expect(out.skipped[0]?.reason).toBe(
            `the file does not parse (line 15: the document nests more than ${MAX_EDIT_DEPTH} levels deep, deeper than kubeha fix rewrites): it is left as it is`,
          );
      }
    }
  });

  it('a file nested up to the bound is still fixed, and the replaced value is named in short', () => {
    // The deep document's root mapping and spec are 2 levels, each `{a: ` one more.
    const text = deep(MAX_EDIT_DEPTH - 2);
    const run = fixSources([{ file: 'a.yaml', text }], { unsafe: true });
    expect(run.files[0]!.after).not.toBe(text);
    const descriptions = run.rounds.flat().map((p) => `${p.object.name}: ${p.description}`);
    expect(descriptions).toContain(`deep: change spec.replicas from ${'{"a":'.repeat(15)}{"a"… to 2`);
  });

  it("names a replaced mapping or list in at most 80 characters, without JSON.stringify's recursion", () => {
    let value: JsonValue = 1;
    for (let i = 0; i < 100_000; i++) value = { a: value };
    const shown = boundedJson(value, 80);
    expect(shown).toHaveLength(80);
    expect(shown).toBe(`${'{"a":'.repeat(15)}{"a"…`);
    for (const v of [
      {},
      [],
      { a: [1, 'x', null, { b: true }] },
      [[], {}, [1.5, -2]],
      { 'k"y': 'v\n' },
    ] as JsonValue[])
      expect(boundedJson(v, 80)).toBe(JSON.stringify(v));
  });
});
