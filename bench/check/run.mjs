#!/usr/bin/env node
// Times `kubeha check` and its peers on the same inputs, in the same run, and prints a Markdown
// report with a table per input (the tables in docs/benchmarks.md come from it).
//
//   npm run bench:check                       (builds kubeha first)
//   node bench/check/run.mjs --render [bench/out/check-results.json]   (print the report again)
//   node bench/check/run.mjs [--objects 10000] [--seed 1] [--runs 5] [--runs checkov=1]
//                            [--small-runs 20] [--small examples] [--tools kubeha,kube-score,polaris,checkov]
//                            [--variant NAME=DIR[:NOTE]] [--warmup 1] [--warmup checkov=0] [--json bench/out/check-results.json] [--kubeha PACKAGE_DIR]
//                            [--inputs generated,realworld,bundle,small,fix[,many]] [--timeout checkov=900] [--timeout S]
//                            [--realworld-seed 1] [--many 100000] [--many-timeout 120]
//
// Inputs, each a section of the report: `generated` (bench/check/generate.mjs, --objects), `realworld`
// (bench/check/generate-realworld.mjs: operator bundles, Helm and Kustomize output, small files),
// `bundle` (the realworld corpus' 2 MiB CRD-heavy install.yaml alone), `small` (start-up on --small),
// `fix` (kubeha only: `fix --dry-run=json --unsafe-fixes` on the generated corpus) and, only when
// asked, `many` (kubeha only: --many objects one per file; the 100 000-small-files case).
// --timeout caps one run of a tool (seconds): the run is killed and shown as "killed at N s".
//
// kubeha runs from a snapshot of dist/ and package.json copied to bench/out/kubeha/ when the run starts,
// so a rebuild during the run cannot change what is timed; --kubeha times another build instead (a
// folder with dist/cli/bin.js and package.json, e.g. a branch's worktree).
// Peers come from bench/.peers (bench/peers/install.sh); a peer that is not installed is listed as such.
// Each run goes through GNU time (`/usr/bin/time`, Debian package `time`) for peak RSS and CPU time;
// wall time is measured here with a monotonic clock. Rounds interleave the tools (round 1: every
// tool once, round 2: …) so a slow drift in machine load spreads over all of them; the report gives
// the median. Each tool's output is parsed after the last run to count the objects it actually
// looked at, so a tool that silently skipped files cannot look fast.

import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join, relative, resolve } from 'node:path';
import { generate, REPO_ROOT } from './generate.mjs';
import { BUNDLE, generateRealworld } from './generate-realworld.mjs';

const PEERS = join(REPO_ROOT, 'bench', '.peers');
const OUT = join(REPO_ROOT, 'bench', 'out');
const GNU_TIME = '/usr/bin/time';

