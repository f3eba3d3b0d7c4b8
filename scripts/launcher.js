#!/usr/bin/env node
// kubeha's command (copied to dist/cli/bin.js by scripts/bundle.mjs). It runs the CLI bundle beside it
// through V8's code cache, made when the package was built: parsing and compiling the bundle's
// functions is then skipped, a third of the start-up on a small folder. A cache that does not fit
// this Node (another version) is rejected by V8 and the bundle compiles as usual. Nothing here writes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';

const file = fileURLToPath(new URL('./bundle.js', import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(`${file}.cache`);
} catch {
  // No cache (a build without it): compile from source.
}
const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
const run = script.runInThisContext();
// The bundle is one function expression: (exports, require, module, __filename, importMetaUrl).
run({}, createRequire(file), { exports: {} }, file, pathToFileURL(file).href);
