import { describe, expect, it } from 'vitest';
import { HEADLINE_MAX, interpolate, renderMessage } from '../../src/rules/define-rule.js';

// interpolate splits each template once and reuses it: the same template must fill from each call's
// own data, exactly as a regex replace over the template would.
describe('interpolate', () => {
  it('fills each placeholder, spaces inside the braces included, and formats numbers', () => {
    expect(interpolate('{{kind}} {{ name }} has {{n}} pods', { kind: 'Deployment', name: 'web', n: 3 })).toBe(
      'Deployment web has 3 pods',
    );
    expect(
      interpolate('{{kind}} {{ name }} has {{n}} pods', { kind: 'StatefulSet', name: 'db', n: 1e21 }),
    ).toBe(`StatefulSet db has ${interpolate('{{n}}', { n: 1e21 })} pods`);
  });

  it('leaves a placeholder without a value as written, and never reads replacement patterns', () => {
    expect(interpolate('a {{ missing }} b {{x}}', { x: '$& $1 $$' })).toBe('a {{ missing }} b $& $1 $$');
    expect(interpolate('{{a}}{{a}}', { a: 'x' })).toBe('xx');
    expect(interpolate('no placeholders')).toBe('no placeholders');
    expect(interpolate('{{toString}}', {})).toBe('{{toString}}');
  });
});

describe('renderMessage', () => {
  const message = {
    headline: '{{kind}} {{name}} runs 1 replica',
    detail: 'Set spec.replicas: {{n}} or more.',
  };

  it('fills headline and detail from the same data', () => {
    expect(renderMessage(message, { kind: 'Deployment', name: 'web', n: 2 })).toEqual({
      headline: 'Deployment web runs 1 replica',
      detail: 'Set spec.replicas: 2 or more.',
    });
  });

  it('shortens a 253-character name in the middle so the headline fits, and keeps it whole in the detail', () => {
    const name = `${'a'.repeat(120)}-middle-${'z'.repeat(125)}`;
    const r = renderMessage(message, { kind: 'Deployment', name, n: 2 });
    expect(r.headline.length).toBeLessThanOrEqual(HEADLINE_MAX);
    expect(r.headline).toMatch(/^Deployment a+…z+ runs 1 replica$/);
    expect(r.detail).toBe(`Deployment ${name} runs 1 replica. Set spec.replicas: 2 or more.`);
  });

  it('shortens a long name inside a value that also names its kind, keeping the end of the headline', () => {
    const r = renderMessage(
      { headline: '{{role}} {{container}} of {{workload}} has no livenessProbe', detail: 'Add one.' },
      { role: 'Container', container: 'a', workload: `Deployment ${'x'.repeat(200)}` },
    );
    expect(r.headline.length).toBeLessThanOrEqual(HEADLINE_MAX);
    expect(r.headline).toMatch(/^Container a of Deployment x+…x+ has no livenessProbe$/);
  });

  it('cuts prose at a word, not in the middle of a name', () => {
    const sentence = `${'word '.repeat(40)}end`;
    const r = renderMessage({ headline: '{{message}}', detail: '' }, { message: sentence });
    expect(r.headline.length).toBeLessThanOrEqual(HEADLINE_MAX);
    expect(r.headline).toMatch(/^(word )+word…$/);
    expect(r.detail).toBe(`${sentence}.`);
  });

  it('keeps every headline within the limit whatever the values', () => {
    for (const n of [0, 1, 50, 119, 120, 121, 500]) {
      const r = renderMessage(
        { headline: 'PDB {{pdb}} selects {{workload}} in {{ns}}', detail: 'x.' },
        { pdb: 'p'.repeat(n), workload: 'w'.repeat(n), ns: 'n'.repeat(Math.min(n, 63)) },
      );
      expect(r.headline.length, String(n)).toBeLessThanOrEqual(HEADLINE_MAX);
    }
  });
});
