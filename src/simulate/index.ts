/**
 * `simulate(objects, topology, options)`: places the workloads on a topology with a model of
 * kube-scheduler's default profile, replays node losses, zone losses, drains, rollouts and an upgrade,
 * and gives each workload a verdict. Pure: objects and a topology in, a SimReport out.
 */
import { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import { SimContext } from './context.js';
import { drainScenarios } from './scenarios/drain.js';
import { nodeLossScenarios } from './scenarios/node-loss.js';
import { placementResults, placementScenario } from './scenarios/placement.js';
import { rolloutScenarios } from './scenarios/rollout.js';
import { upgradeScenario } from './scenarios/upgrade.js';
import { zoneLossScenarios } from './scenarios/zone-loss.js';
import { zonesOf } from './topology.js';
import {
  SCENARIO_KINDS,
  VERDICT_RANK,
  type ScenarioResult,
  type SimOptions,
  type SimReport,
  type Topology,
  type Verdict,
  type WorkloadSummary,
} from './types.js';

export * from './types.js';
export { shorthandTopology, topologyFromObjects, zoneName, type ShorthandTopology } from './topology.js';

export function simulate(
  objects: readonly K8sObject[],
  topology: Topology,
  options: SimOptions = {},
): SimReport {
  const t0 = performance.now();
  const index = new ObjectIndex(objects);
  const ctx = new SimContext(index, topology, options);
  const t1 = performance.now();
  ctx.placeAll();
  const t2 = performance.now();
  const kinds = new Set(options.scenarios ?? SCENARIO_KINDS);
  const zones = zonesOf(topology);
  const placement = placementResults(ctx);
  const scenarios: ScenarioResult[] = [placementScenario(ctx, placement)];
  if (kinds.has('node-loss')) scenarios.push(...nodeLossScenarios(ctx));
  if (kinds.has('zone-loss') && zones.length > 1) scenarios.push(...zoneLossScenarios(ctx, zones));
  if (kinds.has('drain')) scenarios.push(...drainScenarios(ctx));
  if (kinds.has('rollout')) scenarios.push(...rolloutScenarios(ctx));
  if (kinds.has('upgrade')) scenarios.push(upgradeScenario(ctx, options.upgradeMode ?? 'replace'));
  const report = buildReport(ctx, topology, zones, placement, scenarios);
  report.stats = {
    setupMs: t1 - t0,
    placementMs: t2 - t1,
    scenariosMs: performance.now() - t2,
    pods: ctx.workloads.reduce((a, w) => a + w.desired, 0),
  };
  return report;
}

function buildReport(
  ctx: SimContext,
  topology: Topology,
  zones: string[],
  placement: SimReport['placement'],
  scenarios: ScenarioResult[],
): SimReport {
  const worst = new Map<string, WorkloadSummary>();
  for (const wl of ctx.workloads)
    worst.set(wl.id, { workload: wl.id, verdict: 'ok', scenario: null, reason: '' });
  for (const s of scenarios) {
    for (const o of s.workloads) {
      const w = worst.get(o.workload)!;
      if (w.scenario === null || VERDICT_RANK[o.verdict] > VERDICT_RANK[w.verdict]) {
        w.verdict = o.verdict;
        w.scenario = s.id;
        w.reason = o.reason;
      }
    }
  }
  const workloads = [...worst.values()];
  const count = (v: Verdict): number => workloads.filter((w) => w.verdict === v).length;
  const state = ctx.state;
  const short = new Map(ctx.workloads.map((wl) => [wl.index, wl.name]));
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
    summary: {
      workloads: workloads.length,
      ok: count('ok'),
      degraded: count('degraded'),
      outage: count('outage'),
      stuck: count('stuck'),
    },
    map,
  };
}
