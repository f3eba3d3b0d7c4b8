import { apiGroup } from './kinds.js';
import { escapeSegment, getAt } from './json-path.js';
import { matches, parseSelector, formatSelector } from './labels.js';
import { parseQuantity } from './quantity.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from './types.js';

/**
 * Static checks of the fields the API server validates and kubeha relies on: what `kubectl apply`
 * would be refused for, found before it is run. Each check follows the API server's own validation
 * (k8s.io/kubernetes pkg/apis/{core,apps,policy}/validation, v1.34) or its decoding (a value of the
 * wrong JSON type cannot be decoded into the Go struct at all); the quoted texts are its messages.
 */

export type SchemaMessageId =
  | 'type'
  | 'negative'
  | 'noName'
  | 'labelValue'
  | 'selectorMissing'
  | 'selectorEmpty'
  | 'selectorMismatch'
  | 'containersMissing'
  | 'containerName'
  | 'containerImage'
  | 'containerDuplicate'
  | 'quantity'
  | 'negativeQuantity'
  | 'requestAboveLimit'
  | 'intstrString'
  | 'percentOver100'
  | 'pdbBoth'
  | 'rollingBothZero'
  | 'recreateWithRollingUpdate'
  | 'daemonSetSurgeAndUnavailable'
  | 'daemonSetBothZero';

export interface SchemaIssue {
  /** JSON pointer of the field to change. */
  path: string;
  messageId: SchemaMessageId;
  data: Record<string, string | number>;
}

/** API groups whose objects the API server (or an add-on kubeha reads) persists, so they need a name. */
const KNOWN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'coordination.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'events.k8s.io',
  'resource.k8s.io',
  'autoscaling.k8s.io',
  'networking.istio.io',
  'security.istio.io',
  'argoproj.io',
  'flagger.app',
  'cert-manager.io',
  'monitoring.coreos.com',
]);

/** Client-side files that look like objects but are never sent to an API server. */
const CLIENT_ONLY_KINDS = new Set(['Config', 'List']);

/** Built-in pod-making kinds at their served versions, with where their pod template lives. */
const TEMPLATES: Record<string, { apiVersion: string; template: string }> = {
  Deployment: { apiVersion: 'apps/v1', template: '/spec/template' },
  StatefulSet: { apiVersion: 'apps/v1', template: '/spec/template' },
  DaemonSet: { apiVersion: 'apps/v1', template: '/spec/template' },
  ReplicaSet: { apiVersion: 'apps/v1', template: '/spec/template' },
  ReplicationController: { apiVersion: 'v1', template: '/spec/template' },
  Job: { apiVersion: 'batch/v1', template: '/spec/template' },
  CronJob: { apiVersion: 'batch/v1', template: '/spec/jobTemplate/spec/template' },
  Pod: { apiVersion: 'v1', template: '' },
};

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
const SELECTOR_REQUIRED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
/** The word ValidateXSpec uses in "empty selector is invalid for …" (ReplicaSet reuses Deployment's). */
const EMPTY_SELECTOR_WORD: Record<string, string> = {
  Deployment: 'deployment',
  ReplicaSet: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

export function schemaIssues(object: K8sObject): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const base = { kind: object.kind, name: object.name };
  const add = (
    path: string,
    messageId: SchemaMessageId,
    data: Record<string, string | number> = {},
  ): void => {
    out.push({ path, messageId, data: { ...base, field: fieldName(path), ...data } });
  };

  if (KNOWN_GROUPS.has(apiGroup(object.apiVersion)) && !CLIENT_ONLY_KINDS.has(object.kind)) {
    checkMetadata(object.raw, '/metadata', add, true);
  }
  const spec = TEMPLATES[object.kind];
  if (spec && object.apiVersion === spec.apiVersion) {
    checkWorkload(object, spec.template, add);
  }
  if (object.kind === 'PodDisruptionBudget' && /^policy\/v1(beta1)?$/.test(object.apiVersion)) {
    checkPdb(object, add);
  }
  return out;
}

type Add = (path: string, messageId: SchemaMessageId, data?: Record<string, string | number>) => void;

// ---- metadata

function checkMetadata(raw: JsonObject, path: string, add: Add, requireName: boolean): void {
  const metadata = getAt(raw, path);
  if (metadata === undefined || metadata === null) {
    if (requireName) add(`${path}/name`, 'noName');
    return;
  }
  if (!isJsonObject(metadata)) {
    add(path, 'type', { expected: 'a mapping', actual: describeType(metadata), value: show(metadata) });
    return;
  }
  if (requireName) {
    const name = metadata['name'];
    const generateName = metadata['generateName'];
    if (name !== undefined && name !== null && typeof name !== 'string') {
      add(`${path}/name`, 'type', { expected: 'a string', actual: describeType(name), value: show(name) });
    } else if (!nonEmpty(name) && !nonEmpty(generateName)) {
      add(`${path}/name`, 'noName');
    }
  }
  for (const field of ['labels', 'annotations'] as const)
    checkStringMap(metadata[field], `${path}/${field}`, add);
}

