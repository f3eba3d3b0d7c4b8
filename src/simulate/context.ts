/**
 * The simulation's view of the input: workloads with their desired replicas, floor, PDBs, rollout
 * strategy and pod classes, placed into a ClusterState; and the helpers every scenario uses
 * (create and schedule pods, count ready ones, evaluate PDBs).
 */
import { getAt } from '../model/json-path.js';
import { isPercent, scaledValue } from '../model/intstr.js';
import { isInt32 } from '../model/number-text.js';
import { matches, selectorFromMap, stringMap, type LabelSelector, type Labels } from '../model/labels.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import type { Workload } from '../model/workload.js';
import { ClusterState, type PodClass, type SimPod } from './cluster-state.js';
import { neverReadyReason } from './never-ready.js';
import { PriorityClasses, type PriorityInfo } from './priority.js';
import { preempt, type DisruptionBudgets } from './scheduler/default-preemption.js';
import { disruptionBudget, type DisruptionBudget, type PdbInfo } from './disruption-budget.js';
import { readPodSpec, type PodSchedSpec } from './pod-spec.js';
import { FITS } from './scheduler/filter-status.js';
import { filterOneNode, scheduleOne, type SchedulerOptions } from './scheduler/framework.js';
import { matchesRequiredNodeAffinity } from './scheduler/node-affinity.js';
import { firstUntoleratedTaint } from './scheduler/taint-toleration.js';
import type { PlacedPod, SimOptions, Topology } from './types.js';

export interface Strategy {
  type: 'RollingUpdate' | 'Recreate' | 'OnDelete' | 'None';
  maxSurge: number;
  maxUnavailable: number;
  /** As written, for messages. */
  describe: string;
}

export type { PdbInfo } from './disruption-budget.js';

export interface SimWorkload {
  index: number;
  id: string;
  workload: Workload;
  name: string;
  kind: string;
  namespace: string;
  desired: number;
  floor: number;
  /** How the floor was set, for messages. */
  floorSource: string;
  pdbs: PdbInfo[];
  strategy: Strategy;
  /** A controller recreates deleted pods (false for bare Pods). */
  replaceable: boolean;
  labels: Labels;
  spec: PodSchedSpec;
  cls: PodClass;
  /** The class of the next revision, made on first use (rollouts). */
  nextCls: PodClass | undefined;
  /** Live pods: scheduled or Pending, not deleted (Terminating pods are not live). */
  pods: SimPod[];
  /**
   * Pending pods counted, not made: once a pod of a class failed to schedule and left the cluster as
   * it found it, every further pod of that class fails the same way (kube-scheduler keeps them all
   * Pending), so they are a count (see placeMany). They come after every pod in `pods` at the time
   * they were counted; they are live and Pending, and count as pods wherever pods are counted.
   */
  unplaced: number;
  /** Its pods' priority and preemptionPolicy. */
  priority: PriorityInfo;
  /** Why its pods can never be Ready (a probe that can never pass), or undefined. */
  neverReady: string | undefined;
  /** Pods created so far (a StatefulSet's placement pods are its ordinals 0…desired-1). */
  created: number;
  pendingMessages: string[];
  /** Whether any spread constraint or anti-affinity spreads it over nodes / zones (for advice). */
  spreadsNodes: boolean;
  spreadsZones: boolean;
  /** It starts from the pods where they run on the live cluster (Topology.live), not a placement. */
  live: boolean;
}

const SIMULATED_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
  'Pod',
]);

/**
 * The template's labels with the revision label its controller adds: the live hash when the workload
 * runs on a live cluster (so its pods and their replacements count together, as the ReplicaSet's do),
 * else a made-up one per simulated revision.
 */
function revisionLabels(w: Workload, labels: Labels, rev: number | string): Labels {
  const out = { ...labels };
  const hash = typeof rev === 'string' ? rev : `${w.object.name}-r${rev}`;
  if (w.kind === 'Deployment' || w.kind === 'Rollout') out['pod-template-hash'] = hash;
  if (w.kind === 'StatefulSet') out['controller-revision-hash'] = hash;
  return out;
}

function and(selectors: LabelSelector[]): LabelSelector | undefined {
  if (selectors.length === 0) return undefined;
  const out: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  for (const s of selectors) {
    Object.assign(out.matchLabels, s.matchLabels);
    out.matchExpressions.push(...s.matchExpressions);
  }
  return out;
}

