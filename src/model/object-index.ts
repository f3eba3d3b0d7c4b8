import { apiStatus, findDeprecatedApi, type DeprecatedApi } from './deprecated-apis.js';
import { getAt } from './json-path.js';
import { DEFAULT_KUBE_VERSION, parseMinor } from './kube-versions.js';
import {
  isEmptySelector,
  parseSelector,
  selectorFromMap,
  stringMap,
  type LabelSelector,
  type Labels,
} from './labels.js';
import { mayMakeUnknownPods } from './custom-resources.js';
import { controllerRef, ownerOf } from './owners.js';
import { LabelSetIndex, SelectorIndex } from './selector-index.js';
import { isJsonObject, type K8sObject } from './types.js';
import { toWorkload, type Workload } from './workload.js';

export interface IndexOptions {
  /**
   * The target Kubernetes version. When set, PDBs and autoscalers on an apiVersion its API server
   * refuses (removed, or off by default) are left out of the joins: they never reach the cluster, so
   * they protect or scale nothing. An unparseable version counts as the default, as deprecated-api reads it.
   */
  kubeVersion?: string;
}

export interface TargetRef {
  apiVersion: string | undefined;
  kind: string;
  name: string;
}

/**
 * Every object of one analysis, with the joins the rules need: workloads and the PDBs, autoscalers,
 * Services and canaries that point at them. Built once; rules only read it.
 */
export class ObjectIndex {
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  private readonly byKind = new Map<string, K8sObject[]>();
  /** Objects by namespace and kind: joins only ever look inside one namespace. */
  private readonly byNamespaceKind = new Map<string, K8sObject[]>();
  private readonly workloadByKey = new Map<string, Workload>();
  /** Lazily built: `namespace, kind, name` of a target → the HPAs (VPAs, Canaries) naming it. */
  private readonly referrers = new Map<string, Map<string, K8sObject[]>>();
  /**
   * Per-workload answers, keyed by the workload's object: two files may define workloads of the same
   * namespace, kind and name with different labels, and each gets its own PDBs and Services.
   */
  private readonly memo = new Map<string, Map<K8sObject, K8sObject[]>>();
  /** Parsed once per PDB and Service: rules ask for the same selectors once per workload. */
  private readonly selectorOf = new Map<string, Map<K8sObject, LabelSelector | undefined>>();
  /** Per namespace and kind (PDB, Service): the selectors, indexed by the labels they require. */
  private readonly selectorIndexes = new Map<string, SelectorIndex<K8sObject>>();
  /** Per namespace: the workloads, indexed by their pod template's labels. */
  private readonly templateLabelIndexes = new Map<string, LabelSetIndex<Workload>>();
  private readonly kubeVersion: string | undefined;
  /** Answers of the model's per-workload (or per-object) functions, for this index's lifetime. */
  private readonly answers = new Map<string, WeakMap<object, unknown>>();

  constructor(objects: readonly K8sObject[], options: IndexOptions = {}) {
    this.objects = objects;
    const v = options.kubeVersion;
    this.kubeVersion = v === undefined ? undefined : parseMinor(v) ? v : DEFAULT_KUBE_VERSION;
    const workloads: Workload[] = [];
    for (const o of objects) {
      let list = this.byKind.get(o.kind);
      if (!list) this.byKind.set(o.kind, (list = []));
      list.push(o);
      const nsKey = `${o.namespace}\u0000${o.kind}`;
      let nsList = this.byNamespaceKind.get(nsKey);
      if (!nsList) this.byNamespaceKind.set(nsKey, (nsList = []));
      nsList.push(o);
      const w = toWorkload(o);
      if (w) {
        workloads.push(w);
        this.workloadByKey.set(key(o.namespace, o.kind, o.name), w);
      }
    }
    this.workloads = workloads.filter((w) => !this.partOfWorkload(w.object));
  }

  /**
   * Whether the object's controller is a workload of this index: a live cluster's ReplicaSet of a
   * Deployment, Pod of a ReplicaSet or Job of a CronJob is part of its owner, not a workload of its own.
   */
  private partOfWorkload(o: K8sObject): boolean {
    if (!controllerRef(o)) return false;
    const owner = ownerOf(this, o);
    return owner !== undefined && this.workloadByKey.has(key(owner.namespace, owner.kind, owner.name));
  }

