import { edit, notFixed, ownSelector, unsafeEdit } from '../fixes/build.js';
import { getAt, joinPath, splitPointer } from '../../model/json-path.js';
import { isJsonObject } from '../../model/types.js';
import type { FixPlan, FixTarget } from '../fixes/types.js';
import type { JsonObject } from '../../model/types.js';
import {
  analyzeWorkloadSpread,
  describeLabels,
  describeMiss,
  describeReplicas,
  describeSource,
  missPath,
  pinnedDomain,
  podIdentityOf,
  replicaCount,
  selectorSuggestion,
} from '../../model/affinity.js';
import { describe } from '../../model/workload.js';
import type { RuleContext } from '../types.js';

/**
 * The shared check of no-node-spread and no-zone-spread: a multi-replica workload must spread its own
 * pods over the topology level (pods pinned to one domain, and terms that select other pods, are
 * reported with their own messages).
 */
export function checkSpread(
  level: 'node' | 'zone',
  { index, report }: RuleContext<unknown, 'none' | 'notOwn' | 'pinned'>,
): void {
  for (const w of index.workloads) {
    const count = replicaCount(index, w);
    if (!count || count.peak < 2) continue;
    const template = index.templateOf(w);
    // An Argo Rollout whose workloadRef is not in the input: its pod spec is unknown.
    if (w.templateRef && template === w) continue;
    const pod = podIdentityOf(index, w);
    // The message's words are made only for the workloads reported: most spread their pods.
    const data = () => ({
      workload: describe(w),
      replicas: describeReplicas(count),
      labels: describeLabels(pod.labels),
      selector: selectorSuggestion(template, pod.labels),
    });
    const pin = pinnedDomain(template.podSpec, template.podSpecPath, level);
    if (pin) {
      report({
        object: template.object,
        path: pin.path,
        messageId: 'pinned',
        data: { ...data(), domain: pin.level, field: pin.field, value: pin.value },
      });
      continue;
    }
    // On zones, terms on failure-domain.beta.kubernetes.io/zone count: cloud providers still set that
    // label on every node (see topologyLevel); deprecated-topology-key reports the key.
    const spread = analyzeWorkloadSpread(index, template, pod, level);
    if (spread.spreadBy) continue;
    const miss = spread.notOwn[0];
    if (miss) {
      const at = miss.type === 'term' ? miss.term : miss.constraint;
      report({
        object: template.object,
        path: missPath(at, miss.match.reason),
        messageId: 'notOwn',
        data: {
          ...data(),
          source: describeSource(miss),
          selected: describeMiss(miss.match.reason, at.labelSelector),
        },
      });
      continue;
    }
    report({
      object: template.object,
      path: `${template.podSpecPath}/topologySpreadConstraints`,
      messageId: 'none',
      data: data(),
    });
  }
}

/**
 * The spread constraint the messages advise, selecting the workload's own pods. Per zone it is hard
 * (DoNotSchedule), so a zone's loss can never take every replica; nodeTaintsPolicy Honor leaves the
 * lost zone's tainted (unreachable, cordoned) nodes out of the skew count, so replacements still
 * schedule in the zones that are left. Per node it stays soft (ScheduleAnyway), so a small or busy
 * cluster still runs every replica.
 */
export function planSpread(level: 'node' | 'zone', target: FixTarget): FixPlan {
  if (target.messageId === 'pinned') return planUnpin(target);
  if (target.messageId !== 'none')
    return notFixed('decide which pods the existing term or constraint was meant to select');
  const labelsPath = target.path.replace(/\/spec\/topologySpreadConstraints$/, '/metadata/labels');
  const selector = ownSelector(target.object, labelsPath);
  if (!selector)
    return notFixed('label the pod template first: a spread constraint selects pods by their labels');
  return edit(target.object, `spread the replicas over ${level === 'zone' ? 'zones' : 'nodes'}`, {
    op: 'add',
    path: `${target.path}/-`,
    value: spreadConstraint(
      level,
      selector,
      target.object.kind === 'Deployment' ? ['pod-template-hash'] : [],
    ),
  });
}

/**
 * A pin by nodeSelector or nodeName is removed (the next round adds the spread constraint). Unsafe: the
 * pin may be deliberate, for a dependency in that zone. Pods that claim volumes keep theirs in one zone,
 * and a required node affinity term may say more than the pin; those stay the user's to change.
 */
function planUnpin(target: FixTarget): FixPlan {
  const segments = splitPointer(target.path);
  const field =
    segments.at(-1) === 'nodeName'
      ? 'nodeName'
      : segments.at(-2) === 'nodeSelector'
        ? 'nodeSelector'
        : undefined;
  const deliberate = 'decide whether the pin is deliberate (a zonal volume or dependency)';
  if (!field)
    return notFixed(
      `${deliberate}; to spread the replicas, let the required node affinity allow more than one`,
    );
  const podSpecPath = joinPath('', ...segments.slice(0, field === 'nodeName' ? -1 : -2));
  const podSpec = getAt(target.object.raw, podSpecPath);
  const claims = getAt(target.object.raw, '/spec/volumeClaimTemplates');
  const volumes = isJsonObject(podSpec) && Array.isArray(podSpec['volumes']) ? podSpec['volumes'] : [];
  if (
    (Array.isArray(claims) && claims.length) ||
    volumes.some((v) => isJsonObject(v) && v['persistentVolumeClaim'] !== undefined)
  )
    return notFixed(
      `${deliberate}: the pods claim persistent volumes, which stay in the zone they were made in; move the data before the pin`,
    );
  const selector = isJsonObject(podSpec) ? podSpec['nodeSelector'] : undefined;
  const path =
    field === 'nodeSelector' && isJsonObject(selector) && Object.keys(selector).length === 1
      ? joinPath(podSpecPath, 'nodeSelector')
      : target.path;
  const pinned =
    field === 'nodeName'
      ? `node ${String(getAt(target.object.raw, target.path))}`
      : `${segments.at(-1)}=${String(getAt(target.object.raw, target.path))}`;
  return unsafeEdit(
    target.object,
    `remove the pin to ${pinned}`,
    'the pin may be deliberate (a dependency that runs only there); check before applying',
    { op: 'remove', path },
  );
}

/**
 * The constraint kubeha fix writes: hard per zone, soft per node (see planSpread). `matchLabelKeys`
 * (pod-template-hash for a Deployment) balances each revision on its own during a rolling update.
 */
export function spreadConstraint(
  level: 'node' | 'zone',
  selector: JsonObject,
  matchLabelKeys: readonly string[],
): JsonObject {
  return {
    maxSkew: 1,
    topologyKey: level === 'zone' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
    whenUnsatisfiable: level === 'zone' ? 'DoNotSchedule' : 'ScheduleAnyway',
    ...(level === 'zone' ? { nodeTaintsPolicy: 'Honor' } : {}),
    labelSelector: selector,
    ...(matchLabelKeys.length ? { matchLabelKeys: [...matchLabelKeys] } : {}),
  };
}
