import { edit, notFixed } from './fixes/build.js';
import type { FixPlan } from './fixes/types.js';
import {
  apiStatus,
  findDeprecatedApi,
  replacementAt,
  unknownKubernetesKind,
  type DeprecatedApi,
} from '../model/deprecated-apis.js';
import { getAt } from '../model/json-path.js';
import { DEFAULT_KUBE_VERSION, parseMinor, shortVersion } from '../model/kube-versions.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'deprecated-api',
  category: 'api',
  defaultSeverity: 'error',
  guide: 'Protect critical workload with Pod Disruption Budgets',
  description:
    'An apiVersion removed at the target Kubernetes version is refused by the API server; a deprecated one soon will be.',
  fixSafety: { kind: 'safe' },
  messages: {
    removed: {
      headline: '{{kind}} {{name}}: {{apiVersion}} is no longer served',
      detail:
        'Kubernetes stopped serving {{apiVersion}} in {{removedIn}}: a {{target}} API server rejects it. {{advice}}{{notes}}',
    },
    off: {
      headline: '{{kind}} {{name}}: {{apiVersion}} is off by default',
      detail:
        'It is a pre-release version that a {{target}} API server serves only when its --runtime-config enables {{apiVersion}}: a default cluster rejects it. {{advice}}{{notes}}',
    },
    deprecated: {
      headline: '{{kind}} {{name}}: {{apiVersion}} is deprecated',
      detail: 'It is deprecated since Kubernetes {{deprecatedIn}} and {{removal}}. {{advice}}{{notes}}',
    },
    unknown: {
      headline: '{{kind}} {{name}}: unknown apiVersion {{apiVersion}}',
      detail:
        'No Kubernetes release kubeha knows serves a {{kind}} in {{apiVersion}}: kubectl finds no such kind ("no matches for kind") and the object is never applied. {{advice}}',
    },
    addonRemoved: {
      headline: '{{kind}} {{name}}: {{apiVersion}} is no longer served',
      detail:
        '{{component}} stopped serving {{apiVersion}} in {{removedIn}}: current releases reject or ignore it. {{advice}}{{notes}}',
    },
    addonDeprecated: {
      headline: '{{kind}} {{name}}: {{apiVersion}} is deprecated',
      detail: 'It is deprecated since {{component}} {{deprecatedIn}}. {{advice}}{{notes}}',
    },
  },
  fix(target, context) {
    const object = target.object;
    const api = findDeprecatedApi(object.apiVersion, object.kind);
    const replacement = api && replacementAt(api, context.options.kubeVersion ?? DEFAULT_KUBE_VERSION);
    if (!api || !replacement)
      return notFixed('there is no replacement API: decide whether the object is still needed');
    const move = mechanicalMove(object, replacement.apiVersion, replacement.kind);
    if (typeof move !== 'string') return move;
    return edit(object, `move from ${object.apiVersion} to ${replacement.apiVersion}`, {
      op: 'replace',
      path: '/apiVersion',
      value: move,
    });
  },
  check({ index, settings, report }) {
    // An unparseable target (a typo in the config) is judged as the default rather than silencing the rule.
    const target = parseMinor(settings.kubeVersion) ? settings.kubeVersion : DEFAULT_KUBE_VERSION;
    for (const object of index.objects) {
      const api = findDeprecatedApi(object.apiVersion, object.kind);
      if (!api) {
        const unknown = unknownKubernetesKind(object.apiVersion, object.kind);
        if (unknown)
          report({
            object,
            path: '/apiVersion',
            messageId: 'unknown',
            data: {
              kind: object.kind,
              name: object.name,
              apiVersion: object.apiVersion,
              advice: unknown.servedAs.length
                ? `Use ${unknown.servedAs.join(' or ')}.`
                : 'Check the kind and its API group.',
            },
          });
        continue;
      }
      const status = apiStatus(api, target);
      if (status === 'served') continue;
      const addon = api.component !== 'kubernetes';
      const data = {
        kind: object.kind,
        name: object.name,
        apiVersion: object.apiVersion,
        target: shortVersion(target),
        component: api.component,
        deprecatedIn: api.deprecated,
        removedIn: api.removed ?? '',
        removal: api.removed ? `removed in ${api.removed}` : 'still served (no removal is scheduled)',
        replacement: '',
        advice: '',
        notes: '',
      };
      const replacement = replacementAt(api, target);
      if (replacement) {
        data.replacement = replacement.kind
          ? `${replacement.apiVersion} ${replacement.kind}`
          : replacement.apiVersion;
        const since = replacement.since && !addon ? ` (served since ${replacement.since})` : '';
        data.advice =
          status === 'deprecated'
            ? `Move to ${data.replacement}${since} before upgrading.`
            : `Use ${data.replacement}${since}.`;
      } else {
        data.advice =
          status === 'removed'
            ? 'There is no replacement at this version: remove the object.'
            : status === 'off'
              ? 'There is no generally available version yet: enable it on the cluster or remove the object.'
              : 'There is no replacement: plan to remove it.';
      }
      const notes = notesFor(api, object);
      if (notes) data.notes = ` ${notes}`;
      report({
        object,
        path: '/apiVersion',
        messageId: addon ? (status === 'removed' ? 'addonRemoved' : 'addonDeprecated') : status,
        // Refused by the target's API server (removed, or off by default): an error; still served: a warning.
        severity: status === 'removed' || status === 'off' ? 'error' : 'warning',
        data,
      });
    }
  },
});

