import { describe, expect, it } from 'vitest';
import { limitsFor } from '../../src/rightsize/limits.js';

const current = {
  requests: { cpuCores: 0.5, memoryBytes: 512 },
  limits: { cpuCores: 1, memoryBytes: 768 },
};
const requests = { cpuCores: 0.2, memoryBytes: 1000 };

describe('limitsFor', () => {
  it('ratio keeps the limit/request ratio of each resource', () => {
    expect(limitsFor('ratio', current, requests)).toEqual({
      limits: { cpuCores: 0.4, memoryBytes: 1500 },
      notes: [],
    });
  });

  it('ratio sets no limit where there was none', () => {
    expect(limitsFor('ratio', { requests: { cpuCores: 1 }, limits: {} }, requests).limits).toEqual({});
  });

  it('keep leaves the limits, raising one below the new request to it, and says so', () => {
    const r = limitsFor('keep', current, requests);
    expect(r.limits).toEqual({ cpuCores: 1, memoryBytes: 1000 });
    expect(r.notes).toEqual([
      'memory limit raised to the new request (the API server refuses a limit below the request)',
    ]);
  });

  it('none removes both; equal makes memory limit the request and drops the CPU limit', () => {
    expect(limitsFor('none', current, requests).limits).toEqual({});
    expect(limitsFor('equal', current, requests).limits).toEqual({ memoryBytes: 1000 });
  });
});
