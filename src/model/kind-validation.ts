import { getAt } from './json-path.js';
import {
  checkLabelSelector,
  checkPortNumber,
  checkPortNumOrName,
  invalid,
  portNameProblem,
  unsupported,
  type Report,
} from './pod-validation.js';
import { isJsonObject, type JsonObject, type JsonValue } from './types.js';

/**
 * Kind-specific rules of Kubernetes' validation code that the OpenAPI cannot say, for the kinds
 * kubeha reads most: each function names the Validate<Kind> it mirrors (pkg/apis/{apps,batch,
 * autoscaling,core,networking,scheduling}/validation). Types are right here; values may be null.
 */

const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const obj = (v: JsonValue | undefined): JsonObject | undefined => (isJsonObject(v) ? v : undefined);

function nonNegative(report: Report, raw: JsonObject, path: string): void {
  const v = num(getAt(raw, path));
  if (v !== undefined && v < 0) invalid(report, path, v, 'must be greater than or equal to 0');
}

function oneOf(report: Report, raw: JsonObject, path: string, supported: readonly string[]): void {
  const v = getAt(raw, path);
  if (typeof v === 'string' && v !== '' && !supported.includes(v)) unsupported(report, path, v, supported);
}

export function checkKind(report: Report, kind: string, apiVersion: string, raw: JsonObject): void {
  switch (kind) {
    case 'Deployment':
      return checkDeployment(report, raw);
    case 'StatefulSet':
      return checkStatefulSet(report, raw);
    case 'Job':
      return checkJobSpec(report, raw, '/spec');
    case 'ReplicaSet':
    case 'DaemonSet':
      return nonNegative(report, raw, '/spec/minReadySeconds');
    case 'CronJob':
      oneOf(report, raw, '/spec/concurrencyPolicy', ['Allow', 'Forbid', 'Replace']);
      for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'])
        nonNegative(report, raw, `/spec/${field}`);
      checkCronJob(report, raw);
      return checkJobSpec(report, raw, '/spec/jobTemplate/spec');
    case 'ConfigMap':
    case 'Secret':
      return checkDataKeys(report, raw, kind);
    case 'Ingress':
      return checkIngress(report, raw);
    case 'Role':
    case 'ClusterRole':
      return checkPolicyRules(report, raw);
    case 'APIService':
      return checkApiService(report, raw);
    case 'HorizontalPodAutoscaler':
      return checkHpa(report, raw, apiVersion);
    case 'PodDisruptionBudget':
      oneOf(report, raw, '/spec/unhealthyPodEvictionPolicy', ['IfHealthyBudget', 'AlwaysAllow']);
      return checkLabelSelector(report, getAt(raw, '/spec/selector'), '/spec/selector');
    case 'Service':
      return checkService(report, raw);
    case 'NetworkPolicy':
      return checkNetworkPolicy(report, raw);
    case 'ReplicationController':
      // SetDefaults_ReplicationController copies the template's labels into an empty selector.
      if (
        isEmptyMap(getAt(raw, '/spec/selector')) &&
        isEmptyMap(getAt(raw, '/spec/template/metadata/labels'))
      )
        report('/spec/selector', 'invalidValue', { value: 'not set', reason: 'Required value' });
      return;
    case 'PersistentVolumeClaim':
      // ValidatePersistentVolumeClaimSpec: a storage request is required.
      if (
        getAt(raw, '/spec/resources/requests/storage') === undefined &&
        getAt(raw, '/spec/dataSourceRef') === undefined
      )
        report('/spec/resources/requests/storage', 'invalidValue', {
          value: 'not set',
          reason: 'Required value',
        });
      return;
    case 'FlowSchema': {
      const level = getAt(raw, '/spec/priorityLevelConfiguration/name');
      if (typeof level !== 'string' || level === '')
        report('/spec/priorityLevelConfiguration/name', 'invalidValue', {
          value: 'not set',
          reason: 'Required value: must reference a priority level',
        });
      return;
    }
    case 'PriorityClass':
      return checkPriorityClass(report, raw);
    default:
      return;
  }
}