/** The migration notes, made concrete when the object itself hits one (an empty PDB selector). */
function notesFor(api: DeprecatedApi, object: K8sObject): string | undefined {
  if (api.kind === 'PodDisruptionBudget' && api.apiVersion === 'policy/v1beta1') {
    const selector = getAt(object.raw, '/spec/selector');
    if (isJsonObject(selector) && isEmptySelector(selector)) {
      return 'Careful: its empty spec.selector selects no pods in policy/v1beta1 but every pod in the namespace in policy/v1; write the matchLabels you mean before migrating.';
    }
  }
  return api.notes ? `Migration: ${api.notes}.` : undefined;
}

function isEmptySelector(selector: Record<string, unknown>): boolean {
  const labels = selector['matchLabels'];
  const exprs = selector['matchExpressions'];
  const noLabels =
    labels === undefined || labels === null || (isJsonObject(labels) && Object.keys(labels).length === 0);
  const noExprs = exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.length === 0);
  return noLabels && noExprs;
}

/**
 * Moves where the newer version has the same schema and the same defaults, so only apiVersion changes.
 * Others (extensions/v1beta1 Deployments with other defaults, Ingress backends, HPA v2beta1 metrics) need
 * the user to rewrite fields. Sources: the Kubernetes deprecated API migration guide.
 */
const SAME_SCHEMA: Record<string, readonly string[]> = {
  PodDisruptionBudget: ['policy/v1beta1>policy/v1'],
  CronJob: ['batch/v1beta1>batch/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2beta2>autoscaling/v2'],
  NetworkPolicy: ['extensions/v1beta1>networking.k8s.io/v1'],
  Deployment: ['apps/v1beta2>apps/v1'],
  DaemonSet: ['apps/v1beta2>apps/v1'],
  StatefulSet: ['apps/v1beta2>apps/v1'],
  ReplicaSet: ['apps/v1beta2>apps/v1'],
};

function mechanicalMove(object: K8sObject, to: string, kind: string | undefined): string | FixPlan {
  if (
    (kind !== undefined && kind !== object.kind) ||
    !SAME_SCHEMA[object.kind]?.includes(`${object.apiVersion}>${to}`)
  )
    return notFixed(
      `moving to ${kind ? `${to} ${kind}` : to} changes fields or defaults: rewrite the object by the migration notes`,
    );
  if (object.kind === 'PodDisruptionBudget') {
    const selector = getAt(object.raw, '/spec/selector');
    if (isJsonObject(selector) && isEmptySelector(selector))
      return notFixed(
        'its empty selector would select every pod of the namespace in policy/v1: write the matchLabels you mean first',
      );
  }
  return to;
}