/** labels, annotations and matchLabels are map[string]string: a number or a boolean cannot be decoded. */
function checkStringMap(value: JsonValue | undefined, path: string, add: Add): void {
  if (value === undefined || value === null) return;
  if (!isJsonObject(value)) {
    add(path, 'type', { expected: 'a mapping', actual: describeType(value), value: show(value) });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    // null decodes to "" (a valid value); only other types are refused.
    if (v === null || typeof v === 'string') continue;
    add(`${path}/${escapeSegment(key)}`, 'labelValue', { actual: describeType(v), value: show(v) });
  }
}

// ---- workloads

function checkWorkload(object: K8sObject, templatePath: string, add: Add): void {
  const raw = object.raw;
  const spec = getAt(raw, '/spec');
  if (spec !== undefined && spec !== null && !isJsonObject(spec)) {
    add('/spec', 'type', { expected: 'a mapping', actual: describeType(spec), value: show(spec) });
    return;
  }
  if (REPLICATED.has(object.kind)) checkReplicas(getAt(raw, '/spec/replicas'), add);
  if (templatePath !== '') checkMetadata(raw, `${templatePath}/metadata`, add, false);
  if (SELECTOR_REQUIRED.has(object.kind)) checkSelector(object, add);
  checkPodSpec(raw, templatePath === '' ? '/spec' : `${templatePath}/spec`, add);
  if (object.kind === 'Deployment') checkDeploymentStrategy(raw, add);
  if (object.kind === 'DaemonSet') checkDaemonSetStrategy(raw, add);
  if (object.kind === 'StatefulSet') {
    const v = getAt(raw, '/spec/updateStrategy/rollingUpdate/maxUnavailable');
    // Only a value that cannot be decoded: the field is dropped while the MaxUnavailableStatefulSet gate is off.
    if (
      v !== undefined &&
      v !== null &&
      typeof v !== 'string' &&
      !(typeof v === 'number' && Number.isInteger(v))
    ) {
      add('/spec/updateStrategy/rollingUpdate/maxUnavailable', 'type', intstrType(v));
    }
  }
}

function checkReplicas(value: JsonValue | undefined, add: Add): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    add('/spec/replicas', 'type', {
      expected: 'an integer',
      actual: describeType(value),
      value: show(value),
    });
  } else if (value < 0) {
    add('/spec/replicas', 'negative', { value });
  }
}

function checkSelector(object: K8sObject, add: Add): void {
  const raw = object.raw;
  const selector = getAt(raw, '/spec/selector');
  const templateLabels = getAt(raw, '/spec/template/metadata/labels');
  const labels = isJsonObject(templateLabels) ? templateLabels : {};
  const labelText = formatLabels(labels);
  if (selector === undefined || selector === null) {
    add('/spec/selector', 'selectorMissing', { labels: labelText });
    return;
  }
  if (!isJsonObject(selector)) {
    add('/spec/selector', 'type', {
      expected: 'a mapping',
      actual: describeType(selector),
      value: show(selector),
    });
    return;
  }
  checkStringMap(selector['matchLabels'], '/spec/selector/matchLabels', add);
  const parsed = parseSelector(selector);
  const rawExprs = selector['matchExpressions'];
  const exprCount = Array.isArray(rawExprs) ? rawExprs.length : 0;
  if (!parsed || (Object.keys(parsed.matchLabels).length === 0 && exprCount === 0)) {
    add('/spec/selector', 'selectorEmpty', {
      labels: labelText,
      what: EMPTY_SELECTOR_WORD[object.kind] ?? 'deployment',
    });
    return;
  }
  // A selector the parser could not read whole (a bad operator) is refused for that reason instead.
  if (parsed.matchExpressions.length !== exprCount) return;
  if (!matches(parsed, stringValues(labels))) {
    add('/spec/template/metadata/labels', 'selectorMismatch', {
      selector: formatSelector(parsed),
      labels: labelText,
    });
  }
}