  /**
   * The deprecated-API row of an object whose apiVersion the target's API server refuses (removed or off
   * by default), when the index has a target version; undefined for every object otherwise.
   */
  unservedApi(o: K8sObject): DeprecatedApi | undefined {
    const version = this.kubeVersion;
    if (version === undefined) return undefined;
    // Asked once per join and workload: the answer depends only on apiVersion and kind.
    const k = `${o.apiVersion}\u0000${o.kind}`;
    if (this.unserved.has(k)) return this.unserved.get(k);
    const api = findDeprecatedApi(o.apiVersion, o.kind);
    const status = api && api.component === 'kubernetes' ? apiStatus(api, version) : undefined;
    const answer = status === 'removed' || status === 'off' ? api : undefined;
    this.unserved.set(k, answer);
    return answer;
  }

  private readonly unserved = new Map<string, DeprecatedApi | undefined>();

  /** The target version the joins are judged at, when the index has one. */
  get targetVersion(): string | undefined {
    return this.kubeVersion;
  }

  ofKind(...kinds: string[]): readonly K8sObject[] {
    if (kinds.length === 1) return this.byKind.get(kinds[0]!) ?? [];
    return kinds.flatMap((k) => this.byKind.get(k) ?? []);
  }

  workload(namespace: string, kind: string, name: string): Workload | undefined {
    return this.workloadByKey.get(key(namespace, kind, name));
  }

  /**
   * Whether the namespace holds a custom resource that may make pods kubeha cannot see (an operator's
   * database or broker): a selector there may select pods no manifest of the input shows.
   */
  mayHaveUnknownPods(namespace: string): boolean {
    if (!this.unknownPodNamespaces) {
      this.unknownPodNamespaces = new Set();
      for (const o of this.objects) {
        if (o.namespace === '' || this.unknownPodNamespaces.has(o.namespace)) continue;
        if (this.workloadByKey.has(key(o.namespace, o.kind, o.name))) continue;
        if (mayMakeUnknownPods(o)) this.unknownPodNamespaces.add(o.namespace);
      }
    }
    return this.unknownPodNamespaces.has(namespace);
  }

  private unknownPodNamespaces: Set<string> | undefined;

  /** Objects of a kind in one namespace. */
  inNamespace(namespace: string, kind: string): readonly K8sObject[] {
    return this.byNamespaceKind.get(`${namespace}\u0000${kind}`) ?? [];
  }

  /** Whether the input has any object of this kind in this namespace (so a missing one is meaningful). */
  hasKindIn(namespace: string, kind: string): boolean {
    return this.byNamespaceKind.has(`${namespace}\u0000${kind}`);
  }

  /**
   * The answer of `compute` for `key` (a workload or object of this index), worked out once: several
   * rules ask the model the same question per workload (its replica count, its pod's identity, its
   * affinity terms). The index never changes, so neither does the answer; callers must not mutate it.
   */
  remember<K extends object, V>(question: string, key: K, compute: () => V): V {
    let known = this.answers.get(question);
    if (!known) this.answers.set(question, (known = new WeakMap()));
    if (known.has(key)) return known.get(key) as V;
    const v = compute();
    known.set(key, v);
    return v;
  }

  private memoized(join: string, w: Workload, compute: () => K8sObject[]): K8sObject[] {
    let answers = this.memo.get(join);
    if (!answers) this.memo.set(join, (answers = new Map()));
    let v = answers.get(w.object);
    if (!v) answers.set(w.object, (v = compute()));
    return v;
  }

  private cachedSelector(
    kind: string,
    o: K8sObject,
    read: (o: K8sObject) => LabelSelector | undefined,
  ): LabelSelector | undefined {
    let selectors = this.selectorOf.get(kind);
    if (!selectors) this.selectorOf.set(kind, (selectors = new Map()));
    if (selectors.has(o)) return selectors.get(o);
    const s = read(o);
    selectors.set(o, s);
    return s;
  }

