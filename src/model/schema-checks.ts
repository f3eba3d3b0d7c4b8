import { apiGroup, isClusterScoped } from './kinds.js';
import { escapeSegment, getAt } from './json-path.js';
import { matches, parseSelector, formatSelector } from './labels.js';
import { dns1123Label, dns1123Subdomain, labelValue, pathSegmentName, qualifiedName } from './name-syntax.js';
import { checkKind } from './kind-validation.js';
import { validateMetadata, validateObject, type SchemaError } from './openapi/validate.js';
import { checkLabelSelector, checkPodSpec as checkPodSpecRules, type Report } from './pod-validation.js';
import { formatNumber } from './number-text.js';
import { parseQuantity } from './quantity.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from './types.js';

/**
 * What `kubectl apply` would be refused for, found before it is run, in two steps as the API server
 * takes them:
 *
 * 1. Decoding, with kubectl's default strict field validation: the object against the API server's
 *    own OpenAPI schemas (src/model/openapi, generated from kube-apiserver): unknown fields, wrong
 *    JSON types, integers out of int32/int64 range, quantities, required fields. An object that
 *    cannot be decoded is rejected before any validation runs, so then only these are reported.
 * 2. What the OpenAPI cannot say: the cross-field rules of Kubernetes' validation code
 *    (k8s.io/kubernetes pkg/apis/{core,apps,policy}/validation); each check names the function it
 *    mirrors, and the quoted texts are its messages.
 */

export type SchemaMessageId =
  | 'type'
  | 'notString'
  | 'unknownField'
  | 'range'
  | 'format'
  | 'required'
  | 'nameSyntax'
  | 'labelSyntax'
  | 'invalidValue'
  | 'unsupportedValue'
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
  if (CLIENT_ONLY_KINDS.has(object.kind)) return out;

  const decoding = validateObject(object.raw, object.apiVersion, object.kind);
  if (decoding === undefined) {
    // Not a built-in kind the API server serves: a custom resource's metadata is still ObjectMeta.
    if (KNOWN_GROUPS.has(apiGroup(object.apiVersion))) {
      const errors = validateMetadata(object.raw['metadata']);
      for (const e of errors) reportDecoding(object, e, add);
      if (errors.length === 0) checkName(object.raw, add);
    }
    return out;
  }
  // A document without apiVersion or kind is the loader's finding, which names the misspelt key.
  const typo = typeof object.raw['apiVersion'] !== 'string' || typeof object.raw['kind'] !== 'string';
  // Required values are validation's: an object that does not decode never gets there.
  const undecodable = decoding.some((e) => e.kind !== 'required');
  for (const e of decoding) {
    if (typo && e.kind === 'unknownField' && e.path.lastIndexOf('/') === 0) continue;
    if (undecodable && e.kind === 'required') continue;
    reportDecoding(object, e, add);
  }
  // Required values are found by validation, which runs only on an object that decoded.
  if (decoding.some((e) => e.kind !== 'required')) return out;

  checkName(object.raw, add);
  checkNameSyntax(object, add);
  checkLabelSyntax(object.raw, object.kind, '', undefined, add);
  const spec = TEMPLATES[object.kind];
  if (spec && object.apiVersion === spec.apiVersion) {
    checkWorkload(object, spec.template, add);
  }
  if (object.kind === 'PodDisruptionBudget' && object.apiVersion === 'policy/v1') {
    checkPdb(object, add);
  }
  const report: Report = (path, messageId, data) => add(path, messageId, data);
  checkKind(report, object.kind, object.apiVersion, object.raw);
  // A required field a hand-written check also reports (a container's name) keeps that message.
  return out.filter((i) => i.messageId !== 'required' || !out.some((o) => o !== i && o.path === i.path));
}

/** Label, annotation and selector values: maps of strings whose non-strings users fix by quoting. */
const STRING_MAPS = /\/(labels|annotations|matchLabels|nodeSelector)\/[^/]+$/;

