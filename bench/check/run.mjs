#!/usr/bin/env node
// Times `kubeha check` and its peers on the same generated corpus, in the same run, and prints a
// Markdown report (the table in docs/benchmarks.md comes from it).
//
//   npm run bench:check                       (builds kubeha first)
//   node bench/check/run.mjs --render [bench/out/check-results.json]   (print the report again)
//   node bench/check/run.mjs [--objects 10000] [--seed 1] [--runs 5] [--runs checkov=1]
//                            [--small-runs 20] [--small examples] [--tools kubeha,kube-score,polaris,checkov]
//                            [--variant NAME=DIR[:NOTE]] [--warmup 1] [--warmup checkov=0] [--json bench/out/check-results.json] [--kubeha PACKAGE_DIR]
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
import { join, relative, resolve } from 'node:path';
import { generate, REPO_ROOT } from './generate.mjs';

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
            .slice(1, 20)
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
  for (const t of [...o.tools, ...Object.keys(o.runsFor), ...Object.keys(o.warmupFor)]) {
    if (!(t in TOOLS)) fail(`unknown tool ${t} (known: ${Object.keys(TOOLS).join(', ')})`);
  }
  return o;
}

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

/** One timed run: wall (ms, monotonic), peak RSS (KiB) and CPU seconds from GNU time, exit code. */
function timed(argv, stdoutFile, stderrFile) {
  const timeFile = `${stderrFile}.time`;
  return new Promise((resolvePromise, reject) => {
    const out = openSync(stdoutFile, 'w');
    const err = openSync(stderrFile, 'w');
    const t0 = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-q', '-f', '%x %e %U %S %M', '-o', timeFile, '--', ...argv], {
      cwd: REPO_ROOT,
      stdio: ['ignore', out, err],
      env: { ...process.env, NO_COLOR: '1', PYTHONWARNINGS: 'ignore' },
    });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      closeSync(out);
      closeSync(err);
      const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ');
      const [code, , user, sys, rssKiB] = fields.map(Number);
      resolvePromise({ wallMs, cpuS: user + sys, rssKiB, code });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs every available tool runsOf(tool) times on dir (interleaved), after warmupOf(tool) untimed runs. */
async function bench(label, dir, tools, runsOf, warmupOf) {
  const files = manifestFiles(dir);
  const logs = join(OUT, 'logs', label);
  mkdirSync(logs, { recursive: true });
  const results = {};
  const runOnce = async (name, record) => {
    const t = TOOLS[name];
    const stdout = join(logs, `${name}.out`);
    const stderr = join(logs, `${name}.err`);
    const r = await timed(t.argv(dir, files), stdout, stderr);
    const res = results[name];
    if (!t.ok.includes(r.code)) {
      res.error = `exit ${r.code}: ${firstLine(readFileSync(stderr, 'utf8')).slice(0, 200)}`;
    }
    if (record) res.runs.push(r);
    process.stderr.write(
      `  ${label} ${name}${record ? '' : ' (warm-up)'}: ${(r.wallMs / 1000).toFixed(3)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB, exit ${r.code}\n`,
    );
  };
  for (const name of tools) results[name] = { runs: [] };
  for (const name of tools) for (let w = 0; w < warmupOf(name); w++) await runOnce(name, false);
  const rounds = Math.max(...tools.map(runsOf));
  for (let round = 0; round < rounds; round++) {
    for (const name of tools) if (round < runsOf(name)) await runOnce(name, true);
  }
  for (const name of tools) {
    const res = results[name];
    const out = join(logs, `${name}.out`);
    try {
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
      time(r.wallMs),
      `${time(r.wallMinMs)}–${time(r.wallMaxMs)}`,
      withRate ? fmt(r.cpuS) : fmt(r.cpuS * 1000, 0),
      fmt(r.rssMiB, 0),
      ...(withRate ? [fmt(objects / (r.wallMs / 1000), 0)] : []),
      name === 'kubeha' ? '1' : fmt(r.wallMs / base),
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
  const runsOf = (t) => o.runsFor[t] ?? o.runs;

  const t0 = performance.now();
  const corpus = generate({ objects: o.objects, seed: o.seed });
  process.stderr.write(
    `corpus: ${corpus.objects} objects in ${corpus.files} files (${corpus.reused ? 'kept' : 'generated'} in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
  );
  const loadBefore = os.loadavg();
  const started = new Date();
  const warmupOf = (t) => o.warmupFor[t] ?? o.warmup;
  const large = await bench(`corpus-${o.objects}`, corpus.dir, tools, runsOf, warmupOf);

  // Start-up: a small folder, many runs; `node` with an empty script is the floor for a Node CLI.
  const small = await bench(
    'small',
    o.small,
    tools,
    (t) => (t === 'kubeha' ? o.smallRuns : Math.min(5, o.smallRuns)),
    () => 1,
  );
  const floor = [];
  for (let i = 0; i < o.smallRuns; i++)
    floor.push(
      (await timed([process.execPath, '-e', ''], '/dev/null', join(OUT, 'logs', 'node.err'))).wallMs,
    );
  const loadAfter = os.loadavg();

  const report = {
    date: started.toISOString(),
    machine: machine(),
    loadavg: { before: loadBefore, after: loadAfter },
    versions,
    corpus: { ...corpus, dir: relative(REPO_ROOT, corpus.dir) },
    command: ['node', 'bench/check/run.mjs', ...process.argv.slice(2)]
      .map((a) => (/^[\w./=:,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
      .join(' '),
    warmup: Object.fromEntries(tools.map((t) => [t, warmupOf(t)])),
    json: relative(REPO_ROOT, o.json),
    large,
    small: { ...small, objects: small.results.kubeha?.seen, nodeFloorMs: median(floor) },
    unavailable,
    variants: o.variants,
  };
  mkdirSync(OUT, { recursive: true });
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

/** The report as Markdown (what docs/benchmarks.md shows); `--render FILE` prints it again from saved JSON. */
function markdown(report) {
  const { corpus, large, small, versions, unavailable } = report;
  const k = large.results.kubeha;
  const variants = report.variants ?? [];
  const peers = Object.entries(large.results).filter(
    ([n, r]) => n !== 'kubeha' && !variants.includes(n) && !r.error,
  );
  const fastest = peers.sort((a, b) => a[1].wallMs - b[1].wallMs)[0];
  const m = report.machine;
  const load = (xs) => xs.map((x) => x.toFixed(1)).join('/');
  const kinds = Object.entries(corpus.kinds)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return [
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, ${m.go}, ${m.python}.`,
    `Load average (1/5/15 min) ${load(report.loadavg.before)} before, ${load(report.loadavg.after)} after.`,
    '',
    `**Corpus**: ${corpus.objects} objects (${kinds}) in ${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB, seed ${corpus.seed}, sha256 ${corpus.sha256.slice(0, 12)}…; ${warmups(report.warmup)}, then the median of the runs shown.`,
    '',
    table(large, corpus.objects, versions, unavailable, true),
    '',
    `**Small folder** (start-up): \`${small.dir}\`, ${small.files} files, ${small.objects ?? '?'} objects; \`node -e ''\` alone takes ${fmt(small.nodeFloorMs, 0)} ms here.`,
    '',
    table(small, small.objects, versions, [], false),
    '',
    `Targets: ${corpus.objects} objects at least as fast as the fastest peer${fastest ? ` (${fastest[0]}, ${fmt(fastest[1].wallMs / 1000)} s)` : ''}: **${fastest ? (k.wallMs <= fastest[1].wallMs ? 'met' : 'not met') : 'no peer ran'}** (kubeha ${fmt(k.wallMs / 1000)} s); small folder under 300 ms: **${small.results.kubeha.wallMs < 300 ? 'met' : 'not met'}** (${fmt(small.results.kubeha.wallMs, 0)} ms).`,
    '',
    `Rerun: \`${report.command}\` (after \`bench/peers/install.sh\` and \`npm run build\`); raw numbers in \`${report.json}\`.`,
  ].join('\n');
}

if (process.argv[2] === '--render') {
  console.log(markdown(readJson(resolve(process.argv[3] ?? join(OUT, 'check-results.json')))));
} else {
  await main();
}
