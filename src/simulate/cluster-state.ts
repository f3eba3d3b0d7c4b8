/**
 * The simulated cluster: nodes with per-node aggregates (requests, pod counts, ports) and topology
 * keys, the pods bound to them, and the bookkeeping that keeps the counters up to date as pods bind
 * and unbind, so the scheduler never rescans pods. The other concerns have their own modules under
 * state/: the counters (counter.ts), pod classes and pods (pod-class.ts), the undo log that rolls a
 * scenario back in time proportional to what it changed (journal.ts), the tie-breaking generator
 * (rng.ts) and the counters' memory (slab.ts).
 */
import { matches, type LabelSelector, type Labels } from '../model/labels.js';
import type { HostPort, PodAffinityTerm, PodSchedSpec } from './pod-spec.js';
import { termNamespaceMatcher, withMatchLabelKeys } from './pod-spec.js';
import { CycleState } from './scheduler/cycle-state.js';
import { Counter } from './state/counter.js';
import { Journal } from './state/journal.js';
import {
  PodClass,
  type ClassCounter,
  type ClassInit,
  type PreparedSpread,
  type PreparedTerm,
  type ResourceScores,
  type SimPod,
  type StaticCache,
} from './state/pod-class.js';
import { Rng } from './state/rng.js';
import { Slab } from './state/slab.js';
import { StaticFailure } from './scheduler/filter-status.js';
import { matchesRequiredNodeAffinity, scoreNodeAffinity } from './scheduler/node-affinity.js';
import { filterNodeName } from './scheduler/node-name.js';
import {
  countIntolerablePreferNoSchedule,
  firstUntoleratedTaint,
  taintReason,
} from './scheduler/taint-toleration.js';
import { HOSTNAME_LABEL, ZONE_LABEL, type NodeSpec, type Taint } from './types.js';

export { Rng } from './state/rng.js';
export { Counter } from './state/counter.js';
export {
  PodClass,
  UNREACHABLE_NOSCHEDULE,
  type ClassCounter,
  type ClassInit,
  type Prepared,
  type PreparedSpread,
  type PreparedTerm,
  type ResourceScores,
  type SimPod,
  type StaticCache,
  type WeightedTerm,
} from './state/pod-class.js';

/** Distinct pod requests that get a score cache; pods beyond are scored without one. */
const MAX_RESOURCE_SIGNATURES = 256;

export class ClusterState {
  // ---- nodes (struct of arrays, indexed by node index; capacity grows)
  capacity: number;
  nodeCount = 0;
  names: string[] = [];
  labels: Labels[] = [];
  taints: Taint[][] = [];
  allocCpu: Float64Array;
  allocMemory: Float64Array;
  allocPods: Float64Array;
  reqCpu: Float64Array;
  reqMemory: Float64Array;
  nzCpu: Float64Array;
  nzMemory: Float64Array;
  podCount: Int32Array;
  exists: Uint8Array;
  unschedulable: Uint8Array;
  unreachable: Uint8Array;
  /** Moves whenever a node's requests or allocatable change (a fresh value each time, never reused). */
  resVersion: Int32Array;
  private resClock = 0;
  private resourceScores = new Map<string, ResourceScores>();
  ports: (HostPort[] | undefined)[] = [];
  nodeIndex = new Map<string, number>();
  private orderCache: number[] = [];
  private orderDirty = false;
  /** Existing nodes in kube-scheduler's NodeTree order: round-robin over zones. */
  get order(): number[] {
    if (this.orderDirty) this.computeOrder();
    return this.orderCache;
  }
  /** Pods on each node, in the order they were bound (the order a Set of them would keep). */
  podsOn: SimPod[][] = [];

  // ---- topology keys
  keys: string[] = [];
  keyIndex = new Map<string, number>();
  domainOf: Int32Array[] = [];
  domainValues: string[][] = [];
  domainIndex: Map<string, number>[] = [];
  nodesInDomain: number[][] = [];
  /** Existing nodes lacking the key. */
  missingKey: number[] = [];
  /** Keys whose value is unique per node (hostname): domain counts are per-node counts. */
  perNodeKey: boolean[] = [];

  // ---- classes, counters, pods
  classes: PodClass[] = [];
  counters: ClassCounter[] = [];
  private counterByKey = new Map<string, ClassCounter>();
  /** Selector counters by namespace ('*': several) and index key ('' = unindexed). */
  private selectorIndex = new Map<string, Map<string, ClassCounter[]>>();
  /** Holder counters by the namespace of the pods their term selects ('*': several). */
  private holdersByNs = new Map<string, ClassCounter[]>();
  private classesByNs = new Map<string, PodClass[]>();
  private classesByNsLabel = new Map<string, PodClass[]>();
  holderVersion = 0;
  private staticCaches = new Map<string, StaticCache>();
  pods: SimPod[] = [];
  namespaceLabels: ReadonlyMap<string, Labels>;

