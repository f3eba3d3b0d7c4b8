/** Plain JSON as it comes out of a manifest. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Where an object came from, and how to find one of its fields in that source. */
export interface SourceRef {
  file: string;
  /** 0-based index of the YAML document in the file (items of a `kind: List` share it). */
  doc: number;
  /** Position of a JSON pointer (`/spec/replicas`); the nearest existing ancestor when it is missing. */
  locate(path: string): Position;
  /** The text of a plain scalar as written (`yes`, `0777`), when the path holds one. */
  scalar?(path: string): string | undefined;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** One Kubernetes object, as read from a file, stdin or a cluster. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** Resolved: the object's own, else the default namespace given by the caller; '' for cluster-scoped kinds. */
  namespace: string;
  /** `namespace/Kind/name` (`Kind/name` for cluster-scoped objects). */
  id: string;
  raw: JsonObject;
  source?: SourceRef;
  /** Read from a cluster or an admission request: who set its spec fields (model/field-owners.ts). */
  fieldOwners?: FieldOwners;
}

// The digest lives here, beside K8sObject which carries it; model/field-owners.ts reads it from the
// raw records (one import direction, no cycle).
/** One entry of metadata.managedFields, without its field set. */
export interface FieldManager {
  manager: string;
  /** `Apply` (server-side apply) or `Update` (create, update, patch). */
  operation: string;
  /** `scale`, `status`, … when the write went through a subresource. */
  subresource?: string;
}

/** What a live object says about who set its top-level spec fields. */
export interface FieldOwners {
  /** The object carried metadata.managedFields: a field absent from `spec` is then owned by no one. */
  tracked: boolean;
  /** Top-level spec field (`replicas`, `strategy`, …) → the managers that own it (or a field below it). */
  spec: Readonly<Record<string, readonly FieldManager[]>>;
  /** Top-level spec fields of kubectl's last-applied configuration; undefined without one that parses. */
  lastAppliedSpec?: readonly string[];
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function refOf(o: K8sObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name };
}