/** ValidateDeploymentSpec / ValidateDeploymentStrategy. */
function checkDeployment(report: Report, raw: JsonObject): void {
  oneOf(report, raw, '/spec/strategy/type', ['Recreate', 'RollingUpdate']);
  nonNegative(report, raw, '/spec/minReadySeconds');
  nonNegative(report, raw, '/spec/revisionHistoryLimit');
  const deadline = num(getAt(raw, '/spec/progressDeadlineSeconds'));
  const minReady = num(getAt(raw, '/spec/minReadySeconds')) ?? 0;
  if (deadline !== undefined && deadline <= minReady)
    invalid(report, '/spec/progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds');
}

/** ValidateStatefulSetSpec. */
function checkStatefulSet(report: Report, raw: JsonObject): void {
  oneOf(report, raw, '/spec/podManagementPolicy', ['OrderedReady', 'Parallel']);
  oneOf(report, raw, '/spec/updateStrategy/type', ['RollingUpdate', 'OnDelete']);
  nonNegative(report, raw, '/spec/updateStrategy/rollingUpdate/partition');
  nonNegative(report, raw, '/spec/minReadySeconds');
  list(getAt(raw, '/spec/volumeClaimTemplates')).forEach((t, i) => {
    const modes = getAt(obj(t) ?? {}, '/spec/accessModes');
    if (!Array.isArray(modes) || modes.length === 0)
      report(`/spec/volumeClaimTemplates/${i}/spec/accessModes`, 'invalidValue', {
        value: 'not set',
        reason: 'Required value: at least 1 access mode is required',
      });
  });
}

/** ValidateJobSpec; a Job's name becomes its pods' job-name label, so it has a label value's limit. */
function checkJobSpec(report: Report, raw: JsonObject, base: string): void {
  const name = getAt(raw, '/metadata/name');
  if (base === '/spec' && typeof name === 'string' && name.length > 63)
    invalid(
      report,
      '/metadata/name',
      name,
      'the job-name label of its pods must be no more than 63 characters',
    );
  for (const field of [
    'parallelism',
    'completions',
    'backoffLimit',
    'activeDeadlineSeconds',
    'ttlSecondsAfterFinished',
  ])
    nonNegative(report, raw, `${base}/${field}`);
}

/** ValidateHorizontalPodAutoscalerSpec and validateBehavior (pkg/apis/autoscaling/validation). */
function checkHpa(report: Report, raw: JsonObject, apiVersion: string): void {
  const min = num(getAt(raw, '/spec/minReplicas'));
  // HPAScaleToZero is off by default: minReplicas must be at least 1.
  if (min !== undefined && min < 1)
    invalid(report, '/spec/minReplicas', min, 'must be greater than or equal to 1');
  // maxReplicas missing, below 1 or below minReplicas is refused too, but hpa-invalid-range reports it,
  // with what it costs (nothing autoscales): one finding per fault. The conformance verdict counts its
  // errors as "rejected" (test/conformance/verdict.ts).
  const target = obj(getAt(raw, '/spec/scaleTargetRef'));
  if (target && (typeof target['kind'] !== 'string' || target['kind'] === ''))
    report('/spec/scaleTargetRef/kind', 'invalidValue', { value: 'not set', reason: 'Required value' });
  // ValidateCrossVersionObjectReference: an empty apiVersion is refused (v1 and apps/v1 are fine).
  if (target && (typeof target['apiVersion'] !== 'string' || target['apiVersion'] === ''))
    report('/spec/scaleTargetRef/apiVersion', 'invalidValue', {
      value: 'not set',
      reason: 'Invalid value: "": apiVersion must specify API group',
    });
  if (apiVersion === 'autoscaling/v1') {
    const cpu = num(getAt(raw, '/spec/targetCPUUtilizationPercentage'));
    if (cpu !== undefined && cpu < 1)
      invalid(report, '/spec/targetCPUUtilizationPercentage', cpu, 'must be greater than 0');
    return;
  }
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const base = `/spec/behavior/${direction}`;
    const window = num(getAt(raw, `${base}/stabilizationWindowSeconds`));
    if (window !== undefined && window < 0)
      invalid(report, `${base}/stabilizationWindowSeconds`, window, 'must be greater than or equal to zero');
    else if (window !== undefined && window > 3600)
      invalid(report, `${base}/stabilizationWindowSeconds`, window, 'must be less than or equal to 3600');
    oneOf(report, raw, `${base}/selectPolicy`, ['Max', 'Min', 'Disabled']);
    list(getAt(raw, `${base}/policies`)).forEach((p, i) => {
      const policy = obj(p) ?? {};
      const at = `${base}/policies/${i}`;
      const value = num(policy['value']) ?? 0; // missing or null decodes to 0
      if (value <= 0) invalid(report, `${at}/value`, value, 'must be greater than zero');
      const period = num(policy['periodSeconds']);
      if (period !== undefined && (period <= 0 || period > 1800))
        invalid(
          report,
          `${at}/periodSeconds`,
          period,
          period <= 0 ? 'must be greater than zero' : 'must be less than or equal to 1800',
        );
      if (typeof policy['type'] === 'string' && !['Pods', 'Percent'].includes(policy['type']))
        unsupported(report, `${at}/type`, policy['type'], ['Percent', 'Pods']);
    });
  }
  list(getAt(raw, '/spec/metrics')).forEach((m, i) => {
    const metric = obj(m) ?? {};
    const at = `/spec/metrics/${i}`;
    const type = metric['type'];
    const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
    if (typeof type === 'string' && !types.includes(type))
      return unsupported(report, `${at}/type`, type, types);
    for (const source of ['resource', 'containerResource'] as const) {
      const targetSpec = obj(getAt(metric, `/${source}/target`));
      if (!targetSpec) continue;
      const utilization = num(targetSpec['averageUtilization']);
      if (utilization !== undefined && utilization <= 0)
        invalid(report, `${at}/${source}/target/averageUtilization`, utilization, 'must be greater than 0');
      if (targetSpec['type'] === 'Utilization' && utilization === undefined)
        report(`${at}/${source}/target/averageUtilization`, 'invalidValue', {
          value: 'not set',
          reason: 'Required value: must set averageUtilization when type is Utilization',
        });
    }
  });
}

