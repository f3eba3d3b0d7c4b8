import { isHpa } from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { isInt32 } from '../model/number-text.js';
import type { ObjectIndex } from '../model/object-index.js';
import type { K8sObject } from '../model/types.js';
import type { SimRuleOptions } from '../simulate/findings.js';
import { simulate, type SimReport, type Topology } from '../simulate/index.js';
import { zonesOf } from '../simulate/topology.js';
import { defineRule } from './define-rule.js';
import { simulationTopology } from './utils/sim-topology.js';

/**
 * The input with one HPA's floor raised to its ceiling, so the simulator places its target at
 * maxReplicas (it sizes an autoscaled workload within [minReplicas, maxReplicas]) while every other
 * workload keeps the size it has today: what the cluster looks like at this workload's peak.
 */
function atPeak(index: ObjectIndex, hpa: K8sObject, max: number): K8sObject[] {
  const raw = { ...hpa.raw, spec: { ...(hpa.raw['spec'] as object), minReplicas: max } };
  return index.objects.filter((o) => o.kind !== 'Node').map((o) => (o === hpa ? { ...hpa, raw } : o));
}

function simulatePeak(
  index: ObjectIndex,
  hpa: K8sObject,
  max: number,
  topology: Topology,
  worstCase: boolean,
): SimReport {
  // Zone losses only: placement always runs, and the question is the peak itself and the peak after a zone goes.
  return simulate(atPeak(index, hpa, max), topology, {
    scenarios: zonesOf(topology).length > 1 ? ['zone-loss'] : [],
    worstCase,
    ...(index.targetVersion !== undefined ? { kubeVersion: index.targetVersion } : {}),
  });
}

/** A simulator sentence inside a detail's parentheses: without its own closing period. */
const clause = (text: string): string => text.replace(/\.$/, '');

/** Runs only when the analysis has a topology: `kubeha check --simulate`, rule options, or Node objects in the input. */
export default defineRule<SimRuleOptions, 'unplaceable' | 'zoneLoss'>({
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
    if (!topology) return;
    for (const hpa of index.hpas) {
      if (!isHpa(hpa)) continue;
      const max = getAt(hpa.raw, '/spec/maxReplicas');
      const target = index.targetOf(hpa);
      // An HPA on a version the target's API server refuses scales nothing (deprecated-api says so).
      if (!isInt32(max) || max < 1 || !target || !index.hpasFor(target).includes(hpa)) continue;
      const sim = simulatePeak(index, hpa, max, topology, options.worstCase ?? false);
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
        continue;
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
        break;
      }
    }
  },
});
