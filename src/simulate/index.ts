/**
 * `simulate(objects, topology, options)`: places the workloads on a topology with a model of
 * kube-scheduler's default profile, replays node losses, zone losses, drains, rollouts and an upgrade,
 * and gives each workload a verdict. Pure: objects and a topology in, a SimReport out.
 */
import { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import { SimContext } from './context.js';
import { drain } from './scenarios/drain.js';
import { nodeLoss } from './scenarios/node-loss.js';
import { placementResults, placementScenario } from './scenarios/placement.js';
import { rollout } from './scenarios/rollout.js';
import { runInstance, type Scenario } from './scenarios/scenario.js';
import { upgradeScenario } from './scenarios/upgrade.js';
import { zoneLoss } from './scenarios/zone-loss.js';
import { zonesOf } from './topology.js';
import {
  SCENARIO_KINDS,
  VERDICT_RANK,
  type ScenarioKind,
  type ScenarioResult,
  type ScenarioSelector,
  type SimOptions,
  type SimReport,
  type Topology,
  type Verdict,
  type WorkloadSummary,
} from './types.js';

export * from './types.js';
export { liveTopology } from './live-placement.js';
export {
  shorthandTopology,
  topologyFromObjects,
  zoneName,
  zoneNamesFor,
  zonesNamedIn,
  type ShorthandTopology,
} from './topology.js';

export function simulate(
  objects: readonly K8sObject[],
  topology: Topology,
  options: SimOptions = {},
): SimReport {
  const t0 = performance.now();
  const index = new ObjectIndex(
    objects,
    options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {},
  );
  const ctx = new SimContext(index, topology, options);
  const t1 = performance.now();
  ctx.placeAll();
  const t2 = performance.now();
  const { kinds, named } = readSelectors(options.scenarios ?? SCENARIO_KINDS);
  const zones = zonesOf(topology);
  const placement = placementResults(ctx);
  const shard = options.shard ?? { index: 0, count: 1 };
  // Placement is the state every scenario starts from: every shard reports it.
  const scenarios: ScenarioResult[] = [placementScenario(ctx, placement)];
  // Every kind the same way: the shard's positions among the kind's instances, each run when its
  // kind or its name was asked for.
  const runSelected = <T>(scenario: Scenario<T>): void => {
    const byName = named.get(scenario.kind)!;
    scenario.instances(ctx).forEach((instance, position) => {
      if (position % shard.count !== shard.index) return;
      const asKind = kinds.has(scenario.kind) && !instance.onlyByName;
      const asName = instance.name !== undefined && byName.has(instance.name);
      if (asKind || asName) scenarios.push(runInstance(ctx, scenario, instance.value));
    });
  };
  // In the order of the report (SCENARIO_KINDS).
  runSelected(nodeLoss);
  runSelected(zoneLoss);
  runSelected(drain);
  runSelected(rollout);
  runSelected(upgradeScenario);
  const report = buildReport(ctx, topology, zones, placement, scenarios);
  report.stats = {
    setupMs: t1 - t0,
    placementMs: t2 - t1,
    scenariosMs: performance.now() - t2,
    pods: ctx.workloads.reduce((a, w) => a + w.desired, 0),
  };
  return report;
}

/** The kinds to run in full, and the nodes / zones named for the kinds that take a name. */
function readSelectors(selectors: readonly ScenarioSelector[]): {
  kinds: Set<ScenarioKind>;
  named: Map<ScenarioKind, Set<string>>;
} {
  const kinds = new Set<ScenarioKind>();
  const named = new Map<ScenarioKind, Set<string>>(SCENARIO_KINDS.map((k) => [k, new Set<string>()]));
  for (const s of selectors) {
    const colon = s.indexOf(':');
    if (colon < 0) kinds.add(s as ScenarioKind);
    else named.get(s.slice(0, colon) as ScenarioKind)?.add(s.slice(colon + 1));
  }
  return { kinds, named };
}

/**
 * Merges the reports of the shards of one simulation (same objects, topology and options, shard 0..n-1)
 * into the report a single run gives: scenarios in the same order, worst verdicts recomputed.
 */
export function mergeReports(shards: readonly SimReport[]): SimReport {
  const first = shards[0];
  if (!first) throw new Error('mergeReports needs at least one report');
  const scenarios: ScenarioResult[] = [];
  for (const kind of SCENARIO_KINDS) {
    const lists = shards.map((r) => r.scenarios.filter((s) => s.kind === kind));
    const total = lists.reduce((a, l) => a + l.length, 0);
    if (kind === 'placement' || kind === 'upgrade') {
      scenarios.push(...lists[0]!);
      continue;
    }
    for (let i = 0; i < total; i++) {
      const s = lists[i % shards.length]![Math.floor(i / shards.length)];
      if (s) scenarios.push(s);
    }
  }
  const ids = first.workloads.map((w) => w.workload);
  const { workloads, summary } = summarizeVerdicts(ids, scenarios);
  return { ...first, scenarios, workloads, summary };
}

/** The worst verdict of each workload over the scenarios (the first scenario on ties), and the counts. */
function summarizeVerdicts(
  ids: readonly string[],
  scenarios: readonly ScenarioResult[],
): { workloads: WorkloadSummary[]; summary: SimReport['summary'] } {
  const worst = new Map<string, WorkloadSummary>();
  for (const id of ids) worst.set(id, { workload: id, verdict: 'ok', scenario: null, reason: '' });
  for (const s of scenarios) {
    for (const o of s.workloads) {
      const w = worst.get(o.workload);
      if (!w) continue;
      if (w.scenario === null || VERDICT_RANK[o.verdict] > VERDICT_RANK[w.verdict]) {
        w.verdict = o.verdict;
        w.scenario = s.id;
        w.reason = o.reason;
      }
    }
  }
  const workloads = [...worst.values()];
  const count = (v: Verdict): number => workloads.filter((w) => w.verdict === v).length;
  return {
    workloads,
    summary: {
      workloads: workloads.length,
      ok: count('ok'),
      degraded: count('degraded'),
      outage: count('outage'),
      stuck: count('stuck'),
    },
  };
}

/**
 * The map's name for each workload: its name where that is unique, else `namespace/name`, else the
 * whole id, so three namespaces' `web` on one node are three entries, never one `web×3`.
 */
function mapLabels(workloads: readonly { index: number; id: string; name: string }[]): Map<number, string> {
  const count = (key: (w: (typeof workloads)[number]) => string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const w of workloads) m.set(key(w), (m.get(key(w)) ?? 0) + 1);
    return m;
  };
  const namespaced = (w: (typeof workloads)[number]): string => `${w.id.split('/')[0]}/${w.name}`;
  const byName = count((w) => w.name);
  const byNamespacedName = count(namespaced);
  return new Map(
    workloads.map((w) => [
      w.index,
      byName.get(w.name) === 1 ? w.name : byNamespacedName.get(namespaced(w)) === 1 ? namespaced(w) : w.id,
    ]),
  );
}

function buildReport(
  ctx: SimContext,
  topology: Topology,
  zones: string[],
  placement: SimReport['placement'],
  scenarios: ScenarioResult[],
): SimReport {
  const { workloads, summary } = summarizeVerdicts(
    ctx.workloads.map((wl) => wl.id),
    scenarios,
  );
  const state = ctx.state;
  const short = mapLabels(ctx.workloads);
  const map: SimReport['map'] = zones.map((zone) => ({
    zone,
    nodes: state.order
      .filter((n) => state.zoneOf(n) === zone)
      .map((n) => {
        const pods: Record<string, number> = {};
        for (const p of state.podsOn[n]!) {
          if (p.workload < 0) continue;
          const name = short.get(p.workload)!;
          pods[name] = (pods[name] ?? 0) + 1;
        }
        return {
          name: state.names[n]!,
          pods,
          cpu: state.allocCpu[n]!,
          memory: state.allocMemory[n]!,
          usedCpu: state.reqCpu[n]!,
          usedMemory: state.reqMemory[n]!,
        };
      }),
  }));
  return {
    topology: { nodes: topology.nodes.length, zones },
    placement,
    scenarios,
    workloads,
    summary,
    map,
  };
}
