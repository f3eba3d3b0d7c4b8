import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'duplicate-key',
  category: 'hygiene',
  defaultSeverity: 'error',
  scope: 'load',
  seed: '(manifest hygiene)',
  description: 'A repeated key in a YAML mapping silently drops the earlier value.',
  // The loader (src/sources/parse.ts) reports these while it parses, with the position of the repeated
  // key; this template documents the shape of its message.
  messages: {
    load: 'key "{{key}}" is repeated in the same mapping: only the last one takes effect, the earlier value is silently lost',
  },
  check() {
    // Reported by the loader: a parsed object no longer shows which of two equal keys came first.
  },
});
