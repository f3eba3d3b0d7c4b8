import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADLINE_MAX } from '../src/rules/define-rule.js';
import { rules } from '../src/rules/index.js';
import { SCANNED } from '../src/sources/cluster-reader.js';
import { runRule } from './rule-tester.js';

const ROOT = join(import.meta.dirname, '..');
const ruleFiles = readdirSync(join(ROOT, 'src/rules'))
  .filter(
    (f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'define-rule.ts'].includes(f) && !f.startsWith('_'),
  )
  .map((f) => f.replace(/\.ts$/, ''));

/** The opening words of a page's "Fix safety" section, by the rule's declared kind. */
const FIX_SAFETY_LABEL = {
  safe: '**Safe.**',
  unsafe: '**Unsafe.**',
  'safe-or-unsafe': '**Safe or unsafe.**',
  none: '**None.**',
} as const;

/** The prose under a "## <heading>" of a docs page, with line breaks as spaces. */
function proseUnder(page: string, heading: string): string | undefined {
  const section = page.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  return section?.slice(heading.length).replace(/\s+/g, ' ').trim();
}

/** The yaml block under a "## <heading>" of a docs page. */
function exampleUnder(page: string, heading: string): string | undefined {
  const section = page.split(/^## /m).find((s) => s.startsWith(heading));
  return section ? /```yaml\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
}

describe('rule catalog', () => {
  it('registers every rule file, once, in order of the files it came from', () => {
    expect([...rules.map((r) => r.id)].sort()).toEqual([...ruleFiles].sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const docPath = join(ROOT, 'docs/rules', `${rule.id}.md`);

      it('is named after its file and has a test file', () => {
        expect(ruleFiles).toContain(rule.id);
        expect(existsSync(join(ROOT, 'test/rules', `${rule.id}.test.ts`))).toBe(true);
      });

      it('needs only kinds a scan reads (a 403 on one of them skips the rule)', () => {
        const scanned = new Set(SCANNED.map((t) => t.kind));
        for (const kind of rule.needs ?? []) expect(scanned.has(kind), kind).toBe(true);
      });

      it('has a description, a guide section and messages whose placeholders are plain words', () => {
        expect(rule.description.length).toBeGreaterThan(20);
        expect(rule.guide.length).toBeGreaterThan(3);
        if (rule.scope !== 'load') expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
        for (const m of Object.values(rule.messages)) expect(JSON.stringify(m)).not.toMatch(/\{\{\s*\}\}/);
      });

      // Issue 16: a headline says what is wrong in one admission warning's room; the detail says why
      // it matters and what to do. Filled with 30-character values, no headline needs shortening.
      it('splits each message into a headline of at most 120 characters and a detail in sentences', () => {
        for (const [id, m] of Object.entries(rule.messages)) {
          expect(typeof m, `${rule.id}.${id} is one string: split it into headline and detail`).toBe(
            'object',
          );
          if (typeof m !== 'object') continue;
          const filled = m.headline.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) =>
            name === 'message' ? 'm' : 'x'.repeat(30),
          );
          expect(filled.length, `${rule.id}.${id}: ${filled}`).toBeLessThanOrEqual(HEADLINE_MAX);
          expect(m.headline, `${rule.id}.${id}`).not.toMatch(/[.\s]$/);
          expect(m.headline, `${rule.id}.${id}`).not.toMatch(/\n/);
          expect(m.detail.trim().length, `${rule.id}.${id}: empty detail`).toBeGreaterThan(0);
          if (m.detail !== '{{detail}}')
            expect(m.detail, `${rule.id}.${id}`).toMatch(/[.!?)]$|\.\)$|\{\{[\w.-]+\}\}$/);
        }
      });

      it('is documented in docs/rules/<id>.md with what, why, a bad and a good example, and how to silence it', () => {
        expect(existsSync(docPath)).toBe(true);
        const page = readFileSync(docPath, 'utf8');
        expect(page.startsWith(`# ${rule.id}\n`)).toBe(true);
        // The header line names the guide's section the rule implements, as the rule declares it.
        expect(page.split('\n')[2]).toContain(`**Guide section:** ${rule.guide}`);
        for (const h of [
          '## What it finds',
          '## Why it matters',
          '## Bad',
          '## Good',
          '## How to fix',
          '## Fix safety',
          '## How to silence it',
        ]) {
          expect(page).toContain(h);
        }
      });

      it('says under Fix safety what the rule declares: the kind first, then the reason', () => {
        const prose = proseUnder(readFileSync(docPath, 'utf8'), 'Fix safety') ?? '';
        const safety = rule.fixSafety;
        expect(prose.startsWith(FIX_SAFETY_LABEL[safety.kind]), prose).toBe(true);
        if (safety.kind !== 'safe') {
          // The page may capitalise the reason's first letter where it opens a sentence.
          const reason = safety.reason.replace(/\s+/g, ' ');
          expect(prose.toLowerCase()).toContain(reason.toLowerCase());
        }
      });

      // Live rules run as a scan does: runRule gives them every scan kind as listed, read at TEST_NOW.
      it("the page's Bad example fires the rule and its Good example does not", () => {
        const page = readFileSync(docPath, 'utf8');
        const bad = exampleUnder(page, 'Bad');
        const good = exampleUnder(page, 'Good');
        expect(bad, 'a ```yaml block under ## Bad').toBeDefined();
        expect(good, 'a ```yaml block under ## Good').toBeDefined();
        expect(runRule(rule, { name: 'doc bad', yaml: bad! }).length).toBeGreaterThan(0);
        expect(runRule(rule, { name: 'doc good', yaml: good! })).toEqual([]);
      });
    });
  }
});
