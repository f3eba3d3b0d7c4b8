import type { RuleConfig } from '../engine/check.js';
import type { KubehaConfig } from '../config/config.js';
import { parseMinor } from '../model/kube-versions.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/index.js';
import { ruleById, rules } from '../rules/index.js';
import type { AnyRule, RuleScope, Severity } from '../rules/types.js';
import { UsageError, wholeNumber } from './io.js';

/** The flags check and scan share: output, gate, rule selection, settings. */
export interface AnalysisFlags {
  output?: string;
  failOn?: string;
  kubeVersion?: string;
  zones?: string;
  rule?: string[];
  disableRule?: string[];
}

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;

export interface AnalysisSettings {
  output: OutputFormat;
  failOn: Severity | 'none';
  kubeVersion: string | undefined;
  zones: number | undefined;
  ruleConfig: Record<string, RuleConfig>;
  /** The rules to run, before --simulate's opt-in. */
  selected: AnyRule[];
}

/**
 * Whether the simulator's verdicts (sim-*) run: they are opt-in (--simulate), and naming one with
 * --rule asks for it too (otherwise `--rule sim-outage` would silently run nothing).
 */
export function wantsSimulation(flags: AnalysisFlags & { simulate?: boolean }): boolean {
  return Boolean(flags.simulate) || (flags.rule ?? []).some((id) => ruleById(id)?.category === 'simulation');
}

/** Validates the shared flags against the config file; a bad value is a UsageError (exit 2). */
export function analysisSettings(
  flags: AnalysisFlags,
  config: KubehaConfig,
  scopes: readonly RuleScope[],
): AnalysisSettings {
  const output = (flags.output ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got "${flags.output}")`);
  }
  const failOn = (flags.failOn ?? config.failOn ?? 'error') as Severity | 'none';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${flags.failOn}")`);
  }
  const kubeVersion = flags.kubeVersion ?? config.kubeVersion;
  if (kubeVersion !== undefined && !parseMinor(kubeVersion)) {
    throw new UsageError(`--kube-version must look like 1.31 (got "${kubeVersion}")`);
  }
  const zones = flags.zones !== undefined ? wholeNumber('--zones', flags.zones, 1) : config.zones;

  const known = new Set(rules.map((r) => r.id));
  for (const id of [...(flags.rule ?? []), ...(flags.disableRule ?? [])]) {
    if (!known.has(id)) throw new UsageError(`no rule "${id}" (kubeha rules lists them)`);
  }
  let selected = rules.filter((r) => scopes.includes(r.scope ?? 'static'));
  if (flags.rule?.length) selected = selected.filter((r) => flags.rule!.includes(r.id));
  if (flags.disableRule?.length) selected = selected.filter((r) => !flags.disableRule!.includes(r.id));
  return { output, failOn, kubeVersion, zones, ruleConfig: { ...config.rules }, selected };
}