function checkPodSpec(raw: JsonObject, specPath: string, add: Add): void {
  const podSpec = getAt(raw, specPath);
  if (podSpec !== undefined && podSpec !== null && !isJsonObject(podSpec)) {
    add(specPath, 'type', { expected: 'a mapping', actual: describeType(podSpec), value: show(podSpec) });
    return;
  }
  const seen = new Set<string>();
  for (const field of ['containers', 'initContainers'] as const) {
    const path = `${specPath}/${field}`;
    const list = isJsonObject(podSpec) ? podSpec[field] : undefined;
    if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
      if (field === 'containers') add(path, 'containersMissing');
      continue;
    }
    if (!Array.isArray(list)) {
      add(path, 'type', { expected: 'a list', actual: describeType(list), value: show(list) });
      continue;
    }
    list.forEach((c, i) => checkContainer(c, `${path}/${i}`, i, seen, add));
  }
}

function checkContainer(c: JsonValue, path: string, i: number, seen: Set<string>, add: Add): void {
  if (!isJsonObject(c)) {
    add(path, 'type', { expected: 'a mapping', actual: describeType(c), value: show(c) });
    return;
  }
  const name = c['name'];
  const container = typeof name === 'string' && name !== '' ? name : `#${i + 1}`;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    add(`${path}/name`, 'type', { expected: 'a string', actual: describeType(name), value: show(name) });
  } else if (!nonEmpty(name)) {
    add(`${path}/name`, 'containerName', { n: i + 1 });
  } else if (seen.has(name as string)) {
    add(`${path}/name`, 'containerDuplicate', { container });
  } else {
    seen.add(name as string);
  }
  const image = c['image'];
  if (image !== undefined && image !== null && typeof image !== 'string') {
    add(`${path}/image`, 'type', { expected: 'a string', actual: describeType(image), value: show(image) });
  } else if (!nonEmpty(image)) {
    add(`${path}/image`, 'containerImage', { container });
  }
  checkResources(c['resources'], `${path}/resources`, container, add);
}

function checkResources(resources: JsonValue | undefined, path: string, container: string, add: Add): void {
  if (resources === undefined || resources === null) return;
  if (!isJsonObject(resources)) {
    add(path, 'type', { expected: 'a mapping', actual: describeType(resources), value: show(resources) });
    return;
  }
  const parsed: Record<'requests' | 'limits', Record<string, number>> = { requests: {}, limits: {} };
  for (const kind of ['requests', 'limits'] as const) {
    const map = resources[kind];
    if (map === undefined || map === null) continue;
    if (!isJsonObject(map)) {
      add(`${path}/${kind}`, 'type', { expected: 'a mapping', actual: describeType(map), value: show(map) });
      continue;
    }
    for (const [resource, value] of Object.entries(map)) {
      if (value === null) continue;
      const at = `${path}/${kind}/${escapeSegment(resource)}`;
      const q = parseQuantity(value);
      if (q === undefined) {
        add(at, 'quantity', { container, resource, value: show(value), example: quantityExample(resource) });
      } else if (q < 0) {
        add(at, 'negativeQuantity', { container, resource, value: show(value) });
      } else {
        parsed[kind][resource] = q;
      }
    }
  }
  for (const [resource, request] of Object.entries(parsed.requests)) {
    const limit = parsed.limits[resource];
    if (limit === undefined || request <= limit) continue;
    const requests = resources['requests'] as JsonObject;
    const limits = resources['limits'] as JsonObject;
    add(`${path}/requests/${escapeSegment(resource)}`, 'requestAboveLimit', {
      container,
      resource,
      request: show(requests[resource] as JsonValue),
      limit: show(limits[resource] as JsonValue),
    });
  }
}

// ---- IntOrString fields (maxSurge, maxUnavailable, minAvailable)

interface IntOrPercent {
  /** The value's integer, or its percentage's number; undefined when the value is invalid. */
  amount: number | undefined;
  percent: boolean;
}

/**
 * Validates an IntOrString the way ValidatePositiveIntOrPercent and IsNotMoreThan100Percent do.
 * Returns undefined when the field is unset (so the caller can apply the default).
 */
function checkIntOrPercent(
  raw: JsonObject,
  path: string,
  add: Add,
  opts: { max100: boolean },
): IntOrPercent | undefined {
  const v = getAt(raw, path);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) {
      add(path, 'type', intstrType(v));
      return { amount: undefined, percent: false };
    }
    if (v < 0) {
      add(path, 'negative', { value: v });
      return { amount: undefined, percent: false };
    }
    return { amount: v, percent: false };
  }
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    if (!m) {
      add(path, 'intstrString', { value: v, suggestion: intstrSuggestion(path, v) });
      return { amount: undefined, percent: true };
    }
    const pct = Number(m[1]);
    if (opts.max100 && pct > 100) add(path, 'percentOver100', { value: v });
    return { amount: pct, percent: true };
  }
  add(path, 'type', intstrType(v));
  return { amount: undefined, percent: false };
}

