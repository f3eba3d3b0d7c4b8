#!/usr/bin/env node
// Times `kubeha rightsize` on 1 000 workloads × 3 containers × 14 days of history at 1-minute
// resolution from a real Prometheus (the bar: at most 60 s), and the usage fetch alone
// (dist/sources/prometheus.js's prometheusSource, the part that reads Prometheus).
//
//   node bench/rightsize/run.mjs [--workloads 1000] [--containers 3] [--days 14] [--runs 3]
//     [--resolution 1h] [--timeout 300] [--no-proof] [--fetch-only]
//
// The history has a sample a minute; --resolution is the step it is read at and the range of
// rate(), VPA's --history-resolution (default 1h, VPA's): every 1-minute sample is read by
// Prometheus either way. 1m reads no CPU at all, as VPA would not: rate() needs two samples in its
// range, and a 1-minute range holds one.
//
// The history (bench/out/rightsize, bench/rightsize/fleet.mjs) is made once and reused while it
// ends less than 6 hours ago: the command reads the window that ends now. Prometheus
// (tools/prometheus, npm run prometheus:build) serves it on 127.0.0.1 for the run and stops after.
// --timeout (seconds, default 300) is the longest one Prometheus request may take: the CLI's
// default of 60 s is for people; a loaded machine needs longer to measure at all.
// Results go to bench/out/rightsize-results.json and a Markdown table on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrometheus } from '../../tools/prometheus/start.mjs';
import { fleet, prepareFleet } from './fleet.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out', 'rightsize');
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const log = (s) => process.stderr.write(`bench/rightsize: ${s}\n`);

