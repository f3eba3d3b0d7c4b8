import { getAt } from '../../model/json-path.js';
import type { ObjectIndex } from '../../model/object-index.js';
import { matches, parseSelector } from '../../model/labels.js';
import { asWritten } from '../../model/text.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from '../../model/types.js';
import type { Workload } from '../../model/workload.js';
import type { Applicability, FixContext, FixPlan, PatchOp, PlannedEdit } from './types.js';

/** The workload view of a reported object (the template object for an Argo Rollout's workloadRef). */
export function workloadOf(index: ObjectIndex, object: K8sObject): Workload | undefined {
  return (
    index.workloads.find((w) => w.object === object) ??
    index.workloads.find((w) => index.templateOf(w).object === object)
  );
}

/** The fewest replicas that outlive one pod: what a fix raises a count to when no zones were given. */
export const MIN_HA_REPLICAS = 2;

/**
 * The replicas a fix raises a count to: one per zone when the user gave the zones, else
 * MIN_HA_REPLICAS. Deliberately not DEFAULT_ZONES: without --zones, kubeha fix adds the least that
 * removes the single point of failure (kubeha fix --help: "default: 2 replicas").
 */
export function targetReplicas(context: FixContext): number {
  return Math.max(MIN_HA_REPLICAS, context.options.zones ?? MIN_HA_REPLICAS);
}

/**
 * The label selector that picks the workload's own pods: its spec.selector when it says something,
 * else its pod template labels; undefined when the pods carry no labels at all.
 */
export function ownSelector(
  object: K8sObject,
  templateLabelsPath = '/spec/template/metadata/labels',
): JsonObject | undefined {
  const selector = getAt(object.raw, '/spec/selector');
  if (isJsonObject(selector)) {
    const out: JsonObject = {};
    const labels = selector['matchLabels'];
    const exprs = selector['matchExpressions'];
    if (isJsonObject(labels) && Object.keys(labels).length) out['matchLabels'] = labels;
    if (Array.isArray(exprs) && exprs.length) out['matchExpressions'] = exprs;
    if (Object.keys(out).length) return structuredClone(out);
  }
  const labels = getAt(object.raw, templateLabelsPath);
  if (isJsonObject(labels) && Object.keys(labels).length) return { matchLabels: structuredClone(labels) };
  return undefined;
}

/**
 * Whether a selector a planner writes into a new object (a PodDisruptionBudget) selects the object's
 * own pods: the labels of its pod template (of the template it refers to, for an Argo Rollout with a
 * workloadRef), read as the index reads them, so what is added is found again on the fixed text.
 */
export function selectsOwnPods(index: ObjectIndex, object: K8sObject, selector: JsonObject): boolean {
  const w = workloadOf(index, object);
  const parsed = parseSelector(selector);
  return w !== undefined && parsed !== undefined && matches(parsed, index.templateOf(w).podLabels);
}

/** A safe edit: applied by kubeha fix as it is. */
export function edit(object: K8sObject, description: string, ...ops: PatchOp[]): FixPlan {
  return { edits: [{ object, description, ops, applicability: SAFE }] };
}

export const SAFE: Applicability = { kind: 'safe' };

export function edits(...list: PlannedEdit[]): FixPlan {
  return { edits: list };
}

/** Edits applied only on request (kubeha fix --unsafe-fixes), with what to review or do before applying them. */
export function unsafeEdit(
  object: K8sObject,
  description: string,
  review: string,
  ...ops: PatchOp[]
): FixPlan {
  return { edits: [{ object, description, ops, applicability: { kind: 'unsafe', review } }] };
}

export function notFixed(reason: string): FixPlan {
  return { notFixed: reason };
}

/**
 * How an edit names a value it sets, so that no value the user wrote changes unsaid: "raise
 * terminationGracePeriodSeconds from 5 to 30" when one was there, "set spec.replicas to 2" when none was.
 */
export function setText(field: string, old: JsonValue | undefined, value: JsonValue, unit = ''): string {
  const shown = (v: JsonValue): string =>
    `${typeof v === 'object' && v !== null ? boundedJson(v, MAX_SHOWN) : asWritten(v)}${unit}`;
  if (old === undefined || old === null) return `set ${field} to ${shown(value)}`;
  const verb =
    typeof old === 'number' && typeof value === 'number' ? (value > old ? 'raise' : 'lower') : 'change';
  return `${verb} ${field} from ${shown(old)} to ${shown(value)}`;
}

/** A JSON pointer's value, for planners that keep what is there. */
export function valueAt(object: K8sObject, path: string): JsonValue | undefined {
  return getAt(object.raw, path);
}

/** The most characters of a mapping or list a description shows: the value it replaces is named, not copied. */
const MAX_SHOWN = 80;

/** Text already written out, among the values still to write (boundedJson). */
class Written {
  constructor(readonly text: string) {}
}

/**
 * A value as JSON, cut to `max` characters with an ellipsis. Iterative, and it stops at `max`: a
 * value nested thousands of levels deep (the loader reads one) is shown without JSON.stringify's
 * recursion, which exhausts the stack there.
 */
export function boundedJson(value: JsonValue, max: number): string {
  let out = '';
  const todo: (JsonValue | Written)[] = [value];
  while (todo.length > 0 && out.length <= max) {
    const next = todo.pop()!;
    if (next instanceof Written) out += next.text;
    else if (Array.isArray(next)) {
      out += '[';
      todo.push(new Written(']'));
      for (let i = next.length - 1; i >= 0; i--) {
        todo.push(next[i]!);
        if (i > 0) todo.push(new Written(','));
      }
    } else if (isJsonObject(next)) {
      out += '{';
      todo.push(new Written('}'));
      const entries = Object.entries(next).filter(([, v]) => v !== undefined);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i]!;
        todo.push(v, new Written(`${JSON.stringify(key)}:`));
        if (i > 0) todo.push(new Written(','));
      }
    } else out += JSON.stringify(next);
  }
  return todo.length === 0 && out.length <= max ? out : `${out.slice(0, max - 1)}…`;
}
