import { check } from '../../src/engine/check.js';
import type { AnyRule, Finding } from '../../src/rules/types.js';
import { parseManifests } from '../../src/sources/parse.js';
import { SCAN_KINDS, TEST_NOW } from '../rule-tester.js';

/**
 * The findings one rule gives on `text`, as the engine renders them: `message` is the headline alone and
 * `detail` the rest, so a test can pin the split itself. A live rule runs as `kubeha scan` would, seeing
 * every scan kind at TEST_NOW.
 */
export function findingsOfRule(rule: AnyRule, text: string): Finding[] {
  const { objects, problems } = parseManifests(text, 'test.yaml');
  const cluster = rule.scope === 'live' ? { listed: new Set(SCAN_KINDS), now: TEST_NOW } : undefined;
  return check(objects, { rules: [rule], problems, ...(cluster ? { cluster } : {}) }).findings;
}