/** ValidateService (pkg/apis/core/validation). */
function checkService(report: Report, raw: JsonObject): void {
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  oneOf(report, raw, '/spec/type', types);
  const type = getAt(raw, '/spec/type');
  const ports = list(getAt(raw, '/spec/ports'));
  // Only an ExternalName or a headless Service may have no ports.
  if (ports.length === 0 && type !== 'ExternalName' && getAt(raw, '/spec/clusterIP') !== 'None')
    report('/spec/ports', 'invalidValue', { value: 'not set', reason: 'Required value' });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p) ?? {};
    const at = `/spec/ports/${i}`;
    const name = port['name'];
    if (typeof name === 'string' && name !== '') {
      const bad = portNameProblem(name);
      if (bad) invalid(report, `${at}/name`, name, bad);
      if (names.has(name)) invalid(report, `${at}/name`, name, 'Duplicate value');
      names.add(name);
    } else if (ports.length > 1) {
      report(`${at}/name`, 'invalidValue', { value: 'not set', reason: 'Required value' });
    }
    if (type !== 'ExternalName') checkPortNumber(report, `${at}/port`, port['port'], true);
    const protocol = port['protocol'];
    if (typeof protocol === 'string' && protocol !== '' && !['TCP', 'UDP', 'SCTP'].includes(protocol))
      unsupported(report, `${at}/protocol`, protocol, ['SCTP', 'TCP', 'UDP']);
    if (port['targetPort'] !== undefined && port['targetPort'] !== 0)
      checkPortNumOrName(report, `${at}/targetPort`, port['targetPort']);
    const nodePort = num(port['nodePort']);
    if (
      nodePort !== undefined &&
      nodePort !== 0 &&
      (type === undefined || type === null || type === 'ClusterIP')
    )
      invalid(report, `${at}/nodePort`, nodePort, "may not be used when `type` is 'ClusterIP'");
  });
  const timeout = num(getAt(raw, '/spec/sessionAffinityConfig/clientIP/timeoutSeconds'));
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400))
    invalid(
      report,
      '/spec/sessionAffinityConfig/clientIP/timeoutSeconds',
      timeout,
      'must be greater than 0 and less than 86400',
    );
  oneOf(report, raw, '/spec/sessionAffinity', ['ClientIP', 'None']);
}

