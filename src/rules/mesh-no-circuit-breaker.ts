import { isIstio } from '../model/istio.js';
import { getAt } from '../model/json-path.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'mesh-no-circuit-breaker',
  category: 'mesh',
  defaultSeverity: 'info',
  guide: 'Use a Service Mesh',
  description:
    'An Istio DestinationRule without outlierDetection keeps sending traffic to failing endpoints.',
  fixSafety: {
    kind: 'none',
    reason: 'decide how many consecutive errors eject an endpoint, and for how long',
  },
  messages: {
    missing: {
      headline: 'DestinationRule {{name}} (host {{host}}) sets no outlierDetection',
      detail:
        'Nothing ejects a failing endpoint for {{paths}}: an endpoint that keeps failing stays in the load-balancing pool and keeps receiving its share of requests. Add outlierDetection here (e.g. consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50).',
    },
    portOverride: {
      headline: 'DestinationRule {{name}}: port {{port}} settings drop outlierDetection',
      detail:
        'For host {{host}}, the portLevelSettings for port {{port}} replace the whole traffic policy of {{scope}}, so the outlierDetection set above them does not apply to {{paths}}. Repeat outlierDetection in these port settings.',
    },
  },
  check({ index, report }) {
    for (const dr of index.ofKind('DestinationRule')) {
      if (!isIstio(dr)) continue;
      for (const gap of gaps(index, dr)) {
        report({
          object: dr,
          path: gap.path,
          messageId: gap.override === undefined ? 'missing' : 'portOverride',
          data: {
            name: dr.name,
            host: hostOf(dr) ?? '?',
            paths: gap.paths.join(', '),
            port: gap.override?.port ?? '',
            scope: gap.override?.scope ?? '',
          },
        });
      }
    }
  },
});

/** A place in the DestinationRule where outlierDetection is missing, with the traffic it leaves unprotected. */
interface Gap {
  /** JSON pointer of the outlierDetection that should be added. */
  path: string;
  paths: string[];
  /** Set when a port-level policy hides an outlierDetection set at the level above it. */
  override?: { port: number; scope: string };
}

/** One level's verdict for one port, and the field that decides it. */
interface Resolved {
  has: boolean;
  path: string;
  /** The level said something for this port (a portLevelSettings entry, or its own outlierDetection). */
  decided: boolean;
  override?: { port: number; scope: string };
}

const OTHER_PORTS = 'other';
type Port = number | typeof OTHER_PORTS;

/**
 * Every traffic path of a DestinationRule (the host without a subset, and each subset, on each port)
 * resolved the way istiod merges policies (MergeSubsetTrafficPolicy): a matching portLevelSettings
 * entry replaces its level's whole policy, omitted fields included; a subset's outlierDetection
 * overrides the rule's; a subset with nothing to say for the port inherits what the rule resolves to.
 * The paths left without outlier detection are grouped by the field that would fix them.
 */
function gaps(index: ObjectIndex, dr: K8sObject): Gap[] {
  const spec = getAt(dr.raw, '/spec');
  const top = isJsonObject(spec) ? policy(spec['trafficPolicy']) : undefined;
  const subsets = isJsonObject(spec) && Array.isArray(spec['subsets']) ? spec['subsets'] : [];
  const ports = portsOf(index, dr, top, subsets);
  const byPath = new Map<string, Gap>();
  const add = (r: Resolved, label: string): void => {
    let gap = byPath.get(r.path);
    if (!gap) {
      gap = { path: r.path, paths: [], ...(r.override ? { override: r.override } : {}) };
      byPath.set(r.path, gap);
    }
    gap.paths.push(label);
  };
  const portLabel = (p: Port): string =>
    p === OTHER_PORTS ? (ports.length > 1 ? 'its other ports' : '') : `port ${p}`;

  for (const p of ports) {
    const atTop = resolve(top, p, '/spec/trafficPolicy', 'the rule', false);
    if (!atTop.has) add(atTop, join('the host', portLabel(p)));
    subsets.forEach((s, i) => {
      if (!isJsonObject(s)) return;
      const name = typeof s['name'] === 'string' ? s['name'] : `#${i + 1}`;
      const own = policy(s['trafficPolicy']);
      const level = own
        ? resolve(own, p, `/spec/subsets/${i}/trafficPolicy`, `subset ${name}`, atTop.has)
        : undefined;
      const r = level?.decided ? level : atTop;
      if (!r.has) add(r, join(`subset ${name}`, portLabel(p)));
    });
  }
  return [...byPath.values()];
}