  /** The objects of a kind in a namespace whose selector (read by `selectorOf`) selects the labels. */
  private selecting(
    namespace: string,
    kind: string,
    labels: Labels,
    selectorOf: (o: K8sObject) => LabelSelector | undefined,
  ): K8sObject[] {
    const k = `${namespace}\u0000${kind}`;
    let index = this.selectorIndexes.get(k);
    if (!index) {
      const entries: { item: K8sObject; selector: LabelSelector }[] = [];
      for (const o of this.inNamespace(namespace, kind)) {
        const selector = selectorOf(o);
        if (selector !== undefined) entries.push({ item: o, selector });
      }
      this.selectorIndexes.set(k, (index = new SelectorIndex(entries)));
    }
    return index.selecting(labels);
  }

  /** The pod template a workload runs: its own, or the one its workloadRef (Argo Rollout) points at. */
  templateOf(w: Workload): Workload {
    if (!w.templateRef) return w;
    return this.workload(w.object.namespace, w.templateRef.kind, w.templateRef.name) ?? w;
  }

  // ---- PodDisruptionBudgets

  get pdbs(): readonly K8sObject[] {
    return this.ofKind('PodDisruptionBudget');
  }

  /** The PDB's selector as the disruption controller reads it: policy/v1 `{}` selects every pod. */
  pdbSelector(pdb: K8sObject): LabelSelector | undefined {
    return this.cachedSelector('PodDisruptionBudget', pdb, (p) => {
      const s = parseSelector(getAt(p.raw, '/spec/selector'));
      if (!s) return undefined;
      if (isEmptySelector(s) && p.apiVersion !== 'policy/v1') return undefined;
      return s;
    });
  }

  /** The PDBs that select the workload's pods and that the target's API server serves. */
  pdbsFor(w: Workload): readonly K8sObject[] {
    return this.memoized('pdb', w, () => this.pdbsSelecting(w).filter((p) => !this.unservedApi(p)));
  }

  /** PDBs that would select the workload's pods but are on an apiVersion the target refuses. */
  unservedPdbsFor(w: Workload): readonly K8sObject[] {
    return this.pdbsSelecting(w).filter((p) => this.unservedApi(p));
  }

  private pdbsSelecting(w: Workload): K8sObject[] {
    return this.memoized('pdb-any', w, () =>
      this.selecting(w.object.namespace, 'PodDisruptionBudget', this.templateOf(w).podLabels, (p) =>
        this.pdbSelector(p),
      ),
    );
  }

  /** The namespace's workloads whose pod template's labels the selector selects, in input order. */
  workloadsSelectedBy(namespace: string, selector: LabelSelector): Workload[] {
    return this.templateLabelsIn(namespace).selectedBy(selector);
  }

  /** Whether the selector selects the pod template of any workload of the namespace. */
  selectsAnyWorkloadIn(namespace: string, selector: LabelSelector): boolean {
    return this.templateLabelsIn(namespace).selectsAny(selector);
  }

  /**
   * Workloads of every namespace whose own pod template's labels (not a workloadRef's) the selector
   * selects, in input order.
   */
  workloadsWithPodLabelsMatching(selector: LabelSelector): Workload[] {
    this.ownPodLabels ??= new LabelSetIndex(this.workloads.map((w) => ({ item: w, labels: w.podLabels })));
    return this.ownPodLabels.selectedBy(selector);
  }

  private ownPodLabels: LabelSetIndex<Workload> | undefined;

  private templateLabelsIn(namespace: string): LabelSetIndex<Workload> {
    let index = this.templateLabelIndexes.get(namespace);
    if (!index) {
      const entries = this.workloadsIn(namespace).map((w) => ({
        item: w,
        labels: this.templateOf(w).podLabels,
      }));
      this.templateLabelIndexes.set(namespace, (index = new LabelSetIndex(entries)));
    }
    return index;
  }

  private workloadsByNamespace: Map<string, Workload[]> | undefined;

