/**
 * Fidelity cases: one YAML file each under test/fidelity/cases/. The first document is the case's
 * header (`kind: FidelityCase`); Node documents are the topology (created as kwok nodes on the real
 * control plane, and the simulator's topology); every other document is a manifest, applied in file
 * order in a namespace of the case's own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { readTopology, type KwokNode } from '../../tools/cluster/nodes.mjs';
import { isJsonObject, type JsonObject } from '../../src/model/types.js';

/** `hard`: the hard constraints alone decide placement; `score`: scores decide it. */
export type DecidedBy = 'hard' | 'score';
/** The level at which real and predicted placement must be identical. */
export type Level = 'node' | 'zone';

/** The kinds a case may hold, with where the API serves them. */
export const API_PATHS: Record<string, { apiVersion: string; plural: string }> = {
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments' },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets' },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets' },
  Pod: { apiVersion: 'v1', plural: 'pods' },
  Service: { apiVersion: 'v1', plural: 'services' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1', plural: 'priorityclasses' },
};

/** Kinds without a namespace: created as they are, deleted after the case. */
export const CLUSTER_KINDS = new Set(['PriorityClass']);

/**
 * The label that keeps an isolated case to its own nodes: its nodes carry it and every pod template
 * selects it (nodeSelector), so cases that run at the same time never place pods on each other's
 * nodes. Both sides get the same manifests, and on the case's own nodes the selector is always met.
 */
export const CASE_LABEL = 'fidelity.kubeha.io/case';

/** A failure the case makes happen after placement, compared workload by workload. */
export type Failure =
  | { kind: 'node-loss'; node: string }
  | { kind: 'zone-loss'; zone: string }
  | { kind: 'rollout'; workload: string };

const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** Workloads whose placement is compared. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Pod']);
/** Load that runs before the workloads and is not compared (the simulator places it as background). */
export const DAEMON_KIND = 'DaemonSet';

export interface FidelityCase {
  /** The file's base name without `.yaml`: the case's id. */
  id: string;
  file: string;
  /** What the case tests, for the report. */
  tests: string;
  decidedBy: DecidedBy;
  level: Level;
  /** A node to drain (cordon, then evict every pod on it through the Eviction API). */
  drain?: string;
  /**
   * Whether the first pass's allowed and refused counts are compared (default true). Off where the
   * replacements can start during the drain: the API server retries an eviction that lost a race for
   * the PDB's status (every 500 ms), and a kwok replacement is Ready by then, so how many of the
   * concurrent evictions count as the first pass is timing.
   */
  firstPass: boolean;
  /** A disagreement that is explained rather than fixed; the report prints it. */
  known?: string;
  /** The failure made after placement (`lose:`, `loseZone:`, `rollout:`). */
  failure?: Failure;
  /**
   * Runs beside the other isolated cases, on its own nodes (CASE_LABEL) and zones; every failure case
   * is isolated. The others run one at a time with the cluster to themselves.
   */
  isolated: boolean;
  nodes: KwokNode[];
  /** Manifests in file order, without a namespace. */
  manifests: JsonObject[];
}

/** `Kind/name` of a manifest. */
export function shortId(m: JsonObject): string {
  const meta = isJsonObject(m['metadata']) ? m['metadata'] : {};
  return `${String(m['kind'])}/${String(meta['name'])}`;
}

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

type Header = Omit<FidelityCase, 'id' | 'file' | 'nodes' | 'manifests'>;

function failureOf(doc: JsonObject, file: string): Failure | undefined {
  const { lose, loseZone, rollout } = doc;
  const given = [lose, loseZone, rollout].filter((v) => v !== undefined);
  if (given.length > 1) fail(file, 'a case makes one failure: `lose:`, `loseZone:` or `rollout:`');
  if (lose !== undefined) {
    if (typeof lose !== 'string') fail(file, '`lose:` must name a node');
    return { kind: 'node-loss', node: lose };
  }
  if (loseZone !== undefined) {
    if (typeof loseZone !== 'string') fail(file, '`loseZone:` must name a zone');
    return { kind: 'zone-loss', zone: loseZone };
  }
  if (rollout !== undefined) {
    if (typeof rollout !== 'string' || !/^(Deployment|StatefulSet)\/[a-z0-9.-]+$/.test(rollout))
      fail(file, '`rollout:` must name a Deployment or StatefulSet (`Deployment/web`)');
    return { kind: 'rollout', workload: rollout };
  }
  return undefined;
}

