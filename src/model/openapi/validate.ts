import { escapeSegment } from '../json-path.js';
import { parseQuantity } from '../quantity.js';
import { editDistance } from '../text.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../types.js';
import { loadArtifact, type Artifact, type RawSchema } from './load.js';

/**
 * Validates a built-in object against the API server's own OpenAPI schemas (the artifact that
 * tools/openapi/generate.mjs makes from kube-apiserver), the way the API server decodes a request
 * from `kubectl apply` with its default strict field validation:
 *
 * - a field the schema does not know is an error (strict decoding: `unknown field "spec.scaleRef"`);
 * - a value of the wrong JSON type cannot be decoded into the Go struct (`cannot unmarshal string
 *   into Go struct field ... of type int32`); an integer must fit its int32 / int64 field;
 * - null is accepted everywhere, as Go's decoder leaves the field at its zero value;
 * - IntOrString takes an int32 or a string; Quantity a string or a number that parses as one;
 *   []byte (format byte) must be base64; metav1.Time (date-time) RFC 3339.
 *
 * A small walker over the schema graph rather than a JSON-schema engine: see docs/decisions.md
 * for why (speed on thousands of objects, and messages that name the field and its neighbours).
 */

export type SchemaErrorKind = 'unknownField' | 'type' | 'range' | 'format' | 'required';

export interface SchemaError {
  kind: SchemaErrorKind;
  /** JSON pointer of the field. */
  path: string;
  /** What was expected: "a string", "an int32 integer", "a mapping", "base64 text", … */
  expected?: string;
  value?: JsonValue;
  /** unknownField: the closest known field of the same object, when one is close. */
  suggestion?: string;
  /** unknownField: where a field of that name is known nearby ("spec.replicas"). */
  belongsAt?: string;
  /** unknownField: the same as a JSON pointer, when it names one place (no list in between). */
  belongsPointer?: string;
  /** unknownField: the fields the object does know, for the message. */
  parent?: string;
  /** range: the format and its bounds. */
  format?: string;
  min?: string;
  max?: string;
}

interface Node {
  name: string;
  type: string | undefined;
  format: string | undefined;
  /** IntOrString: an integer (int32) or a string. */
  intOrString: boolean;
  /** Quantity: a string or a number that parses as a quantity. */
  quantity: boolean;
  properties: Map<string, Node> | undefined;
  /** Values of a map (additionalProperties); `true` for any value. */
  additional: Node | true | undefined;
  items: Node | undefined;
  required: readonly string[];
  preserveUnknown: boolean;
  embedded: boolean;
  /** No type and no structure (RawExtension, FieldsV1, JSON): anything is accepted. */
  opaque: boolean;
}

class Compiler {
  private readonly named = new Map<string, Node>();
  constructor(private readonly artifact: Artifact) {}

  named_(name: string): Node {
    let node = this.named.get(name);
    if (node) return node;
    const raw = this.artifact.schemas[name] ?? {};
    node = this.blank(name);
    this.named.set(name, node); // before filling: schemas are recursive (JSONSchemaProps)
    this.fill(node, raw);
    return node;
  }

  node(raw: RawSchema, name: string): Node {
    if (raw.$ref) return this.named_(raw.$ref);
    const node = this.blank(name);
    this.fill(node, raw);
    return node;
  }

  private blank(name: string): Node {
    return {
      name: name.replace(/^.*\./, ''),
      type: undefined,
      format: undefined,
      intOrString: false,
      quantity: false,
      properties: undefined,
      additional: undefined,
      items: undefined,
      required: [],
      preserveUnknown: false,
      embedded: false,
      opaque: false,
    };
  }

  private fill(node: Node, raw: RawSchema): void {
    node.type = raw.type;
    node.format = raw.format;
    node.intOrString =
      raw['x-kubernetes-int-or-string'] === true ||
      raw.format === 'int-or-string' ||
      (raw.oneOf?.includes('integer') === true && raw.oneOf.includes('string'));
    node.quantity =
      !node.intOrString && raw.oneOf?.includes('number') === true && raw.oneOf.includes('string');
    node.preserveUnknown = raw['x-kubernetes-preserve-unknown-fields'] === true;
    node.embedded = raw['x-kubernetes-embedded-resource'] === true;
    node.required = raw.required ?? [];
    if (raw.properties) {
      node.properties = new Map();
      for (const [key, value] of Object.entries(raw.properties))
        node.properties.set(key, this.node(value, `${node.name}.${key}`));
    }
    if (raw.items) node.items = this.node(raw.items, `${node.name}[]`);
    if (raw.additionalProperties === true) node.additional = true;
    else if (typeof raw.additionalProperties === 'object')
      node.additional = this.node(raw.additionalProperties, `${node.name}{}`);
    const structured = node.properties || node.additional || node.items;
    node.opaque =
      !node.intOrString &&
      !node.quantity &&
      !structured &&
      !node.embedded &&
      !node.preserveUnknown &&
      (node.type === undefined || node.type === 'object');
  }
}