function parseArgs(argv) {
  const o = {
    workloads: 1000,
    containers: 3,
    days: 14,
    runs: 3,
    timeout: 300,
    resolution: '1h',
    proof: true,
    fetchOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-proof') o.proof = false;
    else if (a === '--fetch-only') o.fetchOnly = true;
    else if (a === '--resolution') {
      o.resolution = argv[++i];
      if (!/^\d+[mh]$/.test(o.resolution ?? ''))
        throw new Error('--resolution takes minutes or hours, e.g. 5m or 1h');
    } else if (['--workloads', '--containers', '--days', '--runs', '--timeout'].includes(a)) {
      o[a.slice(2)] = Number(argv[++i]);
      if (!Number.isInteger(o[a.slice(2)]) || o[a.slice(2)] < 1)
        throw new Error(`${a} takes a positive integer`);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Whether dist/ has the rightsize command yet (helper h6's CLI). */
function hasRightsize() {
  if (!existsSync(BIN)) return false;
  return spawnSync(process.execPath, [BIN, 'rightsize', '--help'], { encoding: 'utf8' }).status === 0;
}

function timeCommand(url, o) {
  const args = [
    BIN,
    'rightsize',
    '-f',
    join(OUT, 'manifests'),
    '--prometheus',
    url,
    '--history-length',
    `${o.days}d`,
    '--history-resolution',
    o.resolution,
    '--prometheus-query-timeout',
    `${o.timeout}s`,
    '-o',
    'json',
  ];
  if (!o.proof) args.push('--no-proof');
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: ROOT,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssKiB = Number(r.stderr.trim().split('\n').pop());
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`rightsize exited ${r.status} without a JSON report: ${r.stderr.trim().slice(0, 2000)}`);
  }
  return { seconds, rssMiB: rssKiB / 1024, exit: r.status, report };
}

async function timeFetch(url, o, meta) {
  const { prometheusSource } = await import(join(ROOT, 'dist', 'sources', 'prometheus.js'));
  const specs = fleet({ workloads: o.workloads, containers: o.containers });
  const queries = specs.map((w) => ({
    workload: { kind: 'Deployment', namespace: w.namespace, name: w.name },
    matchLabels: { app: w.name },
    containers: w.containers.map((c) => c.name),
  }));
  const end = Math.floor(Date.now() / 60_000) * 60;
  const step = Number(o.resolution.slice(0, -1)) * (o.resolution.endsWith('h') ? 3600 : 60);
  const window = { start: end - o.days * 86_400, end, step };
  const started = process.hrtime.bigint();
  const usage = await prometheusSource({ url, timeoutMs: o.timeout * 1000 }).fetch(queries, window);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let containers = 0;
  let samples = 0;
  let problems = 0;
  for (const u of usage) {
    problems += u.problems.length;
    for (const c of u.containers) {
      containers++;
      samples += c.cpu.length + c.memory.length;
    }
  }
  if (end * 1000 - meta.endMs > 6 * 3_600_000)
    log('the history ends more than 6 hours ago: part of the window is empty');
  return { seconds, workloads: usage.length, containers, samples, problems };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  log(`history: ${o.workloads} workloads × ${o.containers} containers × ${o.days} days at 1 minute`);
  const meta = await prepareFleet(OUT, { workloads: o.workloads, containers: o.containers, days: o.days });
  log(
    meta.reused
      ? `reusing ${OUT} (ends ${new Date(meta.endMs).toISOString()})`
      : `wrote ${meta.series} series, ${meta.samples} samples in ${meta.writeSeconds.toFixed(0)} s`,
  );
  const prometheus = await startPrometheus({
    blocksDir: join(OUT, 'tsdb'),
    retention: '30d',
    readyTimeoutMs: 300_000,
  });
  log(`Prometheus at ${prometheus.url}`);
  const results = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    load: loadavg()[0],
    ...o,
    meta,
    fetch: [],
    command: [],
  };
  try {
    for (let run = 0; run < o.runs; run++) {
      const f = await timeFetch(prometheus.url, o, meta);
      results.fetch.push(f);
      log(
        `fetch ${run + 1}: ${f.seconds.toFixed(1)} s, ${f.containers} containers, ${f.samples} samples, ${f.problems} problems`,
      );
    }
    if (!o.fetchOnly && hasRightsize()) {
      for (let run = 0; run < o.runs; run++) {
        const c = timeCommand(prometheus.url, o);
        const recommended = c.report.workloads
          .flatMap((w) => w.containers)
          .filter((x) => x.recommended !== null).length;
        results.command.push({
          seconds: c.seconds,
          rssMiB: c.rssMiB,
          exit: c.exit,
          summary: c.report.summary,
          recommended,
        });
        log(
          `rightsize ${run + 1}: ${c.seconds.toFixed(1)} s, ${c.rssMiB.toFixed(0)} MiB, exit ${c.exit}, ` +
            `${recommended} containers recommended, summary ${JSON.stringify(c.report.summary)}`,
        );
      }
    } else if (!o.fetchOnly) log('dist/cli/bin.js has no rightsize command yet: timed the fetch only');
  } finally {
    await prometheus.stop();
  }
  writeFileSync(
    join(ROOT, 'bench', 'out', 'rightsize-results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  const fetchMedian = median(results.fetch.map((f) => f.seconds));
  console.log(`| what | runs | median | samples read | peak RSS |`);
  console.log(`|---|--:|--:|--:|--:|`);
  console.log(
    `| usage fetch (prometheusSource) | ${results.fetch.length} | ${fetchMedian.toFixed(1)} s | ${results.fetch[0].samples} | |`,
  );
  if (results.command.length) {
    console.log(
      `| \`kubeha rightsize -o json${o.proof ? '' : ' --no-proof'}\` | ${results.command.length} | ${median(results.command.map((c) => c.seconds)).toFixed(1)} s | | ${median(results.command.map((c) => c.rssMiB)).toFixed(0)} MiB |`,
    );
  }
  console.log(
    `\nread at ${o.resolution} resolution; ${results.cpus} CPUs, load ${results.load.toFixed(1)} at the start; bar: 60 s.`,
  );
}

main().catch((e) => {
  console.error(`bench/rightsize: ${e.message}`);
  process.exit(1);
});
