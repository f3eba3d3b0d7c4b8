/**
 * Inter-pod (anti-)affinity terms, topology spread constraints and node pins of a pod spec, read with
 * the JSON pointers of their fields, and the question the HA rules and the simulator keep asking:
 * does a term or constraint select the workload's own replicas?
 *
 * Semantics follow Kubernetes (k8s.io/api core/v1 types, kube-scheduler's InterPodAffinity and
 * PodTopologySpread plugins, metav1.LabelSelectorAsSelector): a null label selector matches no pod, an
 * empty one every pod; matchLabelKeys / mismatchLabelKeys merge the incoming pod's own values into the
 * selector as `key in (value)` / `key notin (value)`, and keys the pod lacks are ignored.
 */
import { getAt, joinPath } from './json-path.js';
import {
  formatSelector,
  matches,
  parseSelector,
  stringMap,
  type LabelSelector,
  type Labels,
} from './labels.js';
import type { ObjectIndex } from './object-index.js';
import { isJsonObject, type JsonObject, type JsonValue } from './types.js';
import {
  CONTROLLER_POD_LABELS,
  REPLICATED_KINDS,
  WORKLOAD_KINDS,
  type Workload,
  type WorkloadKind,
} from './workload.js';
import { isInt32 } from './number-text.js';

// ---- well-known node labels

export const HOSTNAME_KEY = 'kubernetes.io/hostname';
export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const REGION_KEY = 'topology.kubernetes.io/region';
export const BETA_ZONE_KEY = 'failure-domain.beta.kubernetes.io/zone';
export const BETA_REGION_KEY = 'failure-domain.beta.kubernetes.io/region';

/**
 * Deprecated topology labels and their replacements. kube-apiserver warns on them
 * (pkg/api/pod/warnings.go: "deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead").
 */
export const DEPRECATED_TOPOLOGY_KEYS: Readonly<Record<string, string>> = {
  [BETA_ZONE_KEY]: ZONE_KEY,
  [BETA_REGION_KEY]: REGION_KEY,
};

/** A failure domain, from the smallest to the largest. */
export type TopologyLevel = 'node' | 'zone' | 'region';
const LEVEL_RANK: Record<TopologyLevel, number> = { node: 0, zone: 1, region: 2 };

/**
 * The failure domain a topology key stands for. The beta keys count: kubelet (in-tree cloud providers)
 * and the cloud-provider node controller still label every node they initialise with both the beta
 * and the GA zone and region (k8s.io/cloud-provider controllers/node getNodeModifiersFromCloudProvider), so a term on the
 * beta key still spreads on cloud nodes; deprecated-topology-key reports the key itself.
 */
export function topologyLevel(key: string | undefined): TopologyLevel | undefined {
  switch (key) {
    case HOSTNAME_KEY:
      return 'node';
    case ZONE_KEY:
    case BETA_ZONE_KEY:
      return 'zone';
    case REGION_KEY:
    case BETA_REGION_KEY:
      return 'region';
    default:
      return undefined;
  }
}

/** The GA key of a level, as messages and fixes name it. */
export const LEVEL_KEY: Record<TopologyLevel, string> = {
  node: HOSTNAME_KEY,
  zone: ZONE_KEY,
  region: REGION_KEY,
};

// ---- reading the pod spec

export type PodAffinityType = 'podAffinity' | 'podAntiAffinity';
export type TermMode = 'required' | 'preferred';

export interface PodAffinityTermView {
  type: PodAffinityType;
  mode: TermMode;
  /** JSON pointer of the PodAffinityTerm (the inner `podAffinityTerm` of a preferred term). */
  path: string;
  /** Weight of a preferred term; undefined for required terms. */
  weight: number | undefined;
  topologyKey: string | undefined;
  /** undefined when labelSelector is absent or null: the term matches no pod. */
  labelSelector: LabelSelector | undefined;
  /** The labelSelector as written, to point at its fields. */
  rawLabelSelector: JsonObject | undefined;
  namespaces: string[];
  /** undefined when absent or null; `{}` selects every namespace. */
  namespaceSelector: LabelSelector | undefined;
  matchLabelKeys: string[];
  mismatchLabelKeys: string[];
}

