import {
  COLON,
  commentIn,
  DASH,
  DQUOTE,
  HASH,
  NL,
  readFlowPositions,
  readQuoted,
  SPACE,
  SQUOTE,
  type PositionNode,
} from './fast-reader.js';

/**
 * Positions in a document the fast reader read (fast-reader.ts), found by walking its text along
 * the one path asked for, without reading the rest of the document.
 *
 * Reading the whole document again to build a tree of offsets cost about a quarter of `check` on
 * the generated 10 000 objects (every object there has a finding): every value and every key of the
 * document was made again for the two or three paths a finding names. The text already passed the
 * fast reader, so its structure is the one that reader accepts (block mappings and sequences,
 * one-line scalars and flow collections, literal block scalars, comments): each step of a path only
 * has to look at the lines of the collection it is in, at that collection's column, skipping the
 * lines below them (a deeper value, a literal block's content, which is always indented more) and
 * comments. Flow collections, one line each, are read with the reader's own flow reader.
 *
 * The answers are the reader's: the offset of a mapping key, of a sequence item, of the document's
 * content, and the text of a plain scalar (test/sources/reader-differential.test.ts compares them
 * with `yaml`'s for every path of every object).
 */

/** A node found in the text: a block collection (by where it starts and its column), a flow collection, a scalar. */
type Found =
  | { kind: 'map'; at: number; column: number }
  | { kind: 'seq'; at: number; column: number }
  | { kind: 'tree'; at: number; node: PositionNode }
  | { kind: 'scalar'; at: number; plain?: string };

/** A mapping key: where it is, and where its value starts (after the colon) on the line ending at `eol`. */
interface Key {
  key: string;
  keyAt: number;
  afterColon: number;
  eol: number;
}

/** A block mapping's keys as far as they were scanned; `next` is the next key's offset (-1: no more). */
interface ScannedKeys {
  keys: Map<string, Key>;
  next: number;
}

/** A block sequence's dashes as far as they were scanned; `next` is the next dash's offset (-1: no more). */
interface ScannedDashes {
  dashes: number[];
  next: number;
}

/** What TextPositions keeps of its scans, for the one document asked about last. */
interface Scans {
  mappings: Map<number, ScannedKeys>;
  sequences: Map<number, ScannedDashes>;
  flows: Map<number, PositionNode>;
}

/** The document whose scans are kept, and its scans. */
let kept: { owner: TextPositions; scans: Scans } | undefined;

/** Where a document's parts are, by path: what parse.ts's locate and scalar ask of a fast-read document. */
export class TextPositions {
  private rootNode: Found | undefined;
  /**
   * The keys of each block mapping a path went through (by the offset of its first key), and the
   * dashes of each sequence, as far as a path needed to look: a later path through the same
   * collection goes on from there instead of scanning its lines again, so an object with a finding
   * on each of its thousands of keys costs one scan, not one per finding, and a key near the top
   * of a long mapping costs only the lines before it. Kept for the last document asked about only
   * (a rule reports an object's findings together): kept for every document with a finding, they
   * grew with the input (100 000 small files peaked at 967 MB with them, 944 MB without).
   */
  private get scans(): Scans {
    return kept!.scans;
  }

  constructor(private readonly text: string) {}

  /** Offset of a path: the key or item of its deepest existing part, or the document's content. */
  offsetOf(segments: readonly string[]): number {
    this.begin();
    let node = this.root();
    let best = node.at;
    for (const seg of segments) {
      const child = this.child(node, seg);
      if (child === undefined) break;
      best = child.at;
      node = child.node;
    }
    return best;
  }

  /** The text of the plain scalar at a path (`yes`, `0777`, '' for an empty value); undefined otherwise. */
  plainScalar(segments: readonly string[]): string | undefined {
    this.begin();
    let node: Found | undefined = this.root();
    for (const seg of segments) {
      node = this.child(node, seg)?.node;
      if (node === undefined) return undefined;
    }
    return node.kind === 'scalar' ? node.plain : node.kind === 'tree' ? node.node.plain : undefined;
  }

  /** Makes this the document whose scans are kept, dropping the previous one's. */
  private begin(): void {
    if (kept?.owner === this) return;
    kept = { owner: this, scans: { mappings: new Map(), sequences: new Map(), flows: new Map() } };
  }

