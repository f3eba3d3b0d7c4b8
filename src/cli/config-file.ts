import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, type KubehaConfig } from '../config/config.js';
import { rules } from '../rules/index.js';
import { UsageError } from './io.js';

export const CONFIG_NAMES = ['.kubeha.yaml', '.kubeha.yml'];

/** Reads --config, or .kubeha.yaml in the working folder; an empty config when there is none. */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<KubehaConfig> {
  const candidates = explicit ? [explicit] : CONFIG_NAMES.map((n) => join(cwd, n));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (explicit)
        throw new UsageError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    const result = await parseConfig(
      text,
      explicit ?? file.slice(cwd.length + 1),
      new Set(rules.map((r) => r.id)),
    );
    if (!result.ok) throw new UsageError(result.error);
    return result.config;
  }
  return { rules: {} };
}