function readStrategy(w: Workload, desired: number): Strategy {
  const raw = w.object.raw;
  if (w.kind === 'Deployment') {
    const type = getAt(raw, '/spec/strategy/type');
    if (type === 'Recreate')
      return { type: 'Recreate', maxSurge: 0, maxUnavailable: desired, describe: 'Recreate' };
    const s = getAt(raw, '/spec/strategy/rollingUpdate/maxSurge') ?? '25%';
    const u = getAt(raw, '/spec/strategy/rollingUpdate/maxUnavailable') ?? '25%';
    let surge = scaledValue(s, desired, true) ?? 0;
    let unavailable = scaledValue(u, desired, false) ?? 0;
    // ResolveFenceposts: both zero would never progress, so maxUnavailable becomes 1.
    if (surge === 0 && unavailable === 0) unavailable = 1;
    surge = Math.max(0, surge);
    return {
      type: 'RollingUpdate',
      maxSurge: surge,
      maxUnavailable: Math.min(Math.max(0, unavailable), desired),
      describe: `maxSurge ${String(s)}, maxUnavailable ${String(u)}`,
    };
  }
  if (w.kind === 'Rollout') {
    if (isJsonObject(getAt(raw, '/spec/strategy/blueGreen')))
      return { type: 'RollingUpdate', maxSurge: desired, maxUnavailable: 0, describe: 'blue-green' };
    const s = getAt(raw, '/spec/strategy/canary/maxSurge') ?? '25%';
    const u = getAt(raw, '/spec/strategy/canary/maxUnavailable') ?? '25%';
    let unavailable = scaledValue(u, desired, false) ?? 0;
    const surge = scaledValue(s, desired, true) ?? 0;
    if (surge === 0 && unavailable === 0) unavailable = 1;
    return {
      type: 'RollingUpdate',
      maxSurge: surge,
      maxUnavailable: unavailable,
      describe: `canary maxSurge ${String(s)}, maxUnavailable ${String(u)}`,
    };
  }
  if (w.kind === 'StatefulSet') {
    if (getAt(raw, '/spec/updateStrategy/type') === 'OnDelete')
      return { type: 'OnDelete', maxSurge: 0, maxUnavailable: 0, describe: 'OnDelete' };
    const u = getAt(raw, '/spec/updateStrategy/rollingUpdate/maxUnavailable') ?? 1;
    const unavailable = Math.max(1, scaledValue(u, desired, false) ?? 1);
    return {
      type: 'RollingUpdate',
      maxSurge: 0,
      maxUnavailable: unavailable,
      describe: `one pod at a time${unavailable > 1 ? ` (maxUnavailable ${String(u)})` : ''}`,
    };
  }
  return { type: 'None', maxSurge: 0, maxUnavailable: 0, describe: 'no rollout strategy' };
}

/** The floor a PDB guarantees for `desired` replicas, as the disruption controller rounds it. */
export function pdbFloor(
  minAvailable: unknown,
  maxUnavailable: unknown,
  desired: number,
): number | undefined {
  if (minAvailable !== undefined && minAvailable !== null) {
    const v = scaledValue(minAvailable, desired, true);
    return v === undefined ? undefined : Math.max(0, v);
  }
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const v = scaledValue(maxUnavailable, desired, true);
    return v === undefined ? undefined : Math.max(0, desired - v);
  }
  return undefined;
}

export function describeIntOrPct(v: unknown): string {
  return isPercent(v) ? String(v) : String(v);
}