function reportDecoding(object: K8sObject, e: SchemaError, add: Add): void {
  const value = e.value ?? null;
  switch (e.kind) {
    case 'unknownField': {
      const hint = e.belongsAt
        ? ` It belongs in ${e.belongsAt}.`
        : e.suggestion
          ? ` Did you mean ${e.suggestion}?`
          : '';
      add(e.path, 'unknownField', {
        key: e.path.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~'),
        parent: e.parent ?? 'this object',
        hint,
        ...(e.belongsPointer ? { moveTo: e.belongsPointer } : {}),
        ...(e.suggestion && !e.belongsAt ? { suggestion: e.suggestion } : {}),
      });
      return;
    }
    case 'type': {
      if (e.expected === 'a string' && (typeof value === 'boolean' || typeof value === 'number')) {
        const written = object.source?.scalar?.(e.path) ?? String(value);
        const reading = typeof value === 'boolean' ? `boolean ${value}` : `the number ${formatNumber(value)}`;
        add(e.path, STRING_MAPS.test(e.path) ? 'labelValue' : 'notString', {
          written,
          reading,
          actual: describeType(value),
          value: show(value),
        });
        return;
      }
      add(e.path, 'type', {
        expected: e.expected ?? 'another type',
        actual: describeType(value),
        value: show(value),
      });
      return;
    }
    case 'range':
      add(e.path, 'range', {
        value: typeof value === 'number' ? formatNumber(value) : show(value),
        format: e.format ?? 'int32',
        min: e.min ?? '',
        max: e.max ?? '',
      });
      return;
    case 'format':
      if (e.expected === 'a quantity') {
        const resource = e.path.split('/').pop() ?? '';
        add(e.path, 'quantity', { value: show(value), example: quantityExample(resource) });
      } else {
        add(e.path, 'format', { value: show(value), expected: e.expected ?? 'another format' });
      }
      return;
    case 'required':
      add(e.path, 'required');
      return;
  }
}

type Add = (path: string, messageId: SchemaMessageId, data?: Record<string, string | number>) => void;

// ---- validation code: what decoding leaves to pkg/apis/*/validation (types are right from here on;
// any value may still be null, which decodes to the zero value)

/** ValidateObjectMeta (apimachinery/pkg/api/validation): "name or generateName is required". */
function checkName(raw: JsonObject, add: Add): void {
  const metadata = raw['metadata'];
  const meta = isJsonObject(metadata) ? metadata : {};
  if (!nonEmpty(meta['name']) && !nonEmpty(meta['generateName'])) add('/metadata/name', 'noName');
}

/** The name validator each kind's Validate<Kind> passes to ValidateObjectMeta. */
const NAME_RULES: Record<string, (name: string) => string | undefined> = {
  // ValidateServiceName: a DNS-1123 label since RelaxedServiceNameValidation (1web is accepted).
  Service: dns1123Label,
  Namespace: dns1123Label, // ValidateNamespaceName
  StatefulSet: dns1123Label, // ValidateStatefulSetName
  Role: pathSegmentName, // ValidateRBACName
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
  CronJob: (name) => (name.length > 52 ? 'must be no more than 52 characters' : dns1123Subdomain(name)),
};
/**
 * Kinds whose names are NameIsDNSSubdomain (others are left alone rather than guessed: the API
 * server of 1.36 takes any PodDisruptionBudget name, Web and web_1 included).
 */
const SUBDOMAIN_NAMED = new Set([
  'Deployment',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'PodTemplate',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Job',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'PriorityClass',
  'Node',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'LimitRange',
  'ResourceQuota',
  'Lease',
  'RuntimeClass',
]);

/** ValidateObjectMeta: the name by the kind's rule, and the namespace by ValidateNamespaceName. */
function checkNameSyntax(object: K8sObject, add: Add): void {
  const metadata = object.raw['metadata'];
  if (!isJsonObject(metadata)) return;
  const name = metadata['name'];
  const rule = NAME_RULES[object.kind] ?? (SUBDOMAIN_NAMED.has(object.kind) ? dns1123Subdomain : undefined);
  if (rule && typeof name === 'string' && name !== '') {
    const bad = rule(name);
    if (bad) add('/metadata/name', 'nameSyntax', { value: name, rule: bad });
  }
  // A cluster-scoped object's namespace is ignored, not validated.
  const namespace = metadata['namespace'];
  if (typeof namespace === 'string' && namespace !== '' && !isClusterScoped(object.kind)) {
    const bad = dns1123Label(namespace);
    if (bad) add('/metadata/namespace', 'nameSyntax', { value: namespace, rule: bad });
  }
}

/**
 * ValidateLabels (label keys and values) and ValidateAnnotations (keys) wherever the API server
 * applies them: metadata and template metadata, label selectors' matchLabels, a pod's nodeSelector,
 * a Service's and a ReplicationController's spec.selector. status is not validated on create.
 */
