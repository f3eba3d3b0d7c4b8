import { unsafeEdit } from './fixes/build.js';
import { describeScaler, formatList, scalerMinReplicas, scalersFor } from '../model/autoscaling.js';
import { userSetsSpecField } from '../model/field-owners.js';
import { REPLICATED_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-replicas-conflict',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'A workload scaled by an HPA that also sets spec.replicas is reset to that number on every apply.',
  fixSafety: {
    kind: 'unsafe',
    reason:
      'applied as it is, a running workload drops to the count in its last-applied spec.replicas until the HPA reacts: take spec.replicas out of the last-applied configuration first',
  },
  messages: {
    conflict: {
      headline: '{{kind}} {{name}} sets replicas; {{scalers}} scales it',
      detail:
        'It sets replicas: {{replicas}}, so every kubectl apply or helm upgrade resets it to {{replicas}} pods, undoing the autoscaler (a scale-down in the middle of a peak). Remove spec.replicas from the manifest and let the autoscaler minimum ({{min}}) set the floor.',
    },
  },
  // Right for the manifest, but applying it to a running workload resets spec.replicas to its default
  // of 1 until the HPA reacts, unless the field leaves the last-applied state first (the HPA docs'
  // "Migrating Deployments and StatefulSets to horizontal autoscaling").
  fix(target) {
    const { kind, name, namespace } = target.object;
    const ref = `${kind.toLowerCase()}/${name}${namespace ? ` -n ${namespace}` : ''}`;
    return unsafeEdit(
      target.object,
      'remove spec.replicas (the HPA sets the count)',
      `applied as it is, a running ${kind} drops to 1 replica until the HPA reacts; first take spec.replicas out of the last-applied configuration (kubectl apply edit-last-applied ${ref}), or with server-side apply hand the field to the HPA`,
      { op: 'remove', path: '/spec/replicas' },
    );
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!REPLICATED_KINDS.includes(w.kind)) continue;
      // replicas: 0 switches the workload (and with it the HPA) off on purpose.
      if (w.declaredReplicas === undefined || w.declaredReplicas === 0) continue;
      // On a live object the API server fills replicas (1) and the HPA writes it: only the user's counts.
      if (!userSetsSpecField(w.object, 'replicas', 1)) continue;
      const scalers = scalersFor(index, w);
      if (scalers.length === 0) continue;
      const mins = scalers.map(scalerMinReplicas).filter((m): m is number => m !== undefined);
      report({
        object: w.object,
        path: '/spec/replicas',
        messageId: 'conflict',
        data: {
          kind: w.kind,
          name: w.object.name,
          replicas: w.declaredReplicas,
          scalers: formatList(scalers.map(describeScaler)),
          min: mins.length > 0 ? `${Math.max(...mins)}` : 'minReplicas',
        },
      });
    }
  },
});
