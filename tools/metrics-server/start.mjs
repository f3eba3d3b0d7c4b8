// Runs the real metrics-server (built by build.sh) as a local process on 127.0.0.1 against the kwok
// cluster of tools/cluster, and serves metrics.k8s.io through the kube-apiserver's aggregation layer,
// as kwokctl's --enable-metrics-server wires it (sigs.k8s.io/kwok v0.8.0,
// pkg/kwokctl/components/metrics_server*.go):
//
// - kwok plays every node's kubelet: its controller serves the kubelet's /metrics/resource for a
//   node at /metrics/nodes/<node>/metrics/resource on its own port (the node's
//   status.daemonEndpoints port, at the node's address), from a `Metric` object and the usage that
//   `ResourceUsage` / `ClusterResourceUsage` objects give each container (CEL expressions or values).
//   cluster:up enables those three kinds as CRDs of the kwok controller, so that they are created
//   here, per test, rather than fixed when the cluster starts.
// - metrics-server reads the node annotation metrics.k8s.io/resource-metrics-path for that path
//   (--kubelet-use-node-status-port for the port) and scrapes with --kubelet-insecure-tls, as kwokctl
//   does: kwok serves with the cluster's admin certificate, which names no node.
// - The APIService v1beta1.metrics.k8s.io points at an ExternalName Service (externalName 127.0.0.1):
//   the aggregator resolves an ExternalName Service to that host and the APIService's port (no
//   --enable-aggregator-routing needed), and checks metrics-server's certificate against the
//   APIService's caBundle for the name <service>.<namespace>.svc, so a CA and a serving certificate
//   for that name are made here with openssl.
// - The aggregator calls metrics-server with the API server's --proxy-client-cert-file (kwokctl
//   gives it the admin certificate, signed by the cluster CA) and the caller's identity in
//   X-Remote-User / X-Remote-Group headers. kwokctl sets no --requestheader-client-ca-file, so
//   kube-system/extension-apiserver-authentication names no front-proxy CA: metrics-server is given
//   the cluster CA as its --requestheader-client-ca-file, so that it takes the caller from those
//   headers (and checks it with a SubjectAccessReview) as on a real cluster, rather than failing to
//   load a front-proxy CA on every request.
//
// stop() deletes the APIService first: an APIService whose server is gone makes discovery fail for
// every client and blocks namespace deletion, which would break every later test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeCall, kubeRequest, loadKubeconfig } from '../cluster/kube.mjs';
import { makeCerts } from '../cluster/certs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const METRICS_SERVER = resolve(here, 'bin', 'metrics-server');
const KUBECTL = resolve(here, '..', 'cluster', 'bin', 'kubectl');
export const API_SERVICE = 'v1beta1.metrics.k8s.io';
export const SERVICE = { namespace: 'kube-system', name: 'kubeha-metrics-server' };
const KWOK_API = '/apis/kwok.x-k8s.io/v1alpha1';
const FIELD_MANAGER = 'kubeha-metrics-server';
const USAGE_KINDS = ['Metric', 'ResourceUsage', 'ClusterResourceUsage'];
const SERVICE_DNS = `${SERVICE.name}.${SERVICE.namespace}.svc`;

/** Whether build.sh has made the binary. */
export const metricsServerBuilt = () => existsSync(METRICS_SERVER);

/**
 * kwok's own Metric for the kubelet's resource endpoint (kustomize/metrics/resource/
 * metrics-resource.yaml of sigs.k8s.io/kwok v0.8.0, which kwokctl installs with metrics-server):
 * the series metrics-server reads, each from the usage kwok computes for a container, pod or node.
 */
