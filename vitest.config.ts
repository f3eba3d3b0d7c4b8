import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line that any CI can read.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
