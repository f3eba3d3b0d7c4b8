/*
 * yaml writes a whole document in one style (one `indentSeq` for every sequence), but a file may mix
 * them: a Helm chart renders `containers:` with its items at the key's column and `env:` with its
 * items indented. Where the file's style differs from yaml's, the lines an edit inserts are moved to
 * the columns the file uses around them, by the same shift as their nearest sibling (or parent) line,
 * so the untouched lines stay as they are and the new ones line up with them.
 */

/** The columns of a YAML line: of its first `- ` when it opens a sequence item, and of its content. */
export interface Columns {
  dash?: number;
  key: number;
}

/** Undefined for a blank or comment line, which says nothing about structure. */
export function columnsOf(line: string): Columns | undefined {
  if (/^\s*(#|$)/.test(line)) return undefined;
  const m = /^( *)((?:-(?: +|$))*)/.exec(line)!;
  const indent = m[1]!.length;
  return m[2] ? { dash: indent, key: indent + m[2].length } : { key: indent };
}

/** How far the file moved a line from where yaml writes it, for its dash and for its content. */
export interface Shift {
  dash: number;
  key: number;
}

export function shiftBetween(rendered: string, original: string): Shift | undefined {
  const r = columnsOf(rendered);
  const o = columnsOf(original);
  if (!r || !o) return undefined;
  const key = o.key - r.key;
  return { key, dash: r.dash !== undefined && o.dash !== undefined ? o.dash - r.dash : key };
}

/** One line already placed: where yaml wrote it, and how far the file moved it (undefined: unknown). */
export interface Placed {
  rendered: Columns | undefined;
  shift: Shift | undefined;
  /** A line the splice could not relate to yaml's rendering: nothing before it is known. */
  opaque?: boolean;
}

type Relation = 'sibling' | 'parent' | 'deeper';

/** How a line `c` above (or below) relates to the line `l`, both as yaml wrote them. */
function relation(c: Columns, l: Columns): Relation {
  if (l.dash !== undefined) {
    if (c.dash === l.dash) return 'sibling';
    return c.key <= l.dash ? 'parent' : 'deeper';
  }
  if (c.key === l.key) return 'sibling';
  return c.key < l.key ? 'parent' : 'deeper';
}

/**
 * The shift for an inserted line written at `l`: its nearest sibling's above, else below (up to the
 * end of the mapping or sequence), else its parent's content shift; 0 when nothing is known.
 */
export function shiftFor(l: Columns, above: readonly Placed[], below: Iterable<Placed>): number {
  let parent: number | undefined;
  for (let i = above.length - 1; i >= 0; i--) {
    const c = above[i]!;
    if (c.opaque) break;
    if (!c.rendered || !c.shift) continue;
    const r = relation(c.rendered, l);
    if (r === 'deeper') continue;
    if (r === 'sibling') return l.dash !== undefined ? c.shift.dash : c.shift.key;
    parent = c.shift.key;
    break;
  }
  for (const c of below) {
    if (c.opaque) break;
    if (!c.rendered || !c.shift) continue;
    const r = relation(c.rendered, l);
    if (r === 'deeper') continue;
    if (r === 'sibling') return l.dash !== undefined ? c.shift.dash : c.shift.key;
    break;
  }
  return parent ?? 0;
}

/** The line moved right (or left, over its own leading spaces only) by `by` columns. */
export function shifted(line: string, by: number): string {
  if (by === 0 || line === '') return line;
  if (by > 0) return ' '.repeat(by) + line;
  return line.startsWith(' '.repeat(-by)) ? line.slice(-by) : line;
}
