import { Document, isMap, type ToStringOptions } from 'yaml';
import { KUBECTL_YAML } from '../sources/kubectl-yaml.js';
import { splitPointer } from '../model/json-path.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { readDocument } from '../sources/fast-reader.js';
import { splitDocuments } from '../sources/parse.js';
import { MAX_EDIT_DEPTH, segmentsOf, syntaxError } from './documents.js';
import { applyOp, EditError } from './edit.js';
import { renderEdited, styleOf } from './render.js';
import type { Patch, PatchOp } from './types.js';

export interface ApplyResult {
  /** The new text; the same string when nothing applied. */
  text: string;
  applied: Patch[];
  /** Patches left out, and why: a syntax error, a document that is not the object, or an edit that overlaps another one (it is planned again on the new text). */
  skipped: { patch: Patch; reason: string }[];
}

/** Reason given for a patch that touches what an earlier patch of the same run already changed. */
export const OVERLAPS = 'overlaps an earlier edit of the same document: planned again on the edited text';

/**
 * What earlier calls learnt about `---` parts, to pass to the next: the text of each part that parses
 * without a syntax error, and how many documents it holds. A part is then not parsed again unless a
 * patch edits it: fix's later rounds edit a few documents of large files (a Deployment beside three
 * CRDs of 600 KB each), and parsing the whole file again each round was most of their cost.
 */
export type KnownParts = Map<string, number>;

/**
 * Applies the patches addressed to `file` to its text. Pure. Documents no patch changes, separator lines
 * and everything between them are kept byte for byte; a file with a syntax error is never changed.
 */
export function applyPatches(
  sourceText: string,
  file: string,
  patches: readonly Patch[],
  known: KnownParts = new Map(),
): ApplyResult {
  const mine = patches.filter((p) => p.file === file);
  const result: ApplyResult = { text: sourceText, applied: [], skipped: [] };
  if (mine.length === 0) return result;
  const crlf = sourceText.includes('\r\n');
  const text = crlf ? sourceText.replace(/\r\n/g, '\n') : sourceText;
  let segments = partsOf(text, known);
  if (!segments) {
    // A part does not parse: the whole file is read as before, for the line of its first error.
    const whole = segmentsOf(text);
    const broken = syntaxError(text, whole);
    if (broken) {
      result.skipped = mine.map((patch) => ({
        patch,
        reason: `the file does not parse (${broken}): it is left as it is`,
      }));
      return result;
    }
    segments = whole.map((s) => ({ ...s, count: s.docs.length }));
  }
  const style = styleOf(text);
  const edited = new Map<Part, Editing>();
  const touched = new Map<Part, string[]>();
  const created = new Map<Part | 'end', string[]>();
  const create = (where: Part | 'end', ops: readonly PatchOp[]): void => {
    for (const op of ops) {
      if (op.op !== 'create') continue;
      created.set(where, [...(created.get(where) ?? []), renderNew(op.value, op.comment, style)]);
    }
  };

  for (const patch of mine) {
    const skip = (reason: string): void => void result.skipped.push({ patch, reason });
    if (patch.doc === undefined) {
      if (patch.ops.some((op) => op.op !== 'create')) skip('an edit needs the document it applies to');
      else {
        create('end', patch.ops);
        result.applied.push(patch);
      }
      continue;
    }
    const segment = segments.find((s) => patch.doc! >= s.firstDoc && patch.doc! < s.firstDoc + s.count);
    if (!segment) {
      skip(`the file has no document ${patch.doc}`);
      continue;
    }
    if (segment.count !== 1) {
      skip(
        'the document shares its `---` section with another one; kubeha fix edits only documents on their own',
      );
      continue;
    }
    const editing = edited.get(segment);
    // An unedited part the fast reader read is checked on its value: a patch that no longer matches
    // its document then parses nothing.
    const mismatch = notTheObject(
      editing || segment.value === undefined ? valueOf(editing?.doc ?? documentOf(segment)) : segment.value,
      patch,
    );
    if (mismatch) {
      skip(mismatch);
      continue;
    }
    const paths = patch.ops.flatMap((op) =>
      op.op === 'create' ? [] : op.op === 'move' ? [op.from, op.path] : [op.path],
    );
    const before = touched.get(segment) ?? [];
    if (paths.some((p) => before.some((q) => overlaps(p, q)))) {
      skip(OVERLAPS);
      continue;
    }
    const ops = patch.ops.filter((op): op is EditOp => op.op !== 'create');
    if (ops.length) {
      const current = editing?.doc ?? documentOf(segment);
      // The document is edited in place, not cloned for each patch (a clone costs as much as the
      // edit and its rendering together): its rendering before any edit is taken first.
      const state = editing ?? { doc: current, base: current.toString(style), ops: [] };
      edited.set(segment, state);
      try {
        for (const op of ops) applyOp(state.doc, op);
      } catch (e) {
        if (!(e instanceof EditError)) throw e;
        // The patch may have applied some of its ops: the document is read again and given the ops
        // of the patches that applied before it.
        state.doc = reparsed(segment)[0]!;
        for (const op of state.ops) applyOp(state.doc, op);
        skip(e.message);
        continue;
      }
      state.ops.push(...ops);
      touched.set(segment, [...before, ...paths]);
    }
    create(segment, patch.ops);
    result.applied.push(patch);
  }

  let out = text;
  const end = created.get('end');
  if (end) {
    const lead = out === '' ? '' : out.endsWith('\n') ? '---\n' : '\n---\n';
    out += lead + end.join('---\n');
  }
  // From the last segment back, so earlier offsets stay valid.
  for (const segment of [...segments].reverse()) {
    const editing = edited.get(segment);
    const added = created.get(segment);
    let replaced = segment.text;
    if (editing?.ops.length) replaced = renderEdited(segment.text, editing.doc, editing.base, style);
    if (added) {
      if (!replaced.endsWith('\n')) replaced += '\n';
      replaced += added.map((d) => `---\n${d}`).join('');
    }
    if (replaced !== segment.text) {
      out = out.slice(0, segment.start) + replaced + out.slice(segment.start + segment.text.length);
    }
  }
  result.text = out === text ? sourceText : crlf ? out.replace(/\n/g, '\r\n') : out;
  return result;
}

