import { parseAllDocuments, type Document } from 'yaml';
import { KUBECTL_YAML } from '../sources/kubectl-yaml.js';
import { splitDocuments } from '../sources/parse.js';

/** One `---`-separated part of a file, with the documents yaml finds in it. */
export interface Segment {
  /** Offset of the segment in the file; the separator lines belong to no segment. */
  start: number;
  text: string;
  docs: Document.Parsed[];
  /** Index (as the loader counts documents) of the first of `docs`. */
  firstDoc: number;
}

/**
 * Cuts a file as the loader (src/sources/parse.ts) does, at `---` lines first, then into yaml
 * documents, so that document indexes in patches mean the same documents here. Keys may repeat
 * (duplicate-key fixes edit exactly those), so they are allowed. Scalars are read, and written back,
 * as kubectl reads them (a string "yes" is written quoted).
 */
export function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  let firstDoc = 0;
  for (const { start, text: part } of splitDocuments(text)) {
    const docs = parseAllDocuments(part, { ...KUBECTL_YAML, uniqueKeys: false, prettyErrors: false });
    const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
    out.push({ start, text: part, docs: list, firstDoc });
    firstDoc += list.length;
  }
  return out;
}

/** The first syntax error of a file (duplicate keys are not one here), as "line N: message". */
export function syntaxError(text: string, segments: readonly Segment[]): string | undefined {
  if (text.includes('\u0000')) return 'binary file';
  for (const s of segments) {
    for (const d of s.docs) {
      const e = d.errors.find((x) => x.code !== 'DUPLICATE_KEY');
      if (e) {
        const line = text.slice(0, s.start + e.pos[0]).split('\n').length;
        return `line ${line}: ${e.message.split('\n')[0]}`;
      }
    }
  }
  return undefined;
}