  // ---- scheduler state
  /** Bumped whenever a counter's arrays are replaced (classes re-read them). */
  epoch = 0;
  /** Bumped by every unbind and node change: until it moves, a pod that did not fit still does not. */
  freedEpoch = 0;
  /** Bumped by every bind: with freedEpoch, whether anything a preemption could use has changed. */
  binds = 0;
  nextStartNodeIndex = 0;
  /** The scheduling cycle's scratch (kube-scheduler's CycleState), one per cluster. */
  readonly cycle = new CycleState();
  rng: Rng;
  private readonly journal = new Journal();
  /** Where the counters' per-node arrays come from. */
  private readonly slab = new Slab();

  constructor(
    nodes: readonly NodeSpec[],
    seed: number,
    namespaceLabels: ReadonlyMap<string, Labels> = new Map(),
  ) {
    this.capacity = Math.max(16, nodes.length + 8);
    const c = this.capacity;
    this.allocCpu = new Float64Array(c);
    this.allocMemory = new Float64Array(c);
    this.allocPods = new Float64Array(c);
    this.reqCpu = new Float64Array(c);
    this.reqMemory = new Float64Array(c);
    this.nzCpu = new Float64Array(c);
    this.nzMemory = new Float64Array(c);
    this.podCount = new Int32Array(c);
    this.exists = new Uint8Array(c);
    this.unschedulable = new Uint8Array(c);
    this.unreachable = new Uint8Array(c);
    this.resVersion = new Int32Array(c);
    this.rng = new Rng(seed);
    this.namespaceLabels = namespaceLabels;
    this.key(HOSTNAME_LABEL);
    this.key(ZONE_LABEL);
    for (const n of nodes) this.addNode(n);
  }

  // ---------------------------------------------------------------- journal

  /** Starts recording changes; `rollback()` undoes them. */
  begin(): void {
    const next = this.nextStartNodeIndex;
    const rng = this.rng.state;
    this.journal.begin(() => {
      this.nextStartNodeIndex = next;
      this.rng.state = rng;
    });
  }

  rollback(): void {
    this.journal.rollback();
  }

  private record(undo: () => void): void {
    this.journal.record(undo);
  }

  /** Registers an undo step for a change made outside the state (a workload's pod list). */
  onRollback(undo: () => void): void {
    this.record(undo);
  }

  // ---------------------------------------------------------------- nodes and keys

  zoneOf(n: number): string {
    return this.labels[n]![ZONE_LABEL] ?? '';
  }

  private grow(min: number): void {
    if (min <= this.capacity) return;
    const cap = Math.max(min, this.capacity * 2);
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array, fill = 0): Int32Array => {
      const b = new Int32Array(cap).fill(fill);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.allocCpu = f64(this.allocCpu);
    this.allocMemory = f64(this.allocMemory);
    this.allocPods = f64(this.allocPods);
    this.reqCpu = f64(this.reqCpu);
    this.reqMemory = f64(this.reqMemory);
    this.nzCpu = f64(this.nzCpu);
    this.nzMemory = f64(this.nzMemory);
    this.podCount = i32(this.podCount);
    this.exists = u8(this.exists);
    this.unschedulable = u8(this.unschedulable);
    this.unreachable = u8(this.unreachable);
    this.resVersion = i32(this.resVersion);
    this.domainOf = this.domainOf.map((a) => i32(a, -1));
    for (const counter of this.counters) {
      counter.perNode = i32(counter.perNode);
      this.keys.forEach((_, k) => {
        if (this.perNodeKey[k] && counter.perDomain[k]) counter.perDomain[k] = counter.perNode;
      });
    }
    this.capacity = cap;
    this.epoch++;
  }

