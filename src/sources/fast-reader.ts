import { resolvePlain } from './kubectl-yaml.js';

/**
 * A fast reader for the YAML that manifests actually are: block mappings and sequences, single-line
 * plain and quoted scalars, literal block scalars (`|`, `|-`), one-line flow collections of such
 * scalars, comments. It reads one document (a segment between `---` lines, see parse.ts) into the
 * same JSON value that `yaml` with KUBECTL_YAML gives, resolving plain scalars with the same
 * resolvePlain.
 *
 * It never guesses: on anything it does not handle completely (anchors, aliases, tags, merge keys,
 * folded or keep-chomped block scalars, multi-line plain or quoted scalars, repeated keys, keys that
 * are not strings, tabs outside block scalars, CR, odd indentation, syntax errors…) it gives up
 * and the caller reads the document with `yaml`, which then reports exactly what it always did.
 *
 * Positions are not read here: fast-positions.ts finds them in the text, along the one path a
 * finding asks for, so no parsed document stays alive per object.
 */

/** Where a node of a flow collection is written (fast-positions.ts walks the block ones in the text). */
export interface PositionNode {
  /** Offset of the node's first character (a sequence item's position). */
  at: number;
  /** A mapping's entries: the offset of each key, and its value. */
  keys?: Map<string, { keyAt: number; node: PositionNode }>;
  /** A sequence's items. */
  items?: PositionNode[];
  /** A plain scalar's text as written (`yes`, `0777`, '' for an empty value). */
  plain?: string;
}

export type FastRead =
  | {
      kind: 'value';
      value: unknown;
      /** A plain scalar read as .inf or .nan (kubectl cannot write it as JSON). */
      nonFinite: boolean;
    }
  /** Only blank lines and comments: `yaml` finds no document in it. */
  | { kind: 'empty' }
  /** A construct this reader does not handle: read the text with `yaml`. */
  | { kind: 'unsupported' };

/** Thrown inside the reader to give up; never escapes readDocument. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

/**
 * Characters `yaml` may treat specially or refuse anywhere: control characters (tab and LF aside),
 * CR, DEL and C1 controls, BOM, line/paragraph separators, non-characters, lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const UNUSUAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/** Reads one document. */
export function readDocument(text: string): FastRead {
  if (UNUSUAL.test(text)) return { kind: 'unsupported' };
  const reader = new Reader(text);
  try {
    return reader.document();
  } catch (e) {
    // A stack overflow (nesting deeper than the bounds below allow on a small stack) is left to
    // `yaml` too, whose loader turns its own into a finding.
    if (e === UNSUPPORTED || e instanceof RangeError) return { kind: 'unsupported' };
    throw e;
  }
}

/**
 * Nesting the reader recurses through; deeper documents (no manifest nests a tenth as deep: the
 * real-world corpus' deepest is 26 levels) are read by `yaml`, which reports what it cannot read.
 */
const MAX_BLOCK_COLUMN = 512;
const MAX_FLOW_DEPTH = 256;

export const SPACE = 0x20;
export const NL = 0x0a;
const TAB = 0x09;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;
export const DQUOTE = 0x22;
export const SQUOTE = 0x27;

/** First characters that make a plain scalar impossible or special: read by `yaml` instead. */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: // -  (the caller allows `-x`)
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return true;
    default:
      return false;
  }
}

/** Offset of the first `ch` (a char code) in [from, to), or -1: never looks past the line. */
function indexIn(text: string, ch: number, from: number, to: number): number {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === ch) return k;
  return -1;
}

/** Offset of the first ` #` (a comment) in [from, to), or -1. */
export function commentIn(text: string, from: number, to: number): number {
  for (let k = indexIn(text, HASH, from + 1, to); k >= 0; k = indexIn(text, HASH, k + 1, to))
    if (text.charCodeAt(k - 1) === SPACE) return k - 1;
  return -1;
}