/** Objects with a label selector, found by namespace and a label they require. */
class SelectorIndex<T> {
  private byKey = new Map<string, T[]>();
  add(namespace: string, selector: LabelSelector, item: T): void {
    const first = Object.entries(selector.matchLabels)[0];
    const key = `${namespace}\u0000${first ? `${first[0]}=${first[1]}` : ''}`;
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push(item);
  }
  find(namespace: string, labels: Labels, selectorOf: (item: T) => LabelSelector): T[] {
    const out: T[] = [];
    const keys = ['', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    for (const k of keys) {
      for (const item of this.byKey.get(`${namespace}\u0000${k}`) ?? []) {
        if (matches(selectorOf(item), labels) && !out.includes(item)) out.push(item);
      }
    }
    return out;
  }
}

/** A pod deleted by the scheduler to make room for a pod of higher priority. */
export interface Preemption {
  victim: SimWorkload;
  /** The preempting workload (undefined: not a simulated workload). */
  by: SimWorkload | undefined;
  node: string;
}

/** What a scenario watches while the scheduler preempts (its Tracker). */
export interface PreemptionObserver {
  /** Before a pod of `wl` is preempted. */
  beforePreemption(wl: SimWorkload, p: Preemption): void;
  /** After its pods changed. */
  observe(wl: SimWorkload): void;
  /** A pod of `wl` stays Pending with this message. */
  pending(wl: SimWorkload, message: string): void;
}

export class SimContext {
  readonly state: ClusterState;
  readonly workloads: SimWorkload[] = [];
  readonly pdbs: PdbInfo[] = [];
  /** DaemonSet pod classes: every new node gets one of each that fits it. */
  readonly daemonClasses: PodClass[] = [];
  readonly sched: SchedulerOptions;
  readonly priorities: PriorityClasses;
  /** The lowest priority of any pod class: a pod above it may find victims. */
  private lowestPriority = 0;
  /** The running scenario's observer (none during the initial placement). */
  observer: PreemptionObserver | undefined;
  /** Preemptions of the initial placement, for its report. */
  readonly placementPreemptions: Preemption[] = [];
  private recordUndo: (fn: () => void) => void;

  constructor(
    readonly index: ObjectIndex,
    readonly topology: Topology,
    readonly options: SimOptions,
  ) {
    const nsLabels = new Map<string, Labels>();
    for (const ns of index.ofKind('Namespace')) {
      nsLabels.set(ns.name, {
        'kubernetes.io/metadata.name': ns.name,
        ...stringMap(getAt(ns.raw, '/metadata/labels')),
      });
    }
    this.state = new ClusterState(topology.nodes, options.seed ?? 1, nsLabels);
    this.sched = {
      percentageOfNodesToScore: options.percentageOfNodesToScore ?? 0,
      worstCase: options.worstCase ?? false,
    };
    this.recordUndo = (fn) => this.state.onRollback(fn);
    this.priorities = new PriorityClasses(index);
    this.liveIds = new Set(topology.live?.workloads ?? []);
    this.build();
    this.lowestPriority = Math.min(0, ...this.state.classes.map((c) => c.priority));
  }

  private desiredOf(w: Workload): number {
    if (w.kind === 'Pod') return 1;
    let desired = w.replicas ?? 1;
    for (const hpa of this.hpasByTarget.get(`${w.object.namespace}\u0000${w.kind}\u0000${w.object.name}`) ??
      []) {
      const min = getAt(hpa.raw, '/spec/minReplicas');
      const max = getAt(hpa.raw, '/spec/maxReplicas');
      // A bound the API server cannot decode (1e308, .inf, 1.5) is invalid-object's: read as unset.
      const lo = isInt32(min) ? min : 1;
      if (desired < lo) desired = lo;
      if (isInt32(max) && desired > max) desired = max;
    }
    return desired;
  }

  private readonly servicesByNs = new SelectorIndex<LabelSelector>();
  /** Workloads that start from their live pods (Topology.live). */
  private readonly liveIds: ReadonlySet<string>;
  /** The classes of live DaemonSets, by id: their pods are bound where they run. */
  private readonly liveDaemons = new Map<string, PodClass>();
  private readonly pdbsByNs = new SelectorIndex<PdbInfo>();
  private readonly hpasByTarget = new Map<string, K8sObject[]>();

  /** Selectors of the Services in a namespace that select pods with these labels. */
  private servicesFor(namespace: string, labels: Labels): LabelSelector[] {
    return this.servicesByNs.find(namespace, labels, (s) => s);
  }