  /** The index of a topology key, tracking it from now on. */
  key(name: string): number {
    const existing = this.keyIndex.get(name);
    if (existing !== undefined) return existing;
    const k = this.keys.length;
    this.keys.push(name);
    this.keyIndex.set(name, k);
    const dom = new Int32Array(this.capacity).fill(-1);
    const values: string[] = [];
    const index = new Map<string, number>();
    const inDomain: number[] = [];
    let missing = 0;
    let unique = true;
    for (let n = 0; n < this.nodeCount; n++) {
      const v = this.labels[n]![name];
      if (v === undefined) {
        if (this.exists[n]) missing++;
        continue;
      }
      let d = index.get(v);
      if (d === undefined) {
        d = values.length;
        values.push(v);
        index.set(v, d);
        inDomain.push(0);
      } else unique = false;
      dom[n] = d;
      if (this.exists[n]) inDomain[d]!++;
    }
    this.domainOf.push(dom);
    this.domainValues.push(values);
    this.domainIndex.push(index);
    this.nodesInDomain.push(inDomain);
    this.missingKey.push(missing);
    this.perNodeKey.push(name === HOSTNAME_LABEL && unique);
    return k;
  }

  addNode(spec: NodeSpec): number {
    this.freedEpoch++;
    this.epoch++;
    if (this.nodeIndex.has(spec.name)) throw new Error(`node ${spec.name} already exists`);
    const n = this.nodeCount;
    this.grow(n + 1);
    this.nodeCount++;
    this.names.push(spec.name);
    this.labels.push(spec.labels);
    this.taints.push(spec.taints);
    this.ports.push(undefined);
    this.podsOn.push([]);
    this.nodeIndex.set(spec.name, n);
    this.allocCpu[n] = spec.cpu;
    this.allocMemory[n] = spec.memory;
    this.allocPods[n] = spec.pods;
    this.resVersion[n] = ++this.resClock;
    this.unschedulable[n] = spec.unschedulable ? 1 : 0;
    this.exists[n] = 1;
    for (let k = 0; k < this.keys.length; k++) {
      const v = spec.labels[this.keys[k]!];
      if (v === undefined) {
        this.missingKey[k]!++;
        continue;
      }
      let d = this.domainIndex[k]!.get(v);
      if (d === undefined) {
        d = this.domainValues[k]!.length;
        this.domainValues[k]!.push(v);
        this.domainIndex[k]!.set(v, d);
        this.nodesInDomain[k]!.push(0);
        for (const c of this.counters) {
          const arr = c.perDomain[k];
          if (arr && !this.perNodeKey[k] && arr.length <= d) {
            const b = new Int32Array(Math.max(d + 1, arr.length * 2));
            b.set(arr);
            c.perDomain[k] = b;
            this.epoch++;
          }
        }
      } else if (this.perNodeKey[k]) {
        this.perNodeKey[k] = false; // a duplicate hostname: fall back to domain counts
        for (let m = 0; m < n; m++) {
          const mv = this.labels[m]![this.keys[k]!];
          this.domainOf[k]![m] = mv === undefined ? -1 : this.domainIndex[k]!.get(mv)!;
        }
        for (const c of this.counters) if (c.perDomain[k]) this.rebuildDomain(c, k);
      }
      this.domainOf[k]![n] = this.perNodeKey[k] ? n : d;
      this.nodesInDomain[k]![d]!++;
    }
    for (const c of this.counters) if (c.hist) c.hist[0] = (c.hist[0] ?? 0) + 1;
    this.rebuildOrder();
    this.record(() => this.removeNodeHard(n));
    return n;
  }

  /** Undo of addNode (only valid for the last node added). */
  private removeNodeHard(n: number): void {
    if (n !== this.nodeCount - 1) throw new Error('nodes are removed in reverse order of addition');
    if (this.exists[n]) this.setExists(n, false, false);
    for (let k = 0; k < this.keys.length; k++) {
      const v = this.labels[n]![this.keys[k]!];
      if (v === undefined) {
        this.missingKey[k]!--;
        continue;
      }
      const d = this.domainIndex[k]!.get(v)!;
      this.nodesInDomain[k]![d]!--;
      if (d === this.domainValues[k]!.length - 1 && this.nodesInDomain[k]![d] === 0) {
        this.domainValues[k]!.pop();
        this.domainIndex[k]!.delete(v);
        this.nodesInDomain[k]!.pop();
      }
      this.domainOf[k]![n] = -1;
    }
    for (const c of this.counters) if (c.hist) c.hist[0]!--;
    this.nodeIndex.delete(this.names[n]!);
    this.names.pop();
    this.labels.pop();
    this.taints.pop();
    this.ports.pop();
    this.podsOn.pop();
    this.exists[n] = 0;
    this.nodeCount--;
    this.rebuildOrder();
  }

