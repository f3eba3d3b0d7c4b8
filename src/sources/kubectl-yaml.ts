import { Scalar, type CollectionTag, type ParseOptions, type SchemaOptions, type ScalarTag } from 'yaml';
import { stringifyNumber, stringifyString } from 'yaml/util';

/**
 * YAML read as kubectl reads it. kubectl turns YAML into JSON with sigs.k8s.io/yaml, whose parser
 * is a fork of go-yaml v2: YAML 1.1 scalars, as go-yaml v2 resolves them (its resolve.go), not as
 * the YAML 1.1 spec or the `yaml` package's 'yaml-1.1' schema does:
 *
 * - booleans: y Y yes Yes YES on On ON true True TRUE, and n N no No NO off Off OFF false False FALSE;
 * - null: empty, ~, null Null NULL;
 * - integers: what Go's strconv.ParseInt(s, 0, 64) (then ParseUint) reads once every `_` is
 *   removed: 0777 is octal (511), 0o17 and 0x1F and 0b101 too, signs allowed (-0x1F);
 * - floats: [-+]?(.N|N(.N*)?)([eE][-+]?N)? once `_` is removed (so 1e3 and 09 are numbers), and
 *   .5 style; a float that overflows (1e400) stays a string; .inf/.nan are floats;
 * - everything else is a string, including sexagesimal 1:20 (a number in YAML 1.1) and timestamps
 *   (go-yaml v2 gives a timestamp decoded into interface{} back as its string).
 *
 * The same tags serve `fix`: a string that would be read as anything else is written quoted,
 * and an unchanged scalar is written as it was (0777 stays 0777).
 */

export type Resolved =
  | { kind: 'null'; value: null }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'str'; value: string };

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ['.nan', NaN],
  ['.NaN', NaN],
  ['.NAN', NaN],
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['.INF', Infinity],
  ['+.inf', Infinity],
  ['+.Inf', Infinity],
  ['+.INF', Infinity],
  ['-.inf', -Infinity],
  ['-.Inf', -Infinity],
  ['-.INF', -Infinity],
]);

/** strconv.ParseInt(s, 0, 64)'s syntax: sign, then a 0x / 0o / 0b / 0 (octal) prefix or decimal. */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2's yamlStyleFloat, which gates strconv.ParseFloat. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseFloat on a plain scalar that starts with a dot (no underscores, base 10). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// yaml asks each tag in turn about the same scalar: the last answer is kept.
let lastText: string | undefined;
let lastResolved: Resolved = { kind: 'null', value: null };

/** What go-yaml v2 makes of a plain (unquoted, untagged) scalar. */
export function resolvePlain(text: string): Resolved {
  if (text === lastText) return lastResolved;
  lastResolved = resolveUncached(text);
  lastText = text;
  return lastResolved;
}

function resolveUncached(text: string): Resolved {
  if (TRUE.has(text)) return { kind: 'bool', value: true };
  if (FALSE.has(text)) return { kind: 'bool', value: false };
  if (NULL.has(text)) return { kind: 'null', value: null };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { kind: 'float', value: special };
  const first = text.charCodeAt(0);
  if (first === 0x2e /* . */) {
    if (DOT_FLOAT.test(text)) {
      const value = Number(text);
      if (Number.isFinite(value)) return { kind: 'float', value };
    }
    return { kind: 'str', value: text };
  }
  const digit = first >= 0x30 && first <= 0x39;
  if (!digit && first !== 0x2b /* + */ && first !== 0x2d /* - */) return { kind: 'str', value: text };
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = GO_INT.exec(plain);
  if (int) {
    const value = goInteger(int[1]!, int[2]!);
    if (value !== undefined) return { kind: 'int', value };
  }
  if (GO_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { kind: 'float', value };
  }
  return { kind: 'str', value: text };
}

/** ParseInt's value in int64, else ParseUint's (no sign) in uint64, else undefined. */
function goInteger(sign: string, digits: string): number | undefined {
  let magnitude: bigint;
  if (/^0[oO]/.test(digits)) magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]/.test(digits)) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits); // decimal, 0x and 0b as BigInt reads them
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  if (sign === '' && value <= UINT64_MAX) return Number(value);
  return undefined;
}