  private build(): void {
    const index = this.index;
    // Joins by namespace, built once (the workloads are many).
    for (const svc of index.ofKind('Service')) {
      const sel = index.serviceSelector(svc);
      if (!sel) continue;
      this.servicesByNs.add(svc.namespace, sel, sel);
    }
    for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
      const ref = index.targetRef(hpa);
      if (!ref) continue;
      const key = `${hpa.namespace}\u0000${ref.kind}\u0000${ref.name}`;
      let list = this.hpasByTarget.get(key);
      if (!list) this.hpasByTarget.set(key, (list = []));
      list.push(hpa);
    }
    // Background: pods from the topology, then DaemonSets of the input on every node they fit.
    for (const bg of this.topology.background) {
      const n = this.state.nodeIndex.get(bg.node);
      if (n === undefined) continue;
      const spec = readPodSpec({});
      spec.cpu = bg.cpu;
      spec.memory = bg.memory;
      spec.nzCpu = bg.cpu;
      spec.nzMemory = bg.memory;
      const cls = this.state.addClass({
        workload: -1,
        namespace: bg.namespace,
        labels: bg.labels,
        spec,
        revision: '',
        defaultSelector: undefined,
        ownSelector: undefined,
        priority: bg.priority ?? 0,
      });
      const pod = this.state.createPod(cls, -1);
      this.state.bind(pod, n);
      if (bg.terminating) this.state.setTerminating(pod, true);
    }
    for (const w of index.workloads) {
      if (w.kind !== 'DaemonSet') continue;
      const spec = readPodSpec(w.podSpec);
      const priority = this.priorities.of(w.podSpec);
      const cls = this.state.addClass({
        workload: -1,
        namespace: w.object.namespace,
        labels: w.podLabels,
        spec,
        revision: '',
        defaultSelector: undefined,
        ownSelector: undefined,
        priority: priority.value,
        preemptNever: priority.preemptNever,
      });
      this.daemonClasses.push(cls);
      // A live DaemonSet's pods are where they run (placeLive), not on every node they would fit.
      if (this.liveIds.has(w.id)) this.liveDaemons.set(w.id, cls);
      else for (let n = 0; n < this.state.nodeCount; n++) this.placeDaemon(cls, n);
    }
    // PDBs
    const liveBudgets = new Map((this.topology.live?.budgets ?? []).map((b) => [b.pdb, b]));
    for (const pdb of index.pdbs) {
      const selector = index.pdbSelector(pdb);
      // A PDB on an apiVersion the target no longer serves cannot be created: it protects nothing.
      if (!selector || index.unservedApi(pdb)) continue;
      const info: PdbInfo = {
        object: pdb,
        id: pdb.id,
        selector,
        minAvailable: getAt(pdb.raw, '/spec/minAvailable'),
        maxUnavailable: getAt(pdb.raw, '/spec/maxUnavailable'),
        workloads: [],
        unhealthyPolicy:
          getAt(pdb.raw, '/spec/unhealthyPodEvictionPolicy') === 'AlwaysAllow'
            ? 'AlwaysAllow'
            : 'IfHealthyBudget',
      };
      const live = liveBudgets.get(pdb.id);
      if (live) info.live = { ...live, readyAtStart: 0 };
      this.pdbs.push(info);
      this.pdbsByNs.add(pdb.namespace, selector, info);
    }
    for (const w of index.workloads) {
      if (!SIMULATED_KINDS.has(w.kind) || !w.longRunning) continue;
      if (w.kind === 'ReplicaSet' && this.ownedByDeployment(w)) continue;
      const template = index.templateOf(w);
      const desired = this.desiredOf(w);
      if (desired <= 0) continue;
      const spec = readPodSpec(template.podSpec);
      const wi = this.workloads.length;
      const live = this.liveIds.has(w.id);
      const labels = revisionLabels(
        w,
        template.podLabels,
        (live && this.topology.live?.revisions[w.id]) || 1,
      );
      const pdbs = this.pdbsByNs.find(w.object.namespace, template.podLabels, (p) => p.selector);
      for (const p of pdbs) p.workloads.push(wi);
      let floor = Math.ceil(desired / 2);
      let floorSource = `half of ${desired}, rounded up (no PDB)`;
      if (pdbs.length > 0) {
        const f = pdbFloor(pdbs[0]!.minAvailable, pdbs[0]!.maxUnavailable, desired);
        if (f !== undefined) {
          floor = f;
          floorSource =
            pdbs[0]!.minAvailable !== undefined
              ? `PDB ${pdbs[0]!.object.name} minAvailable ${String(pdbs[0]!.minAvailable)}`
              : `PDB ${pdbs[0]!.object.name} maxUnavailable ${String(pdbs[0]!.maxUnavailable)}`;
        }
      }
      if (this.options.minAvailable !== undefined) {
        floor = scaledValue(this.options.minAvailable, desired, true) ?? floor;
        floorSource = `--min-available ${String(this.options.minAvailable)}`;
      }
      const services = this.servicesFor(w.object.namespace, template.podLabels);
      const owner = w.kind === 'Pod' ? undefined : (w.selector ?? selectorFromMap(template.podLabels));
      const ownerSel =
        owner && (w.kind === 'Deployment' || w.kind === 'Rollout')
          ? and([owner, selectorFromMap({ 'pod-template-hash': labels['pod-template-hash']! })])
          : owner;
      const defaultSelector = and([...services, ...(ownerSel ? [ownerSel] : [])]);
      const ownSelector = this.options.worstCase ? (owner ?? selectorFromMap(template.podLabels)) : undefined;
      const priority = this.priorities.of(template.podSpec);
      const cls = this.state.addClass({
        workload: wi,
        namespace: w.object.namespace,
        labels,
        spec,
        revision: 'r1',
        defaultSelector,
        ownSelector,
        priority: priority.value,
        preemptNever: priority.preemptNever,
      });
      const sw: SimWorkload = {
        index: wi,
        id: w.id,
        workload: w,
        name: w.object.name,
        kind: w.kind,
        namespace: w.object.namespace,
        desired,
        floor: Math.min(floor, desired),
        floorSource,
        pdbs,
        strategy: readStrategy(w, desired),
        replaceable: w.kind !== 'Pod',
        labels,
        spec,
        cls,
        nextCls: undefined,
        pods: [],
        unplaced: 0,
        created: 0,
        neverReady: neverReadyReason(template),
        priority,
        pendingMessages: [],
        spreadsNodes: false,
        spreadsZones: false,
        live,
      };
      const selfTerms = [...spec.antiAffinity, ...spec.preferredAntiAffinity.map((p) => p.term)];
      const keysSpread = new Set<string>([
        ...spec.spread.map((c) => c.topologyKey),
        ...selfTerms.map((t) => t.topologyKey),
      ]);
      sw.spreadsNodes = keysSpread.has('kubernetes.io/hostname');
      sw.spreadsZones =
        keysSpread.has('topology.kubernetes.io/zone') ||
        keysSpread.has('failure-domain.beta.kubernetes.io/zone');
      this.workloads.push(sw);
    }
  }

