// Cases from the Kubernetes docs ("Assigning Pods to Nodes": nodeSelector, node affinity, operators) and
// kube-scheduler's pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go.
import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm } from '../../../src/simulate/pod-spec.js';
import {
  filterNodeAffinity,
  matchesRequiredNodeAffinity,
  normalizeNodeAffinityScores,
  scoreNodeAffinity,
  termMatches,
} from '../../../src/simulate/scheduler/node-affinity.js';

const term = (
  e: NodeSelectorTerm['matchExpressions'],
  f: NodeSelectorTerm['matchFields'] = [],
): NodeSelectorTerm => ({
  matchExpressions: e,
  matchFields: f,
});

describe('NodeAffinity filter', () => {
  it('nodeSelector: every label must match', () => {
    expect(
      matchesRequiredNodeAffinity(
        { nodeSelector: { foo: 'bar' }, requiredNodeTerms: undefined },
        { foo: 'bar', x: 'y' },
        'n',
      ),
    ).toBe(true);
    expect(
      filterNodeAffinity({ nodeSelector: { foo: 'bar' }, requiredNodeTerms: undefined }, { foo: 'baz' }, 'n'),
    ).toBe("node(s) didn't match Pod's node affinity/selector");
  });
  it('operators In, NotIn, Exists, DoesNotExist, Gt, Lt', () => {
    const labels = { zone: 'a', gen: '5' };
    expect(termMatches(term([{ key: 'zone', operator: 'In', values: ['a', 'b'] }]), labels, 'n')).toBe(true);
    expect(termMatches(term([{ key: 'zone', operator: 'NotIn', values: ['a'] }]), labels, 'n')).toBe(false);
    expect(termMatches(term([{ key: 'gpu', operator: 'DoesNotExist', values: [] }]), labels, 'n')).toBe(true);
    expect(termMatches(term([{ key: 'gpu', operator: 'Exists', values: [] }]), labels, 'n')).toBe(false);
    expect(termMatches(term([{ key: 'gen', operator: 'Gt', values: ['4'] }]), labels, 'n')).toBe(true);
    expect(termMatches(term([{ key: 'gen', operator: 'Lt', values: ['4'] }]), labels, 'n')).toBe(false);
  });
  it('nodeSelectorTerms are ORed, expressions within a term ANDed; an empty term matches nothing', () => {
    const spec = {
      nodeSelector: {},
      requiredNodeTerms: [
        term([{ key: 'zone', operator: 'In', values: ['x'] }]),
        term([{ key: 'zone', operator: 'In', values: ['a'] }]),
      ],
    };
    expect(matchesRequiredNodeAffinity(spec, { zone: 'a' }, 'n')).toBe(true);
    expect(
      matchesRequiredNodeAffinity({ nodeSelector: {}, requiredNodeTerms: [term([])] }, { zone: 'a' }, 'n'),
    ).toBe(false);
  });
  it('matchFields selects by metadata.name', () => {
    expect(
      termMatches(term([], [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }]), {}, 'node-1'),
    ).toBe(true);
    expect(
      termMatches(term([], [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }]), {}, 'node-2'),
    ).toBe(false);
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms and normalises to 100 by the maximum', () => {
    const spec = {
      preferredNodeTerms: [
        { weight: 2, term: term([{ key: 'foo', operator: 'In', values: ['bar'] }]) },
        { weight: 4, term: term([{ key: 'key', operator: 'In', values: ['value'] }]) },
        {
          weight: 5,
          term: term([
            { key: 'foo', operator: 'In', values: ['bar'] },
            { key: 'key', operator: 'In', values: ['value'] },
            { key: 'az', operator: 'In', values: ['az1'] },
          ]),
        },
      ],
    };
    const raw = [
      scoreNodeAffinity(spec, { foo: 'bar' }, 'machine1'),
      scoreNodeAffinity(spec, { foo: 'bar', key: 'value', az: 'az1' }, 'machine5'),
      scoreNodeAffinity(spec, { key: 'value' }, 'machine2'),
    ];
    expect(raw).toEqual([2, 11, 4]);
    normalizeNodeAffinityScores(raw);
    // "all machines matches the preferred scheduling requirements of pod but with different priorities"
    expect(raw).toEqual([18, 100, 36]);
  });
});
