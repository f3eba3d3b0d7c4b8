import { notFixed, unsafeEdit } from './fixes/build.js';
import { getAt } from '../model/json-path.js';
import { atLeast, UNHEALTHY_POD_EVICTION_POLICY_SINCE } from '../model/kube-versions.js';
import { isJsonObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

const REVIEW =
  'a drain may then evict a pod that is not Ready yet, such as a database still recovering or a replica catching up on data: where such a pod must be left to finish starting, write unhealthyPodEvictionPolicy: IfHealthyBudget out instead';

export default defineRule({
  id: 'pdb-unhealthy-policy-unset',
  category: 'disruptions',
  // On most PDBs: a hint to weigh, not a fault (the live rule warns where it already blocks a drain).
  defaultSeverity: 'info',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'A PDB without unhealthyPodEvictionPolicy: AlwaysAllow lets pods that are not Ready block node drains and upgrades while its budget is short.',
  fixSafety: { kind: 'unsafe', reason: REVIEW },
  messages: {
    unset: {
      headline: 'PDB {{pdb}} lets pods that are not Ready block drains: unhealthyPodEvictionPolicy unset',
      detail:
        'Unset, the policy is IfHealthyBudget: while fewer of its pods are healthy than the budget wants, the Eviction API refuses to evict even the pods that are not Ready and serve nothing (crash-looping, misconfigured, stuck starting), so a node drain or cluster upgrade waits until they become Ready, which a crash-looping pod never does. Set spec.unhealthyPodEvictionPolicy: AlwaysAllow, or write IfHealthyBudget out where a pod still starting must not be evicted (a database recovering).',
    },
  },
  fix(target) {
    if (!isJsonObject(getAt(target.object.raw, '/spec'))) return notFixed('the PDB has no spec to add it to');
    return unsafeEdit(target.object, 'set unhealthyPodEvictionPolicy to AlwaysAllow', REVIEW, {
      op: 'add',
      path: '/spec/unhealthyPodEvictionPolicy',
      value: 'AlwaysAllow',
    });
  },
  check({ index, settings, report }) {
    // Before 1.27 the API server drops the field, so asking for it would be advice that cannot apply.
    // The index's version is the target read as the joins read it (an unparseable one is the default).
    if (!atLeast(index.targetVersion ?? settings.kubeVersion, UNHEALTHY_POD_EVICTION_POLICY_SINCE)) return;
    for (const pdb of index.pdbs) {
      // policy/v1beta1 was removed in 1.25, before the field existed: that PDB is deprecated-api's.
      if (pdb.apiVersion !== 'policy/v1') continue;
      // IfHealthyBudget written out is a decision (a pod still starting must not be evicted): quiet.
      const policy = getAt(pdb.raw, '/spec/unhealthyPodEvictionPolicy');
      if (policy !== undefined && policy !== null) continue;
      report({ object: pdb, path: '/spec', messageId: 'unset', data: { pdb: pdb.name } });
    }
  },
});
