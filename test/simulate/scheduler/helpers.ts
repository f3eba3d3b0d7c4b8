import type { Toleration } from '../../../src/simulate/pod-spec.js';

export function tol(t: Partial<Toleration>): Toleration {
  return { key: '', operator: 'Equal', value: '', effect: '', tolerationSeconds: undefined, ...t };
}
