import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
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
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false }) ?? {};
  } catch (e) {
    return { ok: false, error: `${file}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  }
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { kubeVersion?: unknown }).kubeVersion === 'number'
  ) {
    return { ok: false, error: `${file}: kubeVersion: quote it ("1.30"); YAML reads 1.30 as the number 1.3` };
  }
  const validate = await configValidator();
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : 'top level';
    return { ok: false, error: `${file}: ${where}: ${err?.message ?? 'invalid'}` };
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
