import { describe, expect, it } from 'vitest';
import { parseManifests, parseManifestsWithYaml } from '../../src/sources/parse.js';

// Issue 14: 100 000-deep nesting must be a finding, never a crash. The fast reader recurses per
// level, so it leaves deep documents to `yaml`, whose own stack overflow becomes the finding.
const after = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n';
const flow = (depth: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
function block(depth: number): string {
  let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n';
  for (let i = 1; i <= depth; i++) s += `${'  '.repeat(i)}a:\n`;
  return `${s}${'  '.repeat(depth + 1)}x: 1\n`;
}

describe('deeply nested documents', () => {
  for (const [name, text] of [
    ['100 000 nested flow sequences', flow(100_000)],
    ['3 000 nested block mappings', block(3_000)],
  ] as const) {
    it(`${name}: a yaml-syntax finding that says so, and the next document still loads`, () => {
      const r = parseManifests(text + after, 'deep.yaml');
      expect(r.objects.map((o) => o.name)).toEqual(['after']);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ rule: 'yaml-syntax', file: 'deep.yaml' });
      expect(r.problems[0]!.message).toBe('the document nests too deeply to be read');
      expect(r.problems[0]!.detail).toMatch(
        /^The parser ran out of stack \(Maximum call stack size exceeded\)/,
      );
    });
  }

  // Just past the fast reader's bounds, `yaml` reads the document: the result is the same.
  for (const [name, text] of [
    ['300 nested flow sequences', flow(300)],
    ['300 nested block mappings', block(300)],
  ] as const) {
    it(`${name}: read as yaml reads it`, () => {
      const fast = parseManifests(text, 'deep.yaml');
      const slow = parseManifestsWithYaml(text, 'deep.yaml');
      expect(fast.problems).toEqual(slow.problems);
      expect(fast.objects.map((o) => o.raw)).toEqual(slow.objects.map((o) => o.raw));
    });
  }
});
