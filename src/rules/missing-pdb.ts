import { notFixed, ownSelector, SAFE, selectsOwnPods } from './fixes/build.js';
import { getAt } from '../model/json-path.js';
import { isEmptySelector, type LabelSelector } from '../model/labels.js';
import {
  atLeast,
  DEFAULT_KUBE_VERSION,
  shortVersion,
  UNHEALTHY_POD_EVICTION_POLICY_SINCE,
} from '../model/kube-versions.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject } from '../model/types.js';
import type { Workload, WorkloadKind } from '../model/workload.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

/**
 * Kinds whose pods a drain evicts through the eviction API. DaemonSet pods are skipped by
 * `kubectl drain --ignore-daemonsets` (their controller would recreate them on the same node), and
 * Jobs run to completion, so neither is asked for a budget.
 */
const KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
];

export default defineRule({
  id: 'missing-pdb',
  category: 'disruptions',
  defaultSeverity: 'warning',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description: 'Without a PodDisruptionBudget a node drain may evict every replica at once.',
  needs: ['PodDisruptionBudget'],
  fixSafety: { kind: 'safe' },
  messages: {
    missing: {
      headline: '{{kind}} {{name}} has no PodDisruptionBudget',
      detail:
        'It runs {{replicas}} replicas{{hpa}} and no PodDisruptionBudget selects its pods, so a node drain, upgrade or consolidation may evict all of them at once. Add a policy/v1 PodDisruptionBudget in namespace {{namespace}} with maxUnavailable: 1 and selector: {{selector}}.',
    },
    unserved: {
      headline: '{{kind}} {{name}} has only a {{apiVersion}} PDB, not served',
      detail:
        'It runs {{replicas}} replicas{{hpa}}, and its PodDisruptionBudget {{pdb}} uses {{apiVersion}}, which Kubernetes {{target}} no longer serves: the API server refuses it, so no budget limits a drain, and every replica may be evicted at once. Move {{pdb}} to policy/v1 (deprecated-api).',
    },
    unlabeled: {
      headline: '{{kind}} {{name}} has no PDB, and its pods have no labels to select',
      detail:
        'It runs {{replicas}} replicas{{hpa}} and no PodDisruptionBudget selects its pods, which carry no labels to select them by, so a node drain, upgrade or consolidation may evict all of them at once. Label the pod template (spec.template.metadata.labels) and add a policy/v1 PodDisruptionBudget in namespace {{namespace}} with maxUnavailable: 1 selecting those labels.',
    },
  },
  fix(target, context) {
    const w = target.object;
    if (target.messageId === 'unserved')
      return notFixed(
        `move PodDisruptionBudget ${String(target.data['pdb'])} to policy/v1 (deprecated-api's fix) rather than add a second one`,
      );
    const selector = ownSelector(w);
    if (target.messageId !== 'missing' || !selector)
      return notFixed(
        'label the pod template first: the PodDisruptionBudget needs labels to select the pods by',
      );
    // A budget that selects none of the pods would not protect them, and missing-pdb would ask again.
    if (!selectsOwnPods(context.index, w, selector))
      return notFixed(
        "spec.selector does not select the pod template's labels, so a PodDisruptionBudget with that selector would protect none of its pods: make the selector and the template labels agree first",
      );
    const taken = context.index
      .inNamespace(w.namespace, 'PodDisruptionBudget')
      .some((p) => p.name === w.name);
    const ns = getAt(w.raw, '/metadata/namespace');
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: {
        name: taken ? `${w.name}-pdb` : w.name,
        ...(typeof ns === 'string' ? { namespace: ns } : {}),
      },
      spec: {
        maxUnavailable: 1,
        selector,
        // Without a budget every pod could be evicted: AlwaysAllow keeps that for pods that are not Ready
        // (pdb-unhealthy-policy-unset), so the new budget takes nothing away, where the target serves it.
        ...(atLeast(context.index.targetVersion ?? DEFAULT_KUBE_VERSION, UNHEALTHY_POD_EVICTION_POLICY_SINCE)
          ? { unhealthyPodEvictionPolicy: 'AlwaysAllow' }
          : {}),
      },
    };
    const where = context.options.pdbFile;
    return {
      edits: [
        {
          object: w,
          description: `add PodDisruptionBudget ${pdb.metadata.name} (maxUnavailable 1)${where ? ` to ${where}` : ''}`,
          ops: [
            {
              op: 'create',
              value: pdb,
              comment: `Added by kubeha fix (missing-pdb): drains evict the pods of ${target.data['kind']} ${w.name} one at a time.`,
            },
          ],
          ...(where !== undefined ? { file: where } : {}),
          applicability: SAFE,
        },
      ],
    };
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!KINDS.includes(w.kind) || hasControllerOwner(w)) continue;
      // An Argo Rollout whose workloadRef template is not in the input: its pod labels are unknown.
      if (w.templateRef && index.templateOf(w) === w) continue;
      const count = mostPods(index, w);
      if (count === undefined || count.replicas < 2) continue;
      if (index.pdbsFor(w).length > 0) continue;
      const unserved = index.unservedPdbsFor(w)[0];
      if (unserved) {
        report({
          object: w.object,
          path: '/spec/selector',
          messageId: 'unserved',
          data: {
            kind: w.kind,
            name: w.object.name,
            replicas: count.replicas,
            hpa: count.fromHpa ? ' at most (its HPA maxReplicas)' : '',
            pdb: unserved.name,
            apiVersion: unserved.apiVersion,
            target: shortVersion(index.targetVersion),
          },
        });
        continue;
      }
      const selector = selectorText(index, w);
      report({
        object: w.object,
        path: '/spec/selector',
        messageId: selector === undefined ? 'unlabeled' : 'missing',
        data: {
          kind: w.kind,
          name: w.object.name,
          namespace: w.object.namespace,
          replicas: count.replicas,
          hpa: count.fromHpa ? ' at most (its HPA maxReplicas)' : '',
          selector: selector ?? '',
        },
      });
    }
  },
});