  /** A DaemonSet's pod on a node it fits (the controller tolerates unschedulable and unreachable nodes). */
  placeDaemon(cls: PodClass, n: number): void {
    if (!matchesRequiredNodeAffinity(cls.spec, this.state.labels[n]!, this.state.names[n]!)) return;
    if (firstUntoleratedTaint(this.state.taints[n]!, cls.spec.tolerations)) return;
    this.state.bind(this.state.createPod(cls, -1), n);
  }

  private ownedByDeployment(w: Workload): boolean {
    const owners = getAt(w.object.raw, '/metadata/ownerReferences');
    return Array.isArray(owners) && owners.some((o) => isJsonObject(o) && o['kind'] === 'Deployment');
  }

  /** The class of a workload's next revision (a rollout's new pods). */
  nextClass(wl: SimWorkload): PodClass {
    if (wl.nextCls) return wl.nextCls;
    const w = wl.workload;
    const template = this.index.templateOf(w);
    const labels = revisionLabels(w, template.podLabels, 2);
    const services = this.servicesFor(wl.namespace, template.podLabels);
    const owner = w.selector ?? selectorFromMap(template.podLabels);
    const ownerSel =
      (w.kind === 'Deployment' || w.kind === 'Rollout'
        ? and([owner, selectorFromMap({ 'pod-template-hash': labels['pod-template-hash']! })])
        : owner) ?? owner;
    wl.nextCls = this.state.addClass({
      workload: wl.index,
      namespace: wl.namespace,
      labels,
      spec: wl.spec,
      revision: 'r2',
      defaultSelector: and([...services, ownerSel]),
      ownSelector: this.options.worstCase ? owner : undefined,
      priority: wl.priority.value,
      preemptNever: wl.priority.preemptNever,
    });
    return wl.nextCls;
  }

  // ---------------------------------------------------------------- pods

  /**
   * Runs one scenario on the placed cluster and undoes everything it changed, even when it throws:
   * every scenario starts from the same placement.
   */
  inScenario<T>(run: () => T): T {
    this.state.begin();
    try {
      return run();
    } finally {
      this.state.rollback();
      this.observer = undefined;
    }
  }

  /** Creates a pod of a workload (journaled) without scheduling it. */
  newPod(wl: SimWorkload, cls: PodClass = wl.cls): SimPod {
    const pod = this.state.createPod(cls, wl.index, wl.created++);
    wl.pods.push(pod);
    this.recordUndo(() => {
      wl.created--;
      const i = wl.pods.lastIndexOf(pod);
      if (i >= 0) wl.pods.splice(i, 1);
    });
    return pod;
  }

