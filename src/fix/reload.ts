import type { K8sObject, SourceRef } from '../model/types.js';
import { parseManifests, splitDocuments, type ParseOptions, type ParseResult } from '../sources/parse.js';

/**
 * The `---` parts of one file read alone, by their text: the objects of a part that holds exactly one
 * document (positions and document index relative to the part), or null for a part that does not
 * qualify (it has a problem, no object, or may hold several documents).
 */
export type PartsRead = Map<string, readonly K8sObject[] | null>;

/** A line that may start a document (`--- value`, `...`, a directive) inside a part: it may hold several. */
const DOCUMENT_MARK = /^(?:---|\.\.\.|%)/m;

/**
 * The objects of a file fix has just edited, as `parseManifests` reads them, parsing only the parts of
 * the file that changed. fix edits a few documents of a file per round; a file of operator CRDs or
 * Helm output is otherwise parsed whole again after each round, for one changed Deployment.
 *
 * The loader cuts a file at its `---` lines and reads each part on its own (as kubectl does), so a
 * part read alone gives the same objects, at positions shifted by the lines before it and a document
 * index shifted by the documents before it. That index is only known when every part holds exactly
 * one document: otherwise, as for a part with a problem (a duplicate-key message names a line of the
 * file), undefined is returned and the caller parses the whole file. `read` keeps each part's reading
 * for the next round and forgets the parts the file no longer has.
 */
export function reloadFile(
  text: string,
  file: string,
  options: ParseOptions,
  read: PartsRead,
): ParseResult | undefined {
  if (text.includes('\u0000')) return undefined;
  const objects: K8sObject[] = [];
  const current: PartsRead = new Map();
  let line = 0;
  let offset = 0;
  let doc = 0;
  for (const part of splitDocuments(text)) {
    let alone = read.get(part.text);
    if (alone === undefined) alone = readAlone(part.text, file, options);
    current.set(part.text, alone);
    if (alone === null) {
      // Kept: the next round stops at this part at once.
      remember(read, current);
      return undefined;
    }
    for (let i = text.indexOf('\n', offset); i >= 0 && i < part.start; i = text.indexOf('\n', i + 1)) line++;
    offset = part.start;
    for (const o of alone) objects.push(shifted(o, doc, line));
    doc++;
  }
  remember(read, current);
  return { objects, problems: [] };
}

/** Keeps the readings of the file's current parts only: an edited part's old text never comes back. */
function remember(read: PartsRead, current: PartsRead): void {
  read.clear();
  for (const [k, v] of current) read.set(k, v);
}

function readAlone(text: string, file: string, options: ParseOptions): readonly K8sObject[] | null {
  if (DOCUMENT_MARK.test(text)) return null;
  const r = parseManifests(text, file, options);
  if (r.problems.length > 0 || r.objects.length === 0) return null;
  if (r.objects.some((o) => o.source?.doc !== 0 || o.source.file !== file)) return null;
  return r.objects;
}

/** The object of a part, placed in the file: `lines` lines and `doc` documents come before the part. */
function shifted(o: K8sObject, doc: number, lines: number): K8sObject {
  const source = o.source!;
  if (doc === 0 && lines === 0) return o;
  const placed: SourceRef = {
    file: source.file,
    doc,
    locate: (path) => {
      const p = source.locate(path);
      return { line: p.line + lines, column: p.column };
    },
    ...(source.scalar ? { scalar: (path: string) => source.scalar!(path) } : {}),
  };
  return { ...o, source: placed };
}
