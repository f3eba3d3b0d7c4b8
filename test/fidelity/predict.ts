/**
 * The simulator's side of a case: kubeha's library API, `simulate(objects, topology)`, on the same
 * Node objects the real cluster got (as tools/cluster/nodes.mjs made them kwok nodes: with its
 * hostname, os, arch and `type` labels) and the same manifests in the same namespace.
 */
import { objectId } from '../../src/model/kinds.js';
import { isJsonObject, type JsonObject, type K8sObject } from '../../src/model/types.js';
import {
  simulate,
  topologyFromObjects,
  type ScenarioSelector,
  type SimReport,
} from '../../src/simulate/index.js';
import { CLUSTER_KINDS, shortId, WORKLOAD_KINDS, type FidelityCase, type Failure } from './case.js';
import {
  sortedRecord,
  type DrainObservation,
  type Observation,
  type WorkloadOutcome,
  type WorkloadPlacement,
} from './observation.js';

function toObject(raw: JsonObject, namespace: string): K8sObject {
  const kind = String(raw['kind']);
  const meta = isJsonObject(raw['metadata']) ? raw['metadata'] : {};
  const name = String(meta['name']);
  return {
    apiVersion: String(raw['apiVersion']),
    kind,
    name,
    namespace,
    id: objectId(kind, namespace, name),
    raw,
  };
}

/** The manifest as applied: in the run's namespace. */
export function inNamespace(m: JsonObject, namespace: string): JsonObject {
  if (CLUSTER_KINDS.has(String(m['kind']))) return m;
  const meta = isJsonObject(m['metadata']) ? m['metadata'] : {};
  return { ...m, metadata: { ...meta, namespace } };
}

function selectorOf(f: Failure): ScenarioSelector {
  if (f.kind === 'node-loss') return `node-loss:${f.node}`;
  if (f.kind === 'zone-loss') return `zone-loss:${f.zone}`;
  return 'rollout';
}

/**
 * Every workload's outcome in the failure's scenario; a workload the scenario does not list kept
 * what placement gave it (verdict ok).
 */
function outcomesOf(c: FidelityCase, report: SimReport, namespace: string): WorkloadOutcome[] {
  const f = c.failure!;
  const id =
    f.kind === 'node-loss'
      ? `node-loss:${f.node}`
      : f.kind === 'zone-loss'
        ? `zone-loss:${f.zone}`
        : `rollout:${namespace}/${f.workload}`;
  const scenario = report.scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`${c.id}: the simulator ran no ${id}`);
  const atPlacement = report.scenarios.find((s) => s.id === 'placement')!;
  return c.manifests
    .filter((m) => WORKLOAD_KINDS.has(String(m['kind'])))
    .map((m) => {
      const wid = `${namespace}/${shortId(m)}`;
      const o = scenario.workloads.find((w) => w.workload === wid);
      const before = atPlacement.workloads.find((w) => w.workload === wid)!;
      const p = report.placement.find((w) => w.workload === wid)!;
      return o
        ? {
            workload: shortId(m),
            verdict: o.verdict,
            floor: o.floor,
            minReady: o.minReady,
            readyAfter: o.readyAfter,
            pendingAfter: o.pendingAfter,
          }
        : {
            workload: shortId(m),
            verdict: 'ok',
            floor: before.floor,
            minReady: before.readyAfter,
            readyAfter: before.readyAfter,
            pendingAfter: p.pending,
          };
    });
}

export function predict(c: FidelityCase, namespace: string): Observation {
  const nodes = c.nodes.map((n) => toObject(JSON.parse(JSON.stringify(n)) as JsonObject, ''));
  const { topology } = topologyFromObjects(nodes);
  const objects = c.manifests.map((m) =>
    toObject(inNamespace(m, namespace), CLUSTER_KINDS.has(String(m['kind'])) ? '' : namespace),
  );
  const scenarios: ScenarioSelector[] = ['placement'];
  if (c.drain) scenarios.push('drain');
  if (c.failure) scenarios.push(selectorOf(c.failure));
  const report = simulate(objects, topology, { scenarios });
  const short = (id: string): string => id.slice(namespace.length + 1);
  const placement: WorkloadPlacement[] = report.placement.map((p) => ({
    workload: short(p.workload),
    desired: p.desired,
    scheduled: p.scheduled,
    pending: p.pending,
    byNode: sortedRecord(p.byNode),
    byZone: sortedRecord(p.byZone),
  }));
  const out: Observation = { placement };
  if (c.drain) {
    const scenario = report.scenarios.find((s) => s.id === `drain:${c.drain}`);
    if (!scenario) throw new Error(`${c.id}: the simulator ran no drain:${c.drain}`);
    const drain: DrainObservation = { node: c.drain, workloads: [], blocked: false };
    for (const o of scenario.workloads) {
      const p = placement.find((x) => x.workload === short(o.workload));
      const onNode = p?.byNode[c.drain] ?? 0;
      if (!p || onNode === 0) continue;
      // The drain's first pass evicts what the budgets allow at once and only then do replacements
      // start, so the lowest ready count is the one right after it.
      const allowed = p.scheduled - o.minReady;
      drain.workloads.push({
        workload: p.workload,
        onNode,
        allowed,
        refused: onNode - allowed,
        pendingAfter: o.pendingAfter,
      });
      if (o.blockedBy !== null) drain.blocked = true;
    }
    out.drain = drain;
  }
  if (c.failure) out.outcomes = outcomesOf(c, report, namespace);
  // Keep the manifests' order, which is also the order the real side reports.
  const order = c.manifests.map(shortId);
  out.placement.sort((a, b) => order.indexOf(a.workload) - order.indexOf(b.workload));
  return out;
}