function join(what: string, port: string): string {
  return port ? `${what} on ${port}` : what;
}

/**
 * One level's verdict for a port: a matching portLevelSettings entry decides alone, else the level's
 * own outlierDetection, else nothing (the caller falls back to the level above). `inherited` says
 * whether the level above provides outlier detection that a port entry would hide.
 */
function resolve(
  level: JsonObject | undefined,
  port: Port,
  base: string,
  scope: string,
  inherited: boolean,
): Resolved {
  const settings = level && Array.isArray(level['portLevelSettings']) ? level['portLevelSettings'] : [];
  const i = port === OTHER_PORTS ? -1 : settings.findIndex((e) => isJsonObject(e) && portNumber(e) === port);
  if (i >= 0 && port !== OTHER_PORTS) {
    const has = isSet((settings[i] as JsonObject)['outlierDetection']);
    const hidden = !has && (inherited || isSet(level?.['outlierDetection']));
    return {
      has,
      path: `${base}/portLevelSettings/${i}/outlierDetection`,
      decided: true,
      ...(hidden ? { override: { port, scope } } : {}),
    };
  }
  const has = isSet(level?.['outlierDetection']);
  return { has, path: `${base}/outlierDetection`, decided: has };
}

function policy(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

function isSet(v: JsonValue | undefined): boolean {
  // An empty outlierDetection ({}) turns it on with Istio's defaults.
  return isJsonObject(v);
}

function portNumber(setting: JsonObject): number | undefined {
  const n = getAt(setting, '/port/number');
  return typeof n === 'number' ? n : undefined;
}

/**
 * The ports traffic can take: the Service's own ports when the host's Service is in the input, else the
 * ports the rule names plus "any other port" (a rule cannot know the ports of a Service it does not see).
 */
function portsOf(
  index: ObjectIndex,
  dr: K8sObject,
  top: JsonObject | undefined,
  subsets: JsonValue[],
): Port[] {
  const named = new Set<number>();
  const collect = (level: JsonObject | undefined): void => {
    const settings = level && Array.isArray(level['portLevelSettings']) ? level['portLevelSettings'] : [];
    for (const s of settings) {
      const n = isJsonObject(s) ? portNumber(s) : undefined;
      if (n !== undefined) named.add(n);
    }
  };
  collect(top);
  for (const s of subsets) if (isJsonObject(s)) collect(policy(s['trafficPolicy']));
  const service = serviceOf(index, dr);
  const servicePorts = service ? servicePortNumbers(service) : [];
  if (servicePorts.length > 0) return servicePorts;
  return [...[...named].sort((a, b) => a - b), OTHER_PORTS];
}

function hostOf(dr: K8sObject): string | undefined {
  const host = getAt(dr.raw, '/spec/host');
  return typeof host === 'string' && host !== '' ? host : undefined;
}

/** The Service a host names: "name", "name.ns", "name.ns.svc" or "name.ns.svc.<cluster domain>". */
function serviceOf(index: ObjectIndex, dr: K8sObject): K8sObject | undefined {
  const host = hostOf(dr);
  if (!host || host.includes('*')) return undefined;
  const parts = host.split('.');
  if (parts.length > 2 && parts[2] !== 'svc') return undefined;
  const [name, namespace = dr.namespace] = parts;
  return index.ofKind('Service').find((s) => s.name === name && s.namespace === namespace);
}

function servicePortNumbers(service: K8sObject): number[] {
  const ports = getAt(service.raw, '/spec/ports');
  if (!Array.isArray(ports)) return [];
  const out = ports
    .map((p) => (isJsonObject(p) ? p['port'] : undefined))
    .filter((n): n is number => typeof n === 'number');
  return [...new Set(out)].sort((a, b) => a - b);
}