class Reader {
  private i = 0;
  /** Offset of the start of the current line. */
  private lineStart = 0;
  /** Indentation of the current line (spaces before its first character). */
  private indent = 0;
  private readonly end: number;
  /** A plain scalar was read as .inf or .nan. */
  private nonFinite = false;

  /** Offset of the next tab at or after the last place asked about (-1: none left). */
  private nextTab: number;

  constructor(private readonly text: string) {
    this.end = text.length;
    this.nextTab = text.indexOf('\t');
  }

  /** Whether a tab lies in [from, to): they are left to `yaml` outside block scalars. */
  private tabIn(from: number, to: number): boolean {
    if (this.nextTab < 0) return false;
    if (this.nextTab < from) this.nextTab = this.text.indexOf('\t', from);
    return this.nextTab >= 0 && this.nextTab < to;
  }

  document(): FastRead {
    if (!this.nextContentLine(0)) return { kind: 'empty' };
    if (this.indent !== 0) throw UNSUPPORTED;
    const c = this.text.charCodeAt(this.i);
    let value: unknown;
    if (c === DASH && this.isSeparatorAfter(this.i + 1)) value = this.sequence(0);
    else value = this.mapping(0);
    if (this.i < this.end) throw UNSUPPORTED; // content left that no collection took
    return { kind: 'value', value, nonFinite: this.nonFinite };
  }

  /** True when the character at `at` ends a token: space, newline or end of text. */
  private isSeparatorAfter(at: number): boolean {
    if (at >= this.end) return true;
    const c = this.text.charCodeAt(at);
    return c === SPACE || c === NL;
  }

  /**
   * Moves to the first character of the next line with content (not blank, not a comment), starting
   * at `from` (a line start), and sets `indent`. False at the end of the text. Lines with a tab, or
   * that start a document (`---`, `...`) or a directive (`%`), are not handled.
   */
  private nextContentLine(from: number): boolean {
    const text = this.text;
    let at = from;
    while (at < this.end) {
      let j = at;
      while (j < this.end && text.charCodeAt(j) === SPACE) j++;
      const c = j < this.end ? text.charCodeAt(j) : NL;
      if (c === NL) {
        at = j + 1;
        continue;
      }
      if (c === TAB) throw UNSUPPORTED;
      if (j === at && (c === DASH || c === 0x2e || c === 0x25)) {
        if (text.startsWith('---', at) || text.startsWith('...', at) || c === 0x25) throw UNSUPPORTED;
      }
      if (c === HASH) {
        const eol = text.indexOf('\n', j);
        const lineEnd = eol < 0 ? this.end : eol;
        if (this.tabIn(j, lineEnd)) throw UNSUPPORTED;
        at = lineEnd + 1;
        continue;
      }
      this.lineStart = at;
      this.indent = j - at;
      this.i = j;
      return true;
    }
    this.i = this.end;
    this.lineStart = this.end;
    this.indent = -1;
    return false;
  }

  /** Offset of the end of the current line (its newline, or the end of the text). */
  private eol(from: number): number {
    const e = this.text.indexOf('\n', from);
    return e < 0 ? this.end : e;
  }

