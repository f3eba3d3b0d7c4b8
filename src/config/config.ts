import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { RuleConfig, RuleLevel } from '../engine/check.js';
import { parseMinor } from '../model/kube-versions.js';

/** `.kubeha.yaml`: what a team sets once for every run. */
export interface KubehaConfig {
  kubeVersion?: string;
  zones?: number;
  namespace?: string;
  failOn?: 'error' | 'warning' | 'info' | 'none';
  rules: Record<string, RuleConfig>;
}

const LEVELS = ['error', 'warning', 'info', 'off'];

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubeVersion: { type: 'string' },
    zones: { type: 'integer', minimum: 1 },
    namespace: { type: 'string', minLength: 1 },
    failOn: { enum: ['error', 'warning', 'info', 'none'] },
    rules: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: LEVELS },
          {
            type: 'object',
            additionalProperties: false,
            properties: { severity: { enum: LEVELS }, options: { type: 'object' } },
          },
        ],
      },
    },
  },
} as const;

// ajv is loaded and the schema compiled only when a config file is read: at start-up it cost more than
// the whole check of a small folder.
let validator: ValidateFunction | undefined;
async function configValidator(): Promise<ValidateFunction> {
  if (!validator) {
    const { Ajv } = await import('ajv');
    validator = new Ajv({ allErrors: true }).compile(schema);
  }
  return validator;
}

const TOP_KEYS = Object.keys(schema.properties);

/**
 * One line that names what is wrong and where: an unknown key by its name and line, with the keys
 * that exist (a typo such as `failon` otherwise reads as "must NOT have additional properties" at
 * "top level"), and a bad value by its dotted path.
 */
function describeInvalid(
  errors: readonly ErrorObject[],
  doc: Document,
  lines: LineCounter,
  file: string,
): string {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const key = String((unknown.params as { additionalProperty?: unknown }).additionalProperty);
    const parent = pathOf(unknown.instancePath);
    const known = parent.length === 0 ? TOP_KEYS : ['severity', 'options'];
    const where = [...parent, key].join('.');
    return `${at(file, doc, lines, [...parent, key])}: unknown key "${where}" (known here: ${known.join(', ')})`;
  }
  const rule = errors.find((e) => /^\/rules\/[^/]+/.test(e.instancePath) && e.keyword === 'oneOf');
  const err = rule ?? errors[0];
  const path = pathOf(err?.instancePath ?? '');
  const where = path.length ? path.join('.') : 'top level';
  const message = rule
    ? `must be ${LEVELS.join(', ')} or { severity, options }`
    : (err?.message ?? 'invalid');
  return `${at(file, doc, lines, path)}: ${where}: ${message}`;
}

function pathOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `file:line` of the key at `path`, or the file alone when the path has no key in the text. */
function at(file: string, doc: Document, lines: LineCounter, path: readonly string[]): string {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (!isMap(node)) return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair || !isScalar(pair.key) || !pair.key.range) break;
    offset = pair.key.range[0];
    node = pair.value;
  }
  return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
}

export type ConfigResult = { ok: true; config: KubehaConfig } | { ok: false; error: string };

/**
 * Parses and validates a config file's text. `knownRules` catches typos in rule ids, which would
 * otherwise silently configure nothing.
 */
export async function parseConfig(
  text: string,
  file: string,
  knownRules: ReadonlySet<string>,
): Promise<ConfigResult> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line } = lines.linePos(syntax.pos[0]);
    return { ok: false, error: `${file}:${line}: ${syntax.message.split('\n')[0]}` };
  }
  const data: unknown = doc.toJS() ?? {};
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { kubeVersion?: unknown }).kubeVersion === 'number'
  ) {
    return { ok: false, error: `${file}: kubeVersion: quote it ("1.30"); YAML reads 1.30 as the number 1.3` };
  }
  const validate = await configValidator();
  if (!validate(data)) {
    return { ok: false, error: describeInvalid(validate.errors ?? [], doc, lines, file) };
  }
  const raw = data as {
    kubeVersion?: string;
    zones?: number;
    namespace?: string;
    failOn?: KubehaConfig['failOn'];
    rules?: Record<string, RuleLevel | RuleConfig>;
  };
  const rules: Record<string, RuleConfig> = {};
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    if (!knownRules.has(id))
      return { ok: false, error: `${file}: rules.${id}: no such rule (see kubeha rules)` };
    rules[id] = typeof setting === 'string' ? { severity: setting } : setting;
  }
  const config: KubehaConfig = { rules };
  if (raw.kubeVersion !== undefined) {
    const v = raw.kubeVersion;
    if (!parseMinor(v))
      return { ok: false, error: `${file}: kubeVersion: "${v}" is not a version like "1.31"` };
    config.kubeVersion = v;
  }
  if (raw.zones !== undefined) config.zones = raw.zones;
  if (raw.namespace !== undefined) config.namespace = raw.namespace;
  if (raw.failOn !== undefined) config.failOn = raw.failOn;
  return { ok: true, config };
}