/** A ReplicaSet a Deployment (or Rollout) owns is covered through its owner. */
function hasControllerOwner(w: Workload): boolean {
  const owners = getAt(w.object.raw, '/metadata/ownerReferences');
  return Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['controller'] === true);
}

/** The most pods the workload runs: the HPA's maxReplicas when one scales it, else its replicas. */
function mostPods(index: ObjectIndex, w: Workload): { replicas: number; fromHpa: boolean } | undefined {
  if (w.replicas === undefined) return undefined;
  // Scaled to zero stays at zero: an HPA does not scale a workload up from 0 replicas.
  if (w.declaredReplicas === 0) return { replicas: 0, fromHpa: false };
  const hpa = index.hpasFor(w)[0];
  const max = hpa ? getAt(hpa.raw, '/spec/maxReplicas') : undefined;
  // A maxReplicas the API server cannot decode (1e308, 2^31, 1.5) is invalid-object's finding: that
  // HPA is refused, and the workload runs its own replicas.
  if (isInt32(max)) return { replicas: max, fromHpa: true };
  return { replicas: w.replicas, fromHpa: false };
}

/** The workload's own selector (what its controller counts as its pods) as flow YAML. */
function selectorText(index: ObjectIndex, w: Workload): string | undefined {
  let selector: LabelSelector | undefined = w.selector;
  if (!selector || isEmptySelector(selector)) {
    const labels = index.templateOf(w).podLabels;
    if (Object.keys(labels).length === 0) return undefined;
    selector = { matchLabels: labels, matchExpressions: [] };
  }
  const parts: string[] = [];
  const labels = Object.entries(selector.matchLabels).map(([k, v]) => `${scalar(k)}: ${scalar(v)}`);
  if (labels.length) parts.push(`matchLabels: { ${labels.join(', ')} }`);
  if (selector.matchExpressions.length) {
    const exprs = selector.matchExpressions.map((e) => {
      const values = e.values.length ? `, values: [${e.values.map(scalar).join(', ')}]` : '';
      return `{ key: ${scalar(e.key)}, operator: ${e.operator}${values} }`;
    });
    parts.push(`matchExpressions: [${exprs.join(', ')}]`);
  }
  return `{ ${parts.join(', ')} }`;
}

/** Label keys and values are plain YAML scalars unless they could read as another type. */
function scalar(s: string): string {
  return /^[A-Za-z][\w./-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s)
    ? s
    : JSON.stringify(s);
}
