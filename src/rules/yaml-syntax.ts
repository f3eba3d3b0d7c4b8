import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'yaml-syntax',
  category: 'hygiene',
  defaultSeverity: 'error',
  scope: 'load',
  guide: '(manifest hygiene)',
  description: 'A document that does not parse is not applied at all.',
  // The loader (src/sources/parse.ts) reports these with the parser's own message, at the line where
  // the document breaks; the other documents of the file are still analysed.
  fixSafety: {
    kind: 'none',
    reason:
      "the file does not parse: what it was meant to say is the user's to repair, and kubeha fix never writes to it",
  },
  messages: {
    load: {
      headline: '{{message}}',
      detail:
        'A document that does not parse is not applied at all. Repair the YAML where the reading stopped: an indentation, a quote or a bracket is the usual cause.',
    },
  },
  check() {
    // Reported by the loader: a document that does not parse never becomes an object to check.
  },
});