  /**
   * After a value that ends its line at `from`: only spaces and a comment may follow; then moves to
   * the next content line, which must not be indented more than `parentIndent`.
   */
  private finishLine(from: number, parentIndent: number): void {
    const text = this.text;
    const eol = this.eol(from);
    let j = from;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j < eol) {
      if (text.charCodeAt(j) !== HASH || j === from) throw UNSUPPORTED;
      if (this.tabIn(j, eol)) throw UNSUPPORTED;
    }
    this.nextContentLine(eol + 1);
    if (this.indent > parentIndent) throw UNSUPPORTED; // a continuation line or bad indentation
  }

  /** A block mapping whose keys start at column `n`; `i` is at its first key. */
  private mapping(n: number): Record<string, unknown> {
    // Block nesting is at most as deep as its column: bounding the column bounds the recursion.
    if (n > MAX_BLOCK_COLUMN) throw UNSUPPORTED;
    const text = this.text;
    const map: Record<string, unknown> = {};
    for (;;) {
      const keyAt = this.i;
      const eol = this.eol(keyAt);
      if (this.tabIn(this.lineStart, eol)) throw UNSUPPORTED;
      const c = text.charCodeAt(keyAt);
      let key: string;
      let afterColon: number;
      if (c === DQUOTE || c === SQUOTE) {
        const q = this.quoted(keyAt, eol);
        key = q.value;
        if (text.charCodeAt(q.end) !== COLON || !this.isSeparatorAfter(q.end + 1)) throw UNSUPPORTED;
        afterColon = q.end + 1;
      } else {
        if (isIndicator(c)) throw UNSUPPORTED;
        const colon = this.keyColon(keyAt, eol);
        if (colon < 0) throw UNSUPPORTED; // a scalar where a key should be
        let keyEnd = colon;
        while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
        key = text.slice(keyAt, keyEnd);
        if (key.includes(' #') || resolvePlain(key).kind !== 'str') throw UNSUPPORTED;
        afterColon = colon + 1;
      }
      if (afterColon - keyAt > 1024 || key === '<<' || key === '__proto__') throw UNSUPPORTED;
      if (Object.prototype.hasOwnProperty.call(map, key)) throw UNSUPPORTED; // duplicates: `yaml` reports them
      map[key] = this.mappingValue(n, afterColon, eol);
      // mappingValue left `i` on the next content line.
      if (this.indent < n) break;
      if (this.indent > n) throw UNSUPPORTED;
      const next = text.charCodeAt(this.i);
      if (next === DASH && this.isSeparatorAfter(this.i + 1)) throw UNSUPPORTED;
    }
    return map;
  }

  /** The value after a key's colon (at `from`, on a line ending at `eol`) in a mapping at column `n`. */
  private mappingValue(n: number, from: number, eol: number): unknown {
    const text = this.text;
    let j = from;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) {
      if (j < eol && j === from) throw UNSUPPORTED;
      // The value is on the lines below, or there is none (null).
      this.nextContentLine(eol + 1);
      const c = this.i < this.end ? text.charCodeAt(this.i) : NL;
      const dash = c === DASH && this.isSeparatorAfter(this.i + 1);
      if (this.indent > n || (this.indent === n && dash)) {
        if (dash) return this.sequence(this.indent);
        return this.mapping(this.indent);
      }
      return null;
    }
    return this.inlineValue(j, eol, n);
  }

  /**
   * A value that starts on the current line at `j`: scalar, flow collection or block scalar. After it,
   * `i` is on the next content line, which must not be indented more than `parentIndent`.
   */
  private inlineValue(j: number, eol: number, parentIndent: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(j);
    if (c === DQUOTE || c === SQUOTE) {
      const q = this.quoted(j, eol);
      this.finishLine(q.end, parentIndent);
      return q.value;
    }
    if (c === 0x5b || c === 0x7b) {
      const flow = new FlowReader(text, j, eol, false);
      const value = flow.value();
      if (flow.nonFinite) this.nonFinite = true;
      this.finishLine(flow.i, parentIndent);
      return value;
    }
    if (c === 0x7c) return this.literal(j, eol, parentIndent);
    if (isIndicator(c) && !(c === DASH && !this.isSeparatorAfter(j + 1))) throw UNSUPPORTED;
    // A plain scalar: to the end of the line or a comment.
    let end = commentIn(text, j, eol);
    if (end < 0) end = eol;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const source = text.slice(j, end);
    if (source.includes(': ') || source.endsWith(':')) throw UNSUPPORTED;
    this.finishLine(end, parentIndent);
    const value = resolvePlain(source).value;
    if (typeof value === 'number' && !Number.isFinite(value)) this.nonFinite = true;
    return value;
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `j`, in a collection at column `parentIndent`. */
  private literal(j: number, eol: number, parentIndent: number): string {
    const text = this.text;
    let h = j + 1;
    let strip = false;
    if (text.charCodeAt(h) === DASH) {
      strip = true;
      h++;
    }
    // Only spaces and a comment may follow the header (no indentation indicator, no keep chomping).
    if (h < eol) {
      if (text.charCodeAt(h) !== SPACE) throw UNSUPPORTED;
      let k = h;
      while (k < eol && text.charCodeAt(k) === SPACE) k++;
      if (k < eol && text.charCodeAt(k) !== HASH) throw UNSUPPORTED;
    }
    const lines: string[] = [];
    let contentIndent = -1;
    let at = eol + 1;
    let blankRun = 0;
    while (at < this.end) {
      const lineEnd = this.eol(at);
      let k = at;
      while (k < lineEnd && text.charCodeAt(k) === SPACE) k++;
      if (k === lineEnd) {
        // A blank line: inside the scalar unless it holds more spaces than the content's indentation.
        if (contentIndent < 0 || k - at > contentIndent) throw UNSUPPORTED;
        blankRun++;
        at = lineEnd + 1;
        continue;
      }
      const indent = k - at;
      if (contentIndent < 0) {
        if (indent <= parentIndent) throw UNSUPPORTED; // an empty block scalar
        contentIndent = indent;
      }
      if (indent < contentIndent) break;
      if (text.charCodeAt(k) === TAB && k - at < contentIndent) throw UNSUPPORTED;
      for (; blankRun > 0; blankRun--) lines.push('');
      lines.push(text.slice(at + contentIndent, lineEnd));
      at = lineEnd + 1;
    }
    if (contentIndent < 0) throw UNSUPPORTED;
    // The next content line (`at` is a line start, or past the end).
    this.nextContentLine(Math.min(at, this.end));
    if (this.indent > parentIndent) throw UNSUPPORTED;
    const value = lines.join('\n');
    return strip ? value : `${value}\n`;
  }

  /** A block sequence whose dashes are at column `n`; `i` is at its first dash. */
  private sequence(n: number): unknown[] {
    if (n > MAX_BLOCK_COLUMN) throw UNSUPPORTED;
    const text = this.text;
    const list: unknown[] = [];
    for (;;) {
      const dash = this.i;
      const eol = this.eol(dash);
      if (this.tabIn(this.lineStart, eol)) throw UNSUPPORTED;
      let j = dash + 1;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j === eol || text.charCodeAt(j) === HASH) {
        if (j < eol && j === dash + 1) throw UNSUPPORTED;
        // The item is on the lines below (a null item is left to `yaml`).
        this.nextContentLine(eol + 1);
        if (this.indent <= n) throw UNSUPPORTED;
        const c = text.charCodeAt(this.i);
        list.push(
          c === DASH && this.isSeparatorAfter(this.i + 1)
            ? this.sequence(this.indent)
            : this.mapping(this.indent),
        );
      } else {
        const column = j - this.lineStart;
        const c = text.charCodeAt(j);
        if (c === DASH && this.isSeparatorAfter(j + 1)) {
          this.i = j;
          this.indent = column;
          list.push(this.sequence(column));
        } else if (this.startsKey(j, eol)) {
          this.i = j;
          this.indent = column;
          list.push(this.mapping(column));
        } else {
          list.push(this.inlineValue(j, eol, n));
        }
      }
      if (this.indent < n) break;
      if (this.indent > n) throw UNSUPPORTED;
      const next = text.charCodeAt(this.i);
      if (!(next === DASH && this.isSeparatorAfter(this.i + 1))) break; // the mapping around it goes on
    }
    return list;
  }

  /** Whether the text at `j` (on a line ending at `eol`) starts a mapping key: `key:` then space or end. */
  private startsKey(j: number, eol: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(j);
    if (c === DQUOTE || c === SQUOTE) {
      const q = this.quoted(j, eol);
      let k = q.end;
      while (k < eol && text.charCodeAt(k) === SPACE) k++;
      if (k < eol && text.charCodeAt(k) === COLON) {
        if (k !== q.end || !this.isSeparatorAfter(k + 1)) throw UNSUPPORTED;
        return true;
      }
      return false;
    }
    if (c === 0x5b || c === 0x7b || c === 0x7c) return false;
    const colon = this.keyColon(j, eol);
    if (colon < 0) return false;
    // A comment before the colon makes it part of the comment.
    const hash = commentIn(text, j, colon);
    return hash < 0;
  }

  /** The first `:` in [from, eol) followed by a space or the end of the line: a key's indicator. */
  private keyColon(from: number, eol: number): number {
    for (let k = indexIn(this.text, COLON, from, eol); k >= 0; k = indexIn(this.text, COLON, k + 1, eol))
      if (this.isSeparatorAfter(k + 1)) return k;
    return -1;
  }

  /** A one-line quoted scalar starting at `j`; `end` is the offset after its closing quote. */
  private quoted(j: number, eol: number): { value: string; end: number } {
    return readQuoted(this.text, j, eol);
  }
}