/** ValidateNetworkPolicySpec (pkg/apis/networking/validation). */
function checkNetworkPolicy(report: Report, raw: JsonObject): void {
  for (const direction of ['ingress', 'egress'] as const) {
    list(getAt(raw, `/spec/${direction}`)).forEach((r, i) => {
      const peers = list(getAt(obj(r) ?? {}, direction === 'ingress' ? '/from' : '/to'));
      peers.forEach((peer, j) => {
        const cidr = getAt(obj(peer) ?? {}, '/ipBlock/cidr');
        if (typeof cidr === 'string' && !isCidr(cidr))
          invalid(
            report,
            `/spec/${direction}/${i}/${direction === 'ingress' ? 'from' : 'to'}/${j}/ipBlock/cidr`,
            cidr,
            'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
          );
      });
    });
  }
  list(getAt(raw, '/spec/policyTypes')).forEach((t, i) => {
    if (typeof t === 'string' && t !== 'Ingress' && t !== 'Egress')
      unsupported(report, `/spec/policyTypes/${i}`, t, ['Ingress', 'Egress']);
  });
  for (const direction of ['ingress', 'egress'] as const) {
    list(getAt(raw, `/spec/${direction}`)).forEach((r, i) => {
      list(getAt(obj(r) ?? {}, '/ports')).forEach((p, j) => {
        const port = obj(p)?.['port'];
        if (port !== undefined && port !== null)
          checkPortNumOrName(report, `/spec/${direction}/${i}/ports/${j}/port`, port);
      });
    });
  }
  checkLabelSelector(report, getAt(raw, '/spec/podSelector'), '/spec/podSelector');
}

/** ValidatePriorityClass (pkg/apis/scheduling/validation). */
function checkPriorityClass(report: Report, raw: JsonObject): void {
  const name = getAt(raw, '/metadata/name');
  const system = typeof name === 'string' && name.startsWith('system-');
  const value = num(getAt(raw, '/value'));
  // Only the built-in system classes may take the system- prefix or a value above one billion.
  if (system && name !== 'system-cluster-critical' && name !== 'system-node-critical')
    invalid(
      report,
      '/metadata/name',
      name,
      "priority class names with 'system-' prefix are reserved for system use only",
    );
  else if (!system && value !== undefined && value > 1_000_000_000)
    invalid(report, '/value', value, 'maximum allowed value of a user defined priority is 1000000000');
  oneOf(report, raw, '/preemptionPolicy', ['Never', 'PreemptLowerPriority']);
}

const CRON_MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

/** ValidateCronJobSpec: a standard 5-field schedule (robfig/cron's parser) and a known time zone. */
function checkCronJob(report: Report, raw: JsonObject): void {
  const schedule = getAt(raw, '/spec/schedule');
  if (typeof schedule === 'string' && schedule !== '') {
    const text = schedule.trim();
    if (text.startsWith('@')) {
      if (!CRON_MACROS.has(text) && !/^@every \S+$/.test(text))
        invalid(report, '/spec/schedule', schedule, `unrecognized descriptor: ${text}`);
    } else {
      const fields = text.replace(/^(CRON_)?TZ=\S+\s+/, '').split(/\s+/);
      if (fields.length !== 5)
        invalid(
          report,
          '/spec/schedule',
          schedule,
          `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`,
        );
      else if (fields.some((f) => !/^[0-9A-Za-z*?/,-]+$/.test(f)))
        invalid(report, '/spec/schedule', schedule, 'failed to parse the schedule');
    }
  }
  const zone = getAt(raw, '/spec/timeZone');
  if (typeof zone === 'string' && zone !== '' && !isTimeZone(zone))
    invalid(report, '/spec/timeZone', zone, `unknown time zone ${zone}`);
}

