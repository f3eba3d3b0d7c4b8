/**
 * The new requests and limits as edits: JSON patch operations on a workload's containers (what
 * --write hands to fix's machinery, src/fix/apply.ts, which keeps comments and layout), and the
 * workload's object with them applied (what the proof simulates). Pure.
 */
import { formatBytes, formatMilliCpu, parseQuantity } from '../model/quantity.js';
import { getAt } from '../model/json-path.js';
import { isJsonObject, refOf, type JsonObject, type JsonValue, type K8sObject } from '../model/types.js';
import type { Patch, PatchOp } from '../fix/types.js';
import type { Amounts, WorkloadPlan } from './types.js';

/** A CPU amount as a manifest writes it: whole millicores ("250m", "2"). */
export function cpuQuantity(cores: number): string {
  return formatMilliCpu(Math.ceil(Math.round(cores * 1e6) / 1e3));
}

/** A memory amount as a manifest writes it: "512Mi", "2Gi", else bytes. */
export function memoryQuantity(bytes: number): string {
  return formatBytes(Math.ceil(bytes));
}

const KEYS = [
  ['cpu', 'cpuCores', cpuQuantity],
  ['memory', 'memoryBytes', memoryQuantity],
] as const;

/** The ops that turn one container's requests and limits into `requests` and `limits`. */
function containerOps(
  container: JsonValue | undefined,
  path: string,
  requests: Amounts,
  limits: Amounts,
): PatchOp[] {
  const resources =
    isJsonObject(container) && isJsonObject(container['resources']) ? container['resources'] : {};
  const ops: PatchOp[] = [];
  for (const [section, wanted] of [
    ['requests', requests],
    ['limits', limits],
  ] as const) {
    const written = isJsonObject(resources[section]) ? resources[section] : {};
    const removed: string[] = [];
    for (const [key, field, format] of KEYS) {
      const value = wanted[field];
      const at = `${path}/resources/${section}/${key}`;
      if (value !== undefined) {
        const text = format(value);
        const today = parseQuantity(written[key]);
        // The same amount written another way ("0.5" for "500m") is left as the author wrote it.
        if (today === undefined || format(today) !== text) ops.push({ op: 'add', path: at, value: text });
      } else if (written[key] !== undefined && written[key] !== null) removed.push(key);
    }
    if (removed.length === 0) continue;
    // Nothing else left in the section: the section goes, not an empty mapping.
    const left = Object.keys(written).filter((k) => !removed.includes(k));
    const adds = ops.some((o) => o.op === 'add' && o.path.startsWith(`${path}/resources/${section}/`));
    if (left.length === 0 && !adds) ops.push({ op: 'remove', path: `${path}/resources/${section}` });
    else for (const key of removed) ops.push({ op: 'remove', path: `${path}/resources/${section}/${key}` });
  }
  return ops;
}

/** Every op of a workload's plan (containers without a recommendation are left alone). */
export function planOps(plan: WorkloadPlan): PatchOp[] {
  return plan.containers.flatMap((c) =>
    c.recommended
      ? containerOps(
          getAt(plan.target.object.raw, c.path),
          c.path,
          c.recommended.requests,
          c.recommended.limits,
        )
      : [],
  );
}

/** The fix patch of one workload read from a file; undefined when it changes nothing or has no source. */
export function planPatch(plan: WorkloadPlan): Patch | undefined {
  const object = plan.target.object;
  const ops = planOps(plan);
  if (ops.length === 0 || !object.source) return undefined;
  const changed = plan.containers.filter((c) => c.recommended).map((c) => c.name);
  return {
    rule: 'rightsize',
    description: `set the requests${ops.some((o) => 'path' in o && o.path.includes('/limits')) ? ' and limits' : ''} of ${changed.join(', ')} to the recommendation`,
    file: object.source.file,
    doc: object.source.doc,
    object: refOf(object),
    ops,
  };
}

function setAt(root: JsonObject, path: string, value: JsonValue | undefined): void {
  const keys = path
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: JsonValue = root;
  for (const key of keys.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(key)] ?? null;
    else if (isJsonObject(node)) {
      if (!isJsonObject(node[key]) && !Array.isArray(node[key])) node[key] = {};
      node = node[key]!;
    }
  }
  const last = keys[keys.length - 1]!;
  if (isJsonObject(node)) {
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
}

/** The workload's object with the plan's requests and limits (a copy; the original is untouched). */
export function resizedObject(plan: WorkloadPlan): K8sObject {
  const { source: _source, ...object } = plan.target.object;
  const raw = structuredClone(object.raw);
  for (const op of planOps(plan)) {
    if (op.op === 'add') setAt(raw, op.path, op.value);
    else if (op.op === 'remove') setAt(raw, op.path, undefined);
  }
  return { ...object, raw };
}