/**
 * Positions of the flow collection at `start` on a line ending at `eol`, in a document the reader
 * read (fast-positions.ts).
 */
export function readFlowPositions(text: string, start: number, eol: number): PositionNode {
  const flow = new FlowReader(text, start, eol, true);
  flow.value();
  return flow.last!;
}

/** A single- or double-quoted scalar on one line (escapes: the common ones; others are left to `yaml`). */
export function readQuoted(text: string, j: number, eol: number): { value: string; end: number } {
  const q = text.charCodeAt(j);
  if (q === SQUOTE) {
    let value = '';
    let k = j + 1;
    for (;;) {
      const close = indexIn(text, SQUOTE, k, eol);
      if (close < 0) throw UNSUPPORTED; // multi-line or unterminated
      value += text.slice(k, close);
      if (text.charCodeAt(close + 1) === SQUOTE) {
        value += "'";
        k = close + 2;
        continue;
      }
      if (value.includes('\t')) throw UNSUPPORTED;
      return { value, end: close + 1 };
    }
  }
  let value = '';
  let k = j + 1;
  for (;;) {
    let stop = k;
    while (stop < eol) {
      const c = text.charCodeAt(stop);
      if (c === DQUOTE || c === 0x5c) break;
      stop++;
    }
    if (stop >= eol) throw UNSUPPORTED;
    value += text.slice(k, stop);
    if (text.charCodeAt(stop) === DQUOTE) {
      if (value.includes('\t')) throw UNSUPPORTED;
      return { value, end: stop + 1 };
    }
    const e = text.charAt(stop + 1);
    k = stop + 2;
    switch (e) {
      case '\\':
      case '"':
      case '/':
        value += e;
        break;
      case 'n':
        value += '\n';
        break;
      case 't':
        value += '\t';
        break;
      case 'r':
        value += '\r';
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'u': {
        const hex = text.slice(k, k + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw UNSUPPORTED;
        value += String.fromCharCode(parseInt(hex, 16));
        k += 4;
        break;
      }
      default:
        throw UNSUPPORTED;
    }
  }
}

/** A flow collection (`[a, b]`, `{k: v}`) that ends on the line it starts on. */
class FlowReader {
  i: number;
  /** Flow collections open around the current position. */
  private depth = 0;
  last: PositionNode | undefined;
  /** A plain scalar read as .inf or .nan. */
  nonFinite = false;

  constructor(
    private readonly text: string,
    start: number,
    private readonly eol: number,
    private readonly positions: boolean,
  ) {
    this.i = start;
  }

  value(): unknown {
    const c = this.text.charCodeAt(this.i);
    if (c !== 0x5b && c !== 0x7b) return this.scalar(false);
    if (++this.depth > MAX_FLOW_DEPTH) throw UNSUPPORTED;
    const v = c === 0x5b ? this.sequence() : this.mapping();
    this.depth--;
    return v;
  }

  private skipSpaces(): void {
    while (this.i < this.eol && this.text.charCodeAt(this.i) === SPACE) this.i++;
    if (this.i >= this.eol) throw UNSUPPORTED; // a flow collection over several lines
  }

  private sequence(): unknown[] {
    const start = this.i++;
    const list: unknown[] = [];
    const items: PositionNode[] | undefined = this.positions ? [] : undefined;
    this.skipSpaces();
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++;
      if (items) this.last = { at: start, items };
      return list;
    }
    for (;;) {
      list.push(this.value());
      items?.push(this.last!);
      this.skipSpaces();
      const c = this.text.charCodeAt(this.i++);
      if (c === 0x5d) break;
      if (c !== 0x2c) throw UNSUPPORTED;
      this.skipSpaces();
      if (this.text.charCodeAt(this.i) === 0x5d) throw UNSUPPORTED; // trailing comma: left to `yaml`
    }
    if (items) this.last = { at: start, items };
    return list;
  }

  private mapping(): Record<string, unknown> {
    const start = this.i++;
    const map: Record<string, unknown> = {};
    const keys = this.positions ? new Map<string, { keyAt: number; node: PositionNode }>() : undefined;
    this.skipSpaces();
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++;
      if (keys) this.last = { at: start, keys };
      return map;
    }
    for (;;) {
      const keyAt = this.i;
      const c = this.text.charCodeAt(keyAt);
      let key: string;
      if (c === DQUOTE || c === SQUOTE) {
        const q = readQuoted(this.text, keyAt, this.eol);
        key = q.value;
        this.i = q.end;
        if (this.text.charCodeAt(this.i) !== COLON) throw UNSUPPORTED;
        this.i++;
      } else {
        const k = this.scalar(true);
        if (typeof k !== 'string' || this.text.charCodeAt(this.i) !== COLON) throw UNSUPPORTED;
        key = k;
        this.i++;
        if (this.text.charCodeAt(this.i) !== SPACE) throw UNSUPPORTED;
      }
      if (key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key))
        throw UNSUPPORTED;
      this.skipSpaces();
      const v = this.text.charCodeAt(this.i);
      if (v === 0x2c || v === 0x7d) throw UNSUPPORTED; // a key without a value
      map[key] = this.value();
      if (keys) keys.set(key, { keyAt, node: this.last! });
      this.skipSpaces();
      const d = this.text.charCodeAt(this.i++);
      if (d === 0x7d) break;
      if (d !== 0x2c) throw UNSUPPORTED;
      this.skipSpaces();
      if (this.text.charCodeAt(this.i) === 0x7d) throw UNSUPPORTED;
    }
    if (keys) this.last = { at: start, keys };
    return map;
  }

  /** A quoted or plain scalar inside a flow collection; a key's plain text must resolve to a string. */
  private scalar(isKey: boolean): unknown {
    const text = this.text;
    const start = this.i;
    const c = text.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) {
      const q = readQuoted(text, start, this.eol);
      this.i = q.end;
      if (this.positions) this.last = { at: start };
      return q.value;
    }
    if (isIndicator(c)) throw UNSUPPORTED;
    let k = start;
    while (k < this.eol) {
      const d = text.charCodeAt(k);
      if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d || d === HASH) break;
      if (d === COLON) {
        if (!isKey) throw UNSUPPORTED;
        break;
      }
      k++;
    }
    if (k >= this.eol) throw UNSUPPORTED;
    let end = k;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const source = text.slice(start, end);
    if (text.charCodeAt(k) === HASH) throw UNSUPPORTED;
    this.i = end;
    const resolved = resolvePlain(source);
    if (typeof resolved.value === 'number' && !Number.isFinite(resolved.value)) this.nonFinite = true;
    if (isKey && resolved.kind !== 'str') throw UNSUPPORTED;
    if (this.positions) this.last = { at: start, plain: source };
    return resolved.value;
  }
}
