/* global setInterval, clearInterval */
// kubeha simulate benchmark: placement throughput (pods/s) and the wall time of the full failure
// analysis (every node loss, every zone loss, every drain) at Kubernetes' scale limits.
// Usage: npm run bench:simulate [-- --quick] [-- --only 5000]
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';

// KUBEHA_DIST=<folder> measures a build kept elsewhere than dist/ (relative to the repository root).
const dist = resolve(process.env.KUBEHA_DIST ?? 'dist');
const { mergeReports, simulate } = await import(pathToFileURL(join(dist, 'index.js')).href);

const FULL = ['node-loss', 'zone-loss', 'drain'];

if (!isMainThread) {
  // A shard of the full analysis: the same cluster (deterministic), every count-th scenario.
  const { nodes, pods, index, count } = workerData;
  const g = generate({ nodes, pods, mix: 'realistic' });
  const r = simulate(g.objects, g.topology, { scenarios: FULL, shard: { index, count } });
  parentPort.postMessage(r);
  process.exit(0);
}

/** The full analysis split over worker threads, one shard each, merged. */
function parallel(nodes, pods, count) {
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { nodes, pods, index, count } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  ).then((reports) => mergeReports(reports));
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? Number(args[args.indexOf('--only') + 1]) : undefined;

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
sampler.unref();

function time(label, fn) {
  const t0 = performance.now();
  const r = fn();
  const s = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { r, s };
}

const rows = [];
const sizes = quick
  ? [[200, 6000]]
  : [
      [1000, 30000],
      [5000, 150000],
    ].filter(([n]) => only === undefined || n === only);

for (const [nodes, pods] of sizes) {
  // scheduler_perf-style throughput: one kind of constraint, 5 000 nodes (or the size at hand).
  for (const mix of ['zone-spread', 'anti-affinity']) {
    const count = mix === 'zone-spread' ? Math.min(pods, 20000) : Math.min(pods, 5000);
    const g = generate({ nodes, pods: count, mix });
    const cpu0 = process.cpuUsage();
    const { r } = time(mix, () => simulate(g.objects, g.topology, { scenarios: [] }));
    const cpu1 = process.cpuUsage(cpu0);
    const s = r.stats.placementMs / 1000;
    rows.push({
      nodes,
      case: `placement, ${mix === 'zone-spread' ? 'zone spreading' : 'required anti-affinity'}`,
      pods: g.pods,
      seconds: s,
      podsPerSecond: g.pods / s,
      cpuSecondsWithSetup: (cpu1.user + cpu1.system) / 1e6,
    });
    console.error(
      `${nodes} nodes, ${mix}: ${g.pods} pods in ${s.toFixed(2)} s = ${(g.pods / s).toFixed(0)} pods/s`,
    );
  }
  const g = generate({ nodes, pods, mix: 'realistic' });
  const place = time('placement', () => simulate(g.objects, g.topology, { scenarios: [] }));
  rows.push({
    nodes,
    case: 'placement, realistic mix',
    pods: g.pods,
    seconds: place.s,
    podsPerSecond: g.pods / place.s,
  });
  console.error(
    `${nodes} nodes, realistic: ${g.pods} pods (${g.workloads} workloads) placed in ${place.s.toFixed(2)} s = ${(g.pods / place.s).toFixed(0)} pods/s`,
  );
  const jobs = Math.min(availableParallelism(), 4);
  const p0 = performance.now();
  const merged = await parallel(nodes, pods, jobs);
  const ps2 = (performance.now() - p0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  rows.push({
    nodes,
    case: `the same on ${jobs} worker threads (each places the cluster, then runs every ${jobs}th scenario)`,
    pods: g.pods,
    scenarios: merged.scenarios.length,
    seconds: ps2,
  });
  console.error(
    `${nodes} nodes: placement + every node loss, zone loss and drain on ${jobs} threads in ${ps2.toFixed(2)} s; verdicts ${JSON.stringify(merged.summary)}`,
  );
  const c0 = process.cpuUsage();
  const full = time('full', () =>
    simulate(g.objects, g.topology, { scenarios: ['node-loss', 'zone-loss', 'drain'] }),
  );
  const c1 = process.cpuUsage(c0);
  const cpuSeconds = (c1.user + c1.system) / 1e6;
  const scenarios = full.r.scenarios.length;
  rows.push({
    nodes,
    case: 'placement + every node loss, zone loss and drain',
    pods: g.pods,
    scenarios,
    seconds: full.s,
    cpuSeconds,
  });
  console.error(
    `${nodes} nodes: placement + ${scenarios - 1} scenarios in ${full.s.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s); verdicts ${JSON.stringify(full.r.summary)}`,
  );
}
clearInterval(sampler);
console.log(JSON.stringify({ node: process.version, rows, peakRssMiB: Math.round(peak / 2 ** 20) }, null, 2));
