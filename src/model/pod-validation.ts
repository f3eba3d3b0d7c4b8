import { escapeSegment } from './json-path.js';
import { dns1123Label, labelValue, qualifiedName } from './name-syntax.js';
import { isJsonObject, type JsonObject, type JsonValue } from './types.js';

/**
 * The pod spec rules of Kubernetes' validation code (pkg/apis/core/validation, ValidatePodSpec and
 * what it calls) that the OpenAPI cannot say: ranges, enums, syntax of names, and fields that
 * exclude each other. Each function names the one it mirrors; the reasons are the API server's
 * own texts. Types are already right here (the object decoded); any value may still be null.
 */

export type ValidationMessageId = 'invalidValue' | 'unsupportedValue';

/** Reports one field: its JSON pointer, the message id and the data for the message. */
export type Report = (
  path: string,
  messageId: ValidationMessageId,
  data: Record<string, string | number>,
) => void;

export function invalid(report: Report, path: string, value: JsonValue | undefined, reason: string): void {
  report(path, 'invalidValue', { value: showValue(value), reason });
}

export function unsupported(
  report: Report,
  path: string,
  value: JsonValue | undefined,
  supported: readonly string[],
): void {
  report(path, 'unsupportedValue', {
    value: showValue(value),
    supported: supported.map((s) => `"${s}"`).join(', '),
  });
}

export function showValue(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return 'not set';
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v).slice(0, 60);
}

const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: JsonValue | undefined): JsonObject | undefined => (isJsonObject(v) ? v : undefined);
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

/** IsValidPortName (apimachinery util/validation). */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name))
    return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** IsValidPortNum. */
function portNumberProblem(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : 'must be between 1 and 65535, inclusive';
}

/**
 * A port given as a number or a name (probe handlers, Service targetPort): validatePortNumOrName.
 * Missing or null is the zero value, port 0.
 */
export function checkPortNumOrName(report: Report, path: string, port: JsonValue | undefined): void {
  if (port === undefined || port === null) port = 0;
  if (typeof port === 'number') {
    const bad = portNumberProblem(port);
    if (bad) invalid(report, path, port, bad);
  } else if (typeof port === 'string') {
    const bad = portNameProblem(port);
    if (bad) invalid(report, path, port, bad);
  }
}

export function checkPortNumber(
  report: Report,
  path: string,
  port: JsonValue | undefined,
  required: boolean,
): void {
  if (port === undefined || port === null || port === 0) {
    if (required) report(path, 'invalidValue', { value: 'not set', reason: 'Required value' });
    return;
  }
  if (typeof port === 'number') {
    const bad = portNumberProblem(port);
    if (bad) invalid(report, path, port, bad);
  }
}

function nonNegative(report: Report, path: string, v: JsonValue | undefined): void {
  if (typeof v === 'number' && v < 0) invalid(report, path, v, 'must be greater than or equal to 0');
}

/** ValidatePodSpec: containers, probes, lifecycle, tolerations, affinity, spread, restart policy. */
export function checkPodSpec(report: Report, spec: JsonObject, path: string, owner: string): void {
  const grace = num(spec['terminationGracePeriodSeconds']);
  nonNegative(report, `${path}/terminationGracePeriodSeconds`, spec['terminationGracePeriodSeconds']);
  for (const field of ['initContainers', 'containers'] as const) {
    list(spec[field]).forEach((c, i) => {
      const container = obj(c);
      if (container) checkContainer(report, container, `${path}/${field}/${i}`, grace ?? 30);
    });
  }
  checkRestartPolicy(report, spec['restartPolicy'], `${path}/restartPolicy`, owner);
  checkIds(report, obj(spec['securityContext']), `${path}/securityContext`);
  list(spec['tolerations']).forEach((t, i) => {
    const toleration = obj(t);
    if (toleration) checkToleration(report, toleration, `${path}/tolerations/${i}`);
  });
  const affinity = obj(spec['affinity']);
  if (affinity) checkAffinity(report, affinity, `${path}/affinity`);
  list(spec['topologySpreadConstraints']).forEach((c, i) => {
    const constraint = obj(c);
    if (constraint) checkSpread(report, constraint, `${path}/topologySpreadConstraints/${i}`);
  });
}