function checkLabelSyntax(
  value: JsonValue,
  kind: string,
  path: string,
  parentKey: string | undefined,
  add: Add,
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i]!;
      // As below: a scalar item holds no labels, so its path is not built.
      if (typeof v === 'object' && v !== null) checkLabelSyntax(v, kind, `${path}/${i}`, parentKey, add);
    }
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    // A scalar holds no labels: most of an object is scalars, and their paths need not be built.
    if (typeof child !== 'object' || child === null) continue;
    const at = `${path}/${escapeSegment(key)}`;
    if (at === '/status' || key === 'managedFields') continue;
    // A CRD's spec is a schema: its `matchLabels` or `nodeSelector` are property names whose values
    // are descriptions, not labels (the API server validates them as a schema, never as labels).
    if (kind === 'CustomResourceDefinition' && at === '/spec') continue;
    const labels =
      (key === 'labels' && parentKey === 'metadata') ||
      key === 'matchLabels' ||
      key === 'nodeSelector' ||
      (at === '/spec/selector' && (kind === 'Service' || kind === 'ReplicationController'));
    if (labels && isJsonObject(child)) {
      for (const [k, v] of Object.entries(child)) {
        const keyBad = qualifiedName(k);
        if (keyBad) add(`${at}/${escapeSegment(k)}`, 'labelSyntax', { what: 'key', value: k, rule: keyBad });
        const valueBad = typeof v === 'string' ? labelValue(v) : undefined;
        if (valueBad)
          add(`${at}/${escapeSegment(k)}`, 'labelSyntax', {
            what: 'value',
            value: String(v),
            rule: valueBad,
          });
      }
    } else if (key === 'annotations' && parentKey === 'metadata' && isJsonObject(child)) {
      for (const k of Object.keys(child)) {
        const bad = qualifiedName(k.toLowerCase());
        if (bad) add(`${at}/${escapeSegment(k)}`, 'labelSyntax', { what: 'key', value: k, rule: bad });
      }
    } else {
      checkLabelSyntax(child, kind, at, key, add);
    }
  }
}

function checkWorkload(object: K8sObject, templatePath: string, add: Add): void {
  const raw = object.raw;
  // ValidateDeploymentSpec, ValidateStatefulSetSpec, ValidateReplicaSetSpec and
  // ValidateReplicationControllerSpec: ValidateNonnegativeField(spec.replicas).
  const replicas = getAt(raw, '/spec/replicas');
  if (REPLICATED.has(object.kind) && typeof replicas === 'number' && replicas < 0)
    add('/spec/replicas', 'negative', { value: replicas });
  if (SELECTOR_REQUIRED.has(object.kind)) checkSelector(object, add);
  const specPath = templatePath === '' ? '/spec' : `${templatePath}/spec`;
  checkPodSpec(raw, specPath, add);
  const podSpec = getAt(raw, specPath);
  const report: Report = (path, messageId, data) => add(path, messageId, data);
  if (isJsonObject(podSpec)) checkPodSpecRules(report, podSpec, specPath, object.kind);
  if (SELECTOR_REQUIRED.has(object.kind))
    checkLabelSelector(report, getAt(raw, '/spec/selector'), '/spec/selector');
  if (object.kind === 'Deployment') checkDeploymentStrategy(raw, add);
  if (object.kind === 'DaemonSet') checkDaemonSetStrategy(raw, add);
}

/**
 * ValidateDeploymentSpec / ValidateStatefulSetSpec / ValidateDaemonSetSpec / ValidateReplicaSetSpec
 * (pkg/apis/apps/validation): a selector is required, must not be empty, and must match the
 * template's labels.
 */
