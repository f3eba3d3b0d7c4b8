import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import { readDocument } from './fast-reader.js';
import { TextPositions } from './fast-positions.js';
import { getAt, splitPointer } from '../model/json-path.js';
import { KUBECTL_YAML } from './kubectl-yaml.js';
import { isClusterScoped, objectId } from '../model/kinds.js';
import { editDistance } from '../model/text.js';
import {
  isJsonObject,
  type JsonObject,
  type K8sObject,
  type Position,
  type SourceRef,
} from '../model/types.js';

/** A problem found while reading input: it becomes a finding of one of the manifest-hygiene rules. */
export interface LoadProblem {
  rule: 'yaml-syntax' | 'duplicate-key' | 'invalid-object';
  /** The headline: what is wrong, where the loader can say it best. */
  message: string;
  /** Why it matters and how to fix it; without one, the rule's `load` message gives it. */
  detail?: string;
  file: string;
  line: number;
  column: number;
  /** Set when the problem belongs to an object that was still loaded (duplicate keys). */
  object?: K8sObject;
  path?: string;
}

export interface ParseOptions {
  /** Namespace for namespaced objects that name none. */
  defaultNamespace?: string;
  /** Aliases a document may expand before it is refused (alias bombs). */
  maxAliasCount?: number;
}

export interface ParseResult {
  objects: K8sObject[];
  problems: LoadProblem[];
}

const TOP_LEVEL_KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'data', 'items'];