/** validateRestartPolicy, and ValidateJobSpec's "Always" ban for a Job's pods. */
function checkRestartPolicy(report: Report, value: JsonValue | undefined, path: string, owner: string): void {
  if ((owner === 'Job' || owner === 'CronJob') && (typeof value !== 'string' || value === '')) {
    // Defaulting would make it Always, which a Job's pods may not have.
    report(path, 'invalidValue', {
      value: 'not set',
      reason: 'Required value: valid values: "OnFailure", "Never"',
    });
    return;
  }
  if (typeof value !== 'string' || value === '') return;
  const supported = ['Always', 'OnFailure', 'Never'];
  if (!supported.includes(value)) return unsupported(report, path, value, supported);
  if ((owner === 'Job' || owner === 'CronJob') && value === 'Always')
    unsupported(report, path, value, ['OnFailure', 'Never']);
}

/** validateContainers / validateContainerCommon. */
function checkContainer(report: Report, c: JsonObject, path: string, grace: number): void {
  const name = c['name'];
  if (typeof name === 'string' && name !== '') {
    const bad = dns1123Label(name);
    if (bad) invalid(report, `${path}/name`, name, bad);
  }
  checkIds(report, obj(c['securityContext']), `${path}/securityContext`);
  // validateContainerPorts
  list(c['ports']).forEach((p, i) => {
    const port = obj(p);
    if (!port) return;
    const at = `${path}/ports/${i}`;
    if (typeof port['name'] === 'string' && port['name'] !== '') {
      const bad = portNameProblem(port['name']);
      if (bad) invalid(report, `${at}/name`, port['name'], bad);
    }
    checkPortNumber(report, `${at}/containerPort`, port['containerPort'], true);
    checkPortNumber(report, `${at}/hostPort`, port['hostPort'], false);
    const protocol = port['protocol'];
    if (typeof protocol === 'string' && protocol !== '' && !['TCP', 'UDP', 'SCTP'].includes(protocol))
      unsupported(report, `${at}/protocol`, protocol, ['SCTP', 'TCP', 'UDP']);
  });
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const p = obj(c[probe]);
    if (p) checkProbe(report, p, `${path}/${probe}`);
  }
  // validateLifecycle → validateSleepAction: 0 ≤ seconds < terminationGracePeriodSeconds.
  const lifecycle = obj(c['lifecycle']);
  for (const hook of ['preStop', 'postStart'] as const) {
    const handler = obj(lifecycle?.[hook]);
    const sleep = obj(handler?.['sleep']);
    const seconds = num(sleep?.['seconds']);
    if (seconds !== undefined && (seconds < 0 || seconds >= grace))
      invalid(
        report,
        `${path}/lifecycle/${hook}/sleep`,
        seconds,
        `must be non-negative and less than terminationGracePeriodSeconds (${grace})`,
      );
  }
}

/** validateProbe / validateHandler: one handler, valid ports, non-negative timings. */
function checkProbe(report: Report, probe: JsonObject, path: string): void {
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => isJsonObject(probe[h]));
  if (handlers.length > 1)
    invalid(
      report,
      `${path}/${handlers[1]}`,
      probe[handlers[1]!],
      'may not specify more than 1 handler type',
    );
  const httpGet = obj(probe['httpGet']);
  if (httpGet) checkPortNumOrName(report, `${path}/httpGet/port`, httpGet['port']);
  const tcp = obj(probe['tcpSocket']);
  if (tcp) checkPortNumOrName(report, `${path}/tcpSocket/port`, tcp['port']);
  const grpc = obj(probe['grpc']);
  if (grpc && typeof grpc['port'] === 'number') checkPortNumOrName(report, `${path}/grpc/port`, grpc['port']);
  for (const timing of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    nonNegative(report, `${path}/${timing}`, probe[timing]);
}

