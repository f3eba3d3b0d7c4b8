import { edits, notFixed, setText, targetReplicas, valueAt, workloadOf } from './fixes/build.js';
import { raiseReplicasApplicability, STATE_SPLIT_REASON } from './fixes/stateful.js';
import { getAt } from '../model/json-path.js';
import { REPLICATED_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'single-replica',
  category: 'workload',
  defaultSeverity: 'error',
  guide: 'Run multiple replicas',
  description: 'A workload with fewer than two replicas is down whenever its one pod is.',
  needs: ['HorizontalPodAutoscaler'],
  fixSafety: { kind: 'safe-or-unsafe', reason: STATE_SPLIT_REASON },
  messages: {
    unset: {
      headline: '{{kind}} {{name}} does not set replicas, so it runs 1 pod',
      detail:
        'A crash, an eviction or a node failure takes it down until a replacement is Ready. Set spec.replicas: 2 or more (3 to ride out the loss of a zone).',
    },
    one: {
      headline: '{{kind}} {{name}} runs 1 replica',
      detail:
        'A crash, an eviction or a node failure takes it down until a replacement is Ready. Set spec.replicas: 2 or more (3 to ride out the loss of a zone).',
    },
  },
  fix(target, context) {
    const w = workloadOf(context.index, target.object);
    // With an autoscaler the floor is the HPA's minReplicas (hpa-min-replicas raises it); replicas there would fight it.
    if (w && context.index.hpasFor(w).length > 0)
      return notFixed('an HPA scales this workload: raise its minReplicas instead (hpa-min-replicas)');
    const replicas = targetReplicas(context);
    return edits({
      object: target.object,
      description: setText('spec.replicas', valueAt(target.object, '/spec/replicas'), replicas),
      ops: [{ op: 'add', path: '/spec/replicas', value: replicas }],
      applicability: raiseReplicasApplicability(context.index, w, replicas),
    });
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!REPLICATED_KINDS.includes(w.kind) || w.replicas === undefined) continue;
      // replicas: 0 is a workload deliberately switched off (or one an Argo Rollout runs via workloadRef).
      if (w.declaredReplicas === 0 || w.replicas >= 2) continue;
      const hpaMin = index
        .hpasFor(w)
        .map((h) => getAt(h.raw, '/spec/minReplicas'))
        .map((m) => (typeof m === 'number' ? m : 1));
      if (hpaMin.some((m) => m >= 2)) continue;
      const data = { kind: w.kind, name: w.object.name };
      report({
        object: w.object,
        path: '/spec/replicas',
        messageId: w.declaredReplicas === undefined ? 'unset' : 'one',
        data,
      });
    }
  },
});