/** Go's time.LoadLocation and the JavaScript engine read the same IANA time zone database. */
function isTimeZone(zone: string): boolean {
  if (zone === 'Local') return false; // ValidateCronJobSpec refuses it
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** ValidateConfigMap / ValidateSecret: IsConfigMapKey, and no key in both data and binaryData. */
function checkDataKeys(report: Report, raw: JsonObject, kind: string): void {
  const seen = new Set<string>();
  for (const field of kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']) {
    const map = obj(raw[field]);
    for (const key of Object.keys(map ?? {})) {
      const at = `/${field}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (
        key.length > 253 ||
        !/^[-._a-zA-Z0-9]+$/.test(key) ||
        key === '.' ||
        key === '..' ||
        key.startsWith('..')
      )
        invalid(
          report,
          at,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        );
      else if (kind === 'ConfigMap' && seen.has(key))
        invalid(report, at, key, 'duplicate of key present in data');
      seen.add(key);
    }
  }
}

/** ValidateIngressSpec: hosts, paths and backends. */
function checkIngress(report: Report, raw: JsonObject): void {
  if (list(getAt(raw, '/spec/rules')).length === 0 && !obj(getAt(raw, '/spec/defaultBackend')))
    invalid(report, '/spec', null, 'either `defaultBackend` or `rules` must be specified');
  list(getAt(raw, '/spec/rules')).forEach((r, i) => {
    const rule = obj(r) ?? {};
    const host = rule['host'];
    if (typeof host === 'string' && host !== '') {
      const plain = host.startsWith('*.') ? host.slice(2) : host;
      if (plain.includes('*'))
        invalid(
          report,
          `/spec/rules/${i}/host`,
          host,
          "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain",
        );
    }
    list(getAt(rule, '/http/paths')).forEach((p, j) => {
      const path = obj(p) ?? {};
      const at = `/spec/rules/${i}/http/paths/${j}`;
      const text = path['path'];
      const type = path['pathType'];
      if ((type === 'Prefix' || type === 'Exact') && typeof text === 'string' && !text.startsWith('/'))
        invalid(report, `${at}/path`, text, 'must be an absolute path');
      oneOf(report, path, '/pathType', ['Exact', 'ImplementationSpecific', 'Prefix']);
      checkBackend(report, obj(path['backend']), `${at}/backend`);
    });
  });
  checkBackend(report, obj(getAt(raw, '/spec/defaultBackend')), '/spec/defaultBackend');
}

function checkBackend(report: Report, backend: JsonObject | undefined, path: string): void {
  const port = obj(getAt(backend ?? {}, '/service/port'));
  if (!port) return;
  const name = port['name'];
  const number = num(port['number']);
  if (typeof name === 'string' && name !== '' && number !== undefined && number !== 0)
    invalid(report, path, '', 'cannot set both port name & port number');
  else if (number !== undefined && number !== 0)
    checkPortNumber(report, `${path}/service/port/number`, number, false);
}

/** ValidatePolicyRule (pkg/apis/rbac/validation). */
function checkPolicyRules(report: Report, raw: JsonObject): void {
  list(getAt(raw, '/rules')).forEach((r, i) => {
    const rule = obj(r) ?? {};
    const at = `/rules/${i}`;
    if (list(rule['verbs']).length === 0)
      report(`${at}/verbs`, 'invalidValue', {
        value: 'not set',
        reason: 'Required value: verbs must contain at least one value',
      });
    const urls = list(rule['nonResourceURLs']).length > 0;
    if (!urls && list(rule['apiGroups']).length === 0)
      report(`${at}/apiGroups`, 'invalidValue', {
        value: 'not set',
        reason: 'Required value: resource rules must supply at least one api group',
      });
  });
}

/** ValidateAPIService (kube-aggregator): priorities in range. */
function checkApiService(report: Report, raw: JsonObject): void {
  if (getAt(raw, '/spec/service') === undefined && typeof getAt(raw, '/spec/group') !== 'string') return;
  const group = num(getAt(raw, '/spec/groupPriorityMinimum')) ?? 0;
  if (group <= 0 || group >= 20000)
    invalid(report, '/spec/groupPriorityMinimum', group, 'must be positive and less than 20000');
  const version = num(getAt(raw, '/spec/versionPriority')) ?? 0;
  if (version <= 0 || version >= 1000)
    invalid(report, '/spec/versionPriority', version, 'must be positive and less than 1000');
}

/** netutils.ParseCIDRSloppy's syntax: an IPv4 or IPv6 address and a prefix length in range. */
function isCidr(text: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return false;
  const bits = Number(m[2]);
  const address = m[1]!;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address))
    return bits <= 32 && address.split('.').every((o) => Number(o) <= 255);
  return address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address) && bits <= 128;
}

function isEmptyMap(v: JsonValue | undefined): boolean {
  return !isJsonObject(v) || Object.keys(v).length === 0;
}
