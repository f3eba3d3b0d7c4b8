import { diffArrays } from 'diff';
import { parseDocument, type Document, type ToStringOptions } from 'yaml';
import { readDocument } from '../sources/fast-reader.js';
import { KUBECTL_YAML } from '../sources/kubectl-yaml.js';
import { columnsOf, shiftBetween, shiftFor, shifted, type Placed } from './indent.js';

/** The layout of a file, read from its text, so that new lines look like the lines around them. */
export function styleOf(text: string): ToStringOptions {
  const lines = text.split('\n');
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    const own = /^( *)/.exec(line)![1]!.length;
    const key = /^( *)(?:- )?[^\s#][^#]*:\s*(?:#.*)?$/.exec(line);
    if (!key) continue;
    const next = lines.slice(i + 1).find((l) => !/^\s*(#|$)/.test(l));
    if (next === undefined) continue;
    const nextIndent = /^( *)/.exec(next)![1]!.length;
    const keyColumn = own + (line.trimStart().startsWith('- ') ? 2 : 0);
    if (next.trimStart().startsWith('- ')) {
      indentSeq ??= nextIndent > keyColumn;
    } else if (nextIndent > keyColumn && indent === undefined) {
      indent = nextIndent - keyColumn;
    }
    if (indent !== undefined && indentSeq !== undefined) break;
  }
  return {
    indent: indent ?? 2,
    indentSeq: indentSeq ?? true,
    // Nothing the user wrote on one line is folded onto two.
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: !/[{[][^\s}\]]/.test(text.replace(/"[^"\n]*"|'[^'\n]*'/g, '')),
  };
}

/**
 * The new text of one document: only the lines the edit changed are rendered by yaml; every other
 * line is the user's own, byte for byte. yaml renders the unedited document too (`base`), and the
 * lines where that rendering already differs from the original (a trailing space, an odd comment
 * place) are taken from the original unless the edit reaches into them.
 */
export function renderEdited(
  original: string,
  edited: Document,
  pristine: Document | string,
  style: ToStringOptions,
): string {
  const patched = edited.toString(style);
  // A string is the unedited document already rendered (apply.ts edits the parsed document in place).
  const base = typeof pristine === 'string' ? pristine : pristine.toString(style);
  if (base === original) return patched;
  const spliced = splice(original, base, patched);
  // The splice is checked, not trusted: it must read as exactly what yaml rendered.
  return sameData(spliced, patched) ? spliced : patched;
}

/**
 * Whether two renderings read as the same value. The fast reader (src/sources/fast-reader.ts) reads
 * only documents that yaml parses without an error into the same value, so when it reads both, their
 * values decide; anything else (an anchor, a folded scalar) is parsed by yaml.
 */
function sameData(a: string, b: string): boolean {
  const fa = readDocument(a);
  const fb = fa.kind === 'value' ? readDocument(b) : fa;
  if (fa.kind === 'value' && fb.kind === 'value') {
    const ja = jsonOf(fa.value);
    const jb = jsonOf(fb.value);
    if (ja !== undefined && jb !== undefined) return ja === jb;
  }
  return sameDataByYaml(a, b);
}

function jsonOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function sameDataByYaml(a: string, b: string): boolean {
  const da = parseDocument(a, { ...KUBECTL_YAML, uniqueKeys: false });
  const db = parseDocument(b, { ...KUBECTL_YAML, uniqueKeys: false });
  if (da.errors.length || db.errors.length) return false;
  try {
    return JSON.stringify(da.toJS()) === JSON.stringify(db.toJS());
  } catch {
    // A splice that does not even convert (an alias that lost its anchor) is not the edit.
    return false;
  }
}

interface Block {
  orig: string[];
  /** Indexes of the base lines in this block (one, mapped to one original line, or a gap). */
  base: number[];
  mapped: boolean;
}

function splice(original: string, base: string, patched: string): string {
  const o = original.split('\n');
  const b = base.split('\n');
  const p = patched.split('\n');

  // The original and base lines that are equal anchor the edit; the rest are gaps.
  const blocks: Block[] = [];
  let oi = 0;
  let bi = 0;
  let gap: Block | undefined;
  // Lines are compared without their indentation: where the file indents a sequence other than yaml
  // does, its lines still pair with yaml's one to one (and the diff stays linear, not quadratic, in a
  // long run of such lines); the shift between them is what inserted lines take (indent.ts).
  const parts = diffArrays(o, b, { comparator: (x, y) => x.trimStart() === y.trimStart() });
  for (const [i, part] of parts.entries()) {
    const next = parts[i + 1];
    // A run of lines yaml writes differently (spacing before a comment, flow padding) but as many of
    // them: line k of the original is line k of the rendering, so each is kept or replaced on its own.
    if (part.removed && next?.added && next.count === part.count && !gap) {
      for (let k = 0; k < part.count; k++) blocks.push({ orig: [o[oi++]!], base: [bi++], mapped: true });
      parts[i + 1] = { ...next, count: 0 };
      continue;
    }
    if (part.count === 0) continue;
    if (!part.added && !part.removed) {
      gap = undefined;
      for (let k = 0; k < part.count; k++) blocks.push({ orig: [o[oi++]!], base: [bi++], mapped: true });
      continue;
    }
    if (!gap) blocks.push((gap = { orig: [], base: [], mapped: false }));
    for (let k = 0; k < part.count; k++) {
      if (part.removed) gap.orig.push(o[oi++]!);
      else gap.base.push(bi++);
    }
  }

  // What the edit did to each base line: kept or removed, and the lines inserted before it.
  const kept = new Array<boolean>(b.length).fill(true);
  const before = Array.from({ length: b.length + 1 }, () => [] as string[]);
  bi = 0;
  let pi = 0;
  for (const part of diffArrays(b, p)) {
    if (part.added) for (let k = 0; k < part.count; k++) before[bi]!.push(p[pi++]!);
    else if (part.removed) for (let k = 0; k < part.count; k++) kept[bi++] = false;
    else {
      bi += part.count;
      pi += part.count;
    }
  }

  // The original line of each base line that maps to one, so inserted lines can take its columns.
  const originalOf = new Array<string | undefined>(b.length);
  for (const block of blocks) if (block.mapped) originalOf[block.base[0]!] = block.orig[0];
  const placedOf = (x: number): Placed => {
    const orig = originalOf[x];
    if (orig === undefined) return { rendered: undefined, shift: undefined, opaque: true };
    return { rendered: columnsOf(b[x]!), shift: shiftBetween(b[x]!, orig) };
  };
  function* below(x: number): Generator<Placed> {
    for (let y = x; y < b.length; y++) if (kept[y]) yield placedOf(y);
  }

  const out: string[] = [];
  const placed: Placed[] = [];
  const keep = (line: string, where: Placed): void => {
    out.push(line);
    placed.push(where);
  };
  // Lines the edit inserts before base line x, moved to the columns the file uses there.
  const insert = (x: number): void => {
    const lines = before[x]!;
    if (lines.length === 0) return;
    const columns = lines.map(columnsOf);
    const shifts: (number | undefined)[] = [];
    for (const cols of columns) {
      // Each inserted line joins `placed` at once: the next may be its child or sibling.
      const by = cols ? shiftFor(cols, placed, below(x)) : undefined;
      if (cols) placed.push({ rendered: cols, shift: { dash: by!, key: by! } });
      shifts.push(by);
    }
    placed.length -= shifts.filter((v) => v !== undefined).length;
    for (const [k, line] of lines.entries()) {
      // A comment line takes the shift of the line it is about (the next one), else of the one above.
      const by =
        shifts[k] ??
        shifts.slice(k).find((v) => v !== undefined) ??
        shifts
          .slice(0, k)
          .reverse()
          .find((v) => v !== undefined) ??
        0;
      const cols = columns[k];
      keep(shifted(line, by), { rendered: cols, shift: cols ? { dash: by, key: by } : undefined });
    }
  };
  for (const block of blocks) {
    const [first] = block.base;
    if (block.mapped) {
      insert(first!);
      if (kept[first!]) keep(block.orig[0]!, placedOf(first!));
      continue;
    }
    const touched = block.base.some((x, k) => !kept[x] || (k > 0 && before[x]!.length > 0));
    if (first !== undefined) insert(first);
    if (!touched)
      for (const line of block.orig) keep(line, { rendered: undefined, shift: undefined, opaque: true });
    else
      for (const [k, x] of block.base.entries()) {
        if (k > 0) insert(x);
        if (kept[x]) keep(b[x]!, { rendered: columnsOf(b[x]!), shift: { dash: 0, key: 0 } });
      }
  }
  insert(b.length);
  return out.join('\n');
}