  /**
   * Creates and schedules `count` pods of a class one after another, as a controller's burst does.
   * A pod that stays Pending without changing the cluster (no bind, nothing freed: no preemption
   * happened) leaves the state as it was, so the next identical pod meets the same cluster and fails
   * with the same message, and so on: those are counted in `wl.unplaced` instead of being made and
   * scheduled one by one, which bounds the work by what fits, not by the replica count. Returns the
   * pods made and how many were counted; `pending` hears each distinct message in order.
   */
  placeMany(
    wl: SimWorkload,
    cls: PodClass,
    count: number,
    pending: (message: string) => void,
  ): { made: SimPod[]; counted: number } {
    const made: SimPod[] = [];
    for (let i = 0; i < count; i++) {
      const binds = this.state.binds;
      const freed = this.state.freedEpoch;
      const pod = this.newPod(wl, cls);
      made.push(pod);
      const m = this.schedule(pod);
      if (m === null) continue;
      pending(m);
      if (this.state.binds === binds && this.state.freedEpoch === freed && !this.options.placeEveryPod) {
        const rest = count - i - 1;
        if (rest > 0) this.addUnplaced(wl, rest);
        return { made, counted: rest };
      }
    }
    return { made, counted: 0 };
  }

  /** Counts `count` more Pending pods of a workload without making them (journaled). */
  private addUnplaced(wl: SimWorkload, count: number): void {
    wl.unplaced += count;
    wl.created += count;
    this.recordUndo(() => {
      wl.unplaced -= count;
      wl.created -= count;
    });
  }

  /** Deletes `count` of a workload's counted Pending pods (journaled). */
  removeUnplaced(wl: SimWorkload, count: number): void {
    if (count <= 0) return;
    wl.unplaced -= count;
    this.recordUndo(() => {
      wl.unplaced += count;
    });
  }

  /**
   * Makes one of a workload's counted Pending pods a pod of `cls` (journaled), so it can be scheduled
   * and bound; it was created already (its place in `created` is kept).
   */
  materializeUnplaced(wl: SimWorkload, cls: PodClass): SimPod {
    const pod = this.state.createPod(cls, wl.index);
    wl.pods.push(pod);
    wl.unplaced--;
    this.recordUndo(() => {
      wl.unplaced++;
      const i = wl.pods.lastIndexOf(pod);
      if (i >= 0) wl.pods.splice(i, 1);
    });
    return pod;
  }

  /** Deletes a pod of a workload (journaled). */
  removePod(wl: SimWorkload, pod: SimPod): void {
    const i = wl.pods.indexOf(pod);
    if (i >= 0) {
      wl.pods.splice(i, 1);
      this.recordUndo(() => wl.pods.splice(i, 0, pod));
    }
    this.state.deletePod(pod);
  }

  /**
   * Deletes a pod on a node whose kubelet is gone: it stays on the node, Terminating (not live, so a
   * ReplicaSet replaces it), until the Node is deleted or tainted out-of-service.
   */
  terminatePod(wl: SimWorkload, pod: SimPod): void {
    const i = wl.pods.indexOf(pod);
    if (i >= 0) {
      wl.pods.splice(i, 1);
      this.recordUndo(() => wl.pods.splice(i, 0, pod));
    }
    this.state.setTerminating(pod, true);
  }

  /** A pod's name as its controller gives it, when the simulation knows it (StatefulSet ordinals). */
  podName(wl: SimWorkload, pod: SimPod): string | undefined {
    return wl.kind === 'StatefulSet' && pod.ordinal >= 0 && pod.ordinal < wl.desired
      ? `${wl.name}-${pod.ordinal}`
      : undefined;
  }