function resourceMetric(name) {
  const containerLabels = [
    { name: 'container', value: 'container.name' },
    { name: 'namespace', value: 'pod.metadata.namespace' },
    { name: 'pod', value: 'pod.metadata.name' },
  ];
  const podLabels = containerLabels.slice(1);
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Metric',
    metadata: { name },
    spec: {
      path: '/metrics/nodes/{nodeName}/metrics/resource',
      metrics: [
        { name: 'scrape_error', dimension: 'node', kind: 'gauge', help: 'scrape error', value: '0' },
        {
          name: 'container_start_time_seconds',
          dimension: 'container',
          kind: 'gauge',
          help: 'Start time of the container since unix epoch in seconds',
          labels: containerLabels,
          value: 'pod.SinceSecond()',
        },
        {
          name: 'container_cpu_usage_seconds_total',
          dimension: 'container',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the container in core-seconds',
          labels: containerLabels,
          value: 'pod.CumulativeUsage("cpu", container.name)',
        },
        {
          name: 'container_memory_working_set_bytes',
          dimension: 'container',
          kind: 'gauge',
          help: 'Current working set of the container in bytes',
          labels: containerLabels,
          value: 'pod.Usage("memory", container.name)',
        },
        {
          name: 'pod_cpu_usage_seconds_total',
          dimension: 'pod',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the pod in core-seconds',
          labels: podLabels,
          value: 'pod.CumulativeUsage("cpu")',
        },
        {
          name: 'pod_memory_working_set_bytes',
          dimension: 'pod',
          kind: 'gauge',
          help: 'Current working set of the pod in bytes',
          labels: podLabels,
          value: 'pod.Usage("memory")',
        },
        {
          name: 'node_cpu_usage_seconds_total',
          dimension: 'node',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the node in core-seconds',
          value: 'node.CumulativeUsage("cpu")',
        },
        {
          name: 'node_memory_working_set_bytes',
          dimension: 'node',
          kind: 'gauge',
          help: 'Current working set of the node in bytes',
          value: 'node.Usage("memory")',
        },
      ],
    },
  };
}

/**
 * kwok's default usage (kustomize/metrics/usage/usage-from-annotation.yaml): a pod's annotations
 * kwok.x-k8s.io/usage-cpu and kwok.x-k8s.io/usage-memory, else 1m and 1Mi per container. Pods with
 * a ResourceUsage of their own use that instead.
 */
function usageFromAnnotations(name) {
  const fromAnnotation = (resource, fallback) =>
    `"kwok.x-k8s.io/usage-${resource}" in pod.metadata.annotations` +
    ` ? Quantity(pod.metadata.annotations["kwok.x-k8s.io/usage-${resource}"]) : Quantity("${fallback}")`;
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterResourceUsage',
    metadata: { name },
    spec: {
      usages: [
        {
          usage: {
            cpu: { expression: fromAnnotation('cpu', '1m') },
            memory: { expression: fromAnnotation('memory', '1Mi') },
          },
        },
      ],
    },
  };
}

/** A usage value: a number or quantity string is a constant, `{ expression }` a kwok CEL expression. */
function usageValue(v) {
  if (v === undefined) return undefined;
  if (typeof v === 'object' && v !== null && typeof v.expression === 'string')
    return { expression: v.expression };
  if (typeof v === 'number' || typeof v === 'string') return { value: String(v) };
  throw new Error(`a usage must be a quantity or { expression }, not ${JSON.stringify(v)}`);
}

/**
 * A ResourceUsage for one pod (same name and namespace): `containers` maps a container name (or
 * '*', any other container) to its `{ cpu, memory }` usage, each a quantity or `{ expression }`.
 */
export function podUsage({ namespace, pod, containers }) {
  const usages = Object.entries(containers).map(([container, { cpu, memory }]) => {
    const usage = {};
    if (cpu !== undefined) usage.cpu = usageValue(cpu);
    if (memory !== undefined) usage.memory = usageValue(memory);
    return container === '*' ? { usage } : { containers: [container], usage };
  });
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ResourceUsage',
    metadata: { name: pod, namespace },
    spec: { usages },
  };
}

/**
 * A ClusterResourceUsage: the usage of the containers of every pod in `namespaces` (all when
 * omitted) and named in `pods` (all when omitted), `containers` as in podUsage. A pod's own
 * ResourceUsage wins over it; two ClusterResourceUsages that match one pod are taken in no set order.
 */
export function clusterUsage({ name, namespaces, pods, containers }) {
  const selector = {};
  if (namespaces) selector.matchNamespaces = namespaces;
  if (pods) selector.matchNames = pods;
  const { spec } = podUsage({ namespace: '', pod: name, containers });
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterResourceUsage',
    metadata: { name },
    spec: { selector, usages: spec.usages },
  };
}

