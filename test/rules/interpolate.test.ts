import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/rules/define-rule.js';

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
