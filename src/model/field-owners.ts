/**
 * Who set a field of a live object: the user's manifest, or the API server's defaults and the
 * controllers' writes.
 *
 * A live object has every defaulted field filled (`spec.replicas: 1`, a RollingUpdate strategy, …),
 * and an HPA writes `spec.replicas` through the scale subresource. A rule about what the manifest says
 * ("sets replicas next to an HPA") must not read those as the user's. Two records tell:
 *
 * - `metadata.managedFields`: per field manager, the fields it owns. An `Apply` entry (server-side
 *   apply) owns exactly the fields its manifest holds. An `Update` entry owns what its requests
 *   changed, and on a create that includes the defaults the API server filled (seen on the test
 *   control plane: `kubectl-client-side-apply` owns `f:replicas`, `f:revisionHistoryLimit` and
 *   `f:progressDeadlineSeconds` of a manifest that set none of them). A field no manager owns was
 *   filled by the API server (kubectl's migration from client-side to server-side apply leaves
 *   `f:replicas` to nobody). The HPA controller writes through the `scale` subresource, as
 *   `kubectl scale` does: neither is a manifest.
 * - the `kubectl.kubernetes.io/last-applied-configuration` annotation: client-side `kubectl apply`
 *   keeps the manifest it last applied, so it says exactly what the user wrote.
 *
 * A digest is kept rather than the raw records: managedFields is often half an object's size.
 */
import {
  isJsonObject,
  type FieldManager,
  type FieldOwners,
  type JsonObject,
  type JsonValue,
  type K8sObject,
} from './types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Whose a field is: the user's manifest, not the user's (a default or a controller), or cannot be told. */
export type FieldIntent = 'user' | 'not-user' | 'unknown';

/** The digest of a live object's ownership records; undefined when it carries none (a manifest). */
export function fieldOwnersOf(raw: JsonObject): FieldOwners | undefined {
  const metadata = isJsonObject(raw['metadata']) ? raw['metadata'] : {};
  const entries = Array.isArray(metadata['managedFields']) ? metadata['managedFields'] : undefined;
  const annotations = isJsonObject(metadata['annotations']) ? metadata['annotations'] : {};
  const lastApplied = lastAppliedSpec(annotations[LAST_APPLIED]);
  if (entries === undefined && lastApplied === undefined) return undefined;
  const spec: Record<string, FieldManager[]> = {};
  for (const entry of entries ?? []) {
    if (!isJsonObject(entry) || typeof entry['manager'] !== 'string') continue;
    const fields = isJsonObject(entry['fieldsV1']) ? entry['fieldsV1']['f:spec'] : undefined;
    if (!isJsonObject(fields)) continue;
    const who: FieldManager = {
      manager: entry['manager'],
      operation: typeof entry['operation'] === 'string' ? entry['operation'] : '',
      ...(typeof entry['subresource'] === 'string' && entry['subresource'] !== ''
        ? { subresource: entry['subresource'] }
        : {}),
    };
    for (const key of Object.keys(fields)) {
      if (!key.startsWith('f:')) continue;
      (spec[key.slice(2)] ??= []).push(who);
    }
  }
  return {
    tracked: entries !== undefined,
    spec,
    ...(lastApplied !== undefined ? { lastAppliedSpec: lastApplied } : {}),
  };
}

function lastAppliedSpec(annotation: JsonValue | undefined): string[] | undefined {
  if (typeof annotation !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(annotation);
    if (!isJsonObject(parsed)) return undefined;
    return isJsonObject(parsed['spec']) ? Object.keys(parsed['spec']) : [];
  } catch {
    return undefined;
  }
}

/** A write of the replica count that no manifest made: the HPA controller or `kubectl scale`. */
function scaleWrite(m: FieldManager): boolean {
  return m.subresource === 'scale' || (m.manager === 'kube-controller-manager' && m.operation === 'Update');
}

/**
 * Whose a top-level spec field of a live object is. `value` and `defaultValue` (what the API server
 * fills when the field is left out) break the one tie the records leave: an `Update` manager that
 * created the object owns the defaults too, so a field it owns holding the default may be either.
 */
export function specFieldIntent(
  owners: FieldOwners,
  field: string,
  value: JsonValue | undefined,
  defaultValue?: JsonValue,
): FieldIntent {
  if (owners.lastAppliedSpec?.includes(field)) return 'user';
  const managers = owners.spec[field] ?? [];
  if (managers.some((m) => m.operation === 'Apply' && m.subresource === undefined)) return 'user';
  // kubectl's record of the manifest says it left the field out: whoever owns it, it is not the user's.
  if (owners.lastAppliedSpec !== undefined) return 'not-user';
  if (!owners.tracked) return 'unknown';
  const writers = managers.filter((m) => !scaleWrite(m) && m.subresource === undefined);
  if (writers.length === 0) return 'not-user';
  if (value !== undefined && defaultValue !== undefined && sameJson(value, defaultValue)) return 'unknown';
  return 'user';
}

/**
 * Whether the user's manifest sets `spec.<field>`: for a manifest, whether it is written; for a live
 * object (one read with its ownership records), whether its owners say the user set it. When they
 * cannot tell, the answer is no: a rule must not blame the user for what may be a default.
 */
export function userSetsSpecField(object: K8sObject, field: string, defaultValue?: JsonValue): boolean {
  const spec = isJsonObject(object.raw['spec']) ? object.raw['spec'] : undefined;
  const value = spec?.[field];
  if (value === undefined) return false;
  if (!object.fieldOwners) return true;
  return specFieldIntent(object.fieldOwners, field, value, defaultValue) === 'user';
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
