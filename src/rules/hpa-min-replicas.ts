import { edits, notFixed, setText, targetReplicas, valueAt } from './fixes/build.js';
import { raiseReplicasApplicability, STATE_SPLIT_REASON } from './fixes/stateful.js';
import { isHpa } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { isJsonObject } from '../model/types.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-min-replicas',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  guide: 'Run multiple replicas',
  description: 'An HPA with minReplicas below 2 scales the workload down to a single pod.',
  fixSafety: { kind: 'safe-or-unsafe', reason: STATE_SPLIT_REASON },
  messages: {
    unset: {
      headline: 'HPA {{hpa}} sets no minReplicas, so it scales {{target}} down to 1 pod',
      detail:
        'When load is low it runs 1 pod, and then one crash, eviction or node failure is an outage. Set minReplicas: 2 or more (3 to ride out the loss of a zone){{advice}}.',
    },
    one: {
      headline: 'HPA {{hpa}} has minReplicas 1, so it scales {{target}} down to 1 pod',
      detail:
        'When load is low it runs 1 pod, and then one crash, eviction or node failure is an outage. Set minReplicas: 2 or more (3 to ride out the loss of a zone){{advice}}.',
    },
    zero: {
      headline: 'HPA {{hpa}} has minReplicas 0, so {{target}} runs no pod when idle',
      detail:
        'The API server rejects it unless the alpha HPAScaleToZero feature gate is on, and where it is accepted the workload runs no pod at all when idle. Set minReplicas: 2 or more{{advice}}.',
    },
  },
  fix(target, context) {
    const min = targetReplicas(context);
    const max = getAt(target.object.raw, '/spec/maxReplicas');
    if (typeof max === 'number' && max < min)
      return notFixed(`maxReplicas is ${max}: decide how far it may scale, above minReplicas ${min}`);
    return edits({
      object: target.object,
      description: setText('spec.minReplicas', valueAt(target.object, '/spec/minReplicas'), min),
      ops: [{ op: 'add', path: '/spec/minReplicas', value: min }],
      applicability: raiseReplicasApplicability(context.index, context.index.targetOf(target.object), min),
    });
  },
  check({ index, report }) {
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      const min = getAt(hpa.raw, '/spec/minReplicas');
      const max = getAt(hpa.raw, '/spec/maxReplicas');
      let messageId: 'unset' | 'one' | 'zero';
      if (min === undefined || min === null) messageId = 'unset';
      else if (min === 1) messageId = 'one';
      else if (min === 0) messageId = 'zero';
      else continue;
      const ref = getAt(hpa.raw, '/spec/scaleTargetRef');
      const target =
        isJsonObject(ref) && typeof ref['name'] === 'string'
          ? `${typeof ref['kind'] === 'string' ? ref['kind'] : 'its target'} ${ref['name']}`
          : 'its target';
      // Raising minReplicas alone would leave the HPA invalid when maxReplicas is below the new floor.
      // A maxReplicas the API server cannot decode (-1e308, 1.5) is invalid-object's finding, not quoted here.
      const advice = isInt32(max) && max < 2 ? `, and maxReplicas above it (it is ${max})` : '';
      report({
        object: hpa,
        path: '/spec/minReplicas',
        messageId,
        data: { hpa: hpa.name, target, min: typeof min === 'number' ? min : 1, advice },
      });
    }
  },
});
