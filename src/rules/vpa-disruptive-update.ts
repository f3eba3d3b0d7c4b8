import {
  isVpa,
  scalerMinReplicas,
  scalersFor,
  vpaEvictsPods,
  vpaModeText,
  vpaUpdateMode,
} from '../model/autoscaling.js';
import { getAt } from '../model/json-path.js';
import { describe, REPLICATED_KINDS } from '../model/workload.js';
import { defineRule } from './define-rule.js';

/** The VPA updater's --min-replicas default: it evicts nothing from a workload with fewer live pods. */
const UPDATER_MIN_REPLICAS = 2;
/** The updater's --eviction-tolerance default: the share of a workload's replicas it evicts in one pass. */
const EVICTION_TOLERANCE = 0.5;

export default defineRule({
  id: 'vpa-disruptive-update',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  guide: 'Vertical Pod Autoscaler (VPA)',
  description: 'A VPA that restarts pods to resize them takes down a workload with one replica or no PDB.',
  needs: ['PodDisruptionBudget'],
  fixSafety: {
    kind: 'none',
    reason: 'decide between more replicas plus a PDB, and a VPA that only recommends (updateMode Off)',
  },
  messages: {
    single: {
      headline: 'VPA {{vpa}} resizes {{workload}}, which runs 1 pod, by evicting it',
      detail:
        'It runs with {{mode}}{{fallback}}. By default (--min-replicas=2) the VPA updater leaves that pod alone, so resizes only reach replacement pods; where the updater allows it, every resize is an outage until the new pod is Ready. Run 2 or more replicas with a PodDisruptionBudget, or set updateMode: Initial.',
    },
    singleEvicts: {
      headline: 'VPA {{vpa}} evicts the only pod of {{workload}} to resize it',
      detail:
        'It runs with {{mode}} and updatePolicy.minReplicas {{vpaMin}}{{fallback}}, so every resize is an outage until the new pod is scheduled and Ready. Run 2 or more replicas with a PodDisruptionBudget, or set updateMode: Initial.',
    },
    noPdb: {
      headline: 'VPA {{vpa}} evicts pods of {{workload}}, and no PDB selects them',
      detail:
        'It runs with {{mode}}{{fallback}}. The updater evicts up to {{evictable}} of its {{replicas}} pods at a time (--eviction-tolerance 0.5), counting pods that run but are not Ready yet and ignoring node drains under way, so more replicas than that can be down together. Add a PDB selecting its pods (maxUnavailable: 1), or set updateMode: Initial.',
    },
  },
  check({ index, report }) {
    for (const vpa of index.vpas) {
      // InPlace never evicts; Off and Initial never touch running pods.
      if (!isVpa(vpa) || !vpaEvictsPods(vpa)) continue;
      const w = index.targetOf(vpa);
      if (!w || !REPLICATED_KINDS.includes(w.kind) || w.declaredReplicas === 0) continue;
      const scalers = scalersFor(index, w);
      const mins = scalers.map(scalerMinReplicas).filter((m): m is number => m !== undefined);
      // The fewest pods it runs while running at all: an autoscaler's floor, else its replica count.
      const pods = mins.length > 0 ? Math.max(1, Math.min(...mins)) : (w.replicas ?? 1);
      const vpaMinValue = getAt(vpa.raw, '/spec/updatePolicy/minReplicas');
      const vpaMin = typeof vpaMinValue === 'number' ? vpaMinValue : undefined;
      const data = {
        vpa: vpa.name,
        mode: vpaModeText(vpa),
        workload: describe(w),
        replicas: pods,
        // The updater's tolerance is int(replicas × 0.5), and it always lets one pod go.
        evictable: Math.max(1, Math.floor(pods * EVICTION_TOLERANCE)),
        vpaMin: vpaMin ?? UPDATER_MIN_REPLICAS,
        fallback:
          vpaUpdateMode(vpa) === 'InPlaceOrRecreate'
            ? ' (InPlaceOrRecreate evicts whenever an in-place resize fails)'
            : '',
      };
      const path = '/spec/updatePolicy/updateMode';
      if (pods < 2) {
        const evicts = vpaMin !== undefined && vpaMin <= pods;
        report({ object: vpa, path, messageId: evicts ? 'singleEvicts' : 'single', data });
        continue;
      }
      if (index.pdbsFor(w).length > 0) continue;
      // A fixed replica count below the VPA's own minReplicas is never evicted from.
      if (scalers.length === 0 && (vpaMin ?? UPDATER_MIN_REPLICAS) > pods) continue;
      report({ object: vpa, path, messageId: 'noPdb', data });
    }
  },
});