function checkSelector(object: K8sObject, add: Add): void {
  const raw = object.raw;
  const selector = getAt(raw, '/spec/selector');
  const templateLabels = getAt(raw, '/spec/template/metadata/labels');
  const labels = isJsonObject(templateLabels) ? templateLabels : {};
  const labelText = formatLabels(labels);
  if (!isJsonObject(selector)) {
    add('/spec/selector', 'selectorMissing', { labels: labelText });
    return;
  }
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
  // A selector the API server cannot read (a bad operator, In without values) is refused for that
  // reason instead (LabelSelectorAsSelector fails before the match is tried).
  if (parsed.matchExpressions.length !== exprCount) return;
  const unreadable = (Array.isArray(rawExprs) ? rawExprs : []).some((e) => {
    const op = isJsonObject(e) ? e['operator'] : undefined;
    const values = isJsonObject(e) && Array.isArray(e['values']) ? e['values'].length : 0;
    return (
      ((op === 'In' || op === 'NotIn') && values === 0) ||
      ((op === 'Exists' || op === 'DoesNotExist') && values > 0)
    );
  });
  if (unreadable) return;
  if (!matches(parsed, stringValues(labels))) {
    add('/spec/template/metadata/labels', 'selectorMismatch', {
      selector: formatSelector(parsed),
      labels: labelText,
    });
  }
}

/** ValidatePodSpec → validateContainers (pkg/apis/core/validation): names, images, resources. */
function checkPodSpec(raw: JsonObject, specPath: string, add: Add): void {
  const podSpec = getAt(raw, specPath);
  const seen = new Set<string>();
  for (const field of ['containers', 'initContainers'] as const) {
    const path = `${specPath}/${field}`;
    const list = isJsonObject(podSpec) ? podSpec[field] : undefined;
    if (!Array.isArray(list) || list.length === 0) {
      if (field === 'containers') add(path, 'containersMissing');
      continue;
    }
    list.forEach((c, i) => checkContainer(isJsonObject(c) ? c : {}, `${path}/${i}`, i, seen, add));
  }
}

function checkContainer(c: JsonObject, path: string, i: number, seen: Set<string>, add: Add): void {
  const name = c['name'];
  const container = typeof name === 'string' && name !== '' ? name : `#${i + 1}`;
  if (!nonEmpty(name)) {
    add(`${path}/name`, 'containerName', { n: i + 1 });
  } else if (seen.has(name as string)) {
    add(`${path}/name`, 'containerDuplicate', { container });
  } else {
    seen.add(name as string);
  }
  if (!nonEmpty(c['image'])) add(`${path}/image`, 'containerImage', { container });
  checkResources(c['resources'], `${path}/resources`, container, add);
}

/** ValidateResourceRequirements: non-negative quantities, and no request above its limit. */
function checkResources(resources: JsonValue | undefined, path: string, container: string, add: Add): void {
  if (!isJsonObject(resources)) return;
  const parsed: Record<'requests' | 'limits', Record<string, number>> = { requests: {}, limits: {} };
  for (const kind of ['requests', 'limits'] as const) {
    const map = resources[kind];
    if (!isJsonObject(map)) continue;
    for (const [resource, value] of Object.entries(map)) {
      const q = parseQuantity(value);
      if (q === undefined) continue;
      if (q < 0) {
        add(`${path}/${kind}/${escapeSegment(resource)}`, 'negativeQuantity', {
          container,
          resource,
          value: show(value),
        });
      } else parsed[kind][resource] = q;
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
 * Validates an IntOrString the way ValidatePositiveIntOrPercent and IsNotMoreThan100Percent
 * (pkg/apis/apps/validation, pkg/apis/policy/validation) do; decoding made it an integer or a string.
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
    if (v < 0) {
      add(path, 'negative', { value: v });
      return { amount: undefined, percent: false };
    }
    return { amount: v, percent: false };
  }
  const text = String(v);
  const m = /^([0-9]+)%$/.exec(text);
  if (!m) {
    add(path, 'intstrString', { value: text, suggestion: intstrSuggestion(path, text) });
    return { amount: undefined, percent: true };
  }
  const pct = Number(m[1]);
  if (opts.max100 && pct > 100) add(path, 'percentOver100', { value: text });
  return { amount: pct, percent: true };
}

function intstrSuggestion(path: string, value: string): string {
  const field = path.split('/').pop() ?? 'value';
  const digits = /^\s*([0-9]+)\s*%?\s*$/.exec(value);
  if (digits) return `${field}: ${digits[1]} (a number of pods) or ${field}: "${digits[1]}%"`;
  return `${field}: 1 (a number of pods) or ${field}: "25%"`;
}

/** ValidateDeploymentStrategy / ValidateRollingUpdateDeployment (pkg/apis/apps/validation). */
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

/** ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet (pkg/apis/apps/validation). */
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

/** ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation). */
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
  if (typeof v === 'number') return formatNumber(v);
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
