import { describe, expect, it } from 'vitest';
import { describeSpreadLoss, spreadLost } from '../../src/chaos/spread.js';

const zones: Record<string, string> = { a1: 'a', a2: 'a', b1: 'b', c1: 'c' };
const zoneOf = (n: string): string | undefined => zones[n];

describe('spreadLost', () => {
  it('a zone lost and not come back: the zones that took its replicas', () => {
    const lost = spreadLost(['a1', 'b1', 'c1'], ['a1', 'b1', 'b1'], zoneOf);
    expect(lost).toEqual([
      { topology: 'zone', domain: 'b', before: 1, after: 2, replicas: 3, domainsBefore: 3, domainsAfter: 2 },
      { topology: 'node', domain: 'b1', before: 1, after: 2, replicas: 3, domainsBefore: 3, domainsAfter: 2 },
    ]);
    expect(describeSpreadLoss(lost)).toBe(
      'zone b holds 2 of 3 (1 before; 2 zones now, 3 before), node b1 holds 2 of 3 (1 before; 2 nodes now, 3 before)',
    );
  });

  it('all replicas on one node now: said so', () => {
    expect(describeSpreadLoss(spreadLost(['a1', 'a2'], ['a2', 'a2'], zoneOf))).toBe(
      'node a2 holds all 2 replicas (1 before; 1 node now, 2 before)',
    );
  });

  it('as many nodes and zones as before (other ones) is no loss, nor is fewer replicas placed yet', () => {
    expect(spreadLost(['a1', 'b1'], ['a2', 'b1'], zoneOf)).toEqual([]);
    expect(spreadLost(['a1', 'b1', 'c1'], ['b1', 'c1'], zoneOf)).toEqual([]);
    expect(spreadLost(['a1', 'b1'], [], zoneOf)).toEqual([]);
  });

  it('zones are compared only when every node has one', () => {
    expect(spreadLost(['a1', 'x'], ['a1', 'a1'], zoneOf).map((l) => l.topology)).toEqual(['node']);
  });
});