/** validateTolerations. */
function checkToleration(report: Report, t: JsonObject, path: string): void {
  const operator = t['operator'];
  if (typeof operator === 'string' && operator !== '' && operator !== 'Equal' && operator !== 'Exists')
    unsupported(report, `${path}/operator`, operator, ['Equal', 'Exists']);
  if (operator === 'Exists' && typeof t['value'] === 'string' && t['value'] !== '')
    invalid(report, `${path}/operator`, t['value'], "value must be empty when `operator` is 'Exists'");
  else if (operator !== 'Exists' && typeof t['value'] === 'string') {
    const bad = labelValue(t['value']);
    if (bad) invalid(report, `${path}/operator`, t['value'], bad);
  }
  if (typeof t['key'] === 'string' && t['key'] !== '') {
    const bad = qualifiedName(t['key']);
    if (bad) invalid(report, `${path}/key`, t['key'], bad);
  }
  const effect = t['effect'];
  if (
    typeof effect === 'string' &&
    effect !== '' &&
    !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)
  )
    unsupported(report, `${path}/effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
}

/** validateAffinity: preferred terms' weight, and the label selectors of pod (anti-)affinity terms. */
function checkAffinity(report: Report, affinity: JsonObject, path: string): void {
  const node = obj(affinity['nodeAffinity']);
  list(node?.['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) =>
    checkWeight(
      report,
      obj(t),
      `${path}/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/${i}/weight`,
    ),
  );
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = obj(affinity[kind]);
    list(a?.['requiredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
      const term = obj(t);
      const at = `${path}/${kind}/requiredDuringSchedulingIgnoredDuringExecution/${i}`;
      if (term) checkLabelSelector(report, term['labelSelector'], `${at}/labelSelector`);
    });
    list(a?.['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
      const weighted = obj(t);
      const at = `${path}/${kind}/preferredDuringSchedulingIgnoredDuringExecution/${i}`;
      checkWeight(report, weighted, `${at}/weight`);
      const term = obj(weighted?.['podAffinityTerm']);
      if (term) checkLabelSelector(report, term['labelSelector'], `${at}/podAffinityTerm/labelSelector`);
    });
  }
}

function checkWeight(report: Report, term: JsonObject | undefined, path: string): void {
  const weight = num(term?.['weight']);
  if (term && (weight === undefined || weight < 1 || weight > 100))
    invalid(report, path, weight ?? 0, 'must be in the range 1-100');
}

/** validateTopologySpreadConstraints. */
function checkSpread(report: Report, c: JsonObject, path: string): void {
  const maxSkew = num(c['maxSkew']);
  if (maxSkew !== undefined && maxSkew <= 0)
    invalid(report, `${path}/maxSkew`, maxSkew, 'must be greater than zero');
  const when = c['whenUnsatisfiable'];
  const supported = ['DoNotSchedule', 'ScheduleAnyway'];
  if (when === null || (typeof when === 'string' && !supported.includes(when)))
    unsupported(report, `${path}/whenUnsatisfiable`, when ?? '', supported);
  const minDomains = num(c['minDomains']);
  if (minDomains !== undefined) {
    if (minDomains <= 0) invalid(report, `${path}/minDomains`, minDomains, 'must be greater than zero');
    else if (when !== 'DoNotSchedule')
      invalid(
        report,
        `${path}/minDomains`,
        minDomains,
        `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${typeof when === 'string' ? when : ''}`,
      );
  }
  checkLabelSelector(report, c['labelSelector'], `${path}/labelSelector`);
}

/** ValidateLabelSelectorRequirement (apimachinery metav1 validation): operators and their values. */
export function checkLabelSelector(report: Report, selector: JsonValue | undefined, path: string): void {
  const s = obj(selector);
  list(s?.['matchExpressions']).forEach((e, i) => {
    const expr = obj(e);
    if (!expr) return;
    const at = `${path}/matchExpressions/${i}`;
    if (typeof expr['key'] === 'string') {
      const bad = qualifiedName(expr['key']);
      if (bad) invalid(report, `${at}/key`, expr['key'], bad);
    }
    const operator = expr['operator'];
    const values = list(expr['values']);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        invalid(report, `${at}/values`, null, "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0)
        invalid(
          report,
          `${at}/values`,
          values,
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        );
    } else if (typeof operator === 'string') {
      unsupported(report, `${at}/operator`, operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    }
  });
}

export function keyPath(base: string, key: string): string {
  return `${base}/${escapeSegment(key)}`;
}

/** ValidatePodSecurityContext / ValidateSecurityContext: IsValidUserID and IsValidGroupID. */
function checkIds(report: Report, context: JsonObject | undefined, path: string): void {
  if (!context) return;
  const check = (at: string, v: JsonValue | undefined): void => {
    if (typeof v === 'number' && (v < 0 || v > 2147483647))
      invalid(report, at, v, 'must be between 0 and 2147483647, inclusive');
  };
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) check(`${path}/${field}`, context[field]);
  list(context['supplementalGroups']).forEach((g, i) => check(`${path}/supplementalGroups/${i}`, g));
}
