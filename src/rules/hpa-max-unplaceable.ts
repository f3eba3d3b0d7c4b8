import { isHpa } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { isInt32 } from '../model/number-text.js';
import type { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import type { Workload } from '../model/workload.js';
import { simulationFor, simulationTopology, type SimRuleOptions } from '../simulate/findings.js';
import { simulate, type SimReport, type Topology } from '../simulate/index.js';
import { zonesOf } from '../simulate/topology.js';
import { defineRule } from './define-rule.js';
import type { RuleContext } from './types.js';

/** An HPA and the workload it scales, to be placed at its maxReplicas. */
interface Peak {
  hpa: K8sObject;
  max: number;
  target: Workload;
}

/**
 * The input with these HPAs' floors raised to their ceilings, so the simulator places their targets at
 * maxReplicas (it sizes an autoscaled workload within [minReplicas, maxReplicas]) while every other
 * workload keeps the size it has today.
 */
function atPeak(index: ObjectIndex, peaks: readonly Peak[]): K8sObject[] {
  const raised = new Map(peaks.map((p) => [p.hpa, p.max]));
  return index.objects
    .filter((o) => o.kind !== 'Node')
    .map((o) => {
      const max = raised.get(o);
      return max === undefined
        ? o
        : { ...o, raw: { ...o.raw, spec: { ...(o.raw['spec'] as object), minReplicas: max } } };
    });
}

function simulatePeak(
  index: ObjectIndex,
  peaks: readonly Peak[],
  topology: Topology,
  worstCase: boolean,
): SimReport {
  // Zone losses only: placement always runs, and the question is the peak itself and the peak after a zone goes.
  return simulate(atPeak(index, peaks), topology, {
    scenarios: zonesOf(topology).length > 1 ? ['zone-loss'] : [],
    worstCase,
    ...(index.targetVersion !== undefined ? { kubeVersion: index.targetVersion } : {}),
  });
}

/** Whether a workload falls short in a simulation: pods left Pending, at placement or after a zone loss. */
function fallsShort(sim: SimReport, workload: string): boolean {
  return (
    sim.placement.some((p) => p.workload === workload && p.pending > 0) ||
    sim.scenarios.some(
      (s) => s.kind === 'zone-loss' && s.workloads.some((o) => o.workload === workload && o.pendingAfter > 0),
    )
  );
}

/** A simulator sentence inside a detail's parentheses: without its own closing period. */
const clause = (text: string): string => text.replace(/\.$/, '');

/** Runs only when the analysis has a topology: `kubeha check --simulate`, rule options, or Node objects in the input. */
type MessageId = 'unplaceable' | 'zoneLoss';

export default defineRule<SimRuleOptions, MessageId>({
  id: 'hpa-max-unplaceable',
  category: 'simulation',
  defaultSeverity: 'warning',
  guide: 'Horizontal Pod Autoscaler (HPA)',
  description:
    'An HPA whose maxReplicas the simulator cannot place on the topology, or cannot keep placed once a zone is lost.',
  needs: ['HorizontalPodAutoscaler'],
  fixSafety: {
    kind: 'none',
    reason:
      "decide between a lower maxReplicas and more room (nodes, a cluster autoscaler's limits, looser placement constraints)",
  },
  messages: {
    unplaceable: {
      headline: 'HPA {{hpa}} cannot place maxReplicas {{max}} on the topology',
      detail:
        'At {{max}} replicas, {{target}} gets {{scheduled}} pods scheduled and {{pending}} stay Pending ({{reason}}). At a traffic peak the HPA asks for pods that never run, so the workload has less capacity than its HPA promises. Lower maxReplicas to {{scheduled}}, or make room: more or larger nodes (a cluster autoscaler whose limits reach it), or looser placement constraints.',
    },
    zoneLoss: {
      headline: 'HPA {{hpa}} cannot hold maxReplicas {{max}} after a zone loss',
      detail:
        'At {{max}} replicas, losing zone {{zone}} leaves {{target}} {{ready}} ready pods, and {{pending}} replacements find no room in the other zones ({{reason}}). A peak that outlasts a zone outage then runs short. Keep room for a zone share of its pods in the other zones (nodes, or cluster autoscaler limits per zone), or lower maxReplicas.',
    },
  },
  defaultOptions: {},
  check({ index, options, settings, report }) {
    const topology = simulationTopology(index, options, settings.zones);
    // Today's sizes, as sim-outage, sim-stuck and sim-degraded simulate them (one shared simulation).
    const today = topology && simulationFor(index, options, settings.zones);
    if (!topology || !today) return;
    const peaks: Peak[] = [];
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      const max = getAt(hpa.raw, '/spec/maxReplicas');
      const target = index.targetOf(hpa);
      // An HPA on a version the target's API server refuses scales nothing (deprecated-api says so).
      if (!isInt32(max) || !target || !index.hpasFor(target).includes(hpa)) continue;
      const desired = today.placement.find((p) => p.workload === target.id)?.desired;
      // At maxReplicas already, or short at today's size: the sim-* verdicts say it, not this rule.
      if (desired === undefined || max <= desired || fallsShort(today, target.id)) continue;
      peaks.push({ hpa, max, target });
    }
    if (peaks.length === 0) return;
    // One simulation with every HPA at its peak sorts out those that fit even then; each that falls
    // short is judged on its own peak, the others at today's size, so its finding is its own.
    const worstCase = options.worstCase ?? false;
    const together = simulatePeak(index, peaks, topology, worstCase);
    for (const peak of peaks) {
      if (!fallsShort(together, peak.target.id)) continue;
      const alone = peaks.length === 1 ? together : simulatePeak(index, [peak], topology, worstCase);
      reportShortfall(alone, peak, report);
    }
  },
});

/** Reports where the workload at its peak falls short: at placement, else after the first zone loss that leaves pods Pending. */
function reportShortfall(
  sim: SimReport,
  { hpa, max, target }: Peak,
  report: RuleContext<SimRuleOptions, MessageId>['report'],
): void {
  const data = { hpa: hpa.name, max, target: `${target.kind} ${target.object.name}` };
  const placed = sim.placement.find((p) => p.workload === target.id);
  if (placed && placed.pending > 0) {
    report({
      object: hpa,
      path: '/spec/maxReplicas',
      messageId: 'unplaceable',
      data: {
        ...data,
        scheduled: placed.scheduled,
        pending: placed.pending,
        reason: clause(placed.pendingReasons[0] ?? 'no node fits them'),
      },
    });
    return;
  }
  for (const scenario of sim.scenarios) {
    const outcome = scenario.workloads.find((o) => o.workload === target.id && o.pendingAfter > 0);
    if (scenario.kind !== 'zone-loss' || !outcome) continue;
    report({
      object: hpa,
      path: '/spec/maxReplicas',
      messageId: 'zoneLoss',
      data: {
        ...data,
        zone: scenario.id.slice('zone-loss:'.length),
        ready: outcome.readyAfter,
        pending: outcome.pendingAfter,
        reason: clause(outcome.reason),
      },
    });
    // One zone says it; the others would say the same.
    return;
  }
}
