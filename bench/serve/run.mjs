#!/usr/bin/env node
// Times `kubeha serve`'s admission answers: reviews of a Deployment posted straight to the webhook
// over HTTPS, `--concurrency` at a time, against a namespace of `--workloads` Deployments (each with a
// Service, a PDB and an HPA) on the test control plane, read from its API server. Four cases: each
// object judged alone (--no-cluster-context); the namespace's view (the default: listed once and
// followed by watches, or kept 10 s where watching is refused) with reviews that get findings resting
// on the namespace (serve confirms them after a sync of the kinds they join) and with reviews of a
// correct Deployment (no finding: the view answers); and the namespace read for every review
// (--context-ttl 0s, the worst case).
//
//   npm run cluster:up && node bench/serve/run.mjs [--workloads 200] [--reviews 2000] [--concurrency 8]
//     [--bin dist/cli/bin.js] [--only default,cached] [--node-args '--cpu-prof --cpu-prof-dir=/tmp/prof']
//
// --bin times another build of kubeha (a before/after comparison on the same machine state); --only
// runs some cases (alone,default,cached,ttl0); --node-args go to the node that runs serve (a profile).
// The kubeconfig is $KUBEHA_E2E_KUBECONFIG, else cluster:up's.
//
// Results: a Markdown table on stdout and bench/out/serve-results.json.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { kubeRequest, loadKubeconfig } from '../../tools/cluster/kube.mjs';
import { kubeconfigPath } from '../../tools/cluster/nodes.mjs';
import { makeCerts } from '../../tools/cluster/certs.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NS = 'kubeha-bench-serve';

function parseArgs(argv) {
  const o = {
    workloads: 200,
    reviews: 2000,
    concurrency: 8,
    bin: 'dist/cli/bin.js',
    only: '',
    'node-args': '',
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o)) throw new Error(`unknown argument ${argv[i]}`);
    const value = argv[++i];
    o[key] = typeof o[key] === 'number' ? Number(value) : value;
  }
  return o;
}

const log = (s) => process.stderr.write(`bench/serve: ${s}\n`);

const deployment = (name, replicas) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name, image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
      },
    },
  },
});

async function populate(kc, workloads) {
  await kubeRequest(kc, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  const existing = await kubeRequest(kc, 'GET', `/apis/apps/v1/namespaces/${NS}/deployments`);
  if ((existing.body.items ?? []).length >= workloads) return;
  for (let i = 0; i < workloads; i++) {
    const name = `app-${i}`;
    // Scaled to 0: the namespace's objects are what admission reads, not pods.
    await kubeRequest(kc, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment(name, 0));
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${NS}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NS },
      spec: { selector: { app: name }, ports: [{ port: 80 }] },
    });
    await kubeRequest(kc, 'POST', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: NS },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
    });
    await kubeRequest(kc, 'POST', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 2,
        maxReplicas: 6,
      },
    });
  }
}

async function startServe(o, certs, extra) {
  const child = spawn(
    process.execPath,
    [
      ...o['node-args'].split(' ').filter(Boolean),
      resolve(ROOT, o.bin),
      'serve',
      '--tls-cert',
      certs.cert,
      '--tls-key',
      certs.key,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--metrics-port',
      'off',
      '--kubeconfig',
      kubeconfigPath(),
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stderr }).on('line', (l) => {
      const m = /webhook on (\S+) /.exec(l);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { child, url: new URL(url) };
}

// Two reviews. `conflict`: replicas: 3 next to the HPA (minReplicas 2), an hpa-replicas-conflict and
// other findings that rest on the namespace (no preStop behind a Service, spread for the HPA's
// replicas): serve confirms them on a read made after the review arrived. `correct`: the Deployment as
// test/e2e/correct-workloads.ts builds it (no replicas, probes, preStop, spread): no finding, and the
// cached namespace answers.
function reviewed(name, shape) {
  if (shape === 'conflict') return deployment(name, 3);
  const selector = { matchLabels: { app: name } };
  const object = deployment(name, 0);
  delete object.spec.replicas;
  object.spec.strategy = { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  object.spec.template.spec = {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        nodeTaintsPolicy: 'Honor',
        labelSelector: selector,
      },
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: selector,
      },
    ],
    containers: [
      {
        name,
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 24 },
        livenessProbe: { tcpSocket: { port: 'http' } },
        readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
    ],
  };
  return object;
}

function review(i, shape) {
  const object = reviewed(`app-${i % 50}`, shape);
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `u-${i}`, operation: 'UPDATE', namespace: NS, object },
  });
}

function post(agent, url, ca, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        ca,
        agent,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the pid and the name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function measure(name, certs, extra, o, shape) {
  const { child, url } = await startServe(o, certs, extra);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  // Warm-up: the first reviews compile the rules' code.
  for (let i = 0; i < 50; i++) await post(agent, url, certs.ca, review(i, shape));
  const times = [];
  let next = 0;
  const cpuBefore = cpuSeconds(child.pid);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.reviews) times.push(await post(agent, url, certs.ca, review(next++, shape)));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuSeconds(child.pid) - cpuBefore;
  agent.destroy();
  child.kill('SIGTERM');
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return {
    case: name,
    reviews: times.length,
    perSecond: times.length / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    // serve's own CPU per review: what load on the shared cores inflates least.
    cpuMsPerReview: (1000 * cpu) / times.length,
    load: loadavg()[0],
  };
}

const o = parseArgs(process.argv.slice(2));
const kc = loadKubeconfig(kubeconfigPath());
log(`namespace ${NS}: ${o.workloads} Deployments, each with a Service, a PDB and an HPA`);
await populate(kc, o.workloads);
const certs = makeCerts();
const results = [];
const CASES = [
  { id: 'alone', name: 'each object alone (--no-cluster-context)', flags: ['--no-cluster-context'] },
  {
    id: 'default',
    name: 'namespace view (default), findings that rest on it (confirmed after a sync)',
    flags: [],
  },
  {
    id: 'cached',
    name: 'namespace view (default), a correct Deployment (no finding: the view answers)',
    flags: [],
    shape: 'correct',
  },
  { id: 'ttl0', name: 'namespace read for every review (--context-ttl 0s)', flags: ['--context-ttl', '0s'] },
];
const only = o.only ? o.only.split(',') : CASES.map((c) => c.id);
for (const id of only)
  if (!CASES.some((c) => c.id === id)) throw new Error(`--only: among ${CASES.map((c) => c.id)}`);
for (const c of CASES.filter((c) => only.includes(c.id))) {
  log(c.name);
  results.push(await measure(c.name, certs, c.flags, o, c.shape ?? 'conflict'));
}
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/serve-results.json'), JSON.stringify({ options: o, results }, null, 2));
console.log(
  `| case (${o.workloads} Deployments + Services, PDBs, HPAs; ${o.concurrency} at a time) | reviews/s | p50 | p95 | p99 | serve CPU per review | load |`,
);
console.log('|---|--:|--:|--:|--:|--:|--:|');
for (const r of results)
  console.log(
    `| ${r.case} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.cpuMsPerReview.toFixed(2)} ms | ${r.load.toFixed(1)} |`,
  );
