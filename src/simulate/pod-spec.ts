/**
 * The scheduling-relevant part of a pod spec, read once per pod template: requests, tolerations,
 * node selection, pod (anti-)affinity terms and topology spread constraints.
 */
import {
  isEmptySelector,
  matches,
  parseSelector,
  stringMap,
  type LabelSelector,
  type Labels,
} from '../model/labels.js';
import { milliValue, wholeValue } from '../model/quantity.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/types.js';

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value: string;
  /** '' = every effect. */
  effect: string;
  /** undefined = forever. */
  tolerationSeconds: number | undefined;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: string[];
}

export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  /** Only `metadata.name` is a valid field. */
  matchFields: NodeSelectorRequirement[];
}

export interface PodAffinityTerm {
  /** undefined: a null selector, which matches no pod. */
  selector: LabelSelector | undefined;
  /** Namespaces listed; empty with no namespaceSelector = the pod's own namespace. */
  namespaces: string[];
  /** undefined = none; an empty selector = every namespace. */
  namespaceSelector: LabelSelector | undefined;
  topologyKey: string;
  matchLabelKeys: string[];
  mismatchLabelKeys: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  term: PodAffinityTerm;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  selector: LabelSelector | undefined;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
  matchLabelKeys: string[];
}

export interface HostPort {
  port: number;
  protocol: string;
  hostIP: string;
}

