import { describe, expect, it } from 'vitest';
import { scaledValue } from '../../src/model/intstr.js';
import {
  formatBytes,
  formatMilliCpu,
  milliValue,
  parseQuantity,
  wholeValue,
} from '../../src/model/quantity.js';

// Cases from k8s.io/apimachinery/pkg/api/resource quantity_test.go and the Kubernetes docs
// ("Resource units in Kubernetes").
describe('quantities', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1500m', 1.5],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['129M', 129e6],
    ['123Mi', 123 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1Ki', 1024],
    ['1k', 1000],
    ['5n', 5e-9],
    ['+2', 2],
  ])('parses %s', (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  it.each(['', 'abc', '1.2.3', '1Gb', '1 Gi', '1m1', 'Mi', '--1'])(
    'rejects %j as the API server does',
    (text) => {
      expect(parseQuantity(text)).toBeUndefined();
    },
  );

  it('rounds millis and whole values up, as MilliValue() and Value() do', () => {
    expect(milliValue('100m')).toBe(100);
    expect(milliValue('0.1')).toBe(100);
    expect(milliValue('1n')).toBe(1);
    expect(milliValue(2)).toBe(2000);
    expect(wholeValue('1.5')).toBe(2);
    expect(wholeValue('1Mi')).toBe(1048576);
    expect(wholeValue('100m')).toBe(1);
  });

  it('formats for messages', () => {
    expect(formatMilliCpu(250)).toBe('250m');
    expect(formatMilliCpu(2000)).toBe('2');
    expect(formatBytes(512 * 2 ** 20)).toBe('512Mi');
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBytes(1000)).toBe('1000');
  });
});

// intstr.GetScaledValueFromIntOrPercent: the Deployment controller rounds maxSurge up and
// maxUnavailable down; the disruption controller rounds both PDB fields up.
describe('scaledValue', () => {
  it.each([
    [25, 4, true, 25],
    ['25%', 4, true, 1],
    ['25%', 3, true, 1],
    ['25%', 3, false, 0],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['100%', 7, false, 7],
    ['0%', 10, true, 0],
    ['90%', 3, true, 3],
  ] as const)('%j of %d (round up: %s) is %d', (value, total, up, expected) => {
    expect(scaledValue(value, total, up)).toBe(expected);
  });

  it('rejects strings that are not percentages and non-integers', () => {
    expect(scaledValue('25', 4, true)).toBeUndefined();
    expect(scaledValue('x%', 4, true)).toBeUndefined();
    expect(scaledValue(1.5, 4, true)).toBeUndefined();
    expect(scaledValue(null, 4, true)).toBeUndefined();
  });
});
