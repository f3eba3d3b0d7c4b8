import { hpaMinReplicas, isHpa } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'hpa-invalid-range',
  category: 'autoscaling',
  defaultSeverity: 'error',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description: 'An HPA whose maxReplicas is below (or equal to) minReplicas cannot scale.',
  fixSafety: {
    kind: 'none',
    reason: 'decide the range: whether minReplicas or maxReplicas is the one to change',
  },
  messages: {
    below: {
      headline: 'HPA {{hpa}} sets maxReplicas {{max}}, below its minReplicas',
      detail:
        'maxReplicas {{max}} is below minReplicas {{min}}: the API server rejects it (spec.maxReplicas must be greater than or equal to minReplicas), so nothing autoscales the workload. Set maxReplicas to more than {{min}}.',
    },
    unset: {
      headline: 'HPA {{hpa}} does not set maxReplicas, which is required',
      detail:
        'The API server rejects it, so nothing autoscales the workload. Set maxReplicas to more than {{min}}.',
    },
    nonPositive: {
      headline: 'HPA {{hpa}} has maxReplicas {{max}}, not above 0',
      detail:
        'The API server rejects it (spec.maxReplicas must be greater than 0), so nothing autoscales the workload. Set maxReplicas to more than {{min}}.',
    },
    equal: {
      headline: 'HPA {{hpa}} has minReplicas and maxReplicas both {{min}}: it never scales',
      detail:
        'Raise maxReplicas above {{min}} so load can add pods (or drop the HPA and set replicas: {{min}}).',
    },
  },
  check({ index, report }) {
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      // Validation runs after defaulting, so an unset minReplicas is compared as 1.
      const min = hpaMinReplicas(hpa);
      const max = getAt(hpa.raw, '/spec/maxReplicas');
      if (min === undefined) continue;
      const data = { hpa: hpa.name, min, max: typeof max === 'number' ? max : 0 };
      if (max === undefined || max === null) {
        report({ object: hpa, path: '/spec/maxReplicas', messageId: 'unset', data });
      } else if (!isInt32(max)) {
        // Not an int32 (1.5, -1e308, 2^31): invalid-object's finding, which names the range.
        continue;
      } else if (max < 1) {
        report({ object: hpa, path: '/spec/maxReplicas', messageId: 'nonPositive', data });
      } else if (max < min) {
        report({ object: hpa, path: '/spec/maxReplicas', messageId: 'below', data });
      } else if (max === min) {
        report({ object: hpa, path: '/spec/maxReplicas', messageId: 'equal', data, severity: 'warning' });
      }
    }
  },
});