export interface TopologySpreadConstraintView {
  /** JSON pointer of the constraint. */
  path: string;
  index: number;
  topologyKey: string | undefined;
  maxSkew: number | undefined;
  whenUnsatisfiable: string | undefined;
  /** undefined when labelSelector is absent or null: the constraint counts no pod. */
  labelSelector: LabelSelector | undefined;
  rawLabelSelector: JsonObject | undefined;
  matchLabelKeys: string[];
  minDomains: number | undefined;
  nodeAffinityPolicy: string | undefined;
  nodeTaintsPolicy: string | undefined;
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function objectOrUndefined(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

function readTerm(
  raw: JsonObject,
  path: string,
  type: PodAffinityType,
  mode: TermMode,
  weight: number | undefined,
): PodAffinityTermView {
  return {
    type,
    mode,
    path,
    weight,
    topologyKey: str(raw['topologyKey']),
    labelSelector: parseSelector(raw['labelSelector']),
    rawLabelSelector: objectOrUndefined(raw['labelSelector']),
    namespaces: strings(raw['namespaces']),
    namespaceSelector: parseSelector(raw['namespaceSelector']),
    matchLabelKeys: strings(raw['matchLabelKeys']),
    mismatchLabelKeys: strings(raw['mismatchLabelKeys']),
  };
}

/** Every podAffinity and podAntiAffinity term of a pod spec, required and preferred, in document order. */
export function podAffinityTerms(podSpec: JsonObject, podSpecPath: string): PodAffinityTermView[] {
  const out: PodAffinityTermView[] = [];
  // Most pod specs have no affinity: that answer costs one property read, not two pointers.
  const affinity = podSpec['affinity'];
  if (!isJsonObject(affinity)) return out;
  for (const type of ['podAffinity', 'podAntiAffinity'] as const) {
    const block = Object.prototype.hasOwnProperty.call(affinity, type) ? affinity[type] : undefined;
    if (!isJsonObject(block)) continue;
    const base = joinPath(podSpecPath, 'affinity', type);
    const required = block['requiredDuringSchedulingIgnoredDuringExecution'];
    if (Array.isArray(required)) {
      required.forEach((t, i) => {
        if (isJsonObject(t))
          out.push(
            readTerm(
              t,
              joinPath(base, 'requiredDuringSchedulingIgnoredDuringExecution', i),
              type,
              'required',
              undefined,
            ),
          );
      });
    }
    const preferred = block['preferredDuringSchedulingIgnoredDuringExecution'];
    if (Array.isArray(preferred)) {
      preferred.forEach((p, i) => {
        if (!isJsonObject(p) || !isJsonObject(p['podAffinityTerm'])) return;
        const path = joinPath(base, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm');
        out.push(readTerm(p['podAffinityTerm'], path, type, 'preferred', num(p['weight'])));
      });
    }
  }
  return out;
}

export function topologySpreadConstraints(
  podSpec: JsonObject,
  podSpecPath: string,
): TopologySpreadConstraintView[] {
  const list = podSpec['topologySpreadConstraints'];
  if (!Array.isArray(list)) return [];
  const out: TopologySpreadConstraintView[] = [];
  list.forEach((c, index) => {
    if (!isJsonObject(c)) return;
    out.push({
      path: joinPath(podSpecPath, 'topologySpreadConstraints', index),
      index,
      topologyKey: str(c['topologyKey']),
      maxSkew: num(c['maxSkew']),
      whenUnsatisfiable: str(c['whenUnsatisfiable']),
      labelSelector: parseSelector(c['labelSelector']),
      rawLabelSelector: objectOrUndefined(c['labelSelector']),
      matchLabelKeys: strings(c['matchLabelKeys']),
      minDomains: num(c['minDomains']),
      nodeAffinityPolicy: str(c['nodeAffinityPolicy']),
      nodeTaintsPolicy: str(c['nodeTaintsPolicy']),
    });
  });
  return out;
}

/** Where a node label key is used in a pod spec. */
export type NodeKeyUse =
  'podAffinity' | 'podAntiAffinity' | 'topologySpreadConstraints' | 'nodeSelector' | 'nodeAffinity';

export interface NodeKeyRef {
  key: string;
  /** JSON pointer of the field holding the key (a topologyKey, a nodeSelector entry, an expression's key). */
  path: string;
  use: NodeKeyUse;
}

/**
 * Every place a pod spec names a node label: topology keys of affinity terms and spread constraints,
 * nodeSelector keys, and node affinity match expressions and fields (required and preferred).
 */
export function nodeKeyRefs(podSpec: JsonObject, podSpecPath: string): NodeKeyRef[] {
  const out: NodeKeyRef[] = [];
  for (const t of podAffinityTerms(podSpec, podSpecPath)) {
    if (t.topologyKey !== undefined)
      out.push({ key: t.topologyKey, path: `${t.path}/topologyKey`, use: t.type });
  }
  for (const c of topologySpreadConstraints(podSpec, podSpecPath)) {
    if (c.topologyKey !== undefined)
      out.push({ key: c.topologyKey, path: `${c.path}/topologyKey`, use: 'topologySpreadConstraints' });
  }
  const nodeSelector = podSpec['nodeSelector'];
  if (isJsonObject(nodeSelector)) {
    for (const key of Object.keys(nodeSelector))
      out.push({ key, path: joinPath(podSpecPath, 'nodeSelector', key), use: 'nodeSelector' });
  }
  for (const term of nodeSelectorTerms(podSpec, podSpecPath)) {
    for (const r of term.requirements) out.push({ key: r.key, path: r.keyPath, use: 'nodeAffinity' });
  }
  return out;
}

interface NodeRequirement {
  key: string;
  operator: string;
  values: string[];
  field: 'matchExpressions' | 'matchFields';
  /** JSON pointer of the requirement. */
  path: string;
  keyPath: string;
}

interface NodeTermView {
  required: boolean;
  requirements: NodeRequirement[];
}

function nodeSelectorTerms(podSpec: JsonObject, podSpecPath: string): NodeTermView[] {
  const base = joinPath(podSpecPath, 'affinity', 'nodeAffinity');
  const out: NodeTermView[] = [];
  const read = (term: JsonValue | undefined, termPath: string, required: boolean): void => {
    if (!isJsonObject(term)) return;
    const requirements: NodeRequirement[] = [];
    for (const field of ['matchExpressions', 'matchFields'] as const) {
      const list = term[field];
      if (!Array.isArray(list)) continue;
      list.forEach((e, j) => {
        if (!isJsonObject(e) || typeof e['key'] !== 'string') return;
        const path = joinPath(termPath, field, j);
        requirements.push({
          key: e['key'],
          operator: str(e['operator']) ?? '',
          values: strings(e['values']),
          field,
          path,
          keyPath: `${path}/key`,
        });
      });
    }
    out.push({ required, requirements });
  };
  const requiredTerms = getAt(
    podSpec,
    '/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms',
  );
  if (Array.isArray(requiredTerms)) {
    requiredTerms.forEach((t, i) =>
      read(t, joinPath(base, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i), true),
    );
  }
  const preferred = getAt(podSpec, '/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution');
  if (Array.isArray(preferred)) {
    preferred.forEach((p, i) => {
      if (isJsonObject(p))
        read(
          p['preference'],
          joinPath(base, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference'),
          false,
        );
    });
  }
  return out;
}

/**
 * The zones a pod spec names: values of its nodeSelector and node affinity (`In`, required or
 * preferred) on a zone key. A pod pinned to `eu-west-1a` says which zones the cluster has.
 */
export function namedZones(podSpec: JsonObject): string[] {
  const out: string[] = [];
  const nodeSelector = podSpec['nodeSelector'];
  if (isJsonObject(nodeSelector)) {
    for (const [key, value] of Object.entries(nodeSelector))
      if (topologyLevel(key) === 'zone' && typeof value === 'string') out.push(value);
  }
  for (const term of nodeSelectorTerms(podSpec, ''))
    for (const r of term.requirements)
      if (r.field === 'matchExpressions' && r.operator === 'In' && topologyLevel(r.key) === 'zone')
        out.push(...r.values);
  return out;
}

export interface Pin {
  /** The node name, hostname or zone every pod is confined to. */
  value: string;
  /** JSON pointer of the field that pins it. */
  path: string;
  /** How the pin is written, for messages: `nodeName`, `nodeSelector kubernetes.io/hostname`, … */
  field: string;
  level: TopologyLevel;
}

/**
 * Whether the pod can only ever run in one failure domain of this level: spec.nodeName, a nodeSelector
 * on the level's key, or required node affinity whose every term (they are ORed) confines the key to
 * one and the same value. A pin to one node also pins the zone and the region.
 */
export function pinnedDomain(
  podSpec: JsonObject,
  podSpecPath: string,
  level: TopologyLevel,
): Pin | undefined {
  const nodeName = podSpec['nodeName'];
  if (typeof nodeName === 'string' && nodeName !== '')
    return { value: nodeName, path: joinPath(podSpecPath, 'nodeName'), field: 'nodeName', level: 'node' };
  const nodeSelector = isJsonObject(podSpec['nodeSelector']) ? podSpec['nodeSelector'] : {};
  for (const [key, value] of Object.entries(nodeSelector)) {
    const l = topologyLevel(key);
    if (l !== undefined && LEVEL_RANK[l] <= LEVEL_RANK[level] && typeof value === 'string')
      return {
        value,
        path: joinPath(podSpecPath, 'nodeSelector', key),
        field: `nodeSelector ${key}`,
        level: l,
      };
  }
  const required = nodeSelectorTerms(podSpec, podSpecPath).filter((t) => t.required);
  if (required.length === 0) return undefined;
  let pin: Pin | undefined;
  for (const term of required) {
    const termPin = term.requirements
      .map((r) => requirementPin(r, level))
      .find((p): p is Pin => p !== undefined);
    if (!termPin || (pin && (pin.value !== termPin.value || pin.level !== termPin.level))) return undefined;
    pin ??= termPin;
  }
  return pin;
}

function requirementPin(r: NodeRequirement, level: TopologyLevel): Pin | undefined {
  if (r.operator !== 'In' || r.values.length !== 1) return undefined;
  const l =
    r.field === 'matchFields' ? (r.key === 'metadata.name' ? 'node' : undefined) : topologyLevel(r.key);
  if (l === undefined || LEVEL_RANK[l] > LEVEL_RANK[level]) return undefined;
  return { value: r.values[0]!, path: r.path, field: `required node affinity on ${r.key}`, level: l };
}

// ---- the pods a workload creates

/** What a pod of a workload looks like to a selector, as far as the manifests tell. */
export interface PodIdentity {
  /** The template's labels. */
  labels: Labels;
  namespace: string;
  /** Labels the controller adds with values unknown statically (pod-template-hash, …). */
  controllerKeys: readonly string[];
  /** Those of controllerKeys whose value differs between sibling pods (statefulset.kubernetes.io/pod-name). */
  perPodKeys: readonly string[];
  /**
   * Labels of the pod's namespace: kubernetes.io/metadata.name always, the rest when a Namespace
   * object was in the input (`namespaceLabelsKnown`).
   */
  namespaceLabels: Labels;
  namespaceLabelsKnown: boolean;
}

export function podIdentity(
  kind: WorkloadKind,
  labels: Labels,
  namespace: string,
  namespaceLabels?: Labels,
): PodIdentity {
  const controller = CONTROLLER_POD_LABELS[kind] ?? { keys: [], perPod: [] };
  return {
    labels,
    namespace,
    controllerKeys: controller.keys.filter((k) => !(k in labels)),
    perPodKeys: controller.perPod,
    // The API server sets kubernetes.io/metadata.name on every namespace (NamespaceDefaultLabelName).
    namespaceLabels: { ...namespaceLabels, 'kubernetes.io/metadata.name': namespace },
    namespaceLabelsKnown: namespaceLabels !== undefined,
  };
}

/** The labels of a Namespace object in the input, or undefined when it is not there. */
export function namespaceLabelsIn(index: ObjectIndex, namespace: string): Labels | undefined {
  const ns = index.ofKind('Namespace').find((o) => o.name === namespace);
  return ns ? stringMap(getAt(ns.raw, '/metadata/labels')) : undefined;
}

/** The pod identity of a workload's pods (the template of an Argo Rollout's workloadRef included). */
export function podIdentityOf(index: ObjectIndex, w: Workload): PodIdentity {
  return index.remember('podIdentityOf', w, () =>
    podIdentity(
      w.kind,
      index.templateOf(w).podLabels,
      w.object.namespace,
      namespaceLabelsIn(index, w.object.namespace),
    ),
  );
}

// ---- effective selectors

function withValues(
  selector: LabelSelector,
  keys: readonly string[],
  labels: Labels,
  operator: 'In' | 'NotIn',
): LabelSelector {
  const extra = keys
    .filter((k) => Object.prototype.hasOwnProperty.call(labels, k))
    .map((k) => ({ key: k, operator, values: [labels[k]!] }));
  return extra.length === 0
    ? selector
    : { matchLabels: selector.matchLabels, matchExpressions: [...selector.matchExpressions, ...extra] };
}

/**
 * The selector kube-scheduler applies for a term, given the labels of the pod that carries it:
 * labelSelector AND `key in (value)` per matchLabelKeys AND `key notin (value)` per mismatchLabelKeys.
 * undefined when the term has no labelSelector (it matches no pod).
 */
export function effectiveTermSelector(
  term: PodAffinityTermView,
  podLabels: Labels,
): LabelSelector | undefined {
  if (!term.labelSelector) return undefined;
  const s = withValues(term.labelSelector, term.matchLabelKeys, podLabels, 'In');
  return withValues(s, term.mismatchLabelKeys, podLabels, 'NotIn');
}

/** The same for a spread constraint: labelSelector AND `key in (value)` per matchLabelKeys. */
export function effectiveSpreadSelector(
  c: TopologySpreadConstraintView,
  podLabels: Labels,
): LabelSelector | undefined {
  if (!c.labelSelector) return undefined;
  return withValues(c.labelSelector, c.matchLabelKeys, podLabels, 'In');
}

/** Whether a term applies to pods of a namespace: its namespaces list, its namespaceSelector, or its own. */
export function termCoversNamespace(
  term: PodAffinityTermView,
  ownNamespace: string,
  namespace: string,
  namespaceLabels: Labels,
): boolean {
  if (term.namespaces.length === 0 && !term.namespaceSelector) return namespace === ownNamespace;
  if (term.namespaces.includes(namespace)) return true;
  return term.namespaceSelector !== undefined && matches(term.namespaceSelector, namespaceLabels);
}

// ---- does it select the workload's own replicas?

export type Verdict = 'yes' | 'no' | 'unknown';

/** Why a term or constraint does not select the workload's other replicas. */
export type MissReason =
  | { kind: 'nil-selector' }
  /** A requirement of the selector the pods fail: the first one, in the order the selector is written. */
  | { kind: 'label'; key: string; operator: string; values: string[]; have: string | undefined }
  | { kind: 'namespace' }
  /** mismatchLabelKeys names a label the pods share: `key notin (own value)` excludes them. */
  | { kind: 'mismatch-label-key'; key: string }
  /** matchLabelKeys names a label unique to each pod: the selector matches the pod alone. */
  | { kind: 'per-pod-key'; key: string };

export interface OwnPodsMatch {
  verdict: Verdict;
  reason?: MissReason;
}

function and(a: Verdict, b: Verdict): Verdict {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

/**
 * A selector against labels some of whose values are unknown (`unknownKeys` exist, value not known):
 * `unknown` when the answer depends on those values.
 */
function matchesPartly(
  selector: LabelSelector,
  labels: Labels,
  unknownKeys: readonly string[],
): { verdict: Verdict; failed?: { key: string; operator: string; values: string[] } } {
  let verdict: Verdict = 'yes';
  const reqs = [
    ...Object.entries(selector.matchLabels).map(([key, v]) => ({ key, operator: 'In', values: [v] })),
    ...selector.matchExpressions,
  ];
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    let v: Verdict;
    if (!has && unknownKeys.includes(r.key)) {
      v = r.operator === 'Exists' ? 'yes' : r.operator === 'DoesNotExist' ? 'no' : 'unknown';
    } else {
      const value = labels[r.key];
      switch (r.operator) {
        case 'In':
          v = has && r.values.includes(value!) ? 'yes' : 'no';
          break;
        case 'NotIn':
          v = has && r.values.includes(value!) ? 'no' : 'yes';
          break;
        case 'Exists':
          v = has ? 'yes' : 'no';
          break;
        default:
          v = has ? 'no' : 'yes';
      }
    }
    if (v === 'no') return { verdict: 'no', failed: r };
    verdict = and(verdict, v);
  }
  return { verdict };
}

function selectorSelectsSiblings(
  selector: LabelSelector | undefined,
  matchLabelKeys: readonly string[],
  pod: PodIdentity,
): OwnPodsMatch {
  if (!selector) return { verdict: 'no', reason: { kind: 'nil-selector' } };
  const perPod = matchLabelKeys.find((k) => pod.perPodKeys.includes(k));
  if (perPod !== undefined) return { verdict: 'no', reason: { kind: 'per-pod-key', key: perPod } };
  const m = matchesPartly(selector, pod.labels, pod.controllerKeys);
  if (m.verdict === 'no' && m.failed) {
    const { key, operator, values } = m.failed;
    return { verdict: 'no', reason: { kind: 'label', key, operator, values, have: pod.labels[key] } };
  }
  return { verdict: m.verdict };
}

/**
 * Whether a pod (anti-)affinity term selects the other replicas of the pod that carries it: its
 * selector (matchLabelKeys only ever narrow it to the pod's own values), mismatchLabelKeys, and the
 * namespaces it applies to.
 */
export function termSelectsOwnPods(term: PodAffinityTermView, pod: PodIdentity): OwnPodsMatch {
  const own = selectorSelectsSiblings(term.labelSelector, term.matchLabelKeys, pod);
  if (own.verdict === 'no') return own;
  const shared = term.mismatchLabelKeys.find(
    (k) =>
      Object.prototype.hasOwnProperty.call(pod.labels, k) ||
      (pod.controllerKeys.includes(k) && !pod.perPodKeys.includes(k)),
  );
  if (shared !== undefined) return { verdict: 'no', reason: { kind: 'mismatch-label-key', key: shared } };
  const ns = termSelectsOwnNamespace(term, pod);
  if (ns === 'no') return { verdict: 'no', reason: { kind: 'namespace' } };
  return { verdict: and(own.verdict, ns) };
}

function termSelectsOwnNamespace(term: PodAffinityTermView, pod: PodIdentity): Verdict {
  if (term.namespaces.length === 0 && !term.namespaceSelector) return 'yes';
  if (term.namespaces.includes(pod.namespace)) return 'yes';
  if (!term.namespaceSelector) return 'no';
  const unknown = pod.namespaceLabelsKnown
    ? []
    : [
        ...term.namespaceSelector.matchExpressions.map((r) => r.key),
        ...Object.keys(term.namespaceSelector.matchLabels),
      ].filter((k) => k !== 'kubernetes.io/metadata.name');
  return matchesPartly(term.namespaceSelector, pod.namespaceLabels, unknown).verdict;
}

/**
 * The first required pod anti-affinity term on a topology level that certainly selects the pod's own
 * replicas: one whose namespaceSelector cannot be evaluated statically may not apply to them at all.
 */
export function requiredOwnAntiAffinity(
  podSpec: JsonObject,
  podSpecPath: string,
  pod: PodIdentity,
  level: TopologyLevel,
): PodAffinityTermView | undefined {
  return podAffinityTerms(podSpec, podSpecPath).find(
    (t) =>
      t.type === 'podAntiAffinity' &&
      t.mode === 'required' &&
      topologyLevel(t.topologyKey) === level &&
      termSelectsOwnPods(t, pod).verdict === 'yes',
  );
}

/** Whether a topology spread constraint counts the other replicas of the pod that carries it. */
export function constraintSelectsOwnPods(c: TopologySpreadConstraintView, pod: PodIdentity): OwnPodsMatch {
  return selectorSelectsSiblings(c.labelSelector, c.matchLabelKeys, pod);
}

// ---- spreading over a failure domain

export type SpreadSource =
  | { type: 'term'; term: PodAffinityTermView; match: OwnPodsMatch }
  | { type: 'constraint'; constraint: TopologySpreadConstraintView; match: OwnPodsMatch };

export interface SpreadAnalysis {
  /** The first term or constraint that spreads the workload's own replicas over the level. */
  spreadBy: SpreadSource | undefined;
  /** Anti-affinity terms and spread constraints on the level that do not select the workload's own pods. */
  notOwn: SpreadSource[];
}

/**
 * How a pod spec spreads its own replicas over nodes or zones. Counted: pod anti-affinity terms
 * (required or preferred) and spread constraints (either whenUnsatisfiable) on the level's key whose
 * selector selects the replicas (or may: unknown counts), and required anti-affinity on a larger
 * domain, which implies it (one replica per zone is also one per node).
 */
export function analyzeSpread(
  podSpec: JsonObject,
  podSpecPath: string,
  pod: PodIdentity,
  level: TopologyLevel,
): SpreadAnalysis {
  return spreadOf(
    podAffinityTerms(podSpec, podSpecPath),
    topologySpreadConstraints(podSpec, podSpecPath),
    pod,
    level,
  );
}

/** analyzeSpread of a workload's own pod spec, its terms and constraints read once per index. */
export function analyzeWorkloadSpread(
  index: ObjectIndex,
  w: Workload,
  pod: PodIdentity,
  level: TopologyLevel,
): SpreadAnalysis {
  return spreadOf(workloadAffinityTerms(index, w), workloadSpreadConstraints(index, w), pod, level);
}

/** podAffinityTerms of a workload's pod spec, read once per index (the spread rules each ask). */
export function workloadAffinityTerms(index: ObjectIndex, w: Workload): readonly PodAffinityTermView[] {
  return index.remember('podAffinityTerms', w, () => podAffinityTerms(w.podSpec, w.podSpecPath));
}

/** topologySpreadConstraints of a workload's pod spec, read once per index. */
export function workloadSpreadConstraints(
  index: ObjectIndex,
  w: Workload,
): readonly TopologySpreadConstraintView[] {
  return index.remember('topologySpreadConstraints', w, () =>
    topologySpreadConstraints(w.podSpec, w.podSpecPath),
  );
}

function spreadOf(
  terms: readonly PodAffinityTermView[],
  constraints: readonly TopologySpreadConstraintView[],
  pod: PodIdentity,
  level: TopologyLevel,
): SpreadAnalysis {
  const sources: SpreadSource[] = [];
  for (const term of terms) {
    if (term.type !== 'podAntiAffinity') continue;
    const l = topologyLevel(term.topologyKey);
    if (l === undefined) continue;
    if (l === level || (term.mode === 'required' && LEVEL_RANK[l] > LEVEL_RANK[level]))
      sources.push({ type: 'term', term, match: termSelectsOwnPods(term, pod) });
  }
  for (const constraint of constraints) {
    if (topologyLevel(constraint.topologyKey) === level)
      sources.push({ type: 'constraint', constraint, match: constraintSelectsOwnPods(constraint, pod) });
  }
  return {
    spreadBy: sources.find((s) => s.match.verdict !== 'no'),
    notOwn: sources.filter((s) => s.match.verdict === 'no'),
  };
}

// ---- which workloads spreading applies to

export interface ReplicaCount {
  /** spec.replicas (unset = 1). */
  replicas: number;
  /** The largest maxReplicas of the HPAs targeting the workload, and the HPA that sets it. */
  hpa?: { name: string; maxReplicas: number };
  /** The most replicas the workload runs: replicas, or the HPA's maxReplicas when larger. */
  peak: number;
}

/** Whether another workload's controller makes this object (a ReplicaSet of a Deployment, a Job's Pod). */
export function managedByWorkload(w: Workload): boolean {
  const owners = getAt(w.object.raw, '/metadata/ownerReferences');
  return (
    Array.isArray(owners) &&
    owners.some(
      (o) =>
        isJsonObject(o) &&
        o['controller'] === true &&
        typeof o['kind'] === 'string' &&
        (WORKLOAD_KINDS as readonly string[]).includes(o['kind']),
    )
  );
}

/**
 * The replica count of a Deployment, StatefulSet, ReplicaSet, ReplicationController or Argo Rollout;
 * undefined for kinds that do not keep a replica count (DaemonSets run one pod per node, Jobs, Pods),
 * for objects another workload manages, and for `replicas: 0` (switched off: an HPA does not scale a
 * workload up from 0).
 */
export function replicaCount(index: ObjectIndex, w: Workload): ReplicaCount | undefined {
  return index.remember('replicaCount', w, () => countReplicas(index, w));
}

function countReplicas(index: ObjectIndex, w: Workload): ReplicaCount | undefined {
  if (!REPLICATED_KINDS.includes(w.kind) || w.replicas === undefined || w.declaredReplicas === 0)
    return undefined;
  if (managedByWorkload(w)) return undefined;
  let hpa: ReplicaCount['hpa'];
  for (const h of index.hpasFor(w)) {
    const max = getAt(h.raw, '/spec/maxReplicas');
    if (isInt32(max) && (!hpa || max > hpa.maxReplicas)) hpa = { name: h.name, maxReplicas: max };
  }
  return { replicas: w.replicas, ...(hpa ? { hpa } : {}), peak: Math.max(w.replicas, hpa?.maxReplicas ?? 0) };
}

/** "3 replicas", "up to 10 replicas (HPA web)". */
export function describeReplicas(c: ReplicaCount): string {
  if (c.hpa && c.hpa.maxReplicas > c.replicas) return `up to ${c.peak} replicas (HPA ${c.hpa.name})`;
  return `${c.replicas} replica${c.replicas === 1 ? '' : 's'}`;
}

/** "app=web,tier=front" for messages; "no labels" when there are none. */
export function describeLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(',') : 'no labels';
}

/**
 * The labels a fix should select on: the workload's own selector's matchLabels (stable across
 * revisions), else the template's labels. As YAML flow: `{app: web}`.
 */
export function selectorSuggestion(w: Workload, podLabels: Labels): string {
  const fromSelector = w.selector?.matchLabels ?? {};
  const labels = Object.keys(fromSelector).length > 0 ? fromSelector : podLabels;
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;
}

/**
 * JSON pointer of the requirement on `key` in a selector written at `selectorPath`: its matchLabels
 * entry, else its matchExpressions item; the selector itself when neither names the key.
 */
export function selectorKeyPath(raw: JsonObject | undefined, selectorPath: string, key: string): string {
  const matchLabels = raw?.['matchLabels'];
  if (isJsonObject(matchLabels) && Object.prototype.hasOwnProperty.call(matchLabels, key))
    return joinPath(selectorPath, 'matchLabels', key);
  const exprs = raw?.['matchExpressions'];
  const i = Array.isArray(exprs) ? exprs.findIndex((e) => isJsonObject(e) && e['key'] === key) : -1;
  return i >= 0 ? joinPath(selectorPath, 'matchExpressions', i) : selectorPath;
}

// ---- wording shared by messages

/** "required podAntiAffinity term on kubernetes.io/hostname", "topologySpreadConstraints[1] on topology.kubernetes.io/zone". */
export function describeSource(s: SpreadSource): string {
  if (s.type === 'constraint') return describeConstraint(s.constraint);
  return describeTerm(s.term);
}

export function describeTerm(t: PodAffinityTermView): string {
  return `${t.mode} ${t.type} term on ${t.topologyKey ?? '(no topologyKey)'}`;
}

export function describeConstraint(c: TopologySpreadConstraintView): string {
  return `topologySpreadConstraints[${c.index}] on ${c.topologyKey ?? '(no topologyKey)'}`;
}

/** What a term or constraint that misses the workload's own pods selects instead, for messages. */
export function describeMiss(reason: MissReason | undefined, selector: LabelSelector | undefined): string {
  switch (reason?.kind) {
    case 'nil-selector':
      return 'no pod (it has no labelSelector)';
    case 'namespace':
      return `${selector ? formatSelector(selector) : 'pods'} in other namespaces only`;
    case 'mismatch-label-key':
      return `only pods whose ${reason.key} differs (mismatchLabelKeys)`;
    case 'per-pod-key':
      return `only the pod itself (matchLabelKeys ${reason.key} is unique to each pod)`;
    default:
      return selector ? formatSelector(selector) : 'no pod';
  }
}

/** JSON pointer of the field that makes a term or constraint miss the own pods: what a fix changes. */
export function missPath(
  at: PodAffinityTermView | TopologySpreadConstraintView,
  reason: MissReason | undefined,
): string {
  const selectorPath = `${at.path}/labelSelector`;
  switch (reason?.kind) {
    case 'label':
      return selectorKeyPath(at.rawLabelSelector, selectorPath, reason.key);
    case 'namespace':
      return 'namespaceSelector' in at && at.namespaceSelector
        ? `${at.path}/namespaceSelector`
        : `${at.path}/namespaces`;
    case 'mismatch-label-key':
      return 'mismatchLabelKeys' in at
        ? joinPath(at.path, 'mismatchLabelKeys', at.mismatchLabelKeys.indexOf(reason.key))
        : selectorPath;
    case 'per-pod-key':
      return joinPath(at.path, 'matchLabelKeys', at.matchLabelKeys.indexOf(reason.key));
    default:
      return selectorPath;
  }
}
