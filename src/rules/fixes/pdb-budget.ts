import type { K8sObject } from '../../model/types.js';
import { edit, setText, valueAt } from './build.js';
import type { FixPlan } from './types.js';

/**
 * A PodDisruptionBudget's budget made maxUnavailable: 1, which lets a drain evict one pod at a time
 * whatever the replica count: the fix of every budget that blocks drains or lets them take every pod.
 */
export function oneUnavailable(pdb: K8sObject): FixPlan {
  const maxUnavailable = valueAt(pdb, '/spec/maxUnavailable');
  if (maxUnavailable !== undefined && maxUnavailable !== null)
    return edit(pdb, setText('maxUnavailable', maxUnavailable, 1), {
      op: 'replace',
      path: '/spec/maxUnavailable',
      value: 1,
    });
  const minAvailable = valueAt(pdb, '/spec/minAvailable');
  if (minAvailable === undefined || minAvailable === null)
    return edit(pdb, 'add maxUnavailable: 1', { op: 'add', path: '/spec/maxUnavailable', value: 1 });
  return edit(
    pdb,
    `replace minAvailable ${String(minAvailable)} with maxUnavailable: 1`,
    { op: 'remove', path: '/spec/minAvailable' },
    { op: 'add', path: '/spec/maxUnavailable', value: 1 },
  );
}
