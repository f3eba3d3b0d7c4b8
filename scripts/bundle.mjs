// Bundles the CLI into one file, and makes V8's code cache for it. Loading ~150 ES modules one by one
// cost more than checking a small folder; one file, compiled from the cache, starts in a fraction of
// the time. Output in dist/cli/: bundle.js (the CLI as one CommonJS function expression),
// bundle.js.cache (V8's compiled code for it, after a warm-up run) and bin.js (scripts/launcher.js,
// the command that loads the two).
//
//   node scripts/bundle.mjs [--out DIR]
//
// DIR is the build to complete (default dist/): a tsc output folder; the bundle goes to DIR/cli/ and
// the OpenAPI schemas to DIR/model/openapi/. A private build (e.g. to measure start-up beside the
// shared dist/) must sit inside node_modules/ so the bundle's external packages resolve.
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outFlag = process.argv.indexOf('--out');
const dist = outFlag >= 0 ? resolve(process.argv[outFlag + 1] ?? '') : join(root, 'dist');
const out = join(dist, 'cli');
const bundle = join(out, 'bundle.js');

await build({
  entryPoints: [join(root, 'src/cli/bin.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Loaded with import() only when needed: ajv for a config file (src/config/config.ts), the
  // Kubernetes client for scan (src/sources/cluster-client.ts, 15 MB bundled), prom-client for serve.
  // Left out, they cost
  // nothing at start-up.
  external: ['ajv', '@kubernetes/client-node', 'prom-client'],
  // import() becomes require() (a vm.Script has no module loader of its own; Node ≥ 20.19 requires
  // ES modules such as the Kubernetes client, hence package.json's engines).
  supported: { 'dynamic-import': false },
  // A function expression the launcher calls with CommonJS' arguments, and the bundle's own URL in
  // place of import.meta (which CommonJS output has not).
  define: { 'import.meta.url': '__kubehaUrl' },
  banner: { js: '(function (exports, require, module, __filename, __kubehaUrl) {' },
  footer: { js: '})' },
});
// ASCII only: Node reads a file with one character beyond ASCII into a two-byte string, decoded the
// slow way (4-7 ms of every start for 1.3 MB, against under 2 ms). esbuild escapes strings, template
// literals and regular expressions already; what it leaves are a few comments, and \uXXXX is the
// same character wherever JavaScript reads it.
const code = readFileSync(bundle, 'utf8');
const beyondAscii = /[\u0080-\uffff]/g;
if (beyondAscii.test(code))
  writeFileSync(
    bundle,
    code.replace(beyondAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
copyFileSync(join(root, 'scripts/launcher.js'), join(out, 'bin.js'));
// The OpenAPI schemas are read from a file on first use (src/model/openapi/load.ts), by the bundle
// and by tsc's output alike: both find it in dist/model/openapi/.
mkdirSync(join(dist, 'model/openapi'), { recursive: true });
copyFileSync(
  join(root, 'src/model/openapi/kubernetes-1.36.json'),
  join(dist, 'model/openapi/kubernetes-1.36.json'),
);
chmodSync(join(out, 'bin.js'), 0o755);

// The code cache holds the functions V8 compiled while running, so warm it on what users run most:
// check (text and JSON), rules and simulate on the bundled examples, output thrown away.
rmSync(`${bundle}.cache`, { force: true });
const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle });
const run = script.runInThisContext();
const warmUps = [
  ['check', join(root, 'examples')],
  ['check', join(root, 'examples/seed'), '-o', 'json'],
  ['rules'],
  ['simulate', join(root, 'examples/simulate/web.yaml'), '--nodes', '3', '--zones', '3'],
];
const write = process.stdout.write;
const writeErr = process.stderr.write;
const argv = process.argv;
try {
  process.stdout.write = process.stderr.write = () => true;
  for (const args of warmUps) {
    process.argv = [argv[0], bundle, ...args];
    const module = { exports: {} };
    run(module.exports, createRequire(bundle), module, bundle, pathToFileURL(bundle).href);
    await module.exports.done;
  }
} finally {
  process.stdout.write = write;
  process.stderr.write = writeErr;
  process.argv = argv;
  process.exitCode = 0;
}
writeFileSync(`${bundle}.cache`, script.createCachedData());