/**
 * The node annotation by which metrics-server finds kwok's resource metrics for a node (kwokctl's
 * node template sets it; nodes made by tools/cluster/nodes.mjs need it added to be scraped).
 */
export const METRICS_PATH_ANNOTATION = 'metrics.k8s.io/resource-metrics-path';
export const metricsPathAnnotation = (node) => ({
  [METRICS_PATH_ANNOTATION]: `/metrics/nodes/${node}/metrics/resource`,
});

const usagePath = (o) =>
  o.kind === 'ResourceUsage'
    ? `${KWOK_API}/namespaces/${o.metadata.namespace}/resourceusages/${o.metadata.name}`
    : `${KWOK_API}/${o.kind === 'Metric' ? 'metrics' : 'clusterresourceusages'}/${o.metadata.name}`;

const applyQuery = `?fieldManager=${FIELD_MANAGER}&force=true`;

async function apply(kc, path, object) {
  await kubeCall(kc, 'PATCH', path + applyQuery, object, 'application/apply-patch+yaml');
}

async function remove(kc, path) {
  await kubeCall(kc, 'DELETE', path, undefined, undefined, [404]);
}

/** A TCP port nobody listens on now, on 127.0.0.1. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** GET https://127.0.0.1:port/path with the CA, resolving with the status code (0 when unreachable). */
function probe(port, path, ca) {
  return new Promise((resolveStatus) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, ca, servername: SERVICE_DNS, timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () => resolveStatus(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveStatus(0));
    req.end();
  });
}