function header(doc: JsonObject, file: string): Header {
  const { tests, decidedBy, level, drain, known, firstPass, isolated } = doc;
  if (typeof tests !== 'string' || tests === '')
    fail(file, 'the header needs `tests:` (what the case tests)');
  if (decidedBy !== 'hard' && decidedBy !== 'score') fail(file, '`decidedBy:` must be hard or score');
  if (level !== 'node' && level !== 'zone') fail(file, '`level:` must be node or zone');
  if (decidedBy === 'score' && level === 'node')
    fail(file, 'a case that scores decide is compared per zone (`level: zone`)');
  if (drain !== undefined && typeof drain !== 'string') fail(file, '`drain:` must name a node');
  if (known !== undefined && typeof known !== 'string') fail(file, '`known:` must be text');
  if (firstPass !== undefined && (typeof firstPass !== 'boolean' || drain === undefined))
    fail(file, '`firstPass:` is true or false, in a case with a drain');
  if (isolated !== undefined && typeof isolated !== 'boolean') fail(file, '`isolated:` is true or false');
  const failure = failureOf(doc, file);
  if (failure && drain !== undefined) fail(file, 'a case makes one failure: a drain or a loss or a rollout');
  return {
    tests,
    decidedBy,
    level,
    firstPass: firstPass !== false,
    isolated: failure !== undefined || isolated === true,
    ...(failure ? { failure } : {}),
    ...(drain !== undefined ? { drain } : {}),
    ...(known !== undefined ? { known } : {}),
  };
}

function checkManifest(m: JsonObject, file: string): void {
  const kind = String(m['kind']);
  const api = API_PATHS[kind];
  if (!api) fail(file, `kind ${kind} is not supported (${Object.keys(API_PATHS).join(', ')})`);
  if (m['apiVersion'] !== api.apiVersion) fail(file, `${kind} must be ${api.apiVersion}`);
  const meta = m['metadata'];
  if (!isJsonObject(meta) || typeof meta['name'] !== 'string') fail(file, `a ${kind} has no metadata.name`);
  if (meta['namespace'] !== undefined)
    fail(file, `${shortId(m)}: leave the namespace out (each run makes one)`);
  if (CLUSTER_KINDS.has(kind)) {
    // A default priority would reach every pod the cluster creates, other cases' too.
    if (m['globalDefault'] === true) fail(file, `${shortId(m)}: globalDefault would apply to every case`);
    return;
  }
  if (
    kind === 'PodDisruptionBudget' ||
    kind === DAEMON_KIND ||
    (kind !== 'Pod' && WORKLOAD_KINDS.has(kind))
  ) {
    const spec = isJsonObject(m['spec']) ? m['spec'] : {};
    const sel = isJsonObject(spec['selector']) ? spec['selector'] : {};
    if (!isJsonObject(sel['matchLabels']) || sel['matchExpressions'] !== undefined)
      fail(file, `${shortId(m)}: the runner finds pods by spec.selector.matchLabels alone`);
    if (kind === 'StatefulSet' && spec['podManagementPolicy'] !== 'Parallel')
      fail(file, `${shortId(m)}: use podManagementPolicy: Parallel (OrderedReady stops at a Pending pod)`);
  }
}

/** Parses one case file; a bad file is a one-line error naming it. */
export function parseCase(text: string, file: string): FidelityCase {
  const docs: JsonObject[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) fail(file, d.errors[0]!.message);
    const v: unknown = d.toJS();
    if (v === null || v === undefined) continue;
    if (!isJsonObject(v)) fail(file, 'every document must be a mapping');
    docs.push(v);
  }
  const first = docs[0];
  if (!first || first['kind'] !== 'FidelityCase')
    fail(file, 'the first document must be `kind: FidelityCase`');
  const nodeDocs = docs.filter((d) => d['kind'] === 'Node');
  if (nodeDocs.length === 0) fail(file, 'no Node documents: a case needs a topology');
  const nodes = readTopology(nodeDocs.map((d) => stringify(d)).join('---\n'), file);
  const manifests = docs.slice(1).filter((d) => d['kind'] !== 'Node');
  for (const m of manifests) checkManifest(m, file);
  if (!manifests.some((m) => WORKLOAD_KINDS.has(String(m['kind'])))) fail(file, 'no workload to place');
  const h = header(first, file);
  if (h.drain !== undefined && !nodes.some((n) => n.metadata.name === h.drain))
    fail(file, `drain: ${h.drain} is not one of the case's nodes`);
  const id = basename(file).replace(/\.ya?ml$/, '');
  checkFailure(h.failure, nodes, manifests, file);
  if (!h.isolated) return { id, file, ...h, nodes, manifests };
  for (const m of manifests) checkIsolable(m, file);
  return {
    id,
    file,
    ...h,
    nodes: nodes.map((n) => ({
      ...n,
      metadata: { ...n.metadata, labels: { ...n.metadata.labels, [CASE_LABEL]: id } },
    })),
    manifests: manifests.map((m) => isolate(m, id)),
  };
}

/** The pod spec of a workload manifest (a template's, or a bare Pod's own). */
export function podSpecOf(m: JsonObject): JsonObject | undefined {
  const spec = isJsonObject(m['spec']) ? m['spec'] : undefined;
  if (!spec) return undefined;
  if (m['kind'] === 'Pod') return spec;
  const template = isJsonObject(spec['template']) ? spec['template'] : undefined;
  return template && isJsonObject(template['spec']) ? template['spec'] : undefined;
}

