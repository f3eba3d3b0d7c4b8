import { edit, notFixed } from './fixes/build.js';
import type { FixPlan, FixTarget } from './fixes/types.js';
import { pointer } from '../model/json-path.js';
import type { JsonValue } from '../model/types.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'duplicate-key',
  category: 'hygiene',
  defaultSeverity: 'error',
  scope: 'load',
  guide: '(manifest hygiene)',
  description: 'A repeated key in a YAML mapping silently drops the earlier value.',
  // The loader (src/sources/parse.ts) reports these while it parses, with the position of the repeated
  // key; this template documents the shape of its message.
  fixSafety: { kind: 'safe' },
  messages: {
    load: {
      headline: 'key "{{key}}" is repeated in the same mapping',
      detail:
        'Only the last one takes effect: the earlier value is silently lost. Keep one of the two, with the value you mean.',
    },
  },
  fix: planDuplicateKey,
  check() {
    // Reported by the loader: a parsed object no longer shows which of two equal keys came first.
  },
});

/**
 * The repeated key is found by its position: the parsed object holds the last value under the key's
 * path, and the loader reports the position of that last key.
 */
function planDuplicateKey(target: FixTarget): FixPlan {
  const at = target.location;
  const source = target.object.source;
  if (!at || !source) return notFixed('the repeated key has no position to find it by');
  const path = pathsOf(target.object.raw).find((p) => {
    const pos = source.locate(p);
    return pos.line === at.line && pos.column === at.column;
  });
  if (path === undefined)
    return notFixed('the repeated key is not inside a loaded object: remove one of the two by hand');
  return edit(target.object, `resolve the repeated key ${path}`, { op: 'dedupe', path });
}

function pathsOf(value: JsonValue, base: (string | number)[] = []): string[] {
  const out: string[] = [];
  const entries: [string | number, JsonValue][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [k, v] of entries) {
    out.push(pointer(...base, k));
    out.push(...pathsOf(v, [...base, k]));
  }
  return out;
}
