#!/usr/bin/env node
// Times `kubeha scan -A` on a kwok cluster of 1 000 nodes and 10 000 running pods (the target
// docs/benchmarks.md holds it to: a 10 000-pod cluster in seconds, with bounded memory), and hardeneks on the same cluster when
// bench/peers/install.sh installed it.
//
//   node bench/scan/run.mjs [--nodes 1000] [--pods 10000] [--runs 3] [--kubeconfig FILE] [--keep]
//
// Without --kubeconfig it starts a cluster of its own (KUBEHA_CLUSTER_NAME=kubeha-scale, from the
// binaries of `npm run cluster:build`) and deletes it at the end unless --keep. The workloads: one
// Deployment per 20 pods, each with a Service, a PDB and an HPA, over 50 namespaces. Results go to
// bench/out/scan-results.json and a Markdown table on stdout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout } from 'node:timers';
import { kubeRequest, loadKubeconfig } from '../../tools/cluster/kube.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLUSTER = 'kubeha-scale';
const PER_DEPLOYMENT = 20;
const NAMESPACES = 50;

function parseArgs(argv) {
  const o = { nodes: 1000, pods: 10000, runs: 3, kubeconfig: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') o.keep = true;
    else if (a === '--kubeconfig') o.kubeconfig = argv[++i];
    else if (['--nodes', '--pods', '--runs'].includes(a)) o[a.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const log = (s) => process.stderr.write(`bench/scan: ${s}\n`);

async function call(kc, method, path, body, allow = []) {
  for (let attempt = 0; ; attempt++) {
    const r = await kubeRequest(kc, method, path, body);
    if ((r.status >= 200 && r.status < 300) || allow.includes(r.status)) return r;
    // The API server sheds load with 429 (priority and fairness) while thousands of pods start.
    if ((r.status === 429 || r.status >= 500) && attempt < 20) {
      await new Promise((res) => setTimeout(res, 250 * (attempt + 1)));
      continue;
    }
    throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  }
}

async function inParallel(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function nodeObject(i) {
  const zone = `zone-${'abc'[i % 3]}`;
  const name = `scale-node-${String(i + 1).padStart(4, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'topology.kubernetes.io/zone': zone,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    status: {
      capacity: { cpu: '16', memory: '64Gi', pods: '110' },
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
    },
  };
}

function workload(ns, name) {
  const labels = { app: name };
  return [
    [
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns, labels },
        spec: {
          replicas: PER_DEPLOYMENT,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: labels },
                },
              ],
              containers: [
                {
                  name: 'app',
                  image: `registry.example/${name}:1`,
                  ports: [{ name: 'http', containerPort: 8080 }],
                  resources: { requests: { cpu: '10m', memory: '32Mi' } },
                  readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
                  livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
                },
              ],
            },
          },
        },
      },
    ],
    [
      `/api/v1/namespaces/${ns}/services`,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: ns },
        // Headless: kwok's service CIDR holds a few hundred cluster IPs, and scan reads Services the same either way.
        spec: { clusterIP: 'None', selector: labels, ports: [{ port: 80, targetPort: 'http' }] },
      },
    ],
    [
      `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name, namespace: ns },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      },
    ],
    [
      `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: PER_DEPLOYMENT,
          maxReplicas: PER_DEPLOYMENT * 2,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
            },
          ],
        },
      },
    ],
  ];
}

/** Ready pods: the Deployments' status.readyReplicas, summed (a field selector gets no remainingItemCount). */
async function runningPods(kc) {
  let ready = 0;
  let token = '';
  do {
    const r = await call(
      kc,
      'GET',
      `/apis/apps/v1/deployments?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
    );
    for (const d of r.body.items) ready += d.status?.readyReplicas ?? 0;
    token = r.body.metadata.continue ?? '';
  } while (token);
  return ready;
}