/** A RegExp whose test() is go-yaml v2's resolution: yaml asks tags' `test` whether a plain scalar is theirs. */
class ResolvesTo extends RegExp {
  constructor(private readonly kinds: readonly Resolved['kind'][]) {
    super('(?:)');
  }
  override test(text: string): boolean {
    return this.kinds.includes(resolvePlain(text).kind);
  }
}

/** An unchanged scalar is written as it was read (0777, yes, ~); a new or changed one canonically. */
function asWritten(fallback: (value: unknown) => string): ScalarTag['stringify'] {
  return (item) => {
    const { source, value } = item as { source?: string; value: unknown };
    if (source !== undefined && Object.is(resolvePlain(source).value, value)) return source;
    return fallback(value);
  };
}

const nullTag: ScalarTag = {
  identify: (value) => value === null || value === undefined,
  default: true,
  tag: 'tag:yaml.org,2002:null',
  test: new ResolvesTo(['null']),
  resolve: () => null,
  stringify: asWritten(() => 'null'),
};

const boolTag: ScalarTag = {
  identify: (value) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: new ResolvesTo(['bool']),
  resolve: (text) => resolvePlain(text).value,
  stringify: asWritten((value) => (value ? 'true' : 'false')),
};

const intTag: ScalarTag = {
  identify: (value) => typeof value === 'bigint' || Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: new ResolvesTo(['int']),
  resolve: (text) => resolvePlain(text).value,
  stringify: asWritten((value) => String(value)),
};

const floatTag: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: new ResolvesTo(['float']),
  resolve: (text) => resolvePlain(text).value,
  stringify: asWritten((value) => stringifyNumber(new Scalar(value))),
};

/**
 * Explicit tags go-yaml v2 knows, read as it decodes them into interface{}, so that the loader only
 * ever yields JSON values: !!binary is the decoded bytes as a string, !!timestamp its text, and
 * !!set, !!omap and !!pairs plain mappings and sequences.
 */
const binaryTag: ScalarTag = {
  identify: () => false,
  default: false,
  tag: 'tag:yaml.org,2002:binary',
  resolve: (text) => Buffer.from(text.replace(/\s/g, ''), 'base64').toString('utf8'),
};
const timestampTag: ScalarTag = {
  identify: () => false,
  default: false,
  tag: 'tag:yaml.org,2002:timestamp',
  resolve: (text) => text,
};
const plainCollection = (tag: string, collection: 'map' | 'seq'): CollectionTag => ({
  identify: () => false,
  default: false,
  tag,
  collection,
  resolve: (node) => node,
});

/**
 * A string `<<` is written quoted. go-yaml v2 merges only at a plain `<<` key; a quoted "<<" (as
 * JSON writes every key) is a key like any other, and yaml reads it so too. But yaml writes that
 * string with its merge tag, plain, which turns `"<<": {…}` into a merge (or `"<<": null` into an
 * error) in the file fix writes. This tag claims the string first and writes it quoted; it never
 * resolves a plain scalar (its test matches nothing), so reading is unchanged.
 */
const quotedMergeKey: ScalarTag = {
  identify: (value) => value === '<<',
  default: true,
  tag: 'tag:yaml.org,2002:str',
  test: /(?!)/,
  resolve: (text) => text,
  // yaml quotes a string that another tag would resolve, here its merge tag (whose test is /^<<$/).
  stringify: (item, ctx, onComment, onChompKeep) =>
    stringifyString(item, { ...ctx, actualString: true }, onComment, onChompKeep),
};

/**
 * The options that make `yaml` read scalars as kubectl does (merge keys included); a Document made
 * with them writes strings that kubectl would read otherwise quoted (`fix`).
 */
export const KUBECTL_YAML: ParseOptions & SchemaOptions = {
  schema: 'failsafe',
  customTags: [
    nullTag,
    boolTag,
    intTag,
    floatTag,
    quotedMergeKey,
    binaryTag,
    timestampTag,
    plainCollection('tag:yaml.org,2002:set', 'map'),
    plainCollection('tag:yaml.org,2002:omap', 'seq'),
    plainCollection('tag:yaml.org,2002:pairs', 'seq'),
  ],
  merge: true,
};
