import { isJsonObject, type JsonValue } from './types.js';

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapeSegment(s: string | number): string {
  const text = String(s);
  // Nearly every key has neither character: validation escapes every key of every object.
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return joinPath('', ...segments);
}

export function joinPath(base: string, ...segments: (string | number)[]): string {
  // A loop, not map and join: rules and validation build pointers for most fields they visit.
  let out = base;
  for (const s of segments) out += '/' + escapeSegment(s);
  return out;
}

/** Rules read the same few paths over and over: splitting each once is measurably cheaper. */
const splitCache = new Map<string, readonly string[]>();

export function splitPointer(path: string): readonly string[] {
  const cached = splitCache.get(path);
  if (cached) return cached;
  const segments =
    path === '' || path === '/'
      ? []
      : path
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (splitCache.size < 10_000) splitCache.set(path, segments);
  return segments;
}

/** Reads a JSON pointer; undefined when any segment is missing. */
export function getAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of splitPointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isJsonObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    else return undefined;
  }
  return cur;
}
