import { getAt } from './json-path.js';
import { compareStrings } from './order.js';
import { asWritten } from './text.js';
import type { ObjectIndex } from './object-index.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from './types.js';
import type { Container, Workload } from './workload.js';

export const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export type ProbeField = (typeof PROBE_FIELDS)[number];

/** The probe of a container, when it is set to an object (null and templating leftovers are "unset"). */
export function probeOf(c: Container, field: ProbeField): JsonObject | undefined {
  const p = c.raw[field];
  return isJsonObject(p) ? p : undefined;
}

/** An integer field as written; undefined when absent or not a number (templated, null). */
export function intField(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

// ---- ports

export interface DeclaredPort {
  name: string | undefined;
  containerPort: number | undefined;
  protocol: string;
}

export function declaredPorts(c: Container): DeclaredPort[] {
  const ports = c.raw['ports'];
  if (!Array.isArray(ports)) return [];
  return ports.filter(isJsonObject).map((p) => ({
    name: typeof p['name'] === 'string' ? p['name'] : undefined,
    containerPort: typeof p['containerPort'] === 'number' ? p['containerPort'] : undefined,
    protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP',
  }));
}

/** A string the kubelet reads as a number: probe.ResolveContainerPort falls back to Atoi when no port has that name. */
export function isNumericString(v: JsonValue | undefined): v is string {
  return typeof v === 'string' && /^\d+$/.test(v);
}

/**
 * The port number a probe's IntOrString port resolves to, as the kubelet resolves it
 * (pkg/probe/util.go ResolveContainerPort): a number as is, a name among the probed container's own
 * ports only; undefined when it cannot be resolved.
 */
export function resolveProbePort(c: Container, port: JsonValue | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  const named = declaredPorts(c).find((p) => p.name === port);
  if (named) return named.containerPort;
  return isNumericString(port) ? Number(port) : undefined;
}

// ---- probe handlers

export type ProbeHandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';
const HANDLERS: readonly ProbeHandlerKind[] = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

/** The handler of a probe (the API allows exactly one), with its field name. */
export function probeHandler(probe: JsonObject): { kind: ProbeHandlerKind; action: JsonObject } | undefined {
  for (const kind of HANDLERS) {
    const action = probe[kind];
    if (isJsonObject(action)) return { kind, action };
  }
  return undefined;
}

/**
 * What a probe checks, with the API server's defaults applied (httpGet path "/" and scheme HTTP,
 * SetDefaults_HTTPGetAction) and named ports resolved in the container: two probes with equal
 * checks send the same request. Timing and thresholds are not part of the check.
 */
export interface ProbeCheck {
  kind: ProbeHandlerKind;
  /** Canonical form; equal keys are the same check. */
  key: string;
  /** Short human form for messages: "httpGet /healthz on port 8080". */
  text: string;
}

export function probeCheck(c: Container, probe: JsonObject): ProbeCheck | undefined {
  const handler = probeHandler(probe);
  if (!handler) return undefined;
  const { kind, action } = handler;
  const portKey = (v: JsonValue | undefined): string => {
    const n = resolveProbePort(c, v);
    return n !== undefined ? String(n) : `name:${String(v)}`;
  };
  const portText = (v: JsonValue | undefined): string => {
    const n = resolveProbePort(c, v);
    return typeof v === 'string' && !isNumericString(v) && n !== undefined ? `${v} (${n})` : shown(v);
  };
  const host = typeof action['host'] === 'string' ? action['host'] : '';
  switch (kind) {
    case 'exec': {
      // An item that is not a string is the API server's to refuse (invalid-object): shown as written.
      const command = Array.isArray(action['command'])
        ? action['command'].map((a) => (typeof a === 'string' ? a : shown(a)))
        : [];
      return { kind, key: JSON.stringify(['exec', command]), text: `exec ${JSON.stringify(command)}` };
    }
    case 'httpGet': {
      const raw = typeof action['path'] === 'string' && action['path'] !== '' ? action['path'] : '/';
      // The kubelet builds the URL with a host, so "healthz" and "/healthz" request the same path.
      const path = raw.startsWith('/') ? raw : `/${raw}`;
      const scheme = typeof action['scheme'] === 'string' ? action['scheme'].toUpperCase() : 'HTTP';
      // Header names are case-insensitive; their order does not change the request.
      const headers = (Array.isArray(action['httpHeaders']) ? action['httpHeaders'] : [])
        .filter(isJsonObject)
        .map((h) => [String(h['name'] ?? '').toLowerCase(), String(h['value'] ?? '')])
        .sort((a, b) => compareStrings(a[0]!, b[0]!) || compareStrings(a[1]!, b[1]!));
      return {
        kind,
        key: JSON.stringify(['httpGet', scheme, host, portKey(action['port']), path, headers]),
        text: `httpGet ${scheme === 'HTTPS' ? 'https ' : ''}${path} on port ${portText(action['port'])}`,
      };
    }
    case 'tcpSocket':
      return {
        kind,
        key: JSON.stringify(['tcpSocket', host, portKey(action['port'])]),
        text: `tcpSocket on port ${portText(action['port'])}`,
      };
    case 'grpc': {
      const service = typeof action['service'] === 'string' ? action['service'] : '';
      return {
        kind,
        key: JSON.stringify(['grpc', shown(action['port']), service]),
        text: `grpc on port ${shown(action['port'])}${service ? ` (service ${service})` : ''}`,
      };
    }
  }
}

/** A probe's value as the user wrote it: JSON for anything but a string, and "(none)" when absent. */
function shown(v: JsonValue | undefined): string {
  return v === undefined ? '(none)' : asWritten(v);
}

// ---- Services in front of a workload

/**
 * Services that send traffic to the workload's pods. ExternalName Services are left out: they are a
 * DNS alias and the endpoints controllers ignore their selector.
 */
export function trafficServices(index: ObjectIndex, w: Workload): K8sObject[] {
  return index.servicesFor(w).filter((s) => getAt(s.raw, '/spec/type') !== 'ExternalName');
}

/** Whether pod readiness decides the Service's endpoints (publishNotReadyAddresses turns that off). */
export function gatesOnReadiness(svc: K8sObject): boolean {
  return getAt(svc.raw, '/spec/publishNotReadyAddresses') !== true;
}

export function serviceNames(services: readonly K8sObject[]): string {
  const names = services.map((s) => s.name);
  return `${names.length > 1 ? 'Services' : 'Service'} ${names.join(', ')}`;
}

/**
 * The containers that receive the Services' traffic: those that declare a Service's targetPort (by
 * name and protocol, as the endpoints controller's FindPort resolves it, or by number). A sidecar that
 * owns a target port is a proxy in front of the app, so the app containers receive the traffic too.
 * When a target port cannot be attributed to any container (an undeclared number, a Service without
 * ports), every app container counts as serving.
 */
export function servingContainers(w: Workload, services: readonly K8sObject[]): Set<Container> {
  const app = w.containers.filter((c) => c.kind === 'app');
  const serving = new Set<Container>();
  const addAll = (): void => app.forEach((c) => serving.add(c));
  for (const svc of services) {
    const ports = getAt(svc.raw, '/spec/ports');
    if (!Array.isArray(ports) || ports.length === 0) addAll();
    for (const p of Array.isArray(ports) ? ports : []) {
      if (!isJsonObject(p)) continue;
      const protocol = typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP';
      const target = p['targetPort'] ?? p['port'];
      const byNumber = typeof target === 'number' || isNumericString(target);
      const owners = w.containers.filter((c) =>
        declaredPorts(c).some(
          (d) =>
            d.protocol === protocol && (byNumber ? d.containerPort === Number(target) : d.name === target),
        ),
      );
      if (owners.length === 0 || owners.some((c) => c.kind !== 'app')) addAll();
      owners.forEach((c) => serving.add(c));
    }
  }
  return serving;
}

// ---- preStop sleeps

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
const SUFFIX: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** One operand of sleep(1): "5", "0.5", "2s", "1m", "infinity"; undefined when it is not a duration. */
function duration(token: string): number | undefined {
  if (token === 'infinity' || token === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(token);
  return m ? Number(m[1]) * SUFFIX[m[2]!]! : undefined;
}

/** GNU sleep sums its operands; a non-duration operand (a variable, a substitution) makes it unknown. */
function sleepArgs(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  let total = 0;
  for (const a of args) {
    const d = duration(a);
    if (d === undefined) return undefined;
    total += d;
  }
  return total;
}

function basename(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** The seconds `sleep` calls in a shell script wait, summed; undefined when the script has none we can read. */
function scriptSleep(script: string): number | undefined {
  let total: number | undefined;
  const re = /(?:^|[;&|({\n]|\bthen|\bdo|\belse)\s*(?:exec\s+)?(?:\/[\w./-]*\/)?sleep\s+([^;&|)}\n]*)/g;
  for (const m of script.matchAll(re)) {
    const seconds = sleepArgs(m[1]!.trim().split(/\s+/).filter(Boolean));
    if (seconds !== undefined) total = (total ?? 0) + seconds;
  }
  return total;
}

/**
 * How long an exec hook's command sleeps: `sleep 5`, `/bin/sleep 5s`, `busybox sleep 5`,
 * `sh -c "sleep 5 && nginx -s quit"` (any common shell, flags like -ec). Every sleep of a script is
 * summed, a lower bound of the hook's duration. undefined when the command does not sleep (or its
 * duration is not a literal).
 */
export function execSleepSeconds(command: readonly string[]): number | undefined {
  let argv = [...command];
  if (argv[0] !== undefined && basename(argv[0]) === 'env') argv = argv.slice(1);
  const head = argv[0] === undefined ? undefined : basename(argv[0]);
  if (head === 'sleep') return sleepArgs(argv.slice(1));
  if (head === 'busybox' && argv[1] === 'sleep') return sleepArgs(argv.slice(2));
  if (head !== undefined && SHELLS.has(head)) {
    const flag = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    const script = flag > 0 ? argv[flag + 1] : undefined;
    return script === undefined ? undefined : scriptSleep(script);
  }
  return undefined;
}

export interface PreStopSleep {
  seconds: number;
  /** JSON pointer of the field that sets it. */
  path: string;
  native: boolean;
}

/** The sleep a container's preStop hook performs: the native sleep action or an exec sleep. */
export function preStopSleep(c: Container): PreStopSleep | undefined {
  const hook = getAt(c.raw, '/lifecycle/preStop');
  if (!isJsonObject(hook)) return undefined;
  const sleep = hook['sleep'];
  if (isJsonObject(sleep) && typeof sleep['seconds'] === 'number') {
    return { seconds: sleep['seconds'], path: `${c.path}/lifecycle/preStop/sleep/seconds`, native: true };
  }
  const command = getAt(hook, '/exec/command');
  if (Array.isArray(command)) {
    const seconds = execSleepSeconds(command.map((a) => String(a)));
    if (seconds !== undefined)
      return { seconds, path: `${c.path}/lifecycle/preStop/exec/command`, native: false };
  }
  return undefined;
}

export function hasPreStop(c: Container): boolean {
  return isJsonObject(getAt(c.raw, '/lifecycle/preStop'));
}