  /** Deletes a node from the cluster (its pods must be gone) or brings it back. */
  setExists(n: number, exists: boolean, record = true): void {
    if (Boolean(this.exists[n]) === exists) return;
    this.freedEpoch++;
    this.epoch++;
    this.exists[n] = exists ? 1 : 0;
    const delta = exists ? 1 : -1;
    for (let k = 0; k < this.keys.length; k++) {
      const d = this.domainOf[k]![n]!;
      if (d < 0) this.missingKey[k]! += delta;
      else if (this.perNodeKey[k])
        this.nodesInDomain[k]![this.domainIndex[k]!.get(this.labels[n]![this.keys[k]!]!)!]! += delta;
      else this.nodesInDomain[k]![d]! += delta;
    }
    for (const c of this.counters) if (c.hist) c.hist[c.perNode[n]!]! += delta;
    this.rebuildOrder();
    if (record) this.record(() => this.setExists(n, !exists, false));
  }

  setUnschedulable(n: number, value: boolean): void {
    this.freedEpoch++;
    const old = this.unschedulable[n]!;
    this.unschedulable[n] = value ? 1 : 0;
    this.record(() => (this.unschedulable[n] = old));
  }

  setUnreachable(n: number, value: boolean): void {
    this.freedEpoch++;
    const old = this.unreachable[n]!;
    this.unreachable[n] = value ? 1 : 0;
    this.record(() => (this.unreachable[n] = old));
  }

  private rebuildOrder(): void {
    this.orderDirty = true;
  }

  private computeOrder(): void {
    this.orderDirty = false;
    const byZone = new Map<string, number[]>();
    for (let n = 0; n < this.nodeCount; n++) {
      if (!this.exists[n]) continue;
      const z = this.zoneOf(n);
      let list = byZone.get(z);
      if (!list) byZone.set(z, (list = []));
      list.push(n);
    }
    const lists = [...byZone.values()];
    const order: number[] = [];
    const count = lists.reduce((a, l) => a + l.length, 0);
    for (let i = 0; order.length < count; i++) {
      for (const l of lists) if (i < l.length) order.push(l[i]!);
    }
    this.orderCache = order;
    if (this.nextStartNodeIndex >= order.length) this.nextStartNodeIndex = 0;
  }

  /** The domain index of node n for key k (-1 when the node lacks the label). */
  domain(k: number, n: number): number {
    return this.domainOf[k]![n]!;
  }

  // ---------------------------------------------------------------- counters

  private rebuildDomain(c: ClassCounter, k: number): void {
    this.epoch++;
    if (this.perNodeKey[k]) {
      c.perDomain[k] = c.perNode;
      return;
    }
    const arr = new Int32Array(Math.max(4, this.domainValues[k]!.length));
    if (c.total !== 0)
      for (let n = 0; n < this.nodeCount; n++) {
        const d = this.domainOf[k]![n]!;
        if (d >= 0) arr[d]! += c.perNode[n]!;
      }
    c.perDomain[k] = arr;
  }

  /** Makes a counter track a topology key. */
  track(c: ClassCounter, k: number): void {
    if (c.perDomain[k]) return;
    c.keys.push(k);
    this.rebuildDomain(c, k);
  }

  /** Keeps a histogram of per-node counts, for the global minimum of a hard per-node constraint. */
  trackMin(c: ClassCounter): void {
    if (c.hist) return;
    const hist: number[] = [0];
    if (c.total === 0) {
      hist[0] = this.order.length;
      c.hist = hist;
      return;
    }
    for (let n = 0; n < this.nodeCount; n++) {
      if (!this.exists[n]) continue;
      const v = c.perNode[n]!;
      while (hist.length <= v) hist.push(0);
      hist[v]!++;
    }
    c.hist = hist;
  }

