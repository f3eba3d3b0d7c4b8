/** Verdicts, the per-scenario observation of each workload, and the advice that explains them. */
import type { Preemption, PreemptionObserver, SimContext, SimWorkload } from './context.js';
import type { ScenarioKind, Verdict, WorkloadOutcome } from './types.js';

export interface Observation {
  wl: SimWorkload;
  readyBefore: number;
  pendingBefore: number;
  minReady: number;
  /** Set when a PDB (or a blocked eviction) stopped the scenario for this workload. */
  blockedBy: string | null;
  blockedReason: string | null;
  /** Scheduler messages of pods left Pending by the scenario. */
  pendingMessages: Set<string>;
  /** Seconds at the minimum (when known). */
  downSeconds: number | undefined;
  /** The scenario could not finish for this workload (stuck rollout). */
  stuck: string | null;
  /** Free-form facts for the reason ("2 of 3 replicas were on node-1"). */
  facts: string[];
  /** Its pods the scheduler preempted during the scenario. */
  preempted: Preemption[];
  /** Only preemption touched it (the scenario's own story does not explain it). */
  onlyPreempted: boolean;
}

export function verdictOf(o: { desired: number; floor: number; minReady: number; stuck: boolean }): Verdict {
  if (o.desired > 0 && o.minReady === 0) return 'outage';
  if (o.stuck) return 'stuck';
  if (o.minReady < o.floor) return 'degraded';
  return 'ok';
}

/** Workloads a scenario touched, with the lowest ready count seen at each step. */
export class Tracker implements PreemptionObserver {
  readonly obs = new Map<number, Observation>();
  constructor(private readonly ctx: SimContext) {
    ctx.observer = this;
  }

  /** Call before changing a workload's pods. */
  touch(wl: SimWorkload): Observation {
    const o = this.get(wl);
    o.onlyPreempted = false;
    return o;
  }

  beforePreemption(wl: SimWorkload, p: Preemption): void {
    const fresh = !this.obs.has(wl.index);
    const o = this.get(wl);
    if (fresh) o.onlyPreempted = true;
    o.preempted.push(p);
  }

  pending(wl: SimWorkload, message: string): void {
    this.get(wl).pendingMessages.add(message);
  }

  private get(wl: SimWorkload): Observation {
    let o = this.obs.get(wl.index);
    if (!o) {
      const ready = this.ctx.ready(wl);
      o = {
        wl,
        readyBefore: ready,
        pendingBefore: this.ctx.pending(wl),
        minReady: ready,
        blockedBy: null,
        blockedReason: null,
        pendingMessages: new Set(),
        downSeconds: undefined,
        stuck: null,
        facts: [],
        preempted: [],
        onlyPreempted: false,
      };
      this.obs.set(wl.index, o);
    }
    return o;
  }

  observe(wl: SimWorkload): void {
    const o = this.get(wl);
    const r = this.ctx.ready(wl);
    if (r < o.minReady) o.minReady = r;
  }

  observeAll(): void {
    for (const o of this.obs.values()) this.observe(o.wl);
  }

  /** Outcomes, in workload order; `explain` writes each reason. */
  outcomes(
    kind: ScenarioKind,
    where: string,
    explain: (o: Observation, v: Verdict) => string,
  ): WorkloadOutcome[] {
    const out: WorkloadOutcome[] = [];
    for (const o of [...this.obs.values()].sort((a, b) => a.wl.index - b.wl.index)) {
      const wl = o.wl;
      const pendingAfter = this.ctx.pending(wl);
      const stuck = o.blockedBy !== null || o.stuck !== null || pendingAfter > o.pendingBefore;
      const verdict = verdictOf({ desired: wl.desired, floor: wl.floor, minReady: o.minReady, stuck });
      void kind;
      void where;
      out.push({
        workload: wl.id,
        verdict,
        desired: wl.desired,
        floor: wl.floor,
        minReady: o.minReady,
        readyAfter: this.ctx.ready(wl),
        pendingAfter,
        blockedBy: o.blockedBy,
        // Pods that are never Ready make every scenario an outage, whatever it did to them.
        reason:
          wl.neverReady !== undefined
            ? `0 of ${wl.desired} ready — ${wl.neverReady}`
            : o.onlyPreempted
              ? preemptedReason(o, this.ctx.pending(wl) - o.pendingBefore)
              : explain(o, verdict) + preemptedNote(o.preempted),
      });
    }
    return out;
  }
}

// Made on first use: a collator loads ICU's collation data (8 ms), which every `kubeha check` paid at
// start-up because the rules import the simulator (sim-outage).
let collator: Intl.Collator | undefined;
const byName = (a: string, b: string): number =>
  (collator ??= new Intl.Collator('en', { numeric: true })).compare(a, b);