/** go-yaml v2's spellings of infinity and not-a-number (see kubectl-yaml.ts). */
const NON_FINITE = /(?:^|[\s:[{,-])[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\b/;

/** The first number that is not finite, as a JSON pointer. */
function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const found = nonFinitePath(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** "/spec/replicas" → "spec.replicas". */
function fieldPath(pointer: string): string {
  return splitPointer(pointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

/**
 * Parses one file's text into Kubernetes objects with source positions.
 * Pure: never throws on bad input; every defect is a LoadProblem and the other documents still load.
 *
 * Each document is read by the fast reader (fast-reader.ts) when it holds only the constructs that
 * reader handles completely, else by `yaml`; both give the same objects, problems and positions
 * (test/sources/reader-differential.test.ts).
 */
export function parseManifests(text: string, file: string, options: ParseOptions = {}): ParseResult {
  return parseText(text, file, options, true);
}

/**
 * The loader with every document read by `yaml`, as before the fast reader: what the differential
 * test compares parseManifests with.
 */
export function parseManifestsWithYaml(text: string, file: string, options: ParseOptions = {}): ParseResult {
  return parseText(text, file, options, false);
}

function parseText(text: string, file: string, options: ParseOptions, fast: boolean): ParseResult {
  const objects: K8sObject[] = [];
  const problems: LoadProblem[] = [];
  if (text.includes('\u0000')) {
    problems.push({
      rule: 'yaml-syntax',
      message: 'binary file: not YAML or JSON text',
      detail:
        'Neither kubectl nor kubeha reads manifests from it. Leave it out of the paths given to kubeha.',
      file,
      line: 1,
      column: 1,
    });
    return { objects, problems };
  }
  const lines = new FileLines(text);
  const pos = (offset: number): Position => lines.position(offset);
  let docIndex = 0;
  // Split on `---` lines first, as kubectl's YAML reader does: a quote or bracket left open in one
  // document then cannot swallow the documents after it.
  for (const segment of splitDocuments(text)) {
    const read = fast ? readDocument(segment.text) : undefined;
    if (read?.kind === 'empty') continue; // comments only: `yaml` finds no document either
    if (read?.kind === 'value') {
      // Positions are found in the text along the path asked for, on each position asked (most
      // objects have no finding, so most documents never are).
      const view: DocumentView = new TextPositions(segment.text);
      const at = { segment, docIndex: docIndex++, file, options, pos, lines };
      // The reader knows whether a scalar was read as .inf or .nan: no need to search the text.
      loadValue(read.value, view, at, read.nonFinite, objects, problems);
      continue;
    }
    let docs: Document.Parsed[];
    try {
      // Scalars as kubectl reads them (sigs.k8s.io/yaml: `yes` is true, 0777 is 511): see kubectl-yaml.ts.
      docs = parseAllDocuments(segment.text, {
        ...KUBECTL_YAML,
        uniqueKeys: true,
        prettyErrors: false,
      }) as Document.Parsed[];
    } catch (e) {
      problems.push({ rule: 'yaml-syntax', ...loadError(e), file, ...pos(segment.start) });
      continue;
    }
    if (!Array.isArray(docs)) docs = [docs];
    for (const doc of docs) {
      parseDocument(doc, { segment, docIndex: docIndex++, file, options, pos, lines }, objects, problems);
    }
  }
  return { objects, problems };
}

export interface TextSegment {
  text: string;
  /** Offset of the segment in the whole file. */
  start: number;
}

const SEPARATOR = /^---[ \t]*(?:#.*)?$/;

/**
 * Cuts a file at its document separator lines (`---`, optionally followed by a comment). `fix` cuts
 * with the same function, so the document indexes of its patches are the loader's.
 */
export function splitDocuments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let segmentStart = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (line.startsWith('---') && SEPARATOR.test(line)) {
      if (lineStart > segmentStart)
        segments.push({ text: text.slice(segmentStart, lineStart), start: segmentStart });
      segmentStart = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  if (segmentStart < text.length) segments.push({ text: text.slice(segmentStart), start: segmentStart });
  return segments;
}

/**
 * Line and column of offsets in one file's text. The line starts are found on the first position
 * asked for: most files have no finding.
 */
class FileLines {
  #starts: number[] | undefined;
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  position(offset: number): Position {
    return positionOf((this.#starts ??= lineStarts(this.#text)), offset);
  }
}

/**
 * Where an object is in its file (SourceRef), for the positions of its findings: one small object
 * per loaded object, where closures over the loader's scopes kept about 0.7 KB each alive (a tenth
 * of what 100 000 small files kept: docs/benchmarks.md). Fields are private, so they are never
 * written out with the object.
 */
class DocumentSource implements SourceRef {
  readonly #view: DocumentView;
  readonly #lines: FileLines;
  /** Offset of the document in the file. */
  readonly #start: number;
  /** Path of the object in the document: [] for the document itself, ['items', i] for a List's item. */
  readonly #base: readonly string[];
  constructor(
    readonly file: string,
    readonly doc: number,
    view: DocumentView,
    lines: FileLines,
    start: number,
    base: readonly string[],
  ) {
    this.#view = view;
    this.#lines = lines;
    this.#start = start;
    this.#base = base;
  }
  locate(path: string): Position {
    return this.#lines.position(this.#start + this.#view.offsetOf(this.#segments(path)));
  }
  scalar(path: string): string | undefined {
    return this.#view.plainScalar(this.#segments(path));
  }
  #segments(path: string): readonly string[] {
    return this.#base.length === 0 ? splitPointer(path) : [...this.#base, ...splitPointer(path)];
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionOf(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Where a document is: its text, its index in the file, and how to turn its offsets into positions. */
interface DocumentAt {
  segment: TextSegment;
  docIndex: number;
  file: string;
  options: ParseOptions;
  /** Line and column of an offset in the whole file. */
  pos: (offset: number) => Position;
  lines: FileLines;
}

/** What the loader asks of a parsed document beyond its value: offsets, for positions. */
interface DocumentView {
  /** Offset (in the segment) of a path: the deepest existing ancestor's key or item. */
  offsetOf(segments: readonly string[]): number;
  /** The text of the plain scalar at a path (`yes`, `0777`); undefined for anything else. */
  plainScalar(segments: readonly string[]): string | undefined;
}

/** A document read with `yaml`: its Document answers, and its errors become problems. */
function parseDocument(
  doc: Document.Parsed,
  at: DocumentAt,
  objects: K8sObject[],
  problems: LoadProblem[],
): void {
  const { segment, file, options } = at;
  const text = segment.text;
  const pos = (local: number): Position => at.pos(segment.start + local);
  const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  if (fatal.length > 0) {
    const e = fatal[0]!;
    const said = stackAware(firstLine(e.message));
    // Where yaml's stack ran out depends on how deep the caller already was: the document is named.
    const at = said.message === e.message ? errorOffset(text, doc, e.pos[0]) : contentStart(doc);
    problems.push({ rule: 'yaml-syntax', ...said, file, ...pos(at) });
    return;
  }
  // kubectl refuses a document in which an alias sits inside the node its anchor names ("yaml: anchor
  // 'a' value contains itself"); `yaml` would build a circular object that nothing can write as JSON.
  const circular = text.includes('*') ? selfContainedAlias(doc) : undefined;
  if (circular) {
    problems.push({
      rule: 'yaml-syntax',
      message: `alias *${circular.source} is inside the value its anchor &${circular.source} names`,
      detail: `That would make the document contain itself: kubectl refuses it ("yaml: anchor '${circular.source}' value contains itself"). Move the alias out of the anchored value, or write the value out.`,
      file,
      ...pos(circular.range?.[0] ?? contentStart(doc)),
    });
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
  } catch (e) {
    problems.push({ rule: 'yaml-syntax', ...loadError(e), file, ...pos(contentStart(doc)) });
    return;
  }
  if (value === null || value === undefined) return; // empty document or comments only
  const view: DocumentView = {
    offsetOf: (segments) => offsetOf(doc, segments),
    plainScalar: (segments) => plainScalarText(doc, segments),
  };
  const loaded = loadValue(value, view, at, NON_FINITE.test(text), objects, problems);
  if (loaded === undefined) return;
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  // Each loaded object with the character range it spans, so a duplicate key can name its owner.
  const ranges = duplicates.length > 0 ? loaded.map((l) => ({ ...l, range: rangeOf(doc, l.base) })) : [];
  for (const e of duplicates) {
    const offset = e.pos[0];
    const dup = duplicateAt(doc, offset);
    const key = dup?.key ?? text.slice(offset, e.pos[1]).trim();
    const firstLine = dup && dup.first !== offset ? ` (first at line ${pos(dup.first).line})` : '';
    const owner = (ranges.find((l) => offset >= l.range[0]! && offset < l.range[1]!) ?? ranges[0])?.object;
    problems.push({
      rule: 'duplicate-key',
      message: `key "${key}" is repeated in the same mapping${firstLine}`,
      detail:
        'Only this last one takes effect: the earlier value is silently lost. Keep one of the two, with the value you mean.',
      file,
      ...pos(offset),
      ...(owner ? { object: owner } : {}),
    });
  }
}

/** The first alias that sits inside the node it refers to (a document that would contain itself). */
export function selfContainedAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      const at = alias.range?.[0];
      const range = target?.range;
      if (at !== undefined && range && at >= range[0] && at < range[2]) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Turns a document's value into objects (the items of a List, or the document itself) and reports
 * what kubectl would refuse in them. Returns the objects loaded, each with the path it was read at,
 * or undefined when the document was refused whole.
 */
function loadValue(
  value: unknown,
  view: DocumentView,
  at: DocumentAt,
  mayHoldNonFinite: boolean,
  objects: K8sObject[],
  problems: LoadProblem[],
): { object: K8sObject; base: string[] }[] | undefined {
  const { segment, docIndex, file, options } = at;
  const pos = (local: number): Position => at.pos(segment.start + local);
  if (!isJsonObject(value)) {
    problems.push({
      rule: 'invalid-object',
      message: `document is a ${Array.isArray(value) ? 'list' : typeof value}, not a Kubernetes object`,
      detail:
        'Only a mapping with apiVersion and kind is an object to apply. Write the document as one, or remove it.',
      file,
      ...pos(view.offsetOf([])),
    });
    return undefined;
  }
  const makeSource = (base: string[]): SourceRef =>
    new DocumentSource(file, docIndex, view, at.lines, segment.start, base);
  const loaded: { object: K8sObject; base: string[] }[] = [];
  const load = (item: unknown, base: string[]): void => {
    const o = toObject(item, makeSource(base), options, problems);
    if (o) loaded.push({ object: o, base });
  };
  const notAList = listItemsNotAList(value);
  if (notAList !== undefined) {
    problems.push({
      rule: 'invalid-object',
      message: `items of this ${String(value['kind'])} is ${notAList}, not a list of objects`,
      detail: 'Nothing in it is read. Write items as a list of Kubernetes objects.',
      file,
      ...pos(view.offsetOf(['items'])),
    });
    return undefined;
  }
  if (isListKind(value)) {
    const items = value['items'];
    (Array.isArray(items) ? items : []).forEach((item, i) => load(item, ['items', String(i)]));
  } else {
    load(value, []);
  }
  for (const l of loaded) objects.push(l.object);
  // go-yaml v2 reads .inf and .nan as floats, which kubectl then cannot write as JSON: it refuses
  // the document ("json: unsupported value: +Inf") before anything reaches the API server.
  if (mayHoldNonFinite) {
    for (const l of loaded) {
      const found = nonFinitePath(l.object.raw, '');
      if (found === undefined) continue;
      const number = getAt(l.object.raw, found) as number;
      problems.push({
        rule: 'invalid-object',
        message: `${fieldPath(found)} is ${number > 0 ? '.inf' : number < 0 ? '-.inf' : '.nan'}, which kubectl cannot send as JSON`,
        detail: `kubectl reads it as a float it cannot write as JSON ("json: unsupported value: ${Number.isNaN(number) ? 'NaN' : number > 0 ? '+Inf' : '-Inf'}"): it sends nothing to the API server. Write a finite number, or quote the value if it is meant as a string.`,
        file,
        ...l.object.source!.locate(found),
        object: l.object,
        path: found,
      });
    }
  }
  return loaded;
}

function contentStart(doc: Document.Parsed): number {
  return (doc.contents as Node | null)?.range?.[0] ?? doc.range[0];
}

/**
 * Where to show a syntax error. yaml reports an unterminated construct where it gave up (often the next
 * `---`); the last line with content before that is where the user has to look.
 */
function errorOffset(text: string, doc: Document.Parsed, offset: number): number {
  const contentEnd = (doc.contents as Node | null)?.range?.[1];
  if (contentEnd === undefined || offset < contentEnd) return offset;
  let end = Math.min(offset, text.length);
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return text.lastIndexOf('\n', end - 1) + 1;
}

/** A List (kind ending in List) whose items is there but not a list: "a map", "a string"… */
function listItemsNotAList(v: JsonObject): string | undefined {
  const kind = v['kind'];
  const items = v['items'];
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  if (items === undefined || items === null || Array.isArray(items)) return undefined;
  return isJsonObject(items) ? 'a map' : `a ${typeof items}`;
}

function isListKind(v: JsonObject): boolean {
  const kind = v['kind'];
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(v['items']);
}

function toObject(
  value: unknown,
  source: SourceRef,
  options: ParseOptions,
  problems: LoadProblem[],
): K8sObject | undefined {
  // The object's position, asked only for a problem: finding it may read the document again.
  const at = (): Position => source.locate('');
  if (!isJsonObject(value)) {
    problems.push({
      rule: 'invalid-object',
      message: 'list item is not a Kubernetes object',
      detail: 'It is not applied. Write the item as a mapping with apiVersion and kind, or remove it.',
      file: source.file,
      ...at(),
    });
    return undefined;
  }
  // A misspelt apiVersion or kind is reported, and the object is still analysed under the value the
  // user evidently meant, so one typo does not hide every other finding on the object.
  const apiVersion = recover(value, 'apiVersion');
  const kind = recover(value, 'kind');
  const missing = (['apiVersion', 'kind'] as const).filter(
    (k) => typeof value[k] !== 'string' || value[k] === '',
  );
  let problem: LoadProblem | undefined;
  if (missing.length > 0) {
    const hints = missing.flatMap((m) => {
      const near = nearMissKey(value, m);
      return near ? [`"${near}" looks like a misspelt ${m}`] : [];
    });
    problem = {
      rule: 'invalid-object',
      message: `document has no ${missing.join(' or ')}${hints.length ? ` (${hints.join('; ')})` : ''}`,
      detail: `The API server rejects it. Set ${missing.join(' and ')}.`,
      file: source.file,
      ...at(),
    };
    problems.push(problem);
  }
  if (apiVersion === undefined || kind === undefined) return undefined;
  const metadata = isJsonObject(value['metadata']) ? value['metadata'] : {};
  const rawName = metadata['name'] ?? metadata['generateName'];
  const name = typeof rawName === 'string' && rawName !== '' ? rawName : '<unnamed>';
  const ns = metadata['namespace'];
  const namespace = isClusterScoped(kind)
    ? ''
    : typeof ns === 'string' && ns !== ''
      ? ns
      : (options.defaultNamespace ?? 'default');
  const object: K8sObject = {
    apiVersion,
    kind,
    name,
    namespace,
    id: objectId(kind, namespace, name),
    raw: value,
    source,
  };
  if (problem) problem.object = object;
  return object;
}

/** The mapping key that starts at an offset (where yaml reports a duplicate), and where it first appeared. */
function duplicateAt(doc: Document.Parsed, offset: number): { key: string; first: number } | undefined {
  let found: { key: string; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const repeated = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!repeated || !isScalar(repeated.key)) return undefined;
      const key = String(repeated.key.value);
      const first = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      found = { key, first: (first?.key as Node | undefined)?.range?.[0] ?? offset };
      return visit.BREAK;
    },
  });
  return found;
}

function rangeOf(doc: Document.Parsed, segments: string[]): readonly number[] {
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isMap(node)) node = node.get(seg, true);
    else if (isSeq(node)) node = node.items[Number(seg)];
    else break;
  }
  return (node as Node | null)?.range ?? doc.range;
}

/** Character offset of a path in a parsed document: the deepest existing ancestor's key (or item). */
function offsetOf(doc: Document.Parsed, segments: readonly string[]): number {
  let node: unknown = doc.contents;
  let best = (doc.contents as Node | null)?.range?.[0] ?? doc.range[0];
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      let found: { key: unknown; value: unknown } | undefined;
      for (const pair of node.items) {
        if (isScalar(pair.key) && String(pair.key.value) === seg) found = pair; // the last one wins, as in toJS
      }
      if (!found) break;
      const keyRange = (found.key as Node).range;
      if (keyRange) best = keyRange[0];
      node = found.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      const r = (item as Node | null)?.range;
      if (r) best = r[0];
      node = item;
    } else break;
  }
  return best;
}

/** The source text of the plain scalar at a path (`yes`, `0777`); undefined for anything else. */
function plainScalarText(doc: Document.Parsed, segments: readonly string[]): string | undefined {
  let node: unknown = doc.contents;
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      let found: unknown;
      for (const pair of node.items) {
        if (isScalar(pair.key) && String(pair.key.value) === seg) found = pair.value;
      }
      node = found;
    } else if (isSeq(node)) node = node.items[Number(seg)];
    else return undefined;
  }
  if (isAlias(node)) node = node.resolve(doc);
  if (!isScalar(node) || node.type !== 'PLAIN' || node.tag) return undefined;
  return typeof node.source === 'string' ? node.source : undefined;
}

function recover(value: JsonObject, field: 'apiVersion' | 'kind'): string | undefined {
  const direct = value[field];
  if (typeof direct === 'string' && direct !== '') return direct;
  const near = nearMissKey(value, field);
  const v = near === undefined ? undefined : value[near];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function nearMissKey(value: JsonObject, field: string): string | undefined {
  return Object.keys(value).find((k) => k !== field && isNearMiss(k, field));
}

function isNearMiss(candidate: string, target: string): boolean {
  if (TOP_LEVEL_KEYS.includes(candidate)) return false;
  const a = candidate.toLowerCase();
  const b = target.toLowerCase();
  return editDistance(a, b) <= 2;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function oneLine(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}

/** What the parser threw, on one line. */
function loadError(e: unknown): { message: string; detail?: string } {
  return stackAware(oneLine(e));
}

/**
 * Running out of stack (yaml recurses per nesting level) is said as what it means for the user;
 * any other parser message is the headline as it is, and the rule's own detail follows it.
 */
function stackAware(message: string): { message: string; detail?: string } {
  return /^Maximum call stack size exceeded/.test(message)
    ? {
        message: 'the document nests too deeply to be read',
        detail: `The parser ran out of stack (${message}); no manifest nests this deep. Check that the file is the manifest you meant.`,
      }
    : { message };
}
