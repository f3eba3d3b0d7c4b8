/**
 * How a simulator verdict gates a build, shared by `kubeha simulate --fail-on` and the sim-* rules of
 * `kubeha check --simulate`, so one severity means one thing in both: an outage or a stuck drain,
 * rollout or replacement is an error, a dip below the floor a warning.
 */
import type { Severity } from '../model/severity.js';
import { VERDICT_RANK, type Verdict } from './types.js';

export const VERDICT_SEVERITY: Readonly<Record<Exclude<Verdict, 'ok'>, Severity>> = {
  outage: 'error',
  stuck: 'error',
  degraded: 'warning',
};

/** The values `--fail-on` takes: a severity as for every command, or a verdict name (that verdict or worse). */
export type FailOn = Severity | Exclude<Verdict, 'ok'> | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = [
  'error',
  'warning',
  'info',
  'outage',
  'stuck',
  'degraded',
  'none',
];

/** The mildest verdict that fails the run, or null when nothing does. */
export function failingVerdict(failOn: FailOn): Exclude<Verdict, 'ok'> | null {
  switch (failOn) {
    case 'none':
      return null;
    case 'error':
      return 'stuck';
    case 'warning':
    case 'info':
      return 'degraded';
    default:
      return failOn;
  }
}

/** Whether a workload's verdict fails a run gated at `failOn`. */
export function verdictFails(verdict: Verdict, failOn: FailOn): boolean {
  const threshold = failingVerdict(failOn);
  return threshold !== null && verdict !== 'ok' && VERDICT_RANK[verdict] >= VERDICT_RANK[threshold];
}
