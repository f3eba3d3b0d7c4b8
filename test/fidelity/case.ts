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
};

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

function header(doc: JsonObject, file: string): Omit<FidelityCase, 'id' | 'file' | 'nodes' | 'manifests'> {
  const { tests, decidedBy, level, drain, known, firstPass } = doc;
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
  return {
    tests,
    decidedBy,
    level,
    firstPass: firstPass !== false,
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
  return { id: basename(file).replace(/\.ya?ml$/, ''), file, ...h, nodes, manifests };
}

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
  return cases;
}
