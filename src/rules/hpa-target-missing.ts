import { BUILTIN_WORKLOAD_KINDS } from '../model/workload.js';
import { edit, notFixed, valueAt } from './fixes/build.js';
import { describeScaler, isHpa, isScaledObject, scaleTargetOf } from '../model/autoscaling.js';
import { defineRule } from './define-rule.js';

const LISTED = 5;

export default defineRule({
  id: 'hpa-target-missing',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description: 'An HPA whose scaleTargetRef names a workload that is not there scales nothing.',
  needs: BUILTIN_WORKLOAD_KINDS,
  fixSafety: { kind: 'safe' },
  messages: {
    otherKind: {
      headline: '{{scaler}} names the wrong kind: {{name}} is a {{actual}}',
      detail:
        'It targets {{kind}} {{name}}, which is not in namespace {{namespace}}, but a {{actual}} {{name}} is, so nothing is autoscaled. Set scaleTargetRef.kind: {{actual}}.',
    },
    missing: {
      headline: '{{scaler}} targets {{kind}} {{name}}, which is missing',
      detail:
        'No {{kind}} {{name}} is in namespace {{namespace}} ({{existing}}), so the autoscaler scales nothing. Fix scaleTargetRef.name (an HPA only scales workloads of its own namespace).',
    },
  },
  fix(target, context) {
    if (target.messageId !== 'otherKind')
      return notFixed('decide which workload the autoscaler is for: name one that exists');
    const workload = context.index
      .workloadsIn(target.object.namespace)
      .find((w) => w.object.name === target.data['name'] && w.kind === target.data['actual']);
    if (!workload) return notFixed('decide which workload the autoscaler is for');
    // The kind and apiVersion it named are said too: the fix changes them.
    const named = ['apiVersion', 'kind']
      .map((k) => valueAt(target.object, `/spec/scaleTargetRef/${k}`))
      .filter((v) => typeof v === 'string');
    return edit(
      target.object,
      `point scaleTargetRef at ${workload.object.apiVersion} ${workload.kind} ${workload.object.name}${named.length ? ` instead of ${named.join(' ')} ${workload.object.name}` : ''}`,
      { op: 'add', path: '/spec/scaleTargetRef/kind', value: workload.kind },
      { op: 'add', path: '/spec/scaleTargetRef/apiVersion', value: workload.object.apiVersion },
    );
  },
  check({ index, report }) {
    for (const scaler of index.ofKind('HorizontalPodAutoscaler', 'ScaledObject')) {
      if (!isHpa(scaler) && !isScaledObject(scaler)) continue;
      const ref = scaleTargetOf(scaler);
      if (!ref) continue;
      const ns = scaler.namespace;
      const ofKind = index.inNamespace(ns, ref.kind);
      if (ofKind.some((o) => o.name === ref.name)) continue;
      // Without any object of that kind here, the target is most likely applied from elsewhere.
      if (!index.hasKindIn(ns, ref.kind)) continue;
      const base = { scaler: describeScaler(scaler), kind: ref.kind, name: ref.name, namespace: ns };
      const sameName = index.workloadsIn(ns).find((w) => w.object.name === ref.name);
      if (sameName) {
        report({
          object: scaler,
          path: '/spec/scaleTargetRef/kind',
          messageId: 'otherKind',
          data: { ...base, actual: sameName.kind },
        });
        continue;
      }
      const names = ofKind.map((o) => o.name);
      const shown = names.slice(0, LISTED).join(', ') + (names.length > LISTED ? ', …' : '');
      report({
        object: scaler,
        path: '/spec/scaleTargetRef/name',
        messageId: 'missing',
        data: { ...base, existing: `${ref.kind}s there: ${shown}` },
      });
    }
  },
});
