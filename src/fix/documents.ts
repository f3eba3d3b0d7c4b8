import { isAlias, isCollection, isPair, isScalar, parseAllDocuments, type Document } from 'yaml';
import { KUBECTL_YAML } from '../sources/kubectl-yaml.js';
import { selfContainedAlias, splitDocuments } from '../sources/parse.js';

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

/**
 * How deep a document kubeha fix edits may nest. yaml writes (and clones, and converts) a document
 * with one recursion per level, and its writer is the deepest of them: a flow mapping ~600 levels deep
 * exhausts Node's default stack (measured with yaml 2.9; ~250 levels with --stack-size=400), and a
 * stack overflow near the limit can even abort the process. Manifests nest a few dozen levels (26 in the
 * real-world-shaped corpus of bench/), so a file nested deeper is left alone, with this reason, before
 * any of that recursion runs.
 */
export const MAX_EDIT_DEPTH = 100;

/** The aliases a document may expand before the loader refuses it (src/sources/parse.ts, its default). */
const MAX_ALIAS_COUNT = 100;

/**
 * Why the file cannot be edited, as "line N: message": the first document that does not parse (a
 * duplicate key is not such an error here: fix removes it), that the loader refuses when it converts
 * it (an alias to no anchor or inside its own anchor, a merge key whose value is not a mapping, too
 * many aliases: `yaml-syntax` problems of the loader too, so fix never edits a file check says does
 * not parse), or that nests deeper than MAX_EDIT_DEPTH. Undefined when every document can be edited.
 */
export function syntaxError(text: string, segments: readonly Segment[]): string | undefined {
  if (text.includes('\u0000')) return 'binary file';
  for (const s of segments) {
    for (const d of s.docs) {
      const line = (offset: number): number => text.slice(0, s.start + offset).split('\n').length;
      const tooDeep = (offset: number): string =>
        `line ${line(offset)}: the document nests more than ${MAX_EDIT_DEPTH} levels deep, deeper than kubeha fix rewrites`;
      const e = d.errors.find((x) => x.code !== 'DUPLICATE_KEY');
      // yaml ran out of stack reading it (hundreds of levels; the loader's own reader may not have).
      if (e?.code === 'RESOURCE_EXHAUSTION') return tooDeep(e.pos[0]);
      if (e) return `line ${line(e.pos[0])}: ${e.message.split('\n')[0]}`;
      const start = d.contents?.range[0] ?? d.range[0];
      const shape = shapeOf(d, MAX_EDIT_DEPTH);
      if (shape.tooDeepAt !== undefined) return tooDeep(shape.tooDeepAt);
      const refused = shape.aliasesOrMerges ? conversionError(d) : undefined;
      if (refused) return `line ${line(refused.offset ?? start)}: ${refused.message}`;
    }
  }
  return undefined;
}

/**
 * What the loader refuses when it turns a parsed document into its object: an alias inside its own
 * anchor, and whatever yaml's conversion throws (only aliases and merge keys make it throw).
 */
function conversionError(doc: Document.Parsed): { message: string; offset?: number } | undefined {
  const circular = selfContainedAlias(doc);
  if (circular) {
    const offset = circular.range?.[0];
    return {
      message: `alias *${circular.source} is inside the value its anchor &${circular.source} names`,
      ...(offset !== undefined ? { offset } : {}),
    };
  }
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (e) {
    return { message: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
}

/**
 * One walk over a document's nodes (iterative: any depth is safe): where they first nest deeper than
 * `limit` (the offset of the first collection past it; aliases count as leaves), and whether it has an
 * alias or a merge key, without which its conversion cannot fail.
 */
function shapeOf(
  doc: Document.Parsed,
  limit: number,
): { tooDeepAt: number | undefined; aliasesOrMerges: boolean } {
  let aliasesOrMerges = false;
  const stack: [unknown, number][] = [[doc.contents, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isPair(node)) {
      // A plain `<<` key resolves to yaml's merge tag, whose value is a symbol.
      if (isScalar(node.key) && typeof node.key.value === 'symbol') aliasesOrMerges = true;
      stack.push([node.value, depth], [node.key, depth]);
    } else if (isCollection(node)) {
      if (depth + 1 > limit) return { tooDeepAt: node.range?.[0] ?? doc.range[0], aliasesOrMerges };
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], depth + 1]);
    } else if (isAlias(node)) aliasesOrMerges = true;
  }
  return { tooDeepAt: undefined, aliasesOrMerges };
}
