#!/usr/bin/env node
// Proves that a change to how `kubeha check` and `kubeha fix` read and judge manifests (e.g. a faster
// parser) leaves what users see byte-identical: runs two kubeha builds over the same inputs, in every
// output format, and compares stdout, stderr and the exit code of each run byte for byte.
//
//   node bench/check/sameness.mjs --before DIR --after DIR [--quick] [--generated 10000] [--only NAME,...] [--keep OUT]
//   KUBEHA_DIST=DIR node bench/check/sameness.mjs --write OUT     (one build's outputs into OUT, to diff -r later)
//
// DIR is a build: a dist/ folder (with cli/bin.js) or a package folder with dist/ in it; --after
// defaults to KUBEHA_DIST, then to dist/. Exit 0 when every output is identical, 1 when any differs
// (each difference is listed with its first differing line), 2 on a usage error.
//
// Inputs, each given to both builds under the same relative path (paths are part of the output):
//   examples/ and each of its folders; the test fixtures (test/**/fixtures, test/fidelity/cases); the
//   conformance suite's corpus (test/conformance: every manifest the repository ships or tests with,
//   and the seeded mutations, one document a file, written to bench/out/sameness/conformance/); the
//   generated corpus (bench/check/generate.mjs, --generated objects, 1 250 with --quick); the
//   real-world-shaped corpus (bench/check/generate-realworld.mjs).
// Runs, on each input: `check -o FORMAT` for text, json, sarif, junit, md and html (the default
// --fail-on, so the exit code is compared too), `fix` (its diff), `fix --dry-run=json` and
// `fix --dry-run=json --unsafe-fixes`. NO_COLOR=1. About 20 minutes on 2 cores with the 10 000-object
// corpus, 6 with --quick.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate, REPO_ROOT } from './generate.mjs';
import { generateRealworld } from './generate-realworld.mjs';

const FORMATS = ['text', 'json', 'sarif', 'junit', 'md', 'html'];
const WORK = join(REPO_ROOT, 'bench', 'out', 'sameness');