  /**
   * Schedules a Pending pod; returns kube-scheduler's message when it stays Pending. A pod that fits
   * nowhere may preempt pods of lower priority (DefaultPreemption): they are deleted, the pod is
   * bound to the node it nominated, and the victims' controllers create replacements, which are
   * scheduled in turn (of lower priority, so the cascade ends).
   */
  schedule(pod: SimPod): string | null {
    const r = scheduleOne(this.state, pod.cls, this.sched);
    if (r.node >= 0) {
      this.state.bind(pod, r.node);
      return null;
    }
    const message = 'message' in r ? r.message : 'unschedulable';
    const cls = pod.cls;
    if (cls.preemptNever || cls.priority <= this.lowestPriority) return message;
    const seen = cls.noVictimsAt;
    if (seen && seen.freed === this.state.freedEpoch && seen.binds === this.state.binds) return message;
    const plan = preempt(this.state, cls, this.budgets());
    if (!plan) {
      // The dry runs unbind and bind pods: take the state as they left it.
      cls.noVictimsAt = { freed: this.state.freedEpoch, binds: this.state.binds };
      return message;
    }
    const by = pod.workload >= 0 ? this.workloads[pod.workload] : undefined;
    const node = this.state.names[plan.node]!;
    const replace: SimWorkload[] = [];
    for (const v of plan.victims) {
      const wl = v.workload >= 0 ? this.workloads[v.workload]! : undefined;
      if (!wl) {
        this.state.deletePod(v); // background and DaemonSet pods: not replaced in the model
        continue;
      }
      const event: Preemption = { victim: wl, by, node };
      if (this.observer) this.observer.beforePreemption(wl, event);
      else this.placementPreemptions.push(event);
      this.removePod(wl, v);
      this.observer?.observe(wl);
      if (wl.replaceable) replace.push(wl);
    }
    // The preemptor's next cycle tries its nominated node first; the victims' replacements queue
    // behind it (lower priority).
    let again: ReturnType<typeof scheduleOne> = { node: plan.node };
    if (filterOneNode(this.state, pod.cls, plan.node) !== FITS)
      again = scheduleOne(this.state, pod.cls, this.sched);
    const bound = again.node >= 0;
    if (bound) this.state.bind(pod, again.node);
    for (const wl of replace) {
      const m = this.schedule(this.newPod(wl));
      if (m) {
        if (this.observer) this.observer.pending(wl, m);
        else if (!wl.pendingMessages.includes(m)) wl.pendingMessages.push(m);
      }
    }
    return bound ? null : 'message' in again ? again.message : message;
  }

  /** A PDB's disruptionsAllowed (and the counts behind it) as its workloads stand now. */
  disruptionBudget(pdb: PdbInfo): DisruptionBudget {
    return disruptionBudget(
      pdb,
      pdb.workloads.map((wi) => {
        const wl = this.workloads[wi]!;
        return {
          ready: this.ready(wl),
          pods: wl.pods.length + wl.unplaced,
          replaceable: wl.replaceable,
          desired: wl.desired,
        };
      }),
    );
  }

  /** The PDBs as DefaultPreemption reads them: disruptionsAllowed computed when first asked. */
  private budgets(): DisruptionBudgets {
    const allowed = new Map<number, number>();
    const index = new Map(this.pdbs.map((p, i) => [p, i]));
    return {
      of: (pod) => (pod.workload >= 0 ? this.workloads[pod.workload]!.pdbs.map((p) => index.get(p)!) : []),
      allowed: (b) => {
        let a = allowed.get(b);
        if (a === undefined) allowed.set(b, (a = this.disruptionBudget(this.pdbs[b]!).allowed));
        return a;
      },
    };
  }

  /**
   * Bound to a reachable node, and its workload's probes can pass (pods are Ready once bound; a live
   * pod is Ready when its Ready condition says so).
   */
  isReady(pod: SimPod): boolean {
    if (pod.workload >= 0 && this.workloads[pod.workload]!.neverReady !== undefined) return false;
    return !pod.gone && !pod.unready && pod.node >= 0 && !this.state.unreachable[pod.node];
  }

  ready(wl: SimWorkload): number {
    if (wl.neverReady !== undefined) return 0;
    let r = 0;
    for (const p of wl.pods) if (this.isReady(p)) r++;
    return r;
  }

  pending(wl: SimWorkload): number {
    let r = wl.unplaced;
    for (const p of wl.pods) if (p.node < 0) r++;
    return r;
  }

  // ---------------------------------------------------------------- PDBs

  /**
   * Places every workload's pods, in input order, on top of the background load. Workloads of a live
   * cluster (Topology.live) start from their pods where they run instead; only the others are placed.
   */
  placeAll(): void {
    this.placeLive();
    // The pods of every workload are queued together, so PrioritySort takes the higher priorities
    // first (equal priorities in input order, as a FIFO queue would); a pod that then fits nowhere
    // may still preempt lower-priority background and DaemonSet pods.
    const queue = [...this.workloads]
      .filter((wl) => !wl.live)
      .sort((a, b) => b.priority.value - a.priority.value);
    for (const wl of queue) {
      this.placeMany(wl, wl.cls, wl.desired, (m) => {
        if (!wl.pendingMessages.includes(m)) wl.pendingMessages.push(m);
      });
    }
  }