let compiler: Compiler | undefined;
const roots = new Map<string, Node | null>();

/** The schema of a built-in kind at an apiVersion the API server serves; undefined for any other. */
function rootOf(apiVersion: string, kind: string): Node | undefined {
  const key = `${apiVersion}/${kind}`;
  const known = roots.get(key);
  if (known !== undefined) return known ?? undefined;
  const artifact = loadArtifact();
  compiler ??= new Compiler(artifact);
  const name = artifact.kinds[key];
  const node = name ? compiler.named_(name) : null;
  roots.set(key, node);
  return node ?? undefined;
}

/** Whether kubeha has the API server's schema for this apiVersion and kind. */
export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  return rootOf(apiVersion, kind) !== undefined;
}

/**
 * The API groups of the built-in kinds the API server serves ('' for the core group): an
 * apiVersion in one of these groups that the schemas do not list is not served.
 */
export function servedGroups(): ReadonlySet<string> {
  const groups = new Set<string>();
  for (const key of Object.keys(loadArtifact().kinds)) {
    const parts = key.split('/');
    groups.add(parts.length === 3 ? parts[0]! : '');
  }
  return groups;
}

/** The Kubernetes version the schemas come from. */
export function schemaVersion(): string {
  return loadArtifact().kubernetesVersion;
}

/**
 * The errors the API server's decoding would find in an object of a built-in kind; undefined for
 * kinds it has no schema for (custom resources, removed versions: other checks report those).
 */
export function validateObject(raw: JsonObject, apiVersion: string, kind: string): SchemaError[] | undefined {
  const root = rootOf(apiVersion, kind);
  if (!root) return undefined;
  const out: SchemaError[] = [];
  walk(raw, root, '', undefined, [], out);
  return out;
}

/** A value against one schema of a given artifact (tests, and schemas that are not Kubernetes'). */
export function validateWith(artifact: Artifact, schema: string, value: JsonValue): SchemaError[] {
  const own = new Compiler(artifact);
  const saved = compiler;
  compiler = own; // embedded resources read ObjectMeta from the same artifact
  try {
    const out: SchemaError[] = [];
    walk(value, own.named_(schema), '', undefined, [], out);
    return out;
  } finally {
    compiler = saved;
  }
}