function usage(message) {
  if (message) console.error(`sameness.mjs: ${message}`);
  console.error(
    'usage: node bench/check/sameness.mjs --before DIR --after DIR [--quick] [--generated N] [--only NAME,...] [--keep OUT]\n' +
      '       KUBEHA_DIST=DIR node bench/check/sameness.mjs --write OUT',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { generated: undefined, quick: false, only: undefined, keep: undefined, write: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--before') o.before = value();
    else if (a === '--after') o.after = value();
    else if (a === '--quick') o.quick = true;
    else if (a === '--generated') o.generated = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--keep') o.keep = resolve(value());
    else if (a === '--write') o.write = resolve(value());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  o.generated ??= o.quick ? 1250 : 10000;
  if (!Number.isInteger(o.generated) || o.generated < 1) usage('--generated must be a whole number ≥ 1');
  o.after ??= process.env.KUBEHA_DIST ?? 'dist';
  if (!o.write && !o.before) usage('--before DIR is needed (or --write OUT for one build)');
  return o;
}

/** The CLI of a build: DIR/cli/bin.js (a dist folder) or DIR/dist/cli/bin.js (a package). */
function binOf(dir) {
  const root = resolve(REPO_ROOT, dir);
  for (const bin of [join(root, 'cli', 'bin.js'), join(root, 'dist', 'cli', 'bin.js')])
    if (existsSync(bin)) return bin;
  return usage(`no cli/bin.js in ${root} or its dist/`);
}

/** The conformance corpus, one document a file: bundled from test/conformance with esbuild, then run. */
async function conformanceCorpus() {
  const { build } = await import('esbuild');
  const dir = join(WORK, 'conformance');
  const entry = join(WORK, 'conformance-entry.mjs');
  const bundle = join(WORK, 'conformance-corpus.mjs');
  mkdirSync(WORK, { recursive: true });
  writeFileSync(
    entry,
    `export { seedCorpus } from ${JSON.stringify(join(REPO_ROOT, 'test/conformance/corpus.ts'))};\n` +
      `export { mutationCorpus } from ${JSON.stringify(join(REPO_ROOT, 'test/conformance/mutate.ts'))};\n`,
  );
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
    // yaml and the like load from the repository's node_modules (the bundle sits under bench/out).
    packages: 'external',
    // corpus.ts finds the repository from its own folder.
    define: { 'import.meta.dirname': JSON.stringify(join(REPO_ROOT, 'test', 'conformance')) },
  });
  const { seedCorpus, mutationCorpus } = await import(`${pathToFileURL(bundle).href}?${Date.now()}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const items = [...seedCorpus(), ...mutationCorpus(1)];
  for (const item of items) writeFileSync(join(dir, `${item.id}.yaml`), item.text);
  return { dir, count: items.length };
}

/** The inputs, as paths relative to the repository (what both builds are given). */
async function inputs(o) {
  const list = [['examples', 'examples']];
  for (const e of readdirSync(join(REPO_ROOT, 'examples')).sort())
    if (statSync(join(REPO_ROOT, 'examples', e)).isDirectory()) list.push([`examples-${e}`, `examples/${e}`]);
  const fixtures = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const full = join(d, e);
      if (!statSync(full).isDirectory()) continue;
      if (e === 'fixtures') fixtures.push(full);
      else walk(full);
    }
  };
  walk(join(REPO_ROOT, 'test'));
  for (const f of fixtures) list.push([relative(REPO_ROOT, f).replace(/\//g, '-'), relative(REPO_ROOT, f)]);
  list.push(['test-fidelity-cases', 'test/fidelity/cases']);
  // The generated inputs are made only when asked for (--only), as they take a while.
  const wanted = (name) => !o.only || o.only.includes(name);
  if (wanted('conformance')) {
    const conformance = await conformanceCorpus();
    console.error(`conformance corpus: ${conformance.count} documents`);
    list.push(['conformance', relative(REPO_ROOT, conformance.dir)]);
  }
  if (wanted(`generated-${o.generated}`)) {
    const g = generate({ objects: o.generated });
    list.push([`generated-${o.generated}`, relative(REPO_ROOT, g.dir)]);
  }
  if (wanted('realworld')) list.push(['realworld', relative(REPO_ROOT, generateRealworld().dir)]);
  return o.only ? list.filter(([name]) => o.only.includes(name)) : list;
}

function runs(list) {
  const out = [];
  for (const [name, path] of list) {
    for (const f of FORMATS) out.push([`${name}.check.${f}`, ['check', path, '-o', f]]);
    out.push([`${name}.fix.diff`, ['fix', path]]);
    out.push([`${name}.fix.dry-run`, ['fix', path, '--dry-run=json']]);
    out.push([`${name}.fix.dry-run-unsafe`, ['fix', path, '--dry-run=json', '--unsafe-fixes']]);
  }
  return out;
}

/** stdout, stderr and exit code of one run of a build, from the repository's root. */
function run(bin, args) {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      done({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), code: signal ?? code }),
    );
  });
}

/** Where two outputs first differ: line, column and both lines around it (120 characters). */
function firstDifference(a, b) {
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const x = la[i] ?? '';
      const y = lb[i] ?? '';
      let col = 0;
      while (col < x.length && x[col] === y[col]) col++;
      const from = Math.max(0, col - 40);
      const cut = (s) => (s === undefined ? '(no line)' : JSON.stringify(s.slice(from, from + 120)));
      return `line ${i + 1}, column ${col + 1}: before ${cut(la[i])}, after ${cut(lb[i])}`;
    }
  }
  return 'same text, different bytes';
}

function save(dir, name, r) {
  writeFileSync(join(dir, `${name}.stdout`), r.stdout);
  writeFileSync(join(dir, `${name}.stderr`), r.stderr);
  writeFileSync(join(dir, `${name}.code`), `${r.code}\n`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const after = binOf(o.after);
  const before = o.before ? binOf(o.before) : undefined;
  const list = await inputs(o);
  const all = runs(list);
  const t0 = Date.now();

  if (o.write) {
    mkdirSync(o.write, { recursive: true });
    for (const [name, args] of all) {
      save(o.write, name, await run(after, args));
      console.error(`${name}: written`);
    }
    console.error(`${all.length} outputs of ${relative(REPO_ROOT, after)} in ${o.write}`);
    return;
  }

  if (o.keep) for (const side of ['before', 'after']) mkdirSync(join(o.keep, side), { recursive: true });
  const differences = [];
  for (const [name, args] of all) {
    const b = await run(before, args);
    const a = await run(after, args);
    if (o.keep) {
      save(join(o.keep, 'before'), name, b);
      save(join(o.keep, 'after'), name, a);
    }
    const diffs = [];
    if (b.code !== a.code) diffs.push(`exit code: before ${b.code}, after ${a.code}`);
    if (!b.stdout.equals(a.stdout)) diffs.push(`stdout ${firstDifference(b.stdout, a.stdout)}`);
    if (!b.stderr.equals(a.stderr)) diffs.push(`stderr ${firstDifference(b.stderr, a.stderr)}`);
    console.error(
      `${diffs.length ? 'DIFFERENT' : 'same     '} ${name} (${b.stdout.length} bytes, exit ${b.code})`,
    );
    for (const d of diffs) console.error(`          ${d}`);
    if (diffs.length) differences.push([name, `kubeha ${args.join(' ')}`, diffs]);
  }
  const took = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `${all.length} runs on ${list.length} inputs, ${relative(REPO_ROOT, before) || before} vs ${relative(REPO_ROOT, after) || after}, ${took} s: ` +
      (differences.length ? `${differences.length} differ` : 'every output byte-identical'),
  );
  for (const [name, command, diffs] of differences)
    console.log(`- ${name} (${command}): ${diffs.join('; ')}`);
  process.exitCode = differences.length ? 1 : 0;
}

await main();
