// Cases from kube-scheduler's pkg/scheduler/framework/plugins/nodename/node_name_test.go.
import { describe, expect, it } from 'vitest';
import { filterNodeName } from '../../../src/simulate/scheduler/node-name.js';

describe('NodeName', () => {
  it('fits when the pod names no node', () => expect(filterNodeName(undefined, 'foo')).toBeNull());
  it('fits the node it names', () => expect(filterNodeName('foo', 'foo')).toBeNull());
  it('does not fit another node', () =>
    expect(filterNodeName('bar', 'foo')).toBe("node(s) didn't match the requested node name"));
});
