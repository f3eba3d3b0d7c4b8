import {
  describeScaler,
  isVpa,
  resourceMetricsOf,
  scalersOf,
  vpaControls,
  vpaPolicyContainers,
  vpaModeText,
  vpaUpdatesRunningPods,
} from '../model/autoscaling.js';
import { defineRule } from './define-rule.js';

const RESOURCES = ['cpu', 'memory'];

export default defineRule({
  id: 'vpa-hpa-conflict',
  category: 'autoscaling',
  defaultSeverity: 'error',
  guide: 'Vertical Pod Autoscaler (VPA)',
  description: 'A VPA that updates pods and an HPA on cpu or memory fight over the same workload.',
  fixSafety: {
    kind: 'none',
    reason:
      'decide which autoscaler owns cpu/memory: switch the VPA to updateMode Off (recommendations only), or scale the HPA on another metric',
  },
  messages: {
    one: {
      headline: 'VPA {{vpa}} and {{scaler}} fight over {{resource}}',
      detail:
        'The VPA ({{mode}}) resizes the {{resource}} requests of {{workload}} while {{scaler}} scales it on {{resource}}: every resize moves the utilisation the HPA reads, so the two autoscalers fight. Let the VPA control only {{other}} (resourcePolicy.containerPolicies[].controlledResources: [{{other}}]), set updateMode: Off or Initial, or scale the HPA on a custom or external metric.',
    },
    both: {
      headline: 'VPA {{vpa}} and {{scaler}} fight over cpu and memory',
      detail:
        'The VPA ({{mode}}) resizes the cpu and memory requests of {{workload}} while {{scaler}} scales it on cpu and memory: every resize moves the utilisation the HPA reads, so the two autoscalers fight. Set updateMode: Off or Initial, or scale the HPA on a custom or external metric.',
    },
  },
  check({ index, report }) {
    for (const vpa of index.vpas) {
      // Off and Initial never touch running pods, so the HPA's readings stay put.
      if (!isVpa(vpa) || !vpaUpdatesRunningPods(vpa)) continue;
      const ref = index.targetRef(vpa);
      if (!ref) continue;
      const w = index.workload(vpa.namespace, ref.kind, ref.name);
      // Without the workload, judge the containers the VPA names and any other container (the `*` policy).
      const containers = w
        ? index.templateOf(w).containers.map((c) => c.name)
        : [...vpaPolicyContainers(vpa), '\u0000'];
      for (const scaler of scalersOf(index, vpa.namespace, ref.kind, ref.name)) {
        const fought = new Set<string>();
        for (const m of resourceMetricsOf(scaler)) {
          if (!RESOURCES.includes(m.resource)) continue;
          const scope = m.container !== undefined ? [m.container] : containers;
          if (scope.some((c) => vpaControls(vpa, c, m.resource))) fought.add(m.resource);
        }
        if (fought.size === 0) continue;
        const resource = RESOURCES.filter((r) => fought.has(r));
        report({
          object: vpa,
          path: '/spec/updatePolicy/updateMode',
          messageId: resource.length === 2 ? 'both' : 'one',
          data: {
            vpa: vpa.name,
            mode: vpaModeText(vpa),
            workload: `${ref.kind} ${ref.name}`,
            scaler: describeScaler(scaler),
            resource: resource.join(' and '),
            other: RESOURCES.find((r) => !fought.has(r)) ?? '',
          },
        });
      }
    }
  },
});
