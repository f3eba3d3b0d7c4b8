import { apiStatus, findDeprecatedApi, type DeprecatedApi } from './deprecated-apis.js';
import { getAt } from './json-path.js';
import { DEFAULT_KUBE_VERSION, parseMinor } from './kube-versions.js';
import {
  isEmptySelector,
  matches,
  parseSelector,
  selectorFromMap,
  stringMap,
  type LabelSelector,
} from './labels.js';
import { controllerRef, ownerOf } from './owners.js';
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
  private readonly memo = new Map<string, K8sObject[]>();
  private readonly kubeVersion: string | undefined;

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
    if (this.kubeVersion === undefined) return undefined;
    const api = findDeprecatedApi(o.apiVersion, o.kind);
    if (!api || api.component !== 'kubernetes') return undefined;
    const status = apiStatus(api, this.kubeVersion);
    return status === 'removed' || status === 'off' ? api : undefined;
  }

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

  /** Objects of a kind in one namespace. */
  inNamespace(namespace: string, kind: string): readonly K8sObject[] {
    return this.byNamespaceKind.get(`${namespace}\u0000${kind}`) ?? [];
  }

  /** Whether the input has any object of this kind in this namespace (so a missing one is meaningful). */
  hasKindIn(namespace: string, kind: string): boolean {
    return this.byNamespaceKind.has(`${namespace}\u0000${kind}`);
  }

  private memoized(key: string, compute: () => K8sObject[]): K8sObject[] {
    let v = this.memo.get(key);
    if (!v) this.memo.set(key, (v = compute()));
    return v;
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
    const s = parseSelector(getAt(pdb.raw, '/spec/selector'));
    if (!s) return undefined;
    if (isEmptySelector(s) && pdb.apiVersion !== 'policy/v1') return undefined;
    return s;
  }

  /** The PDBs that select the workload's pods and that the target's API server serves. */
  pdbsFor(w: Workload): readonly K8sObject[] {
    return this.memoized(`pdb\u0000${w.id}`, () => this.pdbsSelecting(w).filter((p) => !this.unservedApi(p)));
  }

  /** PDBs that would select the workload's pods but are on an apiVersion the target refuses. */
  unservedPdbsFor(w: Workload): readonly K8sObject[] {
    return this.pdbsSelecting(w).filter((p) => this.unservedApi(p));
  }

  private pdbsSelecting(w: Workload): K8sObject[] {
    return this.memoized(`pdb-any\u0000${w.id}`, () => {
      const labels = this.templateOf(w).podLabels;
      return this.inNamespace(w.object.namespace, 'PodDisruptionBudget').filter((p) => {
        const s = this.pdbSelector(p);
        return s !== undefined && matches(s, labels);
      });
    });
  }

  workloadsSelectedBy(namespace: string, selector: LabelSelector): Workload[] {
    const out: Workload[] = [];
    for (const w of this.workloadsIn(namespace))
      if (matches(selector, this.templateOf(w).podLabels)) out.push(w);
    return out;
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
    return this.inNamespace(w.object.namespace, 'HorizontalPodAutoscaler').filter((o) => {
      if (!this.unservedApi(o)) return false;
      const ref = getAt(o.raw, '/spec/scaleTargetRef') ?? getAt(o.raw, '/spec/scaleRef');
      return isJsonObject(ref) && ref['kind'] === w.kind && ref['name'] === w.object.name;
    });
  }

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
    const labels = stringMap(getAt(svc.raw, '/spec/selector'));
    if (Object.keys(labels).length === 0) return undefined;
    return selectorFromMap(labels);
  }

  servicesFor(w: Workload): readonly K8sObject[] {
    return this.memoized(`svc\u0000${w.id}`, () => {
      const labels = this.templateOf(w).podLabels;
      return this.inNamespace(w.object.namespace, 'Service').filter((s) => {
        const sel = this.serviceSelector(s);
        return sel !== undefined && matches(sel, labels);
      });
    });
  }
}

function key(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}