  /**
   * The live workloads' pods as they are: bound pods on their nodes (Ready or not, as their Ready
   * condition says), Pending pods Pending with kube-scheduler's message, Terminating pods on their
   * nodes but no longer their controller's (they hold the node's resources and count for inter-pod
   * affinity, not for spread). Nothing is added or removed: a workload whose pod count differs from
   * its replicas (a scale in progress) keeps the pods it has. Pods of workloads the simulator does
   * not model (Jobs, CronJobs) are background load.
   */
  private placeLive(): void {
    const live = this.topology.live;
    if (!live) return;
    const byId = new Map(this.workloads.filter((wl) => wl.live).map((wl) => [wl.id, wl]));
    const oldClasses = new Map<string, PodClass>();
    for (const p of live.pods) {
      const n = p.node === undefined ? -1 : (this.state.nodeIndex.get(p.node) ?? -2);
      if (n === -2) continue; // on a node that is gone: the pod GC deletes it
      const wl = byId.get(p.workload);
      if (!wl) {
        if (n < 0) continue;
        const daemon = this.liveDaemons.get(p.workload);
        const pod = this.state.createPod(daemon ?? this.backgroundClass(p), -1);
        this.state.bind(pod, n);
        if (p.terminating) this.state.setTerminating(pod, true);
        continue;
      }
      const cls = p.oldRevision === undefined ? wl.cls : this.oldRevisionClass(wl, p.oldRevision, oldClasses);
      if (p.terminating) {
        if (n < 0) continue;
        // Deleted: its controller no longer counts it (a ReplicaSet has replaced it already).
        const pod = this.state.createPod(cls, -1);
        this.state.bind(pod, n);
        this.state.setTerminating(pod, true);
        continue;
      }
      const ordinal = wl.kind === 'StatefulSet' ? statefulSetOrdinal(wl.name, p.name) : -1;
      const pod = this.state.createPod(cls, wl.index, ordinal >= 0 ? ordinal : wl.created);
      wl.created = Math.max(wl.created, pod.ordinal) + 1;
      wl.pods.push(pod);
      if (n >= 0) {
        this.state.bind(pod, n);
        if (!p.ready) pod.unready = true;
      } else {
        const m = p.pendingMessage ?? 'Pending';
        if (!wl.pendingMessages.includes(m)) wl.pendingMessages.push(m);
      }
    }
    for (const pdb of this.pdbs)
      if (pdb.live)
        pdb.live.readyAtStart = pdb.workloads.reduce((a, wi) => a + this.ready(this.workloads[wi]!), 0);
  }

  /** The class of a workload's pods of an older revision (a rollout in progress on the live cluster). */
  private oldRevisionClass(wl: SimWorkload, hash: string, classes: Map<string, PodClass>): PodClass {
    const key = `${wl.index}\u0000${hash}`;
    let cls = classes.get(key);
    if (!cls) {
      const w = wl.workload;
      const template = this.index.templateOf(w);
      const labels = revisionLabels(w, template.podLabels, hash);
      const owner = w.selector ?? selectorFromMap(template.podLabels);
      const ownerSel =
        w.kind === 'Deployment' || w.kind === 'Rollout'
          ? and([owner, selectorFromMap({ 'pod-template-hash': hash })])
          : owner;
      cls = this.state.addClass({
        workload: wl.index,
        namespace: wl.namespace,
        labels,
        spec: wl.spec,
        revision: 'r0',
        defaultSelector: and([
          ...this.servicesFor(wl.namespace, template.podLabels),
          ...(ownerSel ? [ownerSel] : []),
        ]),
        ownSelector: this.options.worstCase ? owner : undefined,
        priority: wl.priority.value,
        preemptNever: wl.priority.preemptNever,
      });
      classes.set(key, cls);
    }
    return cls;
  }

  /** A live pod of no simulated workload, as background load. */
  private backgroundClass(p: PlacedPod): PodClass {
    const spec = readPodSpec({});
    spec.cpu = spec.nzCpu = p.cpu;
    spec.memory = spec.nzMemory = p.memory;
    return this.state.addClass({
      workload: -1,
      namespace: p.namespace,
      labels: p.labels,
      spec,
      revision: '',
      defaultSelector: undefined,
      ownSelector: undefined,
      priority: p.priority ?? 0,
    });
  }
}

/** A StatefulSet pod's ordinal, from its name (`web-2`); -1 when the name is not the set's. */
function statefulSetOrdinal(set: string, pod: string): number {
  if (!pod.startsWith(`${set}-`)) return -1;
  const rest = pod.slice(set.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}