/** One timed run under GNU time: wall (monotonic), CPU and peak RSS. */
function timed(command, args, env) {
  return new Promise((resolve) => {
    const stats = join(ROOT, 'bench/out/.time');
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-o', stats, '-f', '%U %S %M', command, ...args], {
      cwd: '/tmp',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const [user, sys, rssKb] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      resolve({ code, wallMs, cpuMs: (user + sys) * 1000, rssMiB: rssKb / 1024, out, err });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  if (!existsSync(join(ROOT, 'dist/cli/bin.js')))
    throw new Error('dist/cli/bin.js not found: npm run build first');
  let kubeconfig = o.kubeconfig;
  const own = kubeconfig === undefined;
  const env = { ...process.env, KUBEHA_CLUSTER_NAME: CLUSTER };
  if (own) {
    log(`starting cluster ${CLUSTER}`);
    const out = execFileSync('bash', [join(ROOT, 'tools/cluster/up.sh')], { env, encoding: 'utf8' });
    kubeconfig = out.trim().split('\n').pop();
  }
  try {
    const kc = loadKubeconfig(kubeconfig);
    const t0 = Date.now();
    log(`creating ${o.nodes} kwok nodes`);
    await inParallel(
      Array.from({ length: o.nodes }, (_, i) => nodeObject(i)),
      32,
      (n) => call(kc, 'POST', '/api/v1/nodes', n, [409]),
    );
    const deployments = Math.ceil(o.pods / PER_DEPLOYMENT);
    log(`creating ${deployments} Deployments of ${PER_DEPLOYMENT} pods (with a Service, PDB and HPA each)`);
    const namespaces = Array.from({ length: Math.min(NAMESPACES, deployments) }, (_, i) => `scale-${i + 1}`);
    await inParallel(namespaces, 16, (ns) =>
      call(
        kc,
        'POST',
        '/api/v1/namespaces',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        [409],
      ),
    );
    const creates = Array.from({ length: deployments }, (_, i) =>
      workload(namespaces[i % namespaces.length], `app-${i + 1}`),
    ).flat();
    await inParallel(creates, 16, ([path, body]) => call(kc, 'POST', path, body, [409]));
    log(`waiting for ${o.pods} Ready pods`);
    for (let last = -1; ;) {
      const n = await runningPods(kc);
      if (n !== last) log(`${n} Ready (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      last = n;
      if (n >= o.pods) break;
      if (Date.now() - t0 > 45 * 60_000) throw new Error(`only ${n} pods Ready after 45 minutes`);
      await new Promise((r) => setTimeout(r, 5000));
    }
    const setupS = (Date.now() - t0) / 1000;

    const bin = join(ROOT, 'dist/cli/bin.js');
    const args = [bin, 'scan', '-A', '--kubeconfig', kubeconfig, '-o', 'json', '--fail-on', 'none'];
    log('warm-up scan');
    await timed(process.execPath, args);
    const kubeha = [];
    for (let i = 0; i < o.runs; i++) {
      const r = await timed(process.execPath, args);
      if (r.code !== 0) throw new Error(`kubeha scan exited ${r.code}: ${r.err}`);
      const out = JSON.parse(r.out);
      kubeha.push({ ...r, objects: out.summary.objects, findings: out.findings.length, out: undefined });
      log(`kubeha scan run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB`);
    }

    const hardeneksBin = join(ROOT, 'bench/.peers/hardeneks/bin/hardeneks');
    let hardeneks;
    if (existsSync(hardeneksBin)) {
      const context = JSON.parse(
        execFileSync(
          join(ROOT, 'tools/cluster/bin/kubectl'),
          ['--kubeconfig', kubeconfig, 'config', 'view', '-o', 'json'],
          {
            encoding: 'utf8',
          },
        ),
      )['current-context'];
      const r = await timed(
        hardeneksBin,
        [
          '--region',
          'us-east-1',
          '--cluster',
          CLUSTER,
          '--context',
          context,
          '--export-json',
          '/tmp/hardeneks-scale.json',
        ],
        { KUBECONFIG: kubeconfig, COLUMNS: '200' },
      );
      hardeneks = {
        code: r.code,
        wallMs: r.wallMs,
        cpuMs: r.cpuMs,
        rssMiB: r.rssMiB,
        tail: r.err.slice(-300),
      };
      log(`hardeneks: exit ${r.code}, ${(r.wallMs / 1000).toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB`);
    } else log('hardeneks not installed (bench/peers/install.sh): skipped');

    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout.trim();
    const result = {
      date: new Date().toISOString(),
      loadavg: loadavg().map((l) => l.toFixed(2)),
      cluster: { nodes: o.nodes, pods: o.pods, deployments, namespaces: namespaces.length, setupS },
      kubeha: {
        version,
        runs: kubeha.map(({ wallMs, cpuMs, rssMiB, objects, findings }) => ({
          wallMs,
          cpuMs,
          rssMiB,
          objects,
          findings,
        })),
        wallMs: median(kubeha.map((r) => r.wallMs)),
        cpuMs: median(kubeha.map((r) => r.cpuMs)),
        rssMiB: Math.max(...kubeha.map((r) => r.rssMiB)),
      },
      hardeneks,
    };
    writeFileSync(join(ROOT, 'bench/out/scan-results.json'), JSON.stringify(result, null, 2) + '\n');
    const k = result.kubeha;
    console.log(`| tool | wall, median of ${o.runs} | CPU | peak RSS | objects read |`);
    console.log('|---|--:|--:|--:|--:|');
    console.log(
      `| kubeha ${version} | ${(k.wallMs / 1000).toFixed(2)} s | ${(k.cpuMs / 1000).toFixed(2)} s | ${k.rssMiB.toFixed(0)} MiB | ${kubeha[0].objects} |`,
    );
    if (hardeneks)
      console.log(
        `| hardeneks 1.1.1 (exit ${hardeneks.code}) | ${(hardeneks.wallMs / 1000).toFixed(2)} s (1 run) | ${(hardeneks.cpuMs / 1000).toFixed(2)} s | ${hardeneks.rssMiB.toFixed(0)} MiB | |`,
      );
    console.log(`\nload average ${result.loadavg.join(' ')}; cluster set up in ${setupS.toFixed(0)} s`);
  } finally {
    if (own && !o.keep) {
      log(`deleting cluster ${CLUSTER}`);
      spawnSync('bash', [join(ROOT, 'tools/cluster/down.sh')], { env, stdio: 'ignore' });
    }
  }
}

main().catch((e) => {
  process.stderr.write(`bench/scan: ${e.message}\n`);
  process.exitCode = 1;
});