function parseArgs(argv) {
  const o = {
    objects: 10000,
    seed: 1,
    runs: 5,
    // checkov takes 7–13 minutes per run on 10 000 objects here: one timed run, no warm-up, by default.
    runsFor: { checkov: 1 },
    smallRuns: 20,
    small: join(REPO_ROOT, 'examples'),
    tools: ['kubeha', 'kube-score', 'polaris', 'checkov'],
    warmup: 1,
    warmupFor: { checkov: 0 },
    variants: [],
    json: join(OUT, 'check-results.json'),
    kubeha: undefined,
    inputs: ['generated', 'realworld', 'bundle', 'small', 'fix'],
    // checkov takes 7–13 minutes on the generated corpus: capped unless told otherwise.
    timeoutFor: { checkov: 900 },
    timeout: undefined,
    realworldSeed: 1,
    many: 100000,
    manyTimeout: 120,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (v === undefined && a !== '-h' && a !== '--help') fail(`${a} needs a value`);
    switch (a) {
      case '--objects':
        o.objects = positive(a, v);
        break;
      case '--seed':
        o.seed = Number(v);
        break;
      case '--runs': {
        const m = /^([\w-]+)=(\d+)$/.exec(v);
        if (m) o.runsFor[m[1]] = positive(a, m[2]);
        else o.runs = positive(a, v);
        break;
      }
      case '--small-runs':
        o.smallRuns = positive(a, v);
        break;
      case '--small':
        o.small = resolve(v);
        break;
      case '--tools':
        o.tools = v.split(',').filter(Boolean);
        break;
      case '--warmup': {
        const m = /^([\w-]+)=(\d+)$/.exec(v);
        if (m) o.warmupFor[m[1]] = Number(m[2]);
        else o.warmup = Number(v);
        break;
      }
      case '--json':
        o.json = resolve(v);
        break;
      case '--kubeha':
        o.kubeha = resolve(v);
        break;
      case '--inputs':
        o.inputs = v.split(',').filter(Boolean);
        for (const i of o.inputs)
          if (!INPUTS.includes(i)) fail(`unknown input ${i} (known: ${INPUTS.join(', ')})`);
        break;
      case '--timeout': {
        const m = /^([\w-]+)=(\d+)$/.exec(v);
        if (m) o.timeoutFor[m[1]] = positive(a, m[2]);
        else o.timeout = positive(a, v);
        break;
      }
      case '--realworld-seed':
        o.realworldSeed = Number(v);
        break;
      case '--many':
        o.many = positive(a, v);
        break;
      case '--many-timeout':
        o.manyTimeout = positive(a, v);
        break;
      case '--variant': {
        const m = /^([\w-]+)=([^:]+)(?::(.*))?$/.exec(v);
        if (!m) fail('--variant wants NAME=DIR or NAME=DIR:NOTE');
        TOOLS[m[1]] = kubehaVariant(resolve(m[2]), m[3]);
        o.variants.push(m[1]);
        break;
      }
      case '-h':
      case '--help':
        console.log(
          readFileSync(new URL(import.meta.url), 'utf8')
            .split('\n')
            .slice(1, 30)
            .join('\n'),
        );
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${a}`);
    }
  }
  // Variants sit right after kubeha in the tables.
  const rest = o.tools.filter((t) => t !== 'kubeha' && !o.variants.includes(t));
  o.tools = [...(o.tools.includes('kubeha') ? ['kubeha'] : []), ...o.variants, ...rest];
  for (const t of [
    ...o.tools,
    ...Object.keys(o.runsFor),
    ...Object.keys(o.warmupFor),
    ...Object.keys(o.timeoutFor),
  ]) {
    if (!(t in TOOLS)) fail(`unknown tool ${t} (known: ${Object.keys(TOOLS).join(', ')})`);
  }
  return o;
}

const INPUTS = ['generated', 'realworld', 'bundle', 'small', 'fix', 'many'];

function fail(message) {
  console.error(`run.mjs: ${message}`);
  process.exit(2);
}

function positive(flag, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} must be a whole number ≥ 1 (got ${v})`);
  return n;
}

/** Manifest files under a folder, as kubeha finds them (recursive, .yaml/.yml/.json, no dot-folders). */
function manifestFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
/** The first non-empty line of a tool's stderr, without logrus' `time=… level=… msg=` prefix. */
const firstLine = (s) =>
  (
    String(s)
      .split('\n')
      .find((l) => l.trim()) ?? ''
  ).replace(/^time="[^"]*" level=\w+ msg=/, '');

/**
 * How each tool is run on a folder, where it is, its version, and how many objects its output shows
 * it analysed. `ok` lists the exit codes that mean "ran and reported findings".
 */
let kubehaRoot = join(OUT, 'kubeha');

/** Another kubeha build timed in the same run (`--variant NAME=DIR`), e.g. a branch with a fix. */
function kubehaVariant(root, note) {
  const bin = join(root, 'dist', 'cli', 'bin.js');
  return {
    bin,
    argv: (dir) => [process.execPath, bin, 'check', dir, '-o', 'json', '--fail-on', 'none'],
    ok: [0],
    version: () => `${readJson(join(root, 'package.json')).version} (${root})`,
    seen: (out) => readJson(out).summary.objects,
    describe: note,
  };
}

const TOOLS = {
  kubeha: {
    get bin() {
      return join(kubehaRoot, 'dist', 'cli', 'bin.js');
    },
    argv: (dir) => [
      process.execPath,
      join(kubehaRoot, 'dist', 'cli', 'bin.js'),
      'check',
      dir,
      '-o',
      'json',
      '--fail-on',
      'none',
    ],
    ok: [0],
    version: () => {
      const pkg = readJson(join(kubehaRoot, 'package.json')).version;
      if (kubehaRoot !== join(OUT, 'kubeha')) {
        const stamp = join(kubehaRoot, 'COMMIT'); // written by whoever made that build, if anyone
        const at = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : relative(REPO_ROOT, kubehaRoot);
        return `${pkg} (${at}; node ${process.versions.node})`;
      }
      const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).stdout.trim();
      const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).stdout.trim();
      return `${pkg} (${commit}${dirty ? ', src modified' : ''}; node ${process.versions.node})`;
    },
    seen: (out) => readJson(out).summary.objects,
  },
  // kubeha's fix on the same folder (the `fix` input): the patches it would write, as JSON.
  'kubeha-fix': {
    get bin() {
      return join(kubehaRoot, 'dist', 'cli', 'bin.js');
    },
    argv: (dir) => [
      process.execPath,
      join(kubehaRoot, 'dist', 'cli', 'bin.js'),
      'fix',
      dir,
      '--dry-run=json',
      '--unsafe-fixes',
    ],
    ok: [0, 1],
    seen: (out) => readJson(out).rounds.reduce((n, r) => n + r.patches.length, 0),
    note: 'the patches of every round (`fix --dry-run=json --unsafe-fixes`), not objects',
  },
  'kube-score': {
    bin: join(PEERS, 'bin', 'kube-score'),
    // kube-score takes files, not folders: the same files kubeha reads from the folder.
    argv: (_dir, files) => [join(PEERS, 'bin', 'kube-score'), 'score', '-o', 'json', ...files],
    ok: [0, 1],
    seen: (out) => readJson(out).length,
    note: 'counts the objects it scores (workloads, Services, PDBs, HPAs, …); it reads ConfigMaps but does not score or list them',
  },
  polaris: {
    bin: join(PEERS, 'bin', 'polaris'),
    argv: (dir) => [join(PEERS, 'bin', 'polaris'), 'audit', '--audit-path', dir, '--format', 'json'],
    ok: [0],
    seen: (out) =>
      new Set(
        readJson(out)
          .Results.filter((r) => r.Kind)
          .map((r) => `${r.Kind}/${r.Namespace}/${r.Name}`),
      ).size,
  },
  checkov: {
    bin: join(PEERS, 'checkov', 'bin', 'checkov'),
    // --skip-download: no network here, and without it checkov waits on its platform's API first.
    argv: (dir) => [
      join(PEERS, 'checkov', 'bin', 'checkov'),
      '-d',
      dir,
      '--framework',
      'kubernetes',
      '--quiet',
      '-o',
      'json',
      '--skip-download',
    ],
    ok: [0, 1],
    seen: (out) => {
      const r = readJson(out);
      const reports = Array.isArray(r) ? r : [r];
      return reports.reduce((n, x) => n + (x.summary?.resource_count ?? 0), 0);
    },
    note: 'its summary.resource_count: every object it parsed plus one Pod it derives from each workload for its graph checks (CKV2_K8S_*)',
  },
};

