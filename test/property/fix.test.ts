/**
 * `fix` and `applyPatches` on generated files: nothing throws, a file that is changed still parses
 * (no syntax error, no duplicate key it did not have), a file that did not parse is left byte for
 * byte, and fixing is idempotent: a second `fixSources` over the output applies nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { applyPatches } from '../../src/fix/apply.js';
import { fix } from '../../src/fix/plan.js';
import { fixSources, type RunOptions, type SourceFile } from '../../src/fix/run.js';
import { parseManifests } from '../../src/sources/parse.js';
import { manifestText, mostlyValidText } from './generators.js';
import { bounded, holds, params, timeout } from './settings.js';

const CASE_MS = 10_000;

/** How many duplicate keys the loader finds: a fix may remove some, never add one. */
function duplicateKeys(text: string, file: string): number {
  return parseManifests(text, file).problems.filter((p) => p.rule === 'duplicate-key').length;
}

/** The loader's syntax problems of a text (what makes `fix` leave a file alone; duplicate keys do not: fix removes them). */
function syntaxProblems(text: string, file: string): string[] {
  return parseManifests(text, file)
    .problems.filter((p) => p.rule === 'yaml-syntax')
    .map((p) => `${p.rule}: ${p.message}`);
}

const files: fc.Arbitrary<SourceFile[]> = fc
  .array(fc.oneof({ weight: 3, arbitrary: mostlyValidText }, { weight: 1, arbitrary: manifestText }), {
    minLength: 1,
    maxLength: 3,
  })
  .map((texts) => texts.map((text, i) => ({ file: `app-${i}.yaml`, text })));

const options: fc.Arbitrary<RunOptions> = fc.record(
  {
    unsafe: fc.boolean(),
    zones: fc.integer({ min: 1, max: 4 }),
    kubeVersion: fc.constantFrom('1.25', '1.36'),
    pdbFile: fc.constant('pdbs.yaml'),
  },
  { requiredKeys: [] },
);

describe('property: fix', () => {
  it(
    'fixSources: changed files parse, broken files are left alone, a second run applies nothing',
    () => {
      holds(
        'fix-idempotent',
        fc.property(files, options, (sources, opts) => {
          const run = bounded('fixSources', CASE_MS, () => fixSources(sources, opts));
          for (const f of run.files) {
            if (f.after === f.before) continue;
            const before = syntaxProblems(f.before, f.file);
            // A file that did not parse is never changed; one that did still does.
            expect(before, `${f.file} was changed though it does not parse: ${before.join('; ')}`).toEqual(
              [],
            );
            const after = syntaxProblems(f.after, f.file);
            expect(after, `${f.file} after fix: ${after.join('; ')}`).toEqual([]);
            expect(duplicateKeys(f.after, f.file)).toBeLessThanOrEqual(duplicateKeys(f.before, f.file));
          }
          const again = bounded('second fixSources', CASE_MS, () =>
            fixSources(
              run.files.map((f) => ({ file: f.file, text: f.after })),
              opts,
            ),
          );
          const second = again.rounds.flat().map((p) => `${p.file}: ${p.rule}: ${p.description}`);
          expect(second, `a second fix applied: ${second.join('; ')}`).toEqual([]);
        }),
        params(150, 6_000),
      );
    },
    timeout(6_000),
  );

  it(
    'fix + applyPatches, one round: every patch is applied or skipped with a reason, and the text parses',
    () => {
      holds(
        'fix-apply',
        fc.property(files, fc.boolean(), (sources, unsafe) => {
          const loaded = sources.map((s) => parseManifests(s.text, s.file, { defaultNamespace: 'default' }));
          const objects = loaded.flatMap((l) => l.objects);
          const findings = check(objects, { problems: loaded.flatMap((l) => l.problems) }).findings;
          const plan = bounded('fix', CASE_MS, () => fix(objects, findings, { unsafe }));
          for (const p of plan.notFixed) expect(p.reason.length).toBeGreaterThan(0);
          for (const s of sources) {
            const mine = plan.patches.filter((p) => p.file === s.file);
            const r = bounded('applyPatches', CASE_MS, () => applyPatches(s.text, s.file, plan.patches));
            expect(r.applied.length + r.skipped.length).toBe(mine.length);
            for (const k of r.skipped) expect(k.reason.length).toBeGreaterThan(0);
            if (r.applied.length === 0) expect(r.text).toBe(s.text);
            else {
              // A file with a syntax error is never changed; one that parsed still does.
              expect(syntaxProblems(s.text, s.file)).toEqual([]);
              const after = syntaxProblems(r.text, s.file);
              expect(after, `${s.file} after applyPatches: ${after.join('; ')}`).toEqual([]);
              expect(duplicateKeys(r.text, s.file)).toBeLessThanOrEqual(duplicateKeys(s.text, s.file));
            }
          }
        }),
        params(150, 3_000),
      );
    },
    timeout(3_000),
  );
});
