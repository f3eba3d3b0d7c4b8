import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/rules/define-rule.js';

// Type-level test: tsc (npm run typecheck / npx tsc --noEmit) checks this file, and each
// `@ts-expect-error` fails the build if the line below it compiles. Vitest only runs the shapes.

const inferred = defineRule({
  id: 'example',
  category: 'hygiene',
  defaultSeverity: 'info',
  guide: '(test)',
  description: 'A rule whose message ids are inferred from its messages.',
  fixSafety: { kind: 'none', reason: 'a test rule has nothing to fix' },
  messages: {
    one: { headline: 'one {{name}}', detail: 'Why.' },
    two: { headline: 'two', detail: 'Why.' },
  },
  check({ index, report }) {
    for (const object of index.objects) {
      report({ object, messageId: 'one', data: { name: object.name } });
      // @ts-expect-error a message id the rule does not declare does not compile
      report({ object, messageId: 'tow' });
    }
  },
  fix(target) {
    // The planner sees the same ids (and `load` for loader problems).
    // @ts-expect-error comparing with an undeclared id does not compile either
    if (target.messageId === 'three') return { notFixed: 'never' };
    return { notFixed: target.messageId };
  },
});

const explicit = defineRule<{ limit: number }, 'over'>({
  id: 'example-options',
  category: 'hygiene',
  defaultSeverity: 'info',
  guide: '(test)',
  description: 'A rule with options names its message ids after the options type.',
  defaultOptions: { limit: 1 },
  fixSafety: { kind: 'none', reason: 'a test rule has nothing to fix' },
  messages: {
    over: { headline: 'over {{limit}}', detail: 'Why.' },
    // @ts-expect-error a message beyond the declared ids does not compile
    under: { headline: 'under', detail: 'Why.' },
  },
  check({ index, options, report }) {
    if (index.objects.length > options.limit) report({ object: index.objects[0]!, messageId: 'over' });
  },
});

defineRule({
  id: 'example-string',
  category: 'hygiene',
  defaultSeverity: 'info',
  guide: '(test)',
  description: 'A message that is one string, not a headline and a detail, does not compile.',
  fixSafety: { kind: 'none', reason: 'a test rule has nothing to fix' },
  // @ts-expect-error a message is { headline, detail } (issue 16)
  messages: { one: 'one string' },
  check() {},
});

describe('defineRule', () => {
  it('returns the rule it was given (the identity exists for the types)', () => {
    expect(inferred.id).toBe('example');
    expect(Object.keys(explicit.messages)).toEqual(['over', 'under']);
  });
});