function peerVersions() {
  try {
    return readJson(join(PEERS, 'versions.json'));
  } catch {
    return {};
  }
}

/**
 * Kills every process of GNU time's process group but time itself (the tool and whatever it forked),
 * so that time still reaps the tool and reports its CPU time and peak RSS up to the kill.
 */
function killToolsOf(timePid) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === timePid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === timePid) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * One timed run: wall (ms, monotonic), peak RSS (KiB) and CPU seconds from GNU time, exit code.
 * With timeoutMs, a run still going then is killed and marked `killed` (its wall time is the cap).
 */
function timed(argv, stdoutFile, stderrFile, timeoutMs) {
  const timeFile = `${stderrFile}.time`;
  return new Promise((resolvePromise, reject) => {
    const out = openSync(stdoutFile, 'w');
    const err = openSync(stderrFile, 'w');
    const t0 = process.hrtime.bigint();
    rmSync(timeFile, { force: true });
    // Its own process group (detached), so a timeout can find the tool and its children.
    const child = spawn(GNU_TIME, ['-q', '-f', '%x %e %U %S %M', '-o', timeFile, '--', ...argv], {
      cwd: REPO_ROOT,
      stdio: ['ignore', out, err],
      env: { ...process.env, NO_COLOR: '1', PYTHONWARNINGS: 'ignore' },
      detached: timeoutMs !== undefined,
    });
    let killed = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = true;
            killToolsOf(child.pid);
          }, timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      let fields = [];
      try {
        fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ');
      } catch {
        // time itself was killed: nothing to read
      }
      const [code, , user, sys, rssKiB] = fields.map(Number);
      resolvePromise({ wallMs, cpuS: user + sys, rssKiB, code: killed ? 'killed' : code, killed });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs every available tool runsOf(tool) times on dir (interleaved), after warmupOf(tool) untimed runs. */
async function bench(label, dir, tools, runsOf, warmupOf, timeoutOf = () => undefined) {
  const files = manifestFiles(dir);
  const logs = join(OUT, 'logs', label);
  mkdirSync(logs, { recursive: true });
  const results = {};
  const runOnce = async (name, record) => {
    const t = TOOLS[name];
    const stdout = join(logs, `${name}.out`);
    const stderr = join(logs, `${name}.err`);
    const cap = timeoutOf(name);
    const r = await timed(t.argv(dir, files), stdout, stderr, cap === undefined ? undefined : cap * 1000);
    const res = results[name];
    if (r.killed) {
      res.killed = cap;
      res.error = `killed at the ${cap} s cap (--timeout)`;
    } else if (!t.ok.includes(r.code)) {
      res.error = `exit ${r.code}: ${firstLine(readFileSync(stderr, 'utf8')).slice(0, 200)}`;
    }
    if (record) res.runs.push(r);
    process.stderr.write(
      `  ${label} ${name}${record ? '' : ' (warm-up)'}: ${(r.wallMs / 1000).toFixed(3)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB, exit ${r.code}\n`,
    );
    return r;
  };
  for (const name of tools) results[name] = { runs: [] };
  // A tool killed at its cap is not run again on this input: the next run would be killed too.
  const capped = new Set();
  for (const name of tools)
    for (let w = 0; w < warmupOf(name) && !capped.has(name); w++)
      if ((await runOnce(name, false)).killed) capped.add(name);
  const rounds = Math.max(...tools.map(runsOf));
  for (let round = 0; round < rounds; round++) {
    for (const name of tools)
      if (round < runsOf(name) && !capped.has(name)) if ((await runOnce(name, true)).killed) capped.add(name);
  }
  for (const name of tools) {
    const res = results[name];
    const out = join(logs, `${name}.out`);
    try {
      if (res.killed) throw new Error('killed');
      res.seen = TOOLS[name].seen(out);
    } catch (e) {
      res.seen = null;
      res.error ??= `output not readable: ${firstLine(e.message)}`;
    }
    res.wallMs = median(res.runs.map((r) => r.wallMs));
    res.wallMinMs = Math.min(...res.runs.map((r) => r.wallMs));
    res.wallMaxMs = Math.max(...res.runs.map((r) => r.wallMs));
    res.cpuS = median(res.runs.map((r) => r.cpuS));
    res.rssMiB = Math.max(...res.runs.map((r) => r.rssKiB)) / 1024;
    if (res.runs.length === 0) res.wallMs = res.wallMinMs = res.wallMaxMs = res.cpuS = res.rssMiB = NaN;
  }
  return { dir: relative(REPO_ROOT, dir) || '.', files: files.length, results };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'}`,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    go: spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout?.trim() || 'n/a',
    python: spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'n/a',
  };
}

const fmt = (n, digits = 2) => (n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(digits));

/** A Markdown table of one benchmark; errors and notes become numbered footnotes under it. */
function table(run, objects, versions, unavailable, withRate) {
  const names = Object.keys(run.results);
  const base = run.results.kubeha?.wallMs;
  const notes = [];
  const mark = (text) => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return ` [${i + 1}]`;
  };
  const unit = withRate ? 's' : 'ms';
  const time = (ms) => (withRate ? fmt(ms / 1000) : fmt(ms, 0));
  const rows = [
    `| tool | version | objects seen | runs | wall, median (${unit}) | wall, min–max (${unit}) | CPU user+sys, median (${unit}) | peak RSS (MiB) |${withRate ? ' objects/s |' : ''} wall ÷ kubeha’s |`,
    `|---|---|--:|--:|--:|--:|--:|--:|${withRate ? '--:|' : ''}--:|`,
  ];
  for (const name of names) {
    const r = run.results[name];
    const t = TOOLS[name];
    const cells = [
      name +
        (t?.describe ? mark(`${name}: ${t.describe}`) : '') +
        (r.error ? mark(`${name}: ${r.error}`) : ''),
      versions[name] ?? '?',
      (r.seen ?? '–') + (t?.note ? mark(`${name}: ${t.note}`) : ''),
      r.runs.length,
      r.killed ? `> ${time(r.killed * 1000)}` : time(r.wallMs),
      r.killed ? `killed at ${r.killed} s` : `${time(r.wallMinMs)}–${time(r.wallMaxMs)}`,
      withRate ? fmt(r.cpuS) : fmt(r.cpuS * 1000, 0),
      fmt(r.rssMiB, 0),
      ...(withRate ? [r.killed ? '–' : fmt(objects / (r.wallMs / 1000), 0)] : []),
      name === 'kubeha' ? '1' : r.killed ? `> ${fmt((r.killed * 1000) / base)}` : fmt(r.wallMs / base),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  for (const [name, why] of unavailable) {
    rows.push(`| ${name} | not run: ${why} |${' |'.repeat(withRate ? 8 : 7)}`);
  }
  const footnotes = notes.map((n, i) => `[${i + 1}] ${n.replace(/\s+/g, ' ').replace(/\|/g, '\\|')}`);
  return [...rows, ...(footnotes.length ? ['', ...footnotes.map((f) => `${f}  `)] : [])].join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(GNU_TIME)) fail(`${GNU_TIME} not found: apt-get install time (GNU time)`);
  if (o.kubeha) {
    kubehaRoot = o.kubeha;
  } else {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'bin.js')))
      fail('dist/cli/bin.js not found: npm run build first');
    rmSync(kubehaRoot, { recursive: true, force: true });
    cpSync(join(REPO_ROOT, 'dist'), join(kubehaRoot, 'dist'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(kubehaRoot, 'package.json'));
  }
  if (!existsSync(TOOLS.kubeha.bin)) fail(`${TOOLS.kubeha.bin} not found`);
  const installed = peerVersions();
  const unavailable = [['kube-linter', 'its module path is not served by the Go module proxy here']];
  const tools = o.tools.filter((t) => {
    if (existsSync(TOOLS[t].bin)) return true;
    unavailable.push([t, 'not installed (bench/peers/install.sh)']);
    return false;
  });
  const versions = { ...installed };
  for (const t of tools) if (TOOLS[t].version) versions[t] = TOOLS[t].version();
  versions['kubeha-fix'] = TOOLS.kubeha.version();
  const runsOf = (t) => o.runsFor[t] ?? o.runs;
  const warmupOf = (t) => o.warmupFor[t] ?? o.warmup;
  const timeoutOf = (t) => o.timeoutFor[t] ?? o.timeout;
  const want = (input) => o.inputs.includes(input);
  const took = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

  let t0 = performance.now();
  const corpus =
    want('generated') || want('fix') ? generate({ objects: o.objects, seed: o.seed }) : undefined;
  if (corpus)
    process.stderr.write(
      `corpus: ${corpus.objects} objects in ${corpus.files} files (${corpus.reused ? 'kept' : 'generated'} in ${took(t0)} s)\n`,
    );
  t0 = performance.now();
  const realworld =
    want('realworld') || want('bundle') ? generateRealworld({ seed: o.realworldSeed }) : undefined;
  if (realworld)
    process.stderr.write(
      `realworld corpus: ${realworld.objects} objects in ${realworld.files} files (${realworld.reused ? 'kept' : 'generated'} in ${took(t0)} s)\n`,
    );
  t0 = performance.now();
  const many = want('many') ? generate({ objects: o.many, seed: o.seed, onePerFile: true }) : undefined;
  if (many)
    process.stderr.write(
      `many small files: ${many.objects} objects in ${many.files} files (${many.reused ? 'kept' : 'generated'} in ${took(t0)} s)\n`,
    );

  const loadBefore = os.loadavg();
  const started = new Date();
  const sections = {};
  if (want('generated'))
    sections.large = await bench(`corpus-${o.objects}`, corpus.dir, tools, runsOf, warmupOf, timeoutOf);
  if (want('realworld'))
    sections.realworld = await bench('corpus-realworld', realworld.dir, tools, runsOf, warmupOf, timeoutOf);
  if (want('bundle'))
    sections.bundle = await bench(
      'bundle',
      join(realworld.dir, dirname(BUNDLE)),
      tools,
      runsOf,
      warmupOf,
      timeoutOf,
    );
  let floor = [];
  if (want('small')) {
    // Start-up: a small folder, many runs; `node` with an empty script is the floor for a Node CLI.
    const small = await bench(
      'small',
      o.small,
      tools,
      (t) => (t === 'kubeha' ? o.smallRuns : Math.min(5, o.smallRuns)),
      () => 1,
      timeoutOf,
    );
    for (let i = 0; i < o.smallRuns; i++)
      floor.push(
        (await timed([process.execPath, '-e', ''], '/dev/null', join(OUT, 'logs', 'node.err'))).wallMs,
      );
    sections.small = { ...small, objects: small.results.kubeha?.seen, nodeFloorMs: median(floor) };
  }
  if (want('fix'))
    sections.fix = await bench(
      `fix-${o.objects}`,
      corpus.dir,
      ['kubeha-fix'],
      (t) => o.runsFor[t] ?? runsOf('kubeha'),
      (t) => o.warmupFor[t] ?? 0,
      (t) => o.timeoutFor[t] ?? o.timeout,
    );
  if (want('many'))
    sections.many = await bench(
      `many-${o.many}`,
      many.dir,
      ['kubeha'],
      () => 1,
      () => 0,
      () => o.manyTimeout,
    );
  const loadAfter = os.loadavg();

  const report = {
    date: started.toISOString(),
    machine: machine(),
    loadavg: { before: loadBefore, after: loadAfter },
    versions,
    ...(corpus ? { corpus: { ...corpus, dir: relative(REPO_ROOT, corpus.dir) } } : {}),
    ...(realworld ? { realworldCorpus: { ...realworld, dir: relative(REPO_ROOT, realworld.dir) } } : {}),
    ...(many ? { manyCorpus: { ...many, dir: relative(REPO_ROOT, many.dir) } } : {}),
    command: ['node', 'bench/check/run.mjs', ...process.argv.slice(2)]
      .map((a) => (/^[\w./=:,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
      .join(' '),
    warmup: Object.fromEntries(tools.map((t) => [t, warmupOf(t)])),
    timeouts: Object.fromEntries(tools.map((t) => [t, timeoutOf(t)]).filter(([, v]) => v)),
    json: relative(REPO_ROOT, o.json),
    ...sections,
    unavailable,
    variants: o.variants,
  };
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
  console.log(markdown(report));
}

function warmups(w) {
  if (typeof w !== 'object' || w === null) return `${w ?? 1} untimed warm-up run per tool`;
  const groups = {};
  for (const [t, n] of Object.entries(w)) (groups[n] ??= []).push(t);
  return Object.entries(groups)
    .map(([n, ts]) => `${n} untimed warm-up run${n === '1' ? '' : 's'} for ${ts.join(', ')}`)
    .join(', ');
}

const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);
const kindList = (kinds) =>
  Object.entries(kinds)
    .map(([kind, n]) => `${typeof n === 'object' ? n.objects : n} ${kind}`)
    .join(', ');

/** The fastest peer that ran to the end on one input (variants and failed runs left out). */
function fastestPeer(run, variants) {
  return Object.entries(run.results)
    .filter(([n, r]) => n !== 'kubeha' && !variants.includes(n) && !r.error)
    .sort((a, b) => a[1].wallMs - b[1].wallMs)[0];
}

/** "met" / "not met" for one target, with the figure it was judged on. */
const verdict = (ok, text) => `**${ok ? 'met' : 'not met'}** (${text})`;

/** The performance targets that the sections present can judge, one line each. */
function targets(report) {
  const variants = report.variants ?? [];
  const lines = [];
  const faster = (label, run) => {
    const k = run.results.kubeha;
    const peers = Object.entries(run.results).filter(([n]) => n !== 'kubeha' && !variants.includes(n));
    if (!k || peers.length === 0) return;
    const behind = peers.filter(([, r]) => !r.killed && !(k.wallMs < r.wallMs)).map(([n]) => n);
    lines.push(
      `- ${label}: kubeha faster than every peer: ${verdict(behind.length === 0, `kubeha ${fmt(k.wallMs / 1000)} s; ${peers.map(([n, r]) => `${n} ${r.killed ? `killed at ${r.killed} s` : `${fmt(r.wallMs / 1000)} s${r.error ? ' (failed)' : ''}`}`).join(', ')}`)}`,
    );
  };
  if (report.large) faster('generated corpus', report.large);
  if (report.realworld) faster('real-world-shaped corpus', report.realworld);
  if (report.bundle) {
    faster('2 MiB bundle', report.bundle);
    const k = report.bundle.results.kubeha;
    if (k)
      lines.push(
        `- 2 MiB CRD-heavy bundle in at most 250 ms: ${verdict(k.wallMs <= 250, `${fmt(k.wallMs, 0)} ms`)}`,
      );
  }
  if (report.large?.results.kubeha) {
    const k = report.large.results.kubeha;
    lines.push(
      `- generated ${report.corpus?.objects ?? ''} objects in at most 3 s: ${verdict(k.wallMs <= 3000, `${fmt(k.wallMs / 1000)} s`)}`,
    );
  }
  if (report.realworld?.results.kubeha && report.realworld.results['kube-score']) {
    const k = report.realworld.results.kubeha;
    const ks = report.realworld.results['kube-score'];
    lines.push(
      `- peak RSS on the real-world-shaped corpus at most twice kube-score's: ${verdict(k.rssMiB <= 2 * ks.rssMiB, `${fmt(k.rssMiB, 0)} MiB vs ${fmt(ks.rssMiB, 0)} MiB`)}`,
    );
  }
  if (report.many?.results.kubeha) {
    const k = report.many.results.kubeha;
    lines.push(
      `- ${report.manyCorpus?.files ?? '?'} small files in at most 60 s and 1 GB: ${verdict(!k.killed && k.wallMs <= 60000 && k.rssMiB * 2 ** 20 <= 1e9, k.killed ? `killed at the ${k.killed} s cap` : `${fmt(k.wallMs / 1000)} s, ${fmt(k.rssMiB, 0)} MiB`)}`,
    );
  }
  if (report.small?.results.kubeha) {
    const k = report.small.results.kubeha;
    lines.push(
      `- start-up on \`${report.small.dir}\` at most 200 ms: ${verdict(k.wallMs <= 200, `${fmt(k.wallMs, 0)} ms`)}`,
    );
  }
  if (report.fix?.results['kubeha-fix']) {
    const k = report.fix.results['kubeha-fix'];
    lines.push(
      `- \`fix --dry-run\` on ${report.corpus?.objects ?? '?'} objects in at most 10 s: ${verdict(!k.killed && k.wallMs <= 10000, k.killed ? `killed at the ${k.killed} s cap` : `${fmt(k.wallMs / 1000)} s`)}`,
    );
  }
  return lines;
}

/** The report as Markdown (what docs/benchmarks.md shows); `--render FILE` prints it again from saved JSON. */
function markdown(report) {
  const { corpus, large, small, versions, unavailable } = report;
  const m = report.machine;
  const load = (xs) => xs.map((x) => x.toFixed(1)).join('/');
  const out = [
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, ${m.go}, ${m.python}.`,
    `Load average (1/5/15 min) ${load(report.loadavg.before)} before, ${load(report.loadavg.after)} after.`,
  ];
  const caps = Object.entries(report.timeouts ?? {});
  const how = `${warmups(report.warmup)}, then the median of the runs shown${caps.length ? `; a run is killed after ${caps.map(([t, s]) => `${s} s for ${t}`).join(', ')}` : ''}`;
  if (large) {
    out.push(
      '',
      `**Generated corpus**: ${corpus.objects} objects (${kindList(corpus.kinds)}) in ${corpus.files} files, ${MiB(corpus.bytes)} MiB, seed ${corpus.seed}, sha256 ${corpus.sha256.slice(0, 12)}…; ${how}.`,
      '',
      table(large, corpus.objects, versions, unavailable, true),
    );
  }
  const rw = report.realworldCorpus;
  if (report.realworld) {
    out.push(
      '',
      `**Real-world-shaped corpus**: ${rw.objects} objects in ${rw.files} files of ${rw.projects} projects (operator bundles, Helm and Kustomize output, small files), ${MiB(rw.bytes)} MiB, of which ${MiB(rw.kinds.CustomResourceDefinition?.bytes ?? 0)} MiB in ${rw.kinds.CustomResourceDefinition?.objects ?? 0} CRDs; seed ${rw.seed}, sha256 ${rw.sha256.slice(0, 12)}…; kinds: ${kindList(rw.kinds)}.`,
      '',
      table(report.realworld, rw.objects, versions, unavailable, true),
    );
  }
  if (report.bundle) {
    out.push(
      '',
      `**One 2 MiB operator bundle**: \`${rw.dir}/${rw.bundle.file}\`, ${MiB(rw.bundle.bytes)} MiB, its 3 CRDs ${(rw.bundle.crdBytes / 2 ** 20).toFixed(2)} MiB of it, ${report.bundle.results.kubeha?.seen ?? '?'} objects.`,
      '',
      table(report.bundle, report.bundle.results.kubeha?.seen, versions, [], false),
    );
  }
  if (small) {
    out.push(
      '',
      `**Small folder** (start-up): \`${small.dir}\`, ${small.files} files, ${small.objects ?? '?'} objects; \`node -e ''\` alone takes ${fmt(small.nodeFloorMs, 0)} ms here.`,
      '',
      table(small, small.objects, versions, [], false),
    );
  }
  if (report.fix) {
    out.push(
      '',
      `**\`kubeha fix --dry-run=json --unsafe-fixes\`** on the generated corpus (${corpus.objects} objects).`,
      '',
      table(report.fix, corpus.objects, versions, [], true),
    );
  }
  if (report.many) {
    const mc = report.manyCorpus;
    out.push(
      '',
      `**Many small files**: \`bench/check/generate.mjs --objects ${mc.objects} --one-per-file\`, ${mc.files} files, ${MiB(mc.bytes)} MiB, one run, killed after ${report.many.results.kubeha?.killed ?? 'its cap'} s if still going.`,
      '',
      table(report.many, mc.objects, versions, [], true),
    );
  }
  if (report.realworld || report.bundle || report.fix || report.many) {
    out.push('', 'Targets (wall time in this run):', '', ...targets(report));
  } else if (large && small) {
    // A report of the generated corpus and start-up only (the format before the real-world inputs).
    const k = large.results.kubeha;
    const fastest = fastestPeer(large, report.variants ?? []);
    out.push(
      '',
      `Targets: ${corpus.objects} objects at least as fast as the fastest peer${fastest ? ` (${fastest[0]}, ${fmt(fastest[1].wallMs / 1000)} s)` : ''}: **${fastest ? (k.wallMs <= fastest[1].wallMs ? 'met' : 'not met') : 'no peer ran'}** (kubeha ${fmt(k.wallMs / 1000)} s); small folder under 300 ms: **${small.results.kubeha.wallMs < 300 ? 'met' : 'not met'}** (${fmt(small.results.kubeha.wallMs, 0)} ms).`,
    );
  }
  out.push(
    '',
    `Rerun: \`${report.command}\` (after \`bench/peers/install.sh\` and \`npm run build\`); raw numbers in \`${report.json}\`.`,
  );
  return out.join('\n');
}

if (process.argv[2] === '--render') {
  console.log(markdown(readJson(resolve(process.argv[3] ?? join(OUT, 'check-results.json')))));
} else {
  await main();
}
