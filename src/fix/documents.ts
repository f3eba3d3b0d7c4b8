import { parseAllDocuments, type Document } from 'yaml';

/** One `---`-separated part of a file, with the documents yaml finds in it. */
export interface Segment {
  /** Offset of the segment in the file; the separator lines belong to no segment. */
  start: number;
  text: string;
  docs: Document.Parsed[];
  /** Index (as the loader counts documents) of the first of `docs`. */
  firstDoc: number;
}

const SEPARATOR = /^---[ \t]*(?:#.*)?$/;

/**
 * Cuts a file as the loader (src/sources/parse.ts) does, at `---` lines first, then into yaml
 * documents, so that document indexes in patches mean the same documents here. Keys may repeat
 * (duplicate-key fixes edit exactly those), so they are allowed.
 */
export function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  let firstDoc = 0;
  for (const { start, text: part } of split(text)) {
    const docs = parseAllDocuments(part, { uniqueKeys: false, prettyErrors: false, merge: true });
    const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
    out.push({ start, text: part, docs: list, firstDoc });
    firstDoc += list.length;
  }
  return out;
}

function split(text: string): { start: number; text: string }[] {
  const parts: { start: number; text: string }[] = [];
  let segmentStart = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (line.startsWith('---') && SEPARATOR.test(line)) {
      if (lineStart > segmentStart)
        parts.push({ start: segmentStart, text: text.slice(segmentStart, lineStart) });
      segmentStart = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  if (segmentStart < text.length) parts.push({ start: segmentStart, text: text.slice(segmentStart) });
  return parts;
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
