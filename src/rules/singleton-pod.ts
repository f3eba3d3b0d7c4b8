import { notFixed, targetReplicas, unsafeEdit, workloadOf } from './fixes/build.js';
import { stateSplitReview } from './fixes/stateful.js';
import type { FixContext, FixPlan, FixTarget, PatchOp } from './fixes/types.js';
import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

/** Where the pod spec waits while the Deployment's spec is built around it (one patch: never written). */
const PARKED = '/kubeha-fix-pod-spec';

/**
 * A long-running bare Pod becomes a Deployment of the same name running the same pod spec: the guide's
 * advice. Unsafe, because applying it creates the Deployment beside the running Pod, which stays until
 * deleted. A pod that runs to completion is a Job's, and one with a claimed volume a StatefulSet's:
 * those are the user's to choose.
 */
function planDeployment(target: FixTarget, context: FixContext): FixPlan {
  const pod = target.object;
  if (target.messageId !== 'service')
    return notFixed(
      'decide how the work should be retried: a Job (backoffLimit, activeDeadlineSeconds) runs it to completion',
    );
  const spec = getAt(pod.raw, '/spec');
  if (!isJsonObject(spec)) return notFixed('the pod has no spec to move');
  const volumes = Array.isArray(spec['volumes']) ? spec['volumes'] : [];
  const claim = volumes.find((v) => isJsonObject(v) && isJsonObject(v['persistentVolumeClaim']));
  if (isJsonObject(claim))
    return notFixed(
      `decide how replicas share the pod's volume ${String(claim['name'])} (a PersistentVolumeClaim): a StatefulSet with volumeClaimTemplates gives each its own`,
    );
  if (typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '')
    return notFixed(
      `decide whether the pod must run on node ${spec['nodeName']} (spec.nodeName); a Deployment's replicas pinned there share its fate`,
    );
  const ownLabels = getAt(pod.raw, '/metadata/labels');
  const labels: JsonObject =
    isJsonObject(ownLabels) && Object.keys(ownLabels).length > 0
      ? structuredClone(ownLabels)
      : { app: pod.name };
  const replicas = targetReplicas(context);
  const ops: PatchOp[] = [
    { op: 'replace', path: '/apiVersion', value: 'apps/v1' },
    { op: 'replace', path: '/kind', value: 'Deployment' },
    { op: 'move', from: '/spec', path: PARKED },
    {
      op: 'add',
      path: '/spec',
      // Copies, or yaml would write the repeated object as an anchor and aliases.
      value: {
        replicas,
        selector: { matchLabels: structuredClone(labels) },
        template: { metadata: { labels: structuredClone(labels) } },
      },
    },
  ];
  if (!isJsonObject(ownLabels) || Object.keys(ownLabels).length === 0)
    ops.push({ op: 'add', path: '/metadata/labels', value: labels });
  // Annotations of a Pod are read from the pod (sidecar injection, scraping): they go to the template.
  if (isJsonObject(getAt(pod.raw, '/metadata/annotations')))
    ops.push({ op: 'move', from: '/metadata/annotations', path: '/spec/template/metadata/annotations' });
  ops.push({ op: 'move', from: PARKED, path: '/spec/template/spec' });
  const ns = pod.namespace ? ` -n ${pod.namespace}` : '';
  const w = workloadOf(context.index, pod);
  const split = w ? stateSplitReview(context.index, w, replicas) : undefined;
  return unsafeEdit(
    pod,
    `run Pod ${pod.name} from a Deployment of ${replicas} replicas`,
    `applying it creates Deployment ${pod.name} beside the running Pod, which nothing deletes: delete the Pod (kubectl delete pod ${pod.name}${ns}) once the Deployment's pods are ready${split ? `; it also ${split}` : ''}`,
    ...ops,
  );
}

export default defineRule({
  id: 'singleton-pod',
  category: 'workload',
  defaultSeverity: 'error',
  guide: 'Avoid running singleton pods',
  description: 'A bare Pod with no controller is not recreated when it dies or its node goes away.',
  fixSafety: {
    kind: 'unsafe',
    reason:
      "applying it creates a Deployment beside the running Pod, which nothing deletes: delete the Pod once the Deployment's pods are ready",
  },
  messages: {
    service: {
      headline: 'Pod {{name}} has no controller',
      detail:
        'When it is evicted, deleted or its node fails, nothing recreates it. Run it from a Deployment (a StatefulSet if it keeps state) with 2 or more replicas.',
    },
    oneShot: {
      headline: 'Pod {{name}} runs to completion with no controller',
      detail: 'If its node fails, the work is lost and nothing retries it. Run it as a Job.',
    },
  },
  fix: planDeployment,
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.singleton) continue;
      report({
        object: w.object,
        path: '/kind',
        messageId: w.longRunning ? 'service' : 'oneShot',
        data: { name: w.object.name },
      });
    }
  },
});