/** ObjectMeta alone: the metadata of a custom resource, which the API server decodes all the same. */
export function validateMetadata(metadata: JsonValue | undefined): SchemaError[] {
  if (metadata === undefined) return [];
  compiler ??= new Compiler(loadArtifact());
  const out: SchemaError[] = [];
  walk(metadata, compiler.named_('apis.meta.v1.ObjectMeta'), '/metadata', undefined, [], out);
  return out;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
// 2^63 - 1 is not a double: the nearest is 2^63, so only values above it are surely out of range.
const INT64 = { min: -(2 ** 63), max: 2 ** 63 };

/**
 * A field's JSON pointer: the pointer of the object or list it is in, and its key there. Most fields
 * are scalars that validate, so the pointer is written out only for an error or a value to walk into
 * (building one per field visited was most of the walk's cost on 10 000 objects).
 */
function pointerOf(base: string, key: string | number | undefined): string {
  if (key === undefined) return base;
  return `${base}/${typeof key === 'number' ? key : escapeSegment(key)}`;
}

function walk(
  value: JsonValue,
  node: Node,
  base: string,
  key: string | number | undefined,
  ancestors: Node[],
  out: SchemaError[],
): void {
  if (value === null || node.opaque) return; // Go's decoder leaves the zero value for null
  if (node.intOrString) {
    if (typeof value === 'string') return;
    if (typeof value === 'number' && Number.isInteger(value)) {
      checkRange(value, 'int32', INT32, base, key, out);
      return;
    }
    out.push({ kind: 'type', path: pointerOf(base, key), expected: 'an integer or a string', value });
    return;
  }
  if (node.quantity) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      out.push({
        kind: 'type',
        path: pointerOf(base, key),
        expected: 'a quantity (a string such as 500m or 1Gi, or a number)',
        value,
      });
    } else if (parseQuantity(value) === undefined) {
      out.push({ kind: 'format', path: pointerOf(base, key), expected: 'a quantity', value });
    }
    return;
  }
  switch (node.type) {
    case 'object':
      if (!isJsonObject(value))
        out.push({ kind: 'type', path: pointerOf(base, key), expected: 'a mapping', value });
      else walkObject(value, node, pointerOf(base, key), ancestors, out);
      return;
    case 'array':
      if (!Array.isArray(value))
        out.push({ kind: 'type', path: pointerOf(base, key), expected: 'a list', value });
      else if (node.items) {
        const path = pointerOf(base, key);
        ancestors.push(node);
        for (let i = 0; i < value.length; i++) walk(value[i]!, node.items, path, i, ancestors, out);
        ancestors.pop();
      }
      return;
    case 'string':
      if (typeof value !== 'string')
        out.push({ kind: 'type', path: pointerOf(base, key), expected: 'a string', value });
      else if (node.format === 'byte' && !isBase64(value))
        out.push({ kind: 'format', path: pointerOf(base, key), expected: 'base64 text', value });
      else if (node.format === 'date-time' && !isRfc3339(value))
        out.push({
          kind: 'format',
          path: pointerOf(base, key),
          expected: 'an RFC 3339 time such as 2024-01-02T15:04:05Z',
          value,
        });
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        out.push({
          kind: 'type',
          path: pointerOf(base, key),
          expected: 'an integer',
          value,
        });
      } else if (node.format === 'int32') checkRange(value, 'int32', INT32, base, key, out);
      else checkRange(value, 'int64', INT64, base, key, out);
      return;
    case 'number':
      if (typeof value !== 'number')
        out.push({ kind: 'type', path: pointerOf(base, key), expected: 'a number', value });
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        out.push({ kind: 'type', path: pointerOf(base, key), expected: 'true or false', value });
      return;
    default:
      return;
  }
}

function checkRange(
  value: number,
  format: string,
  range: { min: number; max: number },
  base: string,
  key: string | number | undefined,
  out: SchemaError[],
): void {
  if (value >= range.min && (format === 'int64' ? value < range.max : value <= range.max)) return;
  out.push({
    kind: 'range',
    path: pointerOf(base, key),
    value,
    format,
    min: format === 'int32' ? '-2147483648' : '-9223372036854775808',
    max: format === 'int32' ? '2147483647' : '9223372036854775807',
  });
}

function walkObject(
  value: JsonObject,
  node: Node,
  path: string,
  ancestors: Node[],
  out: SchemaError[],
): void {
  // `ancestors` is one stack for the whole walk (copied only for an unknown field's error): a copy per
  // object visited was a measurable share of checking 10 000 objects.
  ancestors.push(node);
  const properties = node.properties;
  for (const key in value) {
    const child = value[key]!;
    const known = properties?.get(key) ?? (node.embedded ? embeddedField(key) : undefined);
    if (known) walk(child, known, path, key, ancestors, out);
    else if (node.additional === true || node.preserveUnknown) continue;
    else if (node.additional) walk(child, node.additional, path, key, ancestors, out);
    else out.push(unknownField(key, pointerOf(path, key), node, ancestors.slice(0, -1)));
  }
  ancestors.pop();
  // status is decoded (types and fields count) but create resets it: its required fields never are.
  const inStatus = path === '/status' || path.startsWith('/status/');
  for (const key of inStatus ? [] : node.required) {
    // null decodes to the zero value, which validation finds as missing as an absent field.
    if ((value[key] === undefined || value[key] === null) && isEnforced(properties?.get(key)))
      out.push({ kind: 'required', path: `${path}/${escapeSegment(key)}` });
  }
  if (node.embedded) {
    for (const key of ['apiVersion', 'kind'])
      if (typeof value[key] !== 'string' || value[key] === '')
        out.push({ kind: 'required', path: `${path}/${key}` });
  }
}

/**
 * A required field the API server's validation refuses to see missing. A missing integer or boolean
 * decodes to 0 or false, which validation may accept (PriorityClass value 0), so only fields whose
 * zero value is empty are held to `required`.
 */
function isEnforced(node: Node | undefined): boolean {
  if (!node) return false;
  return node.type !== 'integer' && node.type !== 'boolean' && node.type !== 'number';
}

const EMBEDDED_META: Record<string, RawSchema> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { $ref: 'apis.meta.v1.ObjectMeta' },
};

