import { isScanned, type FleetFormatter } from './fleet-types.js';
import { esc, junitDocument, junitSuite } from './junit.js';

/**
 * A fleet in JUnit XML: one test suite per cluster (`kubeha scan <context>`), with the cases of a
 * single scan. A cluster that could not be read is a suite with one errored case: the test could not
 * run, which CI tools show apart from a failure.
 */
export const fleetJunit: FleetFormatter = (fleet, ctx) => {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const suites: string[] = [];
  for (const c of fleet.clusters) {
    const name = `kubeha scan ${c.context}`;
    if (isScanned(c)) {
      const suite = junitSuite(c.result, ctx, name);
      tests += suite.tests;
      failures += suite.failures;
      suites.push(...suite.lines);
      continue;
    }
    tests++;
    errors++;
    suites.push(
      `  <testsuite name="${esc(name)}" tests="1" failures="0" errors="1" skipped="0">`,
      `    <testcase classname="kubeha.cluster" name="${esc(c.context)}">`,
      `      <error type="cluster-not-scanned" message="${esc(`not scanned: ${c.error}`)}">${esc(c.error)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  return junitDocument(tests, failures, errors, suites);
};