  private root(): Found {
    if (this.rootNode === undefined) {
      const first = this.nextContentLine(0);
      // The reader gave a value for this text: it has content, at column 0.
      if (first === undefined) throw new Error('fast reader: positions of an empty document');
      this.rootNode = this.collectionAt(first.at, 0);
    }
    return this.rootNode;
  }

  /** The child of a node by a path segment, with the offset a position names (its key, or the item). */
  private child(node: Found, seg: string): { at: number; node: Found } | undefined {
    switch (node.kind) {
      case 'map':
        return this.mapEntry(node.at, node.column, seg);
      case 'seq': {
        // As `items[Number(seg)]` reads an array.
        const index = Number(seg);
        if (!Number.isInteger(index) || index < 0) return undefined;
        const item = this.seqItem(node.at, node.column, index);
        return item && { at: item.at, node: item };
      }
      case 'tree': {
        const tree = node.node;
        if (tree.keys) {
          const entry = tree.keys.get(seg);
          return entry && { at: entry.keyAt, node: { kind: 'tree', at: entry.node.at, node: entry.node } };
        }
        if (tree.items) {
          const item: PositionNode | undefined = tree.items[Number(seg)];
          return item && { at: item.at, node: { kind: 'tree', at: item.at, node: item } };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** A block mapping or sequence whose first key or dash is at `at`, in column `column`. */
  private collectionAt(at: number, column: number): Found {
    return this.isDashItem(at) ? { kind: 'seq', at, column } : { kind: 'map', at, column };
  }

  /** The entry `seg` of the block mapping whose first key is at `first`, its keys in column `column`. */
  private mapEntry(first: number, column: number, seg: string): { at: number; node: Found } | undefined {
    const mappings = this.scans.mappings;
    let scanned = mappings.get(first);
    if (scanned === undefined) {
      scanned = { keys: new Map(), next: first };
      mappings.set(first, scanned);
    }
    let entry = scanned.keys.get(seg);
    while (entry === undefined && scanned.next >= 0) {
      const key = this.mappingKey(scanned.next);
      // The reader refused repeated keys: each is there once.
      scanned.keys.set(key.key, key);
      if (key.key === seg) entry = key;
      scanned.next = this.nextInColumn(key.eol, column, false);
    }
    return entry && { at: entry.keyAt, node: this.mappingValue(entry.afterColon, entry.eol, column) };
  }

  /** The key on the line at `keyAt`, and where its value starts (after the colon). */
  private mappingKey(keyAt: number): Key {
    const text = this.text;
    const eol = this.eol(keyAt);
    const c = text.charCodeAt(keyAt);
    if (c === DQUOTE || c === SQUOTE) {
      const q = readQuoted(text, keyAt, eol);
      return { key: q.value, keyAt, afterColon: q.end + 1, eol };
    }
    const colon = this.keyColon(keyAt, eol);
    let keyEnd = colon;
    while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
    return { key: text.slice(keyAt, keyEnd), keyAt, afterColon: colon + 1, eol };
  }

  /**
   * After a line ending at `eol`, the next line of a collection in `column`: for a mapping, the next
   * line there that is not an item of a sequence value written in the same column (`key:` then
   * `- a`); for a sequence, the next dash there. -1 when a line less indented (or, for a sequence,
   * a line in the column that is not a dash) ends the collection.
   */
  private nextInColumn(eol: number, column: number, sequence: boolean): number {
    let from = eol + 1;
    for (;;) {
      const line = this.nextContentLine(from);
      if (line === undefined || line.indent < column) return -1;
      if (line.indent === column) {
        const dash = this.isDashItem(line.at);
        if (sequence) return dash ? line.at : -1;
        if (!dash) return line.at;
      }
      from = this.eol(line.at) + 1;
    }
  }

  /** The value after a key's colon (at `from`, on a line ending at `eol`) in a mapping at column `column`. */
  private mappingValue(from: number, eol: number, column: number): Found {
    const text = this.text;
    let j = from;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) {
      const line = this.nextContentLine(eol + 1);
      if (
        line !== undefined &&
        (line.indent > column || (line.indent === column && this.isDashItem(line.at)))
      )
        return this.collectionAt(line.at, line.indent);
      return { kind: 'scalar', at: j, plain: '' };
    }
    return this.inlineValue(j, eol);
  }

  /** Item `index` of the block sequence whose first dash is at `first`, its dashes in column `column`. */
  private seqItem(first: number, column: number, index: number): Found | undefined {
    const sequences = this.scans.sequences;
    let scanned = sequences.get(first);
    if (scanned === undefined) {
      scanned = { dashes: [first], next: this.nextInColumn(this.eol(first), column, true) };
      sequences.set(first, scanned);
    }
    const dashes = scanned.dashes;
    while (dashes.length <= index && scanned.next >= 0) {
      dashes.push(scanned.next);
      scanned.next = this.nextInColumn(this.eol(scanned.next), column, true);
    }
    const dash = dashes[index];
    if (dash === undefined) return undefined;
    const text = this.text;
    const eol = this.eol(dash);
    let j = dash + 1;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) {
      // The item is on the lines below.
      const line = this.nextContentLine(eol + 1)!;
      return this.collectionAt(line.at, line.indent);
    }
    const itemColumn = j - (text.lastIndexOf('\n', j - 1) + 1);
    if (this.isDashItem(j)) return { kind: 'seq', at: j, column: itemColumn };
    if (this.startsKey(j, eol)) return { kind: 'map', at: j, column: itemColumn };
    return this.inlineValue(j, eol);
  }

  /** A value that starts on its line at `j`: a quoted, plain or block scalar, or a flow collection. */
  private inlineValue(j: number, eol: number): Found {
    const text = this.text;
    const c = text.charCodeAt(j);
    if (c === 0x5b || c === 0x7b) {
      const flows = this.scans.flows;
      let node = flows.get(j);
      if (node === undefined) {
        node = readFlowPositions(text, j, eol);
        flows.set(j, node);
      }
      return { kind: 'tree', at: node.at, node };
    }
    if (c === DQUOTE || c === SQUOTE || c === 0x7c) return { kind: 'scalar', at: j };
    let end = commentIn(this.text, j, eol);
    if (end < 0) end = eol;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return { kind: 'scalar', at: j, plain: text.slice(j, end) };
  }

  /** Whether the text at `j` starts a mapping key (`key:` then a space or the end of the line). */
  private startsKey(j: number, eol: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(j);
    if (c === DQUOTE || c === SQUOTE) {
      let k = readQuoted(text, j, eol).end;
      while (k < eol && text.charCodeAt(k) === SPACE) k++;
      return k < eol && text.charCodeAt(k) === COLON;
    }
    if (c === 0x5b || c === 0x7b || c === 0x7c) return false;
    const colon = this.keyColon(j, eol);
    return colon >= 0 && commentIn(this.text, j, colon) < 0;
  }

  /** A `-` followed by a space, a newline or the end: a sequence item. */
  private isDashItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = at + 1 < this.text.length ? this.text.charCodeAt(at + 1) : NL;
    return next === SPACE || next === NL;
  }

  /** The first `:` in [from, eol) followed by a space, a newline or the end of the text. */
  private keyColon(from: number, eol: number): number {
    const text = this.text;
    for (let k = from; k < eol; k++) {
      if (text.charCodeAt(k) !== COLON) continue;
      const next = k + 1 < text.length ? text.charCodeAt(k + 1) : NL;
      if (next === SPACE || next === NL) return k;
    }
    return -1;
  }

  private eol(from: number): number {
    const e = this.text.indexOf('\n', from);
    return e < 0 ? this.text.length : e;
  }

  /** The first line from `from` (a line start) with content, not blank and not a comment: its first character and indent. */
  private nextContentLine(from: number): { at: number; indent: number } | undefined {
    const text = this.text;
    const end = text.length;
    let at = from;
    while (at < end) {
      let j = at;
      while (j < end && text.charCodeAt(j) === SPACE) j++;
      const c = j < end ? text.charCodeAt(j) : NL;
      if (c === NL) {
        at = j + 1;
        continue;
      }
      if (c === HASH) {
        at = this.eol(j) + 1;
        continue;
      }
      return { at: j, indent: j - at };
    }
    return undefined;
  }
}