export interface PodSchedSpec {
  /** Requested millicores and bytes, as the NodeResourcesFit filter counts them. */
  cpu: number;
  memory: number;
  /** The same with kube-scheduler's defaults (100m, 200Mi) for containers that request nothing (scoring). */
  nzCpu: number;
  nzMemory: number;
  nodeName: string | undefined;
  nodeSelector: Labels;
  requiredNodeTerms: NodeSelectorTerm[] | undefined;
  preferredNodeTerms: { weight: number; term: NodeSelectorTerm }[];
  tolerations: Toleration[];
  affinity: PodAffinityTerm[];
  antiAffinity: PodAffinityTerm[];
  preferredAffinity: WeightedPodAffinityTerm[];
  preferredAntiAffinity: WeightedPodAffinityTerm[];
  spread: SpreadConstraint[];
  hostPorts: HostPort[];
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function arr(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

interface Req {
  cpu: number;
  memory: number;
  nzCpu: number;
  nzMemory: number;
}

function containerRequests(c: JsonObject): Req {
  const requests = isJsonObject(c['resources']) ? c['resources']['requests'] : undefined;
  const limits = isJsonObject(c['resources']) ? c['resources']['limits'] : undefined;
  const get = (name: string, parse: (v: unknown) => number | undefined): number | undefined => {
    const r = isJsonObject(requests) ? parse(requests[name]) : undefined;
    if (r !== undefined) return r;
    // A limit without a request defaults the request to the limit (API server defaulting).
    return isJsonObject(limits) ? parse(limits[name]) : undefined;
  };
  const cpu = get('cpu', milliValue);
  const memory = get('memory', wholeValue);
  return {
    cpu: cpu ?? 0,
    memory: memory ?? 0,
    nzCpu: cpu ?? DEFAULT_MILLI_CPU_REQUEST,
    nzMemory: memory ?? DEFAULT_MEMORY_REQUEST,
  };
}

/** The pod's effective requests: app containers and sidecars, or the largest init step, plus overhead. */
export function podRequests(spec: JsonObject): Req {
  const total: Req = { cpu: 0, memory: 0, nzCpu: 0, nzMemory: 0 };
  const add = (into: Req, r: Req): void => {
    into.cpu += r.cpu;
    into.memory += r.memory;
    into.nzCpu += r.nzCpu;
    into.nzMemory += r.nzMemory;
  };
  for (const c of arr(spec['containers'])) add(total, containerRequests(c));
  // Init containers run one at a time next to the sidecars started before them.
  const sidecars: Req = { cpu: 0, memory: 0, nzCpu: 0, nzMemory: 0 };
  const initPeak: Req = { cpu: 0, memory: 0, nzCpu: 0, nzMemory: 0 };
  for (const c of arr(spec['initContainers'])) {
    const r = containerRequests(c);
    if (c['restartPolicy'] === 'Always') {
      add(sidecars, r);
      initPeak.cpu = Math.max(initPeak.cpu, sidecars.cpu);
      initPeak.memory = Math.max(initPeak.memory, sidecars.memory);
    } else {
      initPeak.cpu = Math.max(initPeak.cpu, sidecars.cpu + r.cpu);
      initPeak.memory = Math.max(initPeak.memory, sidecars.memory + r.memory);
      initPeak.nzCpu = Math.max(initPeak.nzCpu, sidecars.nzCpu + r.nzCpu);
      initPeak.nzMemory = Math.max(initPeak.nzMemory, sidecars.nzMemory + r.nzMemory);
    }
  }
  add(total, sidecars);
  const out: Req = {
    cpu: Math.max(total.cpu, initPeak.cpu),
    memory: Math.max(total.memory, initPeak.memory),
    nzCpu: Math.max(total.nzCpu, initPeak.nzCpu),
    nzMemory: Math.max(total.nzMemory, initPeak.nzMemory),
  };
  const overhead = spec['overhead'];
  if (isJsonObject(overhead)) {
    const c = milliValue(overhead['cpu']) ?? 0;
    const m = wholeValue(overhead['memory']) ?? 0;
    out.cpu += c;
    out.memory += m;
    out.nzCpu += c;
    out.nzMemory += m;
  }
  return out;
}

function nodeSelectorRequirements(v: JsonValue | undefined): NodeSelectorRequirement[] {
  const out: NodeSelectorRequirement[] = [];
  for (const e of arr(v)) {
    const op = e['operator'];
    if (typeof e['key'] !== 'string') continue;
    if (
      op !== 'In' &&
      op !== 'NotIn' &&
      op !== 'Exists' &&
      op !== 'DoesNotExist' &&
      op !== 'Gt' &&
      op !== 'Lt'
    )
      continue;
    out.push({ key: e['key'], operator: op, values: strings(e['values']) });
  }
  return out;
}

function nodeSelectorTerm(v: JsonObject): NodeSelectorTerm {
  return {
    matchExpressions: nodeSelectorRequirements(v['matchExpressions']),
    matchFields: nodeSelectorRequirements(v['matchFields']),
  };
}

function podAffinityTerm(v: JsonObject): PodAffinityTerm {
  const nsSel = v['namespaceSelector'];
  return {
    selector: parseSelector(v['labelSelector']),
    namespaces: strings(v['namespaces']),
    namespaceSelector: isJsonObject(nsSel) ? parseSelector(nsSel) : undefined,
    topologyKey: typeof v['topologyKey'] === 'string' ? v['topologyKey'] : '',
    matchLabelKeys: strings(v['matchLabelKeys']),
    mismatchLabelKeys: strings(v['mismatchLabelKeys']),
  };
}

function weighted(v: JsonValue | undefined): WeightedPodAffinityTerm[] {
  return arr(v)
    .filter((w) => isJsonObject(w['podAffinityTerm']))
    .map((w) => ({
      weight: typeof w['weight'] === 'number' ? w['weight'] : 0,
      term: podAffinityTerm(w['podAffinityTerm'] as JsonObject),
    }));
}

function policy(v: JsonValue | undefined, dflt: 'Honor' | 'Ignore'): 'Honor' | 'Ignore' {
  return v === 'Honor' || v === 'Ignore' ? v : dflt;
}

export function readPodSpec(spec: JsonObject): PodSchedSpec {
  const req = podRequests(spec);
  const affinity = isJsonObject(spec['affinity']) ? spec['affinity'] : {};
  const nodeAffinity = isJsonObject(affinity['nodeAffinity']) ? affinity['nodeAffinity'] : {};
  const podAff = isJsonObject(affinity['podAffinity']) ? affinity['podAffinity'] : {};
  const podAnti = isJsonObject(affinity['podAntiAffinity']) ? affinity['podAntiAffinity'] : {};
  const required = nodeAffinity['requiredDuringSchedulingIgnoredDuringExecution'];
  const tolerations: Toleration[] = arr(spec['tolerations']).map((t) => ({
    key: typeof t['key'] === 'string' ? t['key'] : '',
    operator: t['operator'] === 'Exists' ? 'Exists' : 'Equal',
    value: typeof t['value'] === 'string' ? t['value'] : '',
    effect: typeof t['effect'] === 'string' ? t['effect'] : '',
    tolerationSeconds: typeof t['tolerationSeconds'] === 'number' ? t['tolerationSeconds'] : undefined,
  }));
  const hostPorts: HostPort[] = [];
  for (const c of [...arr(spec['containers']), ...arr(spec['initContainers'])]) {
    for (const p of arr(c['ports'])) {
      if (typeof p['hostPort'] === 'number' && p['hostPort'] > 0) {
        hostPorts.push({
          port: p['hostPort'],
          protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP',
          hostIP: typeof p['hostIP'] === 'string' ? p['hostIP'] : '0.0.0.0',
        });
      }
    }
  }
  // Every field written out in one literal (no spread of `req`): the specs then share one shape, and
  // the scheduler's per-cycle reads of them stay monomorphic (a spread gave each spec its own).
  return {
    cpu: req.cpu,
    memory: req.memory,
    nzCpu: req.nzCpu,
    nzMemory: req.nzMemory,
    nodeName: typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '' ? spec['nodeName'] : undefined,
    nodeSelector: stringMap(spec['nodeSelector']),
    requiredNodeTerms: isJsonObject(required)
      ? arr(required['nodeSelectorTerms']).map(nodeSelectorTerm)
      : undefined,
    preferredNodeTerms: arr(nodeAffinity['preferredDuringSchedulingIgnoredDuringExecution'])
      .filter((p) => isJsonObject(p['preference']))
      .map((p) => ({
        weight: typeof p['weight'] === 'number' ? p['weight'] : 0,
        term: nodeSelectorTerm(p['preference'] as JsonObject),
      })),
    tolerations,
    affinity: arr(podAff['requiredDuringSchedulingIgnoredDuringExecution']).map(podAffinityTerm),
    antiAffinity: arr(podAnti['requiredDuringSchedulingIgnoredDuringExecution']).map(podAffinityTerm),
    preferredAffinity: weighted(podAff['preferredDuringSchedulingIgnoredDuringExecution']),
    preferredAntiAffinity: weighted(podAnti['preferredDuringSchedulingIgnoredDuringExecution']),
    spread: arr(spec['topologySpreadConstraints']).map((c) => ({
      maxSkew: typeof c['maxSkew'] === 'number' ? c['maxSkew'] : 1,
      topologyKey: typeof c['topologyKey'] === 'string' ? c['topologyKey'] : '',
      whenUnsatisfiable: c['whenUnsatisfiable'] === 'ScheduleAnyway' ? 'ScheduleAnyway' : 'DoNotSchedule',
      selector: parseSelector(c['labelSelector']),
      minDomains: typeof c['minDomains'] === 'number' && c['minDomains'] > 0 ? c['minDomains'] : 1,
      nodeAffinityPolicy: policy(c['nodeAffinityPolicy'], 'Honor'),
      nodeTaintsPolicy: policy(c['nodeTaintsPolicy'], 'Ignore'),
      matchLabelKeys: strings(c['matchLabelKeys']),
    })),
    hostPorts,
  };
}

/** A selector with `key in (value)` added for each matchLabelKey the pod carries (as the API server merges them). */
export function withMatchLabelKeys(
  selector: LabelSelector | undefined,
  keys: readonly string[],
  labels: Labels,
  mismatch: readonly string[] = [],
): LabelSelector | undefined {
  if (!selector || (keys.length === 0 && mismatch.length === 0)) return selector;
  const out: LabelSelector = {
    matchLabels: { ...selector.matchLabels },
    matchExpressions: [...selector.matchExpressions],
  };
  for (const k of keys) {
    const v = labels[k];
    if (v !== undefined) out.matchExpressions.push({ key: k, operator: 'In', values: [v] });
  }
  for (const k of mismatch) {
    const v = labels[k];
    if (v !== undefined) out.matchExpressions.push({ key: k, operator: 'NotIn', values: [v] });
  }
  return out;
}

/** Whether a pod in `namespace` is in the namespaces a term names (owner = the term's pod's namespace). */
export function termNamespaceMatcher(
  term: PodAffinityTerm,
  ownerNamespace: string,
  namespaceLabels: ReadonlyMap<string, Labels>,
): (namespace: string) => boolean {
  const listed = new Set(term.namespaces);
  const sel = term.namespaceSelector;
  if (listed.size === 0 && sel === undefined) return (ns) => ns === ownerNamespace;
  if (sel !== undefined && isEmptySelector(sel)) return () => true;
  return (ns) => {
    if (listed.has(ns)) return true;
    if (sel === undefined) return false;
    const labels = namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
    return matches(sel, labels);
  };
}
