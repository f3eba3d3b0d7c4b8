import { getAt } from '../model/json-path.js';
import { parseSelector, stringMap, type LabelSelector, type Labels } from '../model/labels.js';
import { isJsonObject, type K8sObject } from '../model/types.js';
import { toWorkload, type Workload } from '../model/workload.js';

/** Kinds that name the workload they act on, as ObjectIndex joins them (HPAs, VPAs, Canaries). */
const NAMES_TARGET = new Set(['HorizontalPodAutoscaler', 'VerticalPodAutoscaler', 'Canary']);
/** Kinds that select pods by label, as ObjectIndex joins them. */
const SELECTS_PODS = new Set(['PodDisruptionBudget', 'Service']);

/**
 * The kinds whose objects can change what the rules find about `incoming`: for a workload that names
 * no template (a Rollout's workloadRef), what `candidates` joins it with (its autoscalers, canaries,
 * PDBs and Services); undefined (every kind) for anything else.
 */
export function joinedKinds(incoming: K8sObject): ReadonlySet<string> | undefined {
  const own = toWorkload(incoming);
  return own && !own.templateRef ? JOINED_BY_WORKLOADS : undefined;
}
const JOINED_BY_WORKLOADS: ReadonlySet<string> = new Set([...NAMES_TARGET, ...SELECTS_PODS]);

/** Selectors of one namespace, by one requirement every label set they select must meet. */
interface Selecting {
  /** `key=value` → the objects whose selector requires it (a matchLabels entry, or an `In`'s values). */
  byPair: Map<string, K8sObject[]>;
  /** Objects whose selector has no such requirement (or could not be read): candidates for every workload. */
  always: K8sObject[];
}

/**
 * A namespace's context, indexed once per read for the reviews judged on it: which of its objects may
 * join a workload under review. Building an ObjectIndex of the whole namespace for every review (800
 * objects on the benchmark) cost more than judging the object; these maps narrow the namespace to the
 * few objects that can join, and `related` then joins them exactly as before. Every narrowing keeps a
 * superset: an object is left out only when no join of ObjectIndex can reach it (another namespace, a
 * target of another name, a selector that requires a label the workload's pods lack).
 */
export class ContextJoins {
  private readonly position = new Map<K8sObject, number>();
  /** `namespace, kind, name` → the objects with that key (a template a Rollout's workloadRef names). */
  private readonly byKey = new Map<string, K8sObject[]>();
  /** `namespace, name` → the autoscalers and canaries whose target has that name. */
  private readonly byTargetName = new Map<string, K8sObject[]>();
  private readonly selecting = new Map<string, Selecting>();

  constructor(private readonly objects: readonly K8sObject[]) {
    objects.forEach((o, i) => {
      this.position.set(o, i);
      push(this.byKey, key(o.namespace, o.kind, o.name), o);
      if (NAMES_TARGET.has(o.kind))
        // ObjectIndex reads scaleTargetRef for an HPA and targetRef for the others: both are kept.
        for (const field of ['/spec/scaleTargetRef', '/spec/targetRef']) {
          const ref = getAt(o.raw, field);
          if (isJsonObject(ref) && typeof ref['name'] === 'string')
            push(this.byTargetName, key(o.namespace, ref['name']), o);
        }
      if (SELECTS_PODS.has(o.kind)) this.addSelecting(o);
    });
  }

  private addSelecting(o: K8sObject): void {
    let s = this.selecting.get(o.namespace);
    if (!s) this.selecting.set(o.namespace, (s = { byPair: new Map(), always: [] }));
    const selector: LabelSelector | undefined =
      o.kind === 'Service'
        ? { matchLabels: stringMap(getAt(o.raw, '/spec/selector')), matchExpressions: [] }
        : parseSelector(getAt(o.raw, '/spec/selector'));
    const required = selector && requiredPairs(selector);
    if (!required) s.always.push(o);
    else for (const pair of required) push(s.byPair, pair, o);
  }

  /**
   * The objects `related` needs to judge `incoming`, a workload, in the order of the context with
   * `incoming` last (the context's copy of it left out); undefined when `incoming` is not a workload.
   */
  candidates(incoming: K8sObject): K8sObject[] | undefined {
    const own = toWorkload(incoming);
    if (!own) return undefined;
    const ns = incoming.namespace;
    const keep = new Set<K8sObject>();
    // ObjectIndex joins a workload and its template (a Rollout's workloadRef), and each through its
    // own template: two steps of workloadRef.
    const joined: Workload[] = [own];
    let step: Workload[] = [own];
    for (let depth = 0; depth < 2; depth++) {
      const found: Workload[] = [];
      for (const w of step) {
        if (!w.templateRef) continue;
        for (const o of this.byKey.get(key(ns, w.templateRef.kind, w.templateRef.name)) ?? []) {
          keep.add(o);
          const t = toWorkload(o);
          if (t) found.push(t);
        }
      }
      joined.push(...found);
      step = found;
    }
    const selecting = this.selecting.get(ns);
    for (const w of joined) {
      for (const o of this.byTargetName.get(key(ns, w.object.name)) ?? []) keep.add(o);
      if (!selecting) continue;
      for (const o of selecting.always) keep.add(o);
      for (const pair of labelPairs(w.podLabels))
        for (const o of selecting.byPair.get(pair) ?? []) keep.add(o);
    }
    keep.delete(incoming);
    const ordered = [...keep]
      .filter((o) => o.id !== incoming.id)
      .sort((a, b) => this.position.get(a)! - this.position.get(b)!);
    ordered.push(incoming);
    return ordered;
  }

  /** The context as `related` took it before: every object but the context's copy of `incoming`. */
  everything(incoming: K8sObject): K8sObject[] {
    return [...this.objects.filter((o) => o.id !== incoming.id), incoming];
  }
}

/**
 * Pairs one of which every label set the selector selects has: all of matchLabels, else the values
 * of the first `In`; undefined when the selector requires no value (empty, Exists, NotIn, DoesNotExist).
 */
function requiredPairs(selector: LabelSelector): string[] | undefined {
  const [first] = Object.entries(selector.matchLabels);
  if (first) return [pairKey(first[0], first[1])];
  const within = selector.matchExpressions.find((r) => r.operator === 'In');
  return within ? within.values.map((v) => pairKey(within.key, v)) : undefined;
}

function labelPairs(labels: Labels): string[] {
  return Object.entries(labels).map(([k, v]) => pairKey(k, v));
}

function pairKey(k: string, v: string): string {
  return `${k}\u0000${v}`;
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}

function push(map: Map<string, K8sObject[]>, k: string, o: K8sObject): void {
  const list = map.get(k);
  if (list) list.push(o);
  else map.set(k, [o]);
}

const prepared = new WeakMap<readonly K8sObject[], ContextJoins>();

/** The joins of a context, built on its first review and kept as long as the context is. */
export function joinsOf(context: readonly K8sObject[]): ContextJoins {
  let joins = prepared.get(context);
  if (!joins) prepared.set(context, (joins = new ContextJoins(context)));
  return joins;
}
