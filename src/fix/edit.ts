import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  stringify,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { splitPointer } from '../model/json-path.js';
import type { JsonValue } from '../model/types.js';
import { insertionIndex } from './order.js';
import type { PatchOp } from './types.js';

/** Why an op could not be applied to a document (the path is not there, or is not a mapping). */
export class EditError extends Error {}

type Parent = YAMLMap | YAMLSeq;

/**
 * Applies one op to a parsed document in place, through yaml's node API so that every node the op does
 * not replace keeps its comments, quoting, anchors and flow or block style.
 */
export function applyOp(doc: Document, op: Exclude<PatchOp, { op: 'create' }>): void {
  if (op.op === 'move') return move(doc, op.from, op.path);
  const segments = [...splitPointer(op.path)];
  const last = segments.pop();
  if (last === undefined) throw new EditError(`${op.op} needs a path below the document root`);
  const parent = walk(doc, segments, op.op === 'add', last);
  switch (op.op) {
    case 'add':
      return set(doc, parent, segments, last, op.value, false);
    case 'replace':
      return set(doc, parent, segments, last, op.value, true);
    case 'remove':
      return remove(parent, last, op.path);
    case 'rename':
      return rename(parent, last, op.to, op.path);
    case 'dedupe':
      return dedupe(doc, parent, last, op.path);
  }
}

/** The node at the segments; with `create`, missing mappings on the way are made (as setIn does). */
function walk(doc: Document, segments: readonly string[], create: boolean, last: string): Parent {
  if (!isMap(doc.contents) && !isSeq(doc.contents)) throw new EditError('the document is not a mapping');
  let node: Parent = doc.contents;
  for (const [i, seg] of segments.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = lastPair(node, seg);
      if (!pair && create) {
        // A missing parent of `-` (append) or an index is a sequence; of a key, a mapping.
        const following = segments[i + 1] ?? last;
        const made = following === '-' || /^\d+$/.test(following) ? new YAMLSeq() : new YAMLMap();
        insertPair(doc, node, segments.slice(0, i), doc.createPair(seg, made) as Pair);
        next = made;
      } else next = pair?.value;
    } else {
      next = node.items[index(seg, node)];
    }
    if (!isMap(next) && !isSeq(next)) {
      throw new EditError(`/${segments.slice(0, i + 1).join('/')} is not a mapping or sequence`);
    }
    node = next;
  }
  return node;
}

/** The pair that takes effect for a key: with a repeated key, the last one (as the loader reads it). */
function lastPair(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const item of map.items) {
    if (isPair(item) && keyOf(item) === key) found = item as Pair;
  }
  return found;
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : typeof pair.key === 'string' ? pair.key : undefined;
}

function index(seg: string, seq: YAMLSeq): number {
  const i = seg === '-' ? seq.items.length : Number(seg);
  if (!Number.isInteger(i) || i < 0 || i > seq.items.length) throw new EditError(`no item ${seg}`);
  return i;
}

/** A new key goes where a person would have put it (see order.ts), not always at the end. */
function insertPair(doc: Document, map: YAMLMap, segments: readonly string[], pair: Pair): void {
  const kind = isMap(doc.contents) ? doc.contents.get('kind') : undefined;
  const keys = map.items.map((p) => keyOf(p as Pair));
  const at = insertionIndex(kind, segments, keyOf(pair) ?? '', keys);
  // yaml keeps a comment above a mapping's first key on the mapping; it was about that key, so it
  // moves to the key, or the new first key would end up below it.
  const first = map.items[0] as Pair | undefined;
  if (at === 0 && map.commentBefore && first && isScalar(first.key)) {
    first.key.commentBefore = first.key.commentBefore
      ? `${map.commentBefore}\n${first.key.commentBefore}`
      : map.commentBefore;
    map.commentBefore = null;
  }
  map.items.splice(at, 0, pair);
}

function set(
  doc: Document,
  parent: Parent,
  segments: readonly string[],
  key: string,
  value: JsonValue | Node,
  mustExist: boolean,
): void {
  if (isSeq(parent)) {
    const i = index(key, parent);
    if (mustExist && i >= parent.items.length) throw new EditError(`no item ${key} to replace`);
    if (i === parent.items.length) parent.items.push(doc.createNode(value));
    else parent.items[i] = replacement(doc, parent.items[i], value);
    return;
  }
  const pair = lastPair(parent, key);
  if (!pair) {
    if (mustExist) throw new EditError(`no key "${key}" to replace`);
    insertPair(doc, parent, segments, doc.createPair(key, value) as Pair);
    return;
  }
  pair.value = replacement(doc, pair.value, value);
}

/** A scalar of the same type is changed in place (its quoting and comment stay); anything else is a new node. */
function replacement(doc: Document, old: unknown, value: JsonValue | Node): Node {
  if (isNode(value)) return value;
  if (isScalar(old) && typeof old.value === typeof value && (value === null || typeof value !== 'object')) {
    old.value = value;
    return old;
  }
  const node = doc.createNode(value) as Node;
  if (isNode(old)) {
    node.comment = old.comment;
    node.commentBefore = old.commentBefore;
  }
  return node;
}

/**
 * JSON Patch's move: the node keeps its comments, anchors and style, and the comment above its key
 * goes with it. Missing mappings on the way to `path` are made.
 */