  workloadsIn(namespace: string): readonly Workload[] {
    if (!this.workloadsByNamespace) {
      this.workloadsByNamespace = new Map();
      for (const w of this.workloads) {
        let list = this.workloadsByNamespace.get(w.object.namespace);
        if (!list) this.workloadsByNamespace.set(w.object.namespace, (list = []));
        list.push(w);
      }
    }
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  // ---- autoscalers and canaries: objects that name their target

  targetRef(o: K8sObject): TargetRef | undefined {
    const field = o.kind === 'HorizontalPodAutoscaler' ? '/spec/scaleTargetRef' : '/spec/targetRef';
    const ref = getAt(o.raw, field);
    if (!isJsonObject(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string')
      return undefined;
    return {
      apiVersion: typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : undefined,
      kind: ref['kind'],
      name: ref['name'],
    };
  }

  /** The workload an HPA, VPA or Canary points at, when it is in the input. */
  targetOf(o: K8sObject): Workload | undefined {
    const ref = this.targetRef(o);
    return ref ? this.workload(o.namespace, ref.kind, ref.name) : undefined;
  }

  private targeting(kind: string, w: Workload): readonly K8sObject[] {
    let byTarget = this.referrers.get(kind);
    if (!byTarget) {
      byTarget = new Map();
      for (const o of this.ofKind(kind)) {
        if (this.unservedApi(o)) continue;
        const ref = this.targetRef(o);
        if (!ref) continue;
        const k = key(o.namespace, ref.kind, ref.name);
        let list = byTarget.get(k);
        if (!list) byTarget.set(k, (list = []));
        list.push(o);
      }
      this.referrers.set(kind, byTarget);
    }
    return byTarget.get(key(w.object.namespace, w.kind, w.object.name)) ?? [];
  }

  get hpas(): readonly K8sObject[] {
    return this.ofKind('HorizontalPodAutoscaler');
  }

  hpasFor(w: Workload): readonly K8sObject[] {
    return this.targeting('HorizontalPodAutoscaler', w);
  }

  /**
   * HPAs naming the workload (scaleTargetRef, or the scaleRef of extensions/v1beta1) on an apiVersion
   * the target's API server refuses: left out of every join, named by the findings that miss them.
   */
  unservedHpasFor(w: Workload): readonly K8sObject[] {
    if (!this.unservedHpas) {
      this.unservedHpas = new Map();
      for (const o of this.hpas) {
        if (!this.unservedApi(o)) continue;
        const ref = getAt(o.raw, '/spec/scaleTargetRef') ?? getAt(o.raw, '/spec/scaleRef');
        if (!isJsonObject(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string')
          continue;
        const k = key(o.namespace, ref['kind'], ref['name']);
        const list = this.unservedHpas.get(k);
        if (list) list.push(o);
        else this.unservedHpas.set(k, [o]);
      }
    }
    return this.unservedHpas.get(key(w.object.namespace, w.kind, w.object.name)) ?? [];
  }

  /** Lazily built: `namespace, kind, name` of a target → the unserved HPAs naming it, in input order. */
  private unservedHpas: Map<string, K8sObject[]> | undefined;

  get vpas(): readonly K8sObject[] {
    return this.ofKind('VerticalPodAutoscaler');
  }

  vpasFor(w: Workload): readonly K8sObject[] {
    return this.targeting('VerticalPodAutoscaler', w);
  }

  canariesFor(w: Workload): readonly K8sObject[] {
    return this.targeting('Canary', w);
  }

  // ---- Services

  /** The Service's selector; undefined for Services without one (they select no pods). */
  serviceSelector(svc: K8sObject): LabelSelector | undefined {
    return this.cachedSelector('Service', svc, (s) => {
      const labels = stringMap(getAt(s.raw, '/spec/selector'));
      if (Object.keys(labels).length === 0) return undefined;
      return selectorFromMap(labels);
    });
  }

  servicesFor(w: Workload): readonly K8sObject[] {
    return this.memoized('svc', w, () =>
      this.selecting(w.object.namespace, 'Service', this.templateOf(w).podLabels, (s) =>
        this.serviceSelector(s),
      ),
    );
  }
}

function key(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}
