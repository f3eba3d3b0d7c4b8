import { defineConfig } from 'vitest/config';

// End-to-end tests against the real control plane of tools/cluster: `npm run cluster:up` first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // Its own JSON report, beside the unit tests' reports/vitest.json, for .ci/run's summary line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest-e2e.json' }]],
  },
});