function lastLines(file, n = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts metrics-server and registers it as metrics.k8s.io. Options:
 * - kubeconfig: the cluster's admin kubeconfig path (cluster:up's);
 * - usages: ResourceUsage / ClusterResourceUsage objects (podUsage, clusterUsage) to create first;
 * - usageFromAnnotations (default true): kwok's ClusterResourceUsage that reads pod annotations;
 * - metricResolutionSeconds (default 10, metrics-server's minimum): its scrape interval;
 * - readyTimeoutMs (default 90 s): how long to wait for the APIService to be Available.
 * Resolves with { port, logFile, applyUsages(objects), stop() }; stop() is idempotent.
 */
export async function startMetricsServer({
  kubeconfig,
  usages = [],
  usageFromAnnotations: withAnnotations = true,
  metricResolutionSeconds = 10,
  readyTimeoutMs = 90_000,
  binary = METRICS_SERVER,
}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run 'npm run metrics-server:build' first`);
  const kc = loadKubeconfig(kubeconfig);
  const crds = await kubeRequest(kc, 'GET', KWOK_API);
  const served = new Set((crds.body?.resources ?? []).map((r) => r.kind));
  const missing = USAGE_KINDS.filter((k) => !served.has(k));
  if (missing.length > 0) {
    throw new Error(
      `the cluster's kwok does not serve ${missing.join(', ')} (kwok.x-k8s.io): start it with a current 'npm run cluster:up', which enables usage emulation`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'kubeha-metrics-server-'));
  // Kept after stop(), beside (not in) the certificates' folder, for a failed test to be read.
  const logFile = `${dir}.log`;
  // What stop() deletes, each noted before it is made (a half-made one must go too): the
  // APIService before its Service, then kwok's objects.
  const registration = [];
  const kwokObjects = new Set();
  let child;
  let exited;
  let exitedPromise;
  let stopped = false;

  // A test process that ends without stop() (an uncaught error, process.exit) still takes the
  // APIService and metrics-server with it: only synchronous work can run then, hence kubectl.
  const onExit = () => {
    child?.kill('SIGKILL');
    if (registration.length === 0 || !existsSync(KUBECTL)) return;
    spawnSync(
      KUBECTL,
      [
        ...['--kubeconfig', kubeconfig, '--namespace', SERVICE.namespace, 'delete', '--ignore-not-found'],
        ...[`apiservice/${API_SERVICE}`, `service/${SERVICE.name}`],
      ],
      {
        stdio: 'ignore',
        timeout: 10_000,
      },
    );
  };
  process.once('exit', onExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    const errors = [];
    for (const path of [...registration.reverse(), ...kwokObjects]) {
      try {
        await remove(kc, path);
      } catch (e) {
        errors.push(`${path}: ${e.message}`);
      }
    }
    if (child && exited === undefined) {
      child.kill('SIGTERM');
      // metrics-server drains its requests first; 5 s is plenty for a test's few.
      const gone = await Promise.race([exitedPromise.then(() => true), sleep(5_000, false, { ref: false })]);
      if (!gone) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    if (errors.length > 0) throw new Error(`metrics-server clean-up: ${errors.join('; ')}`);
  };
  const applyKwok = async (objects) => {
    for (const o of objects) {
      kwokObjects.add(usagePath(o));
      await apply(kc, usagePath(o), o);
    }
  };

  try {
    await applyKwok([
      resourceMetric('kubeha-metrics-resource'),
      ...(withAnnotations ? [usageFromAnnotations('kubeha-usage-from-annotation')] : []),
      ...usages,
    ]);

    const tls = makeCerts({ dir, dnsName: SERVICE_DNS, caName: 'kubeha-metrics-server-ca' });
    if (!kc.ca) throw new Error(`${kubeconfig} names no certificate authority for the API server`);
    const clusterCa = join(dir, 'cluster-ca.pem');
    writeFileSync(clusterCa, kc.ca);
    const port = await freePort();
    const out = openSync(logFile, 'a');
    child = spawn(
      binary,
      [
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--tls-cert-file=${tls.cert}`,
        `--tls-private-key-file=${tls.key}`,
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--requestheader-client-ca-file=${clusterCa}`,
        `--metric-resolution=${metricResolutionSeconds}s`,
        // It must be under 90 % of the resolution (10 s by default, as is the resolution's minimum).
        `--kubelet-request-timeout=${Math.max(1, Math.floor(metricResolutionSeconds * 0.8))}s`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        '--kubelet-use-node-status-port',
        '--kubelet-insecure-tls',
      ],
      { stdio: ['ignore', out, out] },
    );
    closeSync(out);
    exitedPromise = new Promise((r) =>
      child.once('exit', (code, signal) => {
        exited = code ?? signal;
        r();
      }),
    );
    child.once('error', (e) => {
      exited = e.message;
    });

    // Its own /livez first, so that the aggregator's first availability check finds it.
    for (const deadline = Date.now() + readyTimeoutMs; ;) {
      if (exited !== undefined) throw new Error(`metrics-server exited (${exited}):\n${lastLines(logFile)}`);
      if ((await probe(port, '/livez', tls.ca)) === 200) break;
      if (Date.now() > deadline)
        throw new Error(`metrics-server did not answer on 127.0.0.1:${port}:\n${lastLines(logFile)}`);
      await sleep(250);
    }

    const servicePath = `/api/v1/namespaces/${SERVICE.namespace}/services/${SERVICE.name}`;
    registration.push(servicePath);
    await apply(kc, servicePath, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SERVICE.name, namespace: SERVICE.namespace },
      spec: { type: 'ExternalName', externalName: '127.0.0.1' },
    });
    const apiServicePath = `/apis/apiregistration.k8s.io/v1/apiservices/${API_SERVICE}`;
    registration.push(apiServicePath);
    await apply(kc, apiServicePath, {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: API_SERVICE },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { ...SERVICE, port },
        caBundle: tls.ca.toString('base64'),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    });
    let condition;
    for (const deadline = Date.now() + readyTimeoutMs; ;) {
      if (exited !== undefined) throw new Error(`metrics-server exited (${exited}):\n${lastLines(logFile)}`);
      const { body } = await kubeCall(kc, 'GET', apiServicePath);
      condition = (body.status?.conditions ?? []).find((c) => c.type === 'Available');
      if (condition?.status === 'True') break;
      if (Date.now() > deadline) {
        throw new Error(
          `APIService ${API_SERVICE} is not Available after ${readyTimeoutMs / 1000} s (${condition?.reason}: ${condition?.message}):\n${lastLines(logFile)}`,
        );
      }
      await sleep(500);
    }

    return {
      port,
      logFile,
      /** Creates or replaces ResourceUsage / ClusterResourceUsage objects; stop() deletes them. */
      applyUsages: applyKwok,
      stop,
    };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
