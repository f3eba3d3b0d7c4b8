import type { Finding } from '../types.js';
import type { FixContext, FixPlanner, FixTarget } from './types.js';

/**
 * Gives a finding its fix, as ESLint's `report({ fix })`: the rule's planner bound to the report it
 * made, so kubeha fix never has to find the report again. Lazy: check does not plan fixes it is not
 * asked for. Not enumerable, so a finding printed whole (JSON) or compared in a test is what it was.
 */
export function withFix<F extends Finding>(
  finding: F,
  planner: FixPlanner | undefined,
  target: FixTarget,
): F {
  if (planner)
    Object.defineProperty(finding, 'fix', {
      value: (context: FixContext) => planner(target, context),
      enumerable: false,
    });
  return finding;
}
