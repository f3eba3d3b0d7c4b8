#!/usr/bin/env node
// kubeha's command (copied to dist/cli/bin.js by scripts/bundle.mjs). It runs the CLI bundle beside it
// through V8's code cache, made when the package was built: parsing and compiling the bundle's
// functions is then skipped, a third of the start-up on a small folder. A cache that does not fit
// this Node (another version) is rejected by V8 and the bundle compiles as usual. Nothing here writes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
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
// The young generation stays at its first size (1 MiB semi-spaces) instead of growing to 16 MiB ones
// as V8 does when much survives a scavenge: the loader's values outlive the first collections, and the
// grown semi-spaces were a quarter of the peak memory of check (real-world corpus 127 -> 99 MiB, the
// 10 000 objects 225 -> 194 MiB) for no time saved (CPU 0.96x on 10 000 objects; docs/benchmarks.md,
// "The reader"). The flag is read when V8 resizes the young generation, so setting it here counts.
// It is set after the bundle is compiled from its cache: V8 rejects a code cache made under other
// flags, and a rejected cache cost 0.13 s of CPU at every start.
setFlagsFromString('--semi-space-growth-factor=1');
const run = script.runInThisContext();
// The bundle is one function expression: (exports, require, module, __filename, importMetaUrl).
run({}, createRequire(file), { exports: {} }, file, pathToFileURL(file).href);