function intstrType(v: JsonValue): Record<string, string> {
  return { expected: 'an integer or a percentage string', actual: describeType(v), value: show(v) };
}

function intstrSuggestion(path: string, value: string): string {
  const field = path.split('/').pop() ?? 'value';
  const digits = /^\s*([0-9]+)\s*%?\s*$/.exec(value);
  if (digits) return `${field}: ${digits[1]} (a number of pods) or ${field}: "${digits[1]}%"`;
  return `${field}: 1 (a number of pods) or ${field}: "25%"`;
}

function checkDeploymentStrategy(raw: JsonObject, add: Add): void {
  const type = getAt(raw, '/spec/strategy/type');
  const rollingUpdate = getAt(raw, '/spec/strategy/rollingUpdate');
  if (type === 'Recreate') {
    if (rollingUpdate !== undefined && rollingUpdate !== null) {
      add('/spec/strategy/rollingUpdate', 'recreateWithRollingUpdate');
    }
    return;
  }
  if (type !== undefined && type !== null && type !== 'RollingUpdate') return;
  const base = '/spec/strategy/rollingUpdate';
  const unavailable = checkIntOrPercent(raw, `${base}/maxUnavailable`, add, { max100: true });
  const surge = checkIntOrPercent(raw, `${base}/maxSurge`, add, { max100: false });
  // Both default to 25%, so only two explicit zeros leave a rolling update no way to make progress.
  if (unavailable?.amount === 0 && surge?.amount === 0) add(`${base}/maxUnavailable`, 'rollingBothZero');
}

function checkDaemonSetStrategy(raw: JsonObject, add: Add): void {
  const type = getAt(raw, '/spec/updateStrategy/type');
  if (type !== undefined && type !== null && type !== 'RollingUpdate') return;
  const base = '/spec/updateStrategy/rollingUpdate';
  const unavailable = checkIntOrPercent(raw, `${base}/maxUnavailable`, add, { max100: true });
  const surge = checkIntOrPercent(raw, `${base}/maxSurge`, add, { max100: true });
  if (unavailable?.amount === undefined && unavailable !== undefined) return;
  if (surge?.amount === undefined && surge !== undefined) return;
  // apps/v1 defaults: maxUnavailable 1, maxSurge 0 (SetDefaults_DaemonSet).
  const u = unavailable?.amount ?? 1;
  const s = surge?.amount ?? 0;
  if (u !== 0 && s !== 0) {
    add(`${base}/maxSurge`, 'daemonSetSurgeAndUnavailable', {
      surge: show(getAt(raw, `${base}/maxSurge`) ?? 0),
      unavailable: show(getAt(raw, `${base}/maxUnavailable`) ?? 1),
      defaulted: unavailable === undefined ? ' (the default when it is not set)' : '',
    });
  } else if (u === 0 && s === 0) {
    add(`${base}/maxUnavailable`, 'daemonSetBothZero');
  }
}

// ---- PodDisruptionBudget

function checkPdb(object: K8sObject, add: Add): void {
  const raw = object.raw;
  const min = checkIntOrPercent(raw, '/spec/minAvailable', add, { max100: true });
  const max = checkIntOrPercent(raw, '/spec/maxUnavailable', add, { max100: true });
  if (min !== undefined && max !== undefined) {
    add('/spec/minAvailable', 'pdbBoth', {
      min: show(getAt(raw, '/spec/minAvailable') ?? null),
      max: show(getAt(raw, '/spec/maxUnavailable') ?? null),
    });
  }
  checkStringMap(getAt(raw, '/spec/selector/matchLabels'), '/spec/selector/matchLabels', add);
}

// ---- helpers

function nonEmpty(v: JsonValue | undefined): boolean {
  return typeof v === 'string' && v !== '';
}

function stringValues(labels: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== null) out[k] = typeof v === 'string' ? v : show(v);
  return out;
}

function formatLabels(labels: JsonObject): string {
  const entries = Object.entries(labels).map(([k, v]) => `${k}=${typeof v === 'string' ? v : show(v)}`);
  return entries.length ? entries.join(',') : 'none';
}

function describeType(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal number';
  return 'a string';
}

function show(v: JsonValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function quantityExample(resource: string): string {
  if (resource === 'cpu') return '500m or 0.5';
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-'))
    return '256Mi or 1Gi';
  return 'a number such as 1';
}

/** "/spec/template/spec/containers/0/image" → "spec.template.spec.containers[0].image", as the API server writes it. */
export function fieldName(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}