/** x-kubernetes-embedded-resource: apiVersion, kind and metadata are an object's own. */
function embeddedField(key: string): Node | undefined {
  const raw = EMBEDDED_META[key];
  if (!raw || !compiler) return undefined;
  return compiler.node(raw, key);
}

// ---- unknown fields: the closest known name, and where the name is known nearby

function unknownField(key: string, at: string, node: Node, ancestors: Node[]): SchemaError {
  const error: SchemaError = { kind: 'unknownField', path: at, parent: node.name };
  const names = node.properties ? [...node.properties.keys()] : [];
  const suggestion = closest(key, names);
  if (suggestion) error.suggestion = suggestion;
  const belongs = belongsAt(key, at, [...ancestors, node]);
  if (belongs) {
    error.belongsAt = dotted(belongs);
    if (!belongs.includes('/*')) error.belongsPointer = belongs;
  }
  return error;
}

/** The known field a typo most likely meant: small edit distance, or one name contains the other. */
export function closest(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of names) {
    const candidate = name.toLowerCase();
    let score = editDistance(lower, candidate);
    if (candidate === lower) score = 0;
    else if (lower.length >= 4 && (isSubsequence(lower, candidate) || isSubsequence(candidate, lower)))
      score = Math.min(score, Math.abs(candidate.length - lower.length) / 4 + 1);
    const limit = Math.max(2, Math.floor(Math.max(lower.length, candidate.length) / 3));
    if (score <= limit && score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Where a field of this name is known near the place it was written: in an ancestor object, or one
 * or two levels below the current object or an ancestor ("replicas" under the pod template belongs
 * in spec). Returned as the field path the API server would name.
 */
function belongsAt(key: string, at: string, chain: Node[]): string | undefined {
  // The field path of each object in the chain: the pointer's prefixes that are objects.
  const segments = at.split('/').slice(1, -1);
  const objectPaths: string[] = [];
  {
    let prefix = '';
    objectPaths.push('');
    for (const seg of segments) {
      prefix = `${prefix}/${seg}`;
      objectPaths.push(prefix);
    }
  }
  // chain[i] belongs to a pointer prefix; array nodes take an index segment each.
  const nodeAt: { node: Node; pointer: string }[] = [];
  {
    let depth = 0;
    for (const n of chain) {
      nodeAt.push({ node: n, pointer: objectPaths[depth] ?? '' });
      depth++;
    }
  }
  for (let i = nodeAt.length - 1; i >= 0; i--) {
    const { node, pointer } = nodeAt[i]!;
    if (node.type === 'array') continue;
    const found = search(node, key, 2, i === nodeAt.length - 1 ? at : undefined);
    if (found !== undefined) return `${pointer}${found}`;
  }
  return undefined;
}

/** A breadth-first search for a property named key, at most `depth` objects down. */
function search(node: Node, key: string, depth: number, excludeSelf: string | undefined): string | undefined {
  let frontier: { node: Node; suffix: string }[] = [{ node, suffix: '' }];
  const seen = new Set<Node>();
  for (let level = 0; level <= depth && frontier.length > 0; level++) {
    const nextFrontier: { node: Node; suffix: string }[] = [];
    for (const { node: n, suffix } of frontier) {
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.properties?.has(key) && !(level === 0 && excludeSelf)) return `${suffix}/${escapeSegment(key)}`;
      for (const [name, child] of n.properties ?? []) {
        if (child.type === 'array' && child.items)
          nextFrontier.push({ node: child.items, suffix: `${suffix}/${name}/*` });
        else if (child.properties) nextFrontier.push({ node: child, suffix: `${suffix}/${name}` });
      }
    }
    frontier = nextFrontier;
  }
  return undefined;
}

/** "/spec/template/spec/containers/0/image" → "spec.template.spec.containers[0].image" ("*" → "[]"). */
export function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => {
      if (seg === '*') return `${acc}[]`;
      if (/^\d+$/.test(seg)) return `${acc}[${seg}]`;
      return acc ? `${acc}.${seg}` : seg;
    }, '');
}

/** Whether every character of short appears in long, in order (scaleRef in scaleTargetRef). */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

// ---- formats

/** encoding/json decodes []byte with base64.StdEncoding, which skips \r and \n. */
function isBase64(text: string): boolean {
  const s = text.replace(/[\r\n]/g, '');
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && !/=[^=]/.test(s);
}

/** metav1.Time's UnmarshalJSON parses time.RFC3339. */
function isRfc3339(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(text);
}
