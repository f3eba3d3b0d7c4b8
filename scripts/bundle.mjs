// Bundles the CLI into one file over tsc's dist/cli/bin.js. Loading ~150 ES modules one by one
// cost more than checking a small folder; one file starts in a fraction of the time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli/bin.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  allowOverwrite: true,
  logLevel: 'warning',
  // Loaded only when a config file is read (src/config/config.ts): left out, it costs nothing at start-up.
  external: ['ajv'],
  // Bundled CommonJS dependencies call require(); give them one in the ES module output.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __kubehaCreateRequire } from 'node:module';\nconst require = __kubehaCreateRequire(import.meta.url);",
  },
});