/** "2 pods preempted by shop/Deployment/api (priority 1000 > 0) on node-1, node-2", or ''. */
export function preemptedNote(events: readonly Preemption[], lead = '; '): string {
  if (events.length === 0) return '';
  const first = events[0]!;
  const by = first.by
    ? `${first.by.id} (priority ${first.by.priority.value} > ${first.victim.priority.value})`
    : 'a pod of higher priority';
  const nodes = [...new Set(events.map((e) => e.node))].sort(byName).join(', ');
  return `${lead}${plural(events.length, 'pod')} preempted by ${by} on ${nodes}`;
}

/** The reason of a workload that only lost pods to preemption. */
function preemptedReason(o: Observation, newlyPending: number): string {
  const wl = o.wl;
  const msg = [...o.pendingMessages][0];
  const pending =
    newlyPending > 0 && msg !== undefined
      ? `; ${plural(newlyPending, 'replacement')} ${newlyPending === 1 ? 'stays' : 'stay'} Pending: ${msg}`
      : '';
  return `${o.minReady} of ${wl.desired} ready — ${preemptedNote(o.preempted, '')}${pending} — ${preemptionAdvice(wl)}`;
}

/** What keeps a workload from being preempted. */
export function preemptionAdvice(wl: SimWorkload): string {
  return `keep spare capacity for the higher-priority pods, or give ${wl.name} a PriorityClass at least as high${wl.pdbs.length ? '' : ' (a PDB only steers the choice of victims)'}`;
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function seconds(s: number | undefined): string {
  if (s === undefined) return '';
  if (!Number.isFinite(s)) return ' until the node comes back';
  return ` for ${s} s`;
}

function hasHard(wl: SimWorkload, key: string): boolean {
  return (
    wl.spec.spread.some((c) => c.topologyKey === key && c.whenUnsatisfiable === 'DoNotSchedule') ||
    wl.spec.antiAffinity.some((t) => t.topologyKey === key)
  );
}

/** What to change so that losing one node (or zone) no longer takes the workload below its floor. */
export function spreadAdvice(wl: SimWorkload, scope: 'node' | 'zone'): string {
  if (wl.kind === 'Pod') return 'run it as a Deployment with 2 or more replicas';
  if (wl.desired === 1) return `run 2 or more replicas${scope === 'zone' ? ' (3 to ride out a zone)' : ''}`;
  const key = scope === 'node' ? 'kubernetes.io/hostname' : 'topology.kubernetes.io/zone';
  const pins =
    wl.spec.nodeSelector[key] !== undefined ||
    (wl.spec.requiredNodeTerms ?? []).some((t) =>
      t.matchExpressions.some((e) => e.key === key && e.operator === 'In' && e.values.length === 1),
    );
  if (pins)
    return `its nodeSelector / node affinity pins every replica to one ${scope}: let it run in more ${scope}s`;
  const spreads = scope === 'node' ? wl.spreadsNodes : wl.spreadsZones;
  if (!spreads)
    return `add a ${scope === 'node' ? 'hostname' : 'zone'} topology spread constraint (topologyKey: ${key})`;
  if (!hasHard(wl, key))
    return `the ${scope} spread is only preferred: make it whenUnsatisfiable: DoNotSchedule`;
  return `add ${scope === 'node' ? 'nodes' : 'zones'} or capacity so the spread can be met`;
}

/** Advice for pods kube-scheduler could not place, from its message. */
export function pendingAdvice(message: string, wl: SimWorkload, scenario: ScenarioKind): string {
  if (message.includes("didn't match pod topology spread constraints")) {
    if (
      (scenario === 'zone-loss' || scenario === 'node-loss') &&
      message.includes('untolerated taint {node.kubernetes.io/unreachable')
    ) {
      return 'the lost nodes still count as spread domains: set nodeTaintsPolicy: Honor on the constraint';
    }
    if (scenario === 'rollout')
      return 'old and new pods count together: add matchLabelKeys: [pod-template-hash], or maxUnavailable ≥ 1';
    return 'the spread constraint cannot be met: raise maxSkew, use ScheduleAnyway, or add capacity in the other domains';
  }
  if (
    message.includes("didn't match pod anti-affinity rules") ||
    message.includes("didn't satisfy existing pods anti-affinity")
  ) {
    if (scenario === 'rollout')
      return 'required anti-affinity counts the old pods too: set maxUnavailable ≥ 1 (or maxSurge 0), or use a topology spread constraint';
    return `required anti-affinity allows one replica per domain: use preferred anti-affinity or a topology spread constraint${wl.desired > 1 ? '' : ''}`;
  }
  if (message.includes('Insufficient') || message.includes('Too many pods')) {
    return 'the other nodes have no room: keep spare capacity (or a cluster autoscaler) for a failure, or lower the requests';
  }
  if (message.includes('were unschedulable')) return 'only cordoned nodes fit: add capacity';
  if (message.includes('untolerated taint'))
    return 'the nodes left are tainted: add a toleration or untainted capacity';
  if (message.includes('node affinity/selector'))
    return 'the node selector / affinity leaves no node: widen it';
  if (message.includes('pod affinity rules'))
    return 'no pod the required affinity needs is running: use preferred affinity';
  return 'add capacity';
}