  /** Index key of a selector: its first matchLabels pair (every selected class carries it). */
  private static indexKey(selector: LabelSelector): string | undefined {
    for (const [k, v] of Object.entries(selector.matchLabels)) return `${k}=${v}`;
    for (const r of selector.matchExpressions)
      if (r.operator === 'In' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
    return undefined;
  }

  private register(
    c: ClassCounter,
    namespace: string | undefined,
    selector: LabelSelector | undefined,
  ): ClassCounter {
    this.counters.push(c);
    let candidates: Iterable<PodClass> = [];
    if (c.targets) {
      // Holder counters: the classes holding the term add themselves (they are new, without pods).
      const ns = namespace ?? '*';
      let list = this.holdersByNs.get(ns);
      if (!list) this.holdersByNs.set(ns, (list = []));
      list.push(c);
      this.holderVersion++;
    } else {
      const ik = selector ? ClusterState.indexKey(selector) : undefined;
      const nsKey = namespace ?? '*';
      let byKey = this.selectorIndex.get(nsKey);
      if (!byKey) this.selectorIndex.set(nsKey, (byKey = new Map()));
      const slot = ik ?? '';
      let list = byKey.get(slot);
      if (!list) byKey.set(slot, (list = []));
      list.push(c);
      if (namespace === undefined) candidates = this.classes;
      else if (ik !== undefined) candidates = this.classesByNsLabel.get(`${namespace}\u0000${ik}`) ?? [];
      else candidates = this.classesByNs.get(namespace) ?? [];
    }
    for (const cls of candidates) {
      if (!c.selects(cls)) continue;
      cls.counters.push(c);
      // Count the pods already placed.
      for (const p of cls.bound) {
        if (c.spread && p.terminating) continue;
        c.perNode[p.node]!++;
        c.total++;
      }
    }
    return c;
  }

  /** The selector counters a new class may belong to. */
  private candidateCounters(cls: PodClass): ClassCounter[] {
    const out: ClassCounter[] = [];
    for (const nsKey of [cls.namespace, '*']) {
      const byKey = this.selectorIndex.get(nsKey);
      if (!byKey) continue;
      out.push(...(byKey.get('') ?? []));
      for (const [k, v] of Object.entries(cls.labels)) out.push(...(byKey.get(`${k}=${v}`) ?? []));
    }
    return out;
  }

  /** Pods in namespaces `nsKey` describes, whose labels a selector matches. */
  selectorCounter(
    selector: LabelSelector,
    nsMatch: (ns: string) => boolean,
    nsKey: string,
    singleNs: string | undefined,
    spread = false,
  ): ClassCounter {
    const key = `${spread ? 't' : 's'}|${nsKey}|${JSON.stringify(selector)}`;
    const found = this.counterByKey.get(key);
    if (found) return found;
    const c = new Counter<PodClass>(
      this.counters.length,
      key,
      (cls) => nsMatch(cls.namespace) && matches(selector, cls.labels),
      undefined,
      this.slab.alloc(this.capacity),
      spread,
    );
    this.counterByKey.set(key, c);
    return this.register(c, singleNs, selector);
  }

  /** Pods holding an affinity term (identified by `key`), and which pods the term selects. */
  holderCounter(
    key: string,
    holds: (cls: PodClass) => boolean,
    targets: (cls: PodClass) => boolean,
    targetNs: string | undefined,
  ): ClassCounter {
    const found = this.counterByKey.get(key);
    if (found) return found;
    const c = new Counter<PodClass>(
      this.counters.length,
      key,
      holds,
      targets,
      this.slab.alloc(this.capacity),
    );
    this.counterByKey.set(key, c);
    return this.register(c, targetNs, undefined);
  }

  // ---------------------------------------------------------------- classes

  private termCounter(
    term: PodAffinityTerm,
    owner: { namespace: string; labels: Labels },
  ): ClassCounter | undefined {
    const selector = withMatchLabelKeys(
      term.selector,
      term.matchLabelKeys,
      owner.labels,
      term.mismatchLabelKeys,
    );
    if (!selector) return undefined; // a null selector matches no pod
    const nsMatch = termNamespaceMatcher(term, owner.namespace, this.namespaceLabels);
    const single =
      term.namespaces.length === 0 && term.namespaceSelector === undefined ? owner.namespace : undefined;
    const nsKey = single ?? JSON.stringify([term.namespaces, term.namespaceSelector ?? null]);
    return this.selectorCounter(selector, nsMatch, nsKey, single);
  }

  addClass(init: ClassInit): PodClass {
    const cls = new PodClass(
      this.classes.length,
      init.workload,
      init.namespace,
      init.labels,
      init.spec,
      init.revision,
    );
    cls.priority = init.priority ?? 0;
    cls.preemptNever = init.preemptNever ?? false;
    this.classes.push(cls);
    // Membership in existing counters (same-namespace selector counters, global ones, holders).
    for (const c of this.candidateCounters(cls))
      if (c.selects(cls) && !cls.counters.includes(c)) cls.counters.push(c);
    let byNs = this.classesByNs.get(init.namespace);
    if (!byNs) this.classesByNs.set(init.namespace, (byNs = []));
    byNs.push(cls);
    for (const [k, v] of Object.entries(init.labels)) {
      const key = `${init.namespace}\u0000${k}=${v}`;
      let list = this.classesByNsLabel.get(key);
      if (!list) this.classesByNsLabel.set(key, (list = []));
      list.push(cls);
    }
    const spec = init.spec;
    const owner = { namespace: init.namespace, labels: init.labels };
    const mkTerm = (term: PodAffinityTerm): PreparedTerm | undefined => {
      const counter = this.termCounter(term, owner);
      if (!counter || term.topologyKey === '') return undefined;
      const k = this.key(term.topologyKey);
      this.track(counter, k);
      return { counter, key: k };
    };
    for (const t of spec.affinity) {
      const p = mkTerm(t);
      if (p) cls.reqAffinity.push(p);
    }
    cls.selfMatchesAllAffinity =
      spec.affinity.length > 0 &&
      spec.affinity.every((t) => {
        const sel = withMatchLabelKeys(t.selector, t.matchLabelKeys, init.labels, t.mismatchLabelKeys);
        return (
          sel !== undefined &&
          termNamespaceMatcher(t, init.namespace, this.namespaceLabels)(init.namespace) &&
          matches(sel, init.labels)
        );
      });
    for (const t of spec.antiAffinity) {
      const p = mkTerm(t);
      if (p) cls.reqAnti.push(p);
    }
    for (const w of spec.preferredAffinity) {
      const p = mkTerm(w.term);
      if (p && w.weight !== 0) cls.preferred.push({ ...p, weight: w.weight });
    }
    for (const w of spec.preferredAntiAffinity) {
      const p = mkTerm(w.term);
      if (p && w.weight !== 0) cls.preferred.push({ ...p, weight: -w.weight });
    }
    // Terms other pods must respect: required anti-affinity (filter), and every term for scoring.
    const holder = (kind: string, term: PodAffinityTerm, weight: number): void => {
      const selector = withMatchLabelKeys(
        term.selector,
        term.matchLabelKeys,
        init.labels,
        term.mismatchLabelKeys,
      );
      if (!selector || term.topologyKey === '') return;
      const nsMatch = termNamespaceMatcher(term, init.namespace, this.namespaceLabels);
      const key = `h|${kind}|${weight}|${init.namespace}|${term.topologyKey}|${JSON.stringify([selector, term.namespaces, term.namespaceSelector ?? null])}`;
      const single = term.namespaces.length === 0 && term.namespaceSelector === undefined;
      const c = this.holderCounter(
        key,
        (other) => other.holds.has(key),
        (target) => nsMatch(target.namespace) && matches(selector, target.labels),
        single ? init.namespace : undefined,
      );
      cls.holds.add(key);
      if (!cls.counters.includes(c)) cls.counters.push(c);
      this.track(c, this.key(term.topologyKey));
      this.holderMeta.set(c, { kind, weight, key: this.key(term.topologyKey) });
    };
    for (const t of spec.antiAffinity) holder('anti', t, 0);
    for (const t of spec.affinity) holder('aff', t, 1);
    for (const w of spec.preferredAffinity) if (w.weight) holder('pref', w.term, w.weight);
    for (const w of spec.preferredAntiAffinity) if (w.weight) holder('pref', w.term, -w.weight);

    // Topology spread: the pod's own constraints, else the system defaults.
    const mkSpread = (
      c: {
        maxSkew: number;
        topologyKey: string;
        minDomains: number;
        nodeAffinityPolicy: string;
        nodeTaintsPolicy: string;
      },
      selector: LabelSelector,
    ): PreparedSpread => {
      const counter = this.selectorCounter(
        selector,
        (ns) => ns === init.namespace,
        init.namespace,
        init.namespace,
        true,
      );
      const k = this.key(c.topologyKey);
      this.track(counter, k);
      return {
        counter,
        key: k,
        maxSkew: c.maxSkew,
        minDomains: c.minDomains,
        selfMatch: matches(selector, init.labels),
        honorAffinity: c.nodeAffinityPolicy === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      };
    };
    if (spec.spread.length > 0) {
      for (const c of spec.spread) {
        const selector = withMatchLabelKeys(c.selector, c.matchLabelKeys, init.labels);
        if (!selector || c.topologyKey === '') continue;
        const p = mkSpread(c, selector);
        if (c.whenUnsatisfiable === 'DoNotSchedule') {
          cls.hardSpread.push(p);
          if (this.perNodeKey[p.key]) this.trackMin(p.counter);
        } else cls.softSpread.push(p);
      }
    } else if (init.defaultSelector) {
      cls.systemDefaulted = true;
      for (const d of [
        { topologyKey: HOSTNAME_LABEL, maxSkew: 3 },
        { topologyKey: ZONE_LABEL, maxSkew: 5 },
      ]) {
        cls.softSpread.push(
          mkSpread(
            { ...d, minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' },
            init.defaultSelector,
          ),
        );
      }
    }
    if (init.ownSelector) {
      cls.own = this.selectorCounter(
        init.ownSelector,
        (ns) => ns === init.namespace,
        init.namespace,
        init.namespace,
      );
      this.track(cls.own, this.key(ZONE_LABEL));
    }
    cls.cache = this.staticCacheFor(spec);
    return cls;
  }

  private holderMeta = new Map<ClassCounter, { kind: string; weight: number; key: number }>();

  /** The existing pods' terms that select a class: anti-affinity to filter, all to score (cached per holder set). */
  refreshExisting(cls: PodClass): void {
    if (cls.existingVersion === this.holderVersion) return;
    cls.existingAnti = [];
    cls.existingPreferred = [];
    for (const c of [...(this.holdersByNs.get(cls.namespace) ?? []), ...(this.holdersByNs.get('*') ?? [])]) {
      if (!c.targets!(cls)) continue;
      const meta = this.holderMeta.get(c)!;
      if (meta.kind === 'anti') cls.existingAnti.push({ counter: c, key: meta.key });
      else cls.existingPreferred.push({ counter: c, key: meta.key, weight: meta.weight });
    }
    cls.existingVersion = this.holderVersion;
  }

  private staticCacheFor(spec: PodSchedSpec): StaticCache {
    const key = JSON.stringify([
      spec.nodeName ?? null,
      spec.nodeSelector,
      spec.requiredNodeTerms ?? null,
      spec.preferredNodeTerms,
      spec.tolerations,
    ]);
    let cache = this.staticCaches.get(key);
    if (!cache) {
      cache = {
        fails: new Uint8Array(0),
        taintReasons: new Map(),
        preferNoSchedule: undefined,
        nodeAffinity: undefined,
        computed: 0,
      };
      this.staticCaches.set(key, cache);
      (cache as StaticCache & { spec: PodSchedSpec }).spec = spec;
    }
    return cache;
  }

  /** Fills a class's node-static filter and score cache up to the current node count. */
  ensureStatic(cls: PodClass): StaticCache {
    const cache = cls.cache;
    if (cache.computed >= this.nodeCount) return cache;
    const spec = cls.spec;
    if (cache.fails.length < this.capacity) {
      const f = new Uint8Array(this.capacity);
      f.set(cache.fails);
      cache.fails = f;
      if (cache.preferNoSchedule) {
        const p = new Int32Array(this.capacity);
        p.set(cache.preferNoSchedule);
        cache.preferNoSchedule = p;
      }
      if (cache.nodeAffinity) {
        const p = new Int32Array(this.capacity);
        p.set(cache.nodeAffinity);
        cache.nodeAffinity = p;
      }
    }
    if (spec.preferredNodeTerms.length > 0 && !cache.nodeAffinity)
      cache.nodeAffinity = new Int32Array(this.capacity);
    for (let n = cache.computed; n < this.nodeCount; n++) {
      const labels = this.labels[n]!;
      const name = this.names[n]!;
      let fails = 0;
      if (filterNodeName(spec.nodeName, name) !== null) fails |= StaticFailure.NodeName;
      const taint = firstUntoleratedTaint(this.taints[n]!, spec.tolerations);
      if (taint) {
        fails |= StaticFailure.TaintToleration;
        cache.taintReasons.set(n, taintReason(taint));
      }
      if (!matchesRequiredNodeAffinity(spec, labels, name)) fails |= StaticFailure.NodeAffinity;
      cache.fails[n] = fails;
      const pns = countIntolerablePreferNoSchedule(this.taints[n]!, spec.tolerations);
      if (pns > 0) {
        if (!cache.preferNoSchedule) cache.preferNoSchedule = new Int32Array(this.capacity);
        cache.preferNoSchedule[n] = pns;
      }
      if (cache.nodeAffinity) cache.nodeAffinity[n] = scoreNodeAffinity(spec, labels, name);
    }
    cache.computed = this.nodeCount;
    return cache;
  }

  /** The resource score cache of a pod request (shared by classes with equal requests), or undefined past the cap. */
  resourceScoresFor(cls: PodClass): ResourceScores | undefined {
    const s = cls.spec;
    const key = `${s.cpu}|${s.memory}|${s.nzCpu}|${s.nzMemory}|${cls.bestEffort ? 1 : 0}`;
    let rs = this.resourceScores.get(key);
    if (!rs) {
      if (this.resourceScores.size >= MAX_RESOURCE_SIGNATURES) return undefined;
      rs = { version: new Int32Array(this.capacity).fill(-1), score: new Float64Array(this.capacity) };
      this.resourceScores.set(key, rs);
    }
    if (rs.version.length < this.capacity) {
      const version = new Int32Array(this.capacity).fill(-1);
      version.set(rs.version);
      const score = new Float64Array(this.capacity);
      score.set(rs.score);
      rs.version = version;
      rs.score = score;
    }
    return rs;
  }

  // ---------------------------------------------------------------- pods

  createPod(cls: PodClass, workload: number, ordinal = -1): SimPod {
    const pod: SimPod = {
      id: this.pods.length,
      cls,
      node: -1,
      workload,
      gone: false,
      boundAt: -1,
      terminating: false,
      ordinal,
    };
    this.pods.push(pod);
    this.record(() => {
      if (pod.node >= 0) this.unbind(pod, false);
      pod.gone = true;
      if (this.pods[this.pods.length - 1] === pod) this.pods.pop();
    });
    return pod;
  }

  bind(pod: SimPod, n: number, record = true): void {
    this.binds++;
    pod.node = n;
    const cls = pod.cls;
    const s = cls.spec;
    this.reqCpu[n]! += s.cpu;
    this.reqMemory[n]! += s.memory;
    this.nzCpu[n]! += s.nzCpu;
    this.nzMemory[n]! += s.nzMemory;
    this.podCount[n]!++;
    this.resVersion[n] = ++this.resClock;
    this.podsOn[n]!.push(pod);
    pod.boundAt = cls.bound.length;
    cls.bound.push(pod);
    if (s.hostPorts.length) this.ports[n] = [...(this.ports[n] ?? []), ...s.hostPorts];
    const terminating = pod.terminating;
    for (const c of cls.counters) if (!terminating || !c.spread) this.count(c, n, 1);
    if (record) this.record(() => this.unbind(pod, false));
  }

  unbind(pod: SimPod, record = true): void {
    const n = pod.node;
    if (n < 0) return;
    this.freedEpoch++;
    const cls = pod.cls;
    const s = cls.spec;
    this.reqCpu[n]! -= s.cpu;
    this.reqMemory[n]! -= s.memory;
    this.nzCpu[n]! -= s.nzCpu;
    this.nzMemory[n]! -= s.nzMemory;
    this.podCount[n]!--;
    this.resVersion[n] = ++this.resClock;
    const on = this.podsOn[n]!;
    on.splice(on.indexOf(pod), 1);
    const last = cls.bound.pop()!;
    if (last !== pod) {
      cls.bound[pod.boundAt] = last;
      last.boundAt = pod.boundAt;
    }
    pod.boundAt = -1;
    if (s.hostPorts.length) {
      const left = [...(this.ports[n] ?? [])];
      for (const p of s.hostPorts) {
        const i = left.findIndex(
          (u) => u.port === p.port && u.protocol === p.protocol && u.hostIP === p.hostIP,
        );
        if (i >= 0) left.splice(i, 1);
      }
      this.ports[n] = left.length ? left : undefined;
    }
    const terminating = pod.terminating;
    for (const c of cls.counters) if (!terminating || !c.spread) this.count(c, n, -1);
    pod.node = -1;
    if (record) this.record(() => this.bind(pod, n, false));
  }

  /**
   * Marks a bound pod Terminating (deleted, but its node never confirms it) or undoes that: it leaves
   * the topology spread counts and stays in every other.
   */
  setTerminating(pod: SimPod, value: boolean): void {
    if (pod.terminating === value) return;
    const n = pod.node;
    if (n >= 0) for (const c of pod.cls.counters) if (c.spread) this.count(c, n, value ? -1 : 1);
    pod.terminating = value;
    this.freedEpoch++;
    this.record(() => this.setTerminating(pod, !value));
  }

  /** Deletes a pod (evicted, scaled down): it leaves its node and never comes back. */
  deletePod(pod: SimPod): void {
    if (pod.node >= 0) this.unbind(pod);
    const was = pod.gone;
    pod.gone = true;
    this.record(() => (pod.gone = was));
  }

  private count(c: ClassCounter, n: number, delta: number): void {
    const before = c.perNode[n]!;
    c.perNode[n] = before + delta;
    c.total += delta;
    if (c.hist && this.exists[n]) {
      c.hist[before]!--;
      const after = before + delta;
      while (c.hist.length <= after) c.hist.push(0);
      c.hist[after]!++;
    }
    const keys = c.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (this.perNodeKey[k]) continue;
      const d = this.domainOf[k]![n]!;
      if (d >= 0) c.perDomain[k]![d]! += delta;
    }
  }
}
