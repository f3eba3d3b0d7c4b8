// kubeha's verdict on one file, and the one definition of which findings mean "kubeha says the API
// server rejects this" (docs/conformance.md quotes it).
import { check } from '../../src/engine/check.js';
import { rules } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/types.js';
import { loadText } from '../../src/sources/files.js';
import { run } from '../cli/run.js';

/** The Kubernetes version of tools/cluster's control plane: kubeha judges every file for it. */
export const TARGET_KUBE_VERSION = '1.36';

/**
 * A finding says "the API server rejects this object" when it is:
 * - `yaml-syntax`: the file cannot be read as YAML (kubectl cannot read it either);
 * - `invalid-object`, any message: no apiVersion or kind, a field of the wrong type, an unknown field,
 *   a value out of range, or a rule of Kubernetes' validation code broken (the rule's every message
 *   says the API server rejects the object);
 * - `deprecated-api` at severity error: a version the target no longer serves, or leaves off by
 *   default (alpha, and betas introduced since 1.24), or a version and kind of a Kubernetes group that
 *   no release served;
 * - `hpa-invalid-range` at severity error: an HPA's maxReplicas missing, below 1 or below minReplicas
 *   (invalid-object leaves these to it, so the fault is reported once, with its HA cost); its
 *   warning, maxReplicas equal to minReplicas, is an HPA the API server accepts.
 * Nothing else: `duplicate-key` says only that the earlier value is lost (kubectl keeps the last one),
 * a deprecated-but-served version is a warning, and the HA rules judge what the cluster will do with
 * an object it accepted.
 */
export function saysRejected(f: Pick<Finding, 'rule' | 'severity'>): boolean {
  if (f.rule === 'yaml-syntax' || f.rule === 'invalid-object') return true;
  return (f.rule === 'deprecated-api' || f.rule === 'hpa-invalid-range') && f.severity === 'error';
}

export interface KubehaVerdict {
  verdict: 'accepted' | 'rejected';
  /** The findings that make up a rejection (rule: message). */
  reasons: string[];
  /** Rules that threw on this input: a kubeha bug, whatever the verdict. */
  errors: string[];
}

/** The static catalog as `kubeha check` runs it by default (the simulator's sim-* verdicts are opt-in). */
const CHECK_RULES = rules.filter((r) => (r.scope ?? 'static') !== 'live' && r.category !== 'simulation');

/** What `kubeha check FILE --kube-version 1.36` concludes, through the library: the same loader and engine. */
export function kubehaVerdict(text: string, file: string): KubehaVerdict {
  const loaded = loadText(text, file, { defaultNamespace: 'default' });
  const result = check(loaded.objects, {
    rules: CHECK_RULES,
    problems: loaded.problems,
    kubeVersion: TARGET_KUBE_VERSION,
  });
  const reasons = result.findings.filter(saysRejected).map((f) => `${f.rule}: ${f.message}`);
  return { verdict: reasons.length > 0 ? 'rejected' : 'accepted', reasons, errors: result.errors };
}

/**
 * The same verdict from the command line users run, `kubeha check FILE --kube-version 1.36 -o json`
 * (in process, from the file's folder so no project configuration applies): the suite checks on a
 * sample that it equals the library's.
 */
export async function kubehaCliVerdict(file: string, cwd: string): Promise<KubehaVerdict['verdict']> {
  const r = await run(
    ['check', file, '--kube-version', TARGET_KUBE_VERSION, '-o', 'json', '--fail-on', 'none'],
    {
      cwd,
    },
  );
  const out = JSON.parse(r.stdout) as { findings: Pick<Finding, 'rule' | 'severity'>[] };
  return out.findings.some(saysRejected) ? 'rejected' : 'accepted';
}