type EditOp = Exclude<PatchOp, { op: 'create' }>;

/** A document some patch edits: the parsed document, changed in place, and what it was before. */
interface Editing {
  doc: Document;
  /** yaml's rendering of the document before any edit (render.ts compares it with the text). */
  base: string;
  /** The ops applied so far, in order. */
  ops: EditOp[];
}

/** A `---` part of the file: where it is, and its documents, parsed only when a patch edits one. */
interface Part {
  start: number;
  text: string;
  /** Index (as the loader counts documents) of the part's first document. */
  firstDoc: number;
  /** How many documents the part holds. */
  count: number;
  docs?: Document.Parsed[];
  /** The value of the part's one document, as the loader's fast reader read it (unedited text only). */
  value?: unknown;
}

/**
 * The file cut as `segmentsOf` cuts it; a part already known to parse cleanly is not parsed again.
 * Undefined when a part has a syntax error (or the file is binary). A part has no `---` line, so
 * `segmentsOf` reads it alone exactly as it reads it within the file.
 *
 * A part the loader's fast reader reads (src/sources/fast-reader.ts) is not given to yaml here: that
 * reader reads only documents that yaml parses without an error into the same value (no duplicate key,
 * alias or merge key, which is all `syntaxError` looks for besides the depth), and it reads one
 * document or, for comments alone, none, as the loader counts them. Only a part a patch edits is then
 * parsed by yaml (`documentOf`): the other parts of the file, most of what fix read, are not.
 */
function partsOf(text: string, known: KnownParts): Part[] | undefined {
  if (text.includes('\u0000')) return undefined;
  const parts: Part[] = [];
  let firstDoc = 0;
  for (const { start, text: part } of splitDocuments(text)) {
    let count = known.get(part);
    let docs: Document.Parsed[] | undefined;
    let value: unknown;
    if (count === undefined) {
      const read = readDocument(part);
      if (read.kind === 'empty') count = 0;
      else if (read.kind === 'value' && !nestsAtLeast(read.value, MAX_EDIT_DEPTH)) {
        count = 1;
        value = read.value;
      } else {
        const alone = segmentsOf(part);
        if (syntaxError(part, alone) !== undefined) return undefined;
        docs = alone.flatMap((s) => s.docs);
        count = docs.length;
      }
      known.set(part, count);
    }
    parts.push({
      start,
      text: part,
      firstDoc,
      count,
      ...(docs ? { docs } : {}),
      ...(value !== undefined ? { value } : {}),
    });
    firstDoc += count;
  }
  return parts;
}

/**
 * Whether a value has `depth` collections nested in one another (a walk without recursion). Such a
 * part is left to yaml and `syntaxError`, which decides whether it is too deep to edit.
 */
function nestsAtLeast(value: unknown, depth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (level >= depth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, level + 1]);
  }
  return false;
}

/** The part's document (a part a patch edits holds exactly one), parsed on first use. */
function documentOf(part: Part): Document {
  part.docs ??= reparsed(part);
  const doc = part.docs[0];
  if (!doc) throw new Error('a part with one document parses to none');
  return doc;
}

/** The part's documents parsed again, as `segmentsOf` parses them. */
function reparsed(part: Part): Document.Parsed[] {
  return segmentsOf(part.text).flatMap((s) => s.docs);
}

function renderNew(value: JsonObject, comment: string | undefined, style: ToStringOptions): string {
  const doc = new Document(value, KUBECTL_YAML);
  // On the contents, not the document: a document comment is followed by a blank line.
  if (comment && doc.contents)
    doc.contents.commentBefore = comment
      .split('\n')
      .map((l) => ` ${l}`)
      .join('\n');
  return doc.toString(style);
}

/** A document's value, as the loader reads it; undefined when its root is not a mapping node. */
function valueOf(doc: Document): unknown {
  return isMap(doc.contents) ? doc.toJS({ maxAliasCount: 100 }) : undefined;
}

/**
 * A patch names its object; the document at its index (its value: the fast reader's reads a mapping
 * exactly when yaml's root node is one) must still be that object.
 */
function notTheObject(value: unknown, patch: Patch): string | undefined {
  if (!isJsonObject(value)) return `document ${patch.doc} is not a mapping`;
  const metadata = value['metadata'];
  const name = isJsonObject(metadata) ? metadata['name'] : undefined;
  if (typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items']))
    return 'objects inside a List document are not edited';
  if (value['kind'] !== patch.object.kind || (name ?? '<unnamed>') !== patch.object.name)
    return `document ${patch.doc} is no longer ${patch.object.kind} ${patch.object.name}`;
  return undefined;
}

/** Two paths overlap when one is the other or lies inside it (`/-` appends count as the sequence). */
function overlaps(a: string, b: string): boolean {
  const sa = splitPointer(a).filter((s) => s !== '-');
  const sb = splitPointer(b).filter((s) => s !== '-');
  const n = Math.min(sa.length, sb.length);
  return sa.slice(0, n).every((s, i) => s === sb[i]);
}