/** The manifest with its pods kept to the case's nodes (CASE_LABEL in the nodeSelector). */
function isolate(m: JsonObject, id: string): JsonObject {
  const pod = podSpecOf(m);
  if (!pod) return m;
  const copy = JSON.parse(JSON.stringify(m)) as JsonObject;
  const spec = podSpecOf(copy)!;
  const selector = isJsonObject(spec['nodeSelector']) ? spec['nodeSelector'] : {};
  spec['nodeSelector'] = { ...selector, [CASE_LABEL]: id };
  return copy;
}

/**
 * Other cases' nodes are in the cluster beside an isolated case's: a spread constraint with
 * nodeAffinityPolicy Ignore would count them as domains (Honor, the default, counts only the nodes
 * the pod's nodeSelector allows).
 */
function checkIsolable(m: JsonObject, file: string): void {
  const spread = podSpecOf(m)?.['topologySpreadConstraints'];
  if (Array.isArray(spread) && spread.some((t) => isJsonObject(t) && t['nodeAffinityPolicy'] === 'Ignore'))
    fail(
      file,
      `${shortId(m)}: nodeAffinityPolicy: Ignore counts other cases' nodes: the case cannot be isolated`,
    );
}

function tolerationsOf(m: JsonObject): JsonObject[] {
  const t = podSpecOf(m)?.['tolerations'];
  return Array.isArray(t) ? t.filter(isJsonObject) : [];
}

/**
 * The failure names what the case has; in a loss, every workload says how long it tolerates the
 * unreachable taint (the API server's DefaultTolerationSeconds would give 300 s, and the cluster
 * keeps that default: a case that waited for it would take five minutes).
 */
function checkFailure(
  failure: Failure | undefined,
  nodes: KwokNode[],
  manifests: JsonObject[],
  file: string,
): void {
  if (!failure) return;
  if (failure.kind === 'node-loss' && !nodes.some((n) => n.metadata.name === failure.node))
    fail(file, `lose: ${failure.node} is not one of the case's nodes`);
  if (failure.kind === 'zone-loss' && !nodes.some((n) => n.metadata.labels[ZONE] === failure.zone))
    fail(file, `loseZone: no node of the case is in ${failure.zone}`);
  if (failure.kind === 'rollout' && !manifests.some((m) => shortId(m) === failure.workload))
    fail(file, `rollout: ${failure.workload} is not one of the case's workloads`);
  if (failure.kind === 'rollout') return;
  for (const m of manifests) {
    if (!WORKLOAD_KINDS.has(String(m['kind']))) continue;
    const own = tolerationsOf(m).some(
      (t) =>
        (t['key'] === UNREACHABLE || (t['key'] === undefined && t['operator'] === 'Exists')) &&
        (t['effect'] === undefined || t['effect'] === 'NoExecute'),
    );
    if (!own)
      fail(
        file,
        `${shortId(m)}: set a toleration of ${UNREACHABLE} (NoExecute) with the seconds the case waits for`,
      );
  }
}

const ZONE = 'topology.kubernetes.io/zone';

export const CASES_DIR = new URL('./cases/', import.meta.url);

/** Every case file in test/fidelity/cases, in name order; node names must be unique across cases. */
export function loadCases(dir: string = CASES_DIR.pathname): FidelityCase[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const cases = files.map((f) => parseCase(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  // Pods of a finished case may linger on its deleted nodes for a while (pod garbage collection):
  // a later case that reused a node name would see them.
  const owner = new Map<string, string>();
  for (const c of cases) {
    for (const n of c.nodes) {
      const other = owner.get(n.metadata.name);
      if (other) fail(c.file, `node ${n.metadata.name} is also in ${other}: node names must be unique`);
      owner.set(n.metadata.name, c.id);
    }
  }
  // The node lifecycle controller judges a zone by all its nodes (a zone with no Ready node is fully
  // disrupted): isolated cases, which run together, each have zones of their own.
  const zoneOwner = new Map<string, string>();
  for (const c of cases.filter((x) => x.isolated)) {
    for (const z of new Set(c.nodes.map((n) => n.metadata.labels[ZONE] ?? ''))) {
      const other = zoneOwner.get(z);
      if (other && other !== c.id)
        fail(c.file, `zone ${JSON.stringify(z)} is also in ${other}: isolated cases need zones of their own`);
      zoneOwner.set(z, c.id);
    }
  }
  const clusterOwner = new Map<string, string>();
  for (const c of cases) {
    for (const m of c.manifests.filter((x) => CLUSTER_KINDS.has(String(x['kind'])))) {
      const other = clusterOwner.get(shortId(m));
      if (other)
        fail(c.file, `${shortId(m)} is also in ${other}: cluster-wide objects need names of their own`);
      clusterOwner.set(shortId(m), c.id);
    }
  }
  return cases;
}