function move(doc: Document, from: string, path: string): void {
  const source = [...splitPointer(from)];
  const target = [...splitPointer(path)];
  const sourceKey = source.pop();
  const targetKey = target.pop();
  if (sourceKey === undefined || targetKey === undefined)
    throw new EditError('move needs paths below the document root');
  if (
    source.length <= target.length &&
    [...source, sourceKey].every((s, i) => s === [...target, targetKey][i])
  )
    throw new EditError(`cannot move ${from} into itself (${path})`);
  const sourceParent = walk(doc, source, false, sourceKey);
  let node: unknown;
  let keyComment: string | null | undefined;
  if (isSeq(sourceParent)) node = sourceParent.items[index(sourceKey, sourceParent)];
  else {
    const pair = lastPair(sourceParent, sourceKey);
    node = pair?.value;
    if (pair && isScalar(pair.key)) keyComment = pair.key.commentBefore;
  }
  if (!isNode(node)) throw new EditError(`nothing at ${from} to move`);
  remove(sourceParent, sourceKey, from);
  const targetParent = walk(doc, target, true, targetKey);
  set(doc, targetParent, target, targetKey, node, false);
  if (keyComment && isMap(targetParent)) {
    const pair = lastPair(targetParent, targetKey);
    if (pair && isScalar(pair.key) && !pair.key.commentBefore) pair.key.commentBefore = keyComment;
  }
}

function remove(parent: Parent, key: string, path: string): void {
  if (isSeq(parent)) {
    const i = index(key, parent);
    if (i >= parent.items.length) throw new EditError(`nothing at ${path} to remove`);
    parent.items.splice(i, 1);
    return;
  }
  const before = parent.items.length;
  parent.items = parent.items.filter((p) => keyOf(p as Pair) !== key);
  if (parent.items.length === before) throw new EditError(`nothing at ${path} to remove`);
}

function rename(parent: Parent, key: string, to: string, path: string): void {
  if (!isMap(parent)) throw new EditError(`${path} is not a mapping key`);
  const pair = lastPair(parent, key);
  if (!pair) throw new EditError(`no key at ${path} to rename`);
  if (lastPair(parent, to)) throw new EditError(`"${to}" is already there`);
  if (isScalar(pair.key)) pair.key.value = to;
  else pair.key = new Scalar(to);
}

/**
 * One key of a repeated pair is kept. Values that do not contradict each other (mappings with
 * different keys, sequences, equal scalars) are merged into the first place the key appeared, so both
 * halves of what the author wrote take effect; otherwise the value that took effect stays and the one
 * that never did is left above it as a comment.
 */
function dedupe(doc: Document, parent: Parent, key: string, path: string): void {
  if (!isMap(parent)) throw new EditError(`${path} is not a mapping key`);
  const pairs = parent.items.filter((p) => keyOf(p as Pair) === key) as Pair[];
  if (pairs.length < 2) throw new EditError(`"${key}" is not repeated at ${path}`);
  const [first, ...rest] = pairs as [Pair, ...Pair[]];
  const values = pairs.map((p) => p.value);
  if (values.every((v) => mergeable(values[0], v))) {
    for (const p of rest) merge(doc, first.value, p.value);
    parent.items = parent.items.filter((p) => !rest.includes(p as Pair));
    return;
  }
  const kept = pairs[pairs.length - 1]!;
  const dropped = pairs.slice(0, -1);
  const lines = dropped.flatMap((p) =>
    stringify({ [key]: toJs(doc, p.value) }, { lineWidth: 0 }).split('\n'),
  );
  const note = [
    ` kubeha fix: "${key}" was repeated here; only this last one ever took effect. The earlier value was:`,
    ...lines.filter((l) => l !== '').map((l) => `   ${l}`),
  ].join('\n');
  const keyNode = isScalar(kept.key) ? kept.key : new Scalar(key);
  keyNode.commentBefore = keyNode.commentBefore ? `${keyNode.commentBefore}\n${note}` : note;
  kept.key = keyNode;
  parent.items = parent.items.filter((p) => !dropped.includes(p as Pair));
}

function toJs(doc: Document, value: unknown): unknown {
  return isNode(value) ? value.toJS(doc) : value;
}

function mergeable(a: unknown, b: unknown): boolean {
  if (isMap(a) && isMap(b)) {
    return b.items.every((pb) => {
      const pa = lastPair(a, keyOf(pb as Pair) ?? '');
      return !pa || mergeable(pa.value, (pb as Pair).value);
    });
  }
  if (isSeq(a) && isSeq(b)) return true;
  if (isScalar(a) && isScalar(b)) return a.value === b.value;
  return false;
}

function merge(doc: Document, into: unknown, from: unknown): void {
  if (isMap(into) && isMap(from)) {
    for (const pb of from.items as Pair[]) {
      const pa = lastPair(into, keyOf(pb) ?? '');
      if (pa) merge(doc, pa.value, pb.value);
      else into.items.push(pb);
    }
  } else if (isSeq(into) && isSeq(from)) {
    const seen = new Set(into.items.map((i) => JSON.stringify(toJs(doc, i))));
    for (const item of from.items) {
      if (!seen.has(JSON.stringify(toJs(doc, item)))) into.items.push(item);
    }
  }
}
