import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fix } from '../../src/fix/plan.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';

const ROOT = join(import.meta.dirname, '../..');

function badExample(id: string): string {
  const page = readFileSync(join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith('Bad'))!;
  return /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
}

describe('fix safety, as each rule declares it', () => {
  for (const rule of rules) {
    const safety = rule.fixSafety;
    it(`${rule.id}: a planner exactly when its fix safety is not "none", with a reason where one is due`, () => {
      expect(rule.fix !== undefined, `fixSafety ${safety.kind}`).toBe(safety.kind !== 'none');
      if (safety.kind !== 'safe') expect(safety.reason.length).toBeGreaterThan(20);
    });
    if (!rule.fix) continue;
    it(`${rule.id}: plans on its documented Bad example only edits of the declared applicability`, () => {
      const { objects, problems } = parseManifests(badExample(rule.id), 'bad.yaml');
      const findings = check(objects, { rules: [rule], problems }).findings;
      const { patches } = fix(objects, findings, { unsafe: true });
      const kinds = new Set(patches.map((p) => (p.unsafe === undefined ? 'safe' : 'unsafe')));
      // A planner may leave this one example to the user; what it does plan has the declared applicability.
      if (safety.kind === 'safe') expect(kinds.has('unsafe')).toBe(false);
      if (safety.kind === 'unsafe') expect(kinds.has('safe')).toBe(false);
    });
  }
});
