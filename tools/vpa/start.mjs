// Runs the real VPA recommender (built by tools/vpa/build.sh from k8s.io/autoscaler/
// vertical-pod-autoscaler v1.8.1) against a cluster and a Prometheus, the way kubeha rightsize reads
// them, so that test/e2e/rightsize-vpa.test.ts can compare the two on the same history.
//
// Every flag below was checked in the module's pkg/recommender/config/config.go and common/flags.go.
// Only the flags that say WHERE the history is and HOW its series are labelled are set; every flag
// that changes the numbers (percentiles, margins, minimums, half-lives, OOM bump, rounding) keeps
// VPA's default, since kubeha's defaults are VPA's.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { makeCerts } from '../cluster/certs.mjs';
import { kubeCall } from '../cluster/kube.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const RECOMMENDER = join(here, 'bin', 'recommender');
export const ADMISSION_CONTROLLER = join(here, 'bin', 'admission-controller');
export const UPDATER = join(here, 'bin', 'updater');
/** The MutatingWebhookConfiguration the admission controller registers (pkg/admission-controller/config.go). */
export const WEBHOOK_CONFIG = 'vpa-webhook-config';
export const CRDS = join(here, 'crds.yaml');

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/**
 * Installs the VerticalPodAutoscaler and VerticalPodAutoscalerCheckpoint CRDs (crds.yaml, copied
 * from the module's deploy/vpa-v1-crd-gen.yaml) and waits until the API server serves them.
 * Resolves with the names of those it created (not those that were there already).
 */
export async function installVpaCrds(kc, timeoutMs = 60_000) {
  const crds = parseAllDocuments(readFileSync(CRDS, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'CustomResourceDefinition');
  const created = [];
  for (const crd of crds) {
    const r = await kubeCall(kc, 'POST', CRD_PATH, crd, undefined, [409]);
    if (r.status !== 409) created.push(crd.metadata.name);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const { body } = await kubeCall(kc, 'GET', `${CRD_PATH}/${crd.metadata.name}`);
      const established = (body.status?.conditions ?? []).some(
        (c) => c.type === 'Established' && c.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} not Established after ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  return created;
}

/** Deletes CRDs (those installVpaCrds created), and with them every object of theirs. */
export async function uninstallVpaCrds(kc, names) {
  for (const name of names) await kubeCall(kc, 'DELETE', `${CRD_PATH}/${name}`, undefined, undefined, [404]);
}

/** A port the kernel just gave out on 127.0.0.1 (closed again before it is handed over). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The recommender's command line. `cadvisorJob` is the `job` label of the cAdvisor series (VPA's
 * default 'kubernetes-cadvisor'; '' drops the job matcher); `podLabelsMetric` must be a RANGE
 * selector: the history provider runs it as an instant query and refuses anything but a matrix
 * (history_provider.go readLastLabels), so VPA's own default `up{job="kubernetes-pods"}` would fail.
 */
export function recommenderArgs(o) {
  const args = [
    `--kubeconfig=${o.kubeconfig}`,
    '--storage=prometheus',
    `--prometheus-address=${o.prometheusUrl}`,
    `--prometheus-cadvisor-job-name=${o.cadvisorJob ?? 'kubernetes-cadvisor'}`,
    `--history-length=${o.historyLength ?? '8d'}`,
    `--history-resolution=${o.historyResolution ?? '1h'}`,
    // kube-state-metrics' kube_pod_labels{namespace, pod, label_<name>}.
    `--metric-for-pod-labels=${o.podLabelsMetric ?? `kube_pod_labels[${o.historyLength ?? '8d'}]`}`,
    '--pod-label-prefix=label_',
    '--pod-name-label=pod',
    '--pod-namespace-label=namespace',
    // cAdvisor's labels since Kubernetes 1.16 (VPA's defaults are the older pod_name / name).
    '--container-pod-name-label=pod',
    '--container-name-label=container',
    '--container-namespace-label=namespace',
    `--recommender-interval=${o.interval ?? '5s'}`,
    `--address=127.0.0.1:${o.port}`,
    '--leader-elect=false',
  ];
  // Limits the VPAs, pods and history read to one namespace: it changes which objects are read,
  // not a number computed for them.
  if (o.namespace) args.push(`--vpa-object-namespace=${o.namespace}`);
  return args;
}

/**
 * Runs `bin` with `args`, its stdout and stderr into `logFile`. `exited()` is how it exited, once it
 * has; `stop()` sends SIGTERM, SIGKILL after 5 s, and closes the log.
 */
function spawnLogged(bin, args, logFile) {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited;
  const exitedPromise = new Promise((r) =>
    child.on('exit', (code, signal) => r((exited = { code, signal }))),
  );
  return {
    pid: child.pid,
    exited: () => exited,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exitedPromise, sleep(5_000).then(() => undefined)]);
        if (!killed) {
          child.kill('SIGKILL');
          await exitedPromise;
        }
      }
      log.end();
    },
  };
}

/**
 * Starts the recommender. Its Prometheus requests go through a pass-through proxy on 127.0.0.1
 * that records each request's path and parameters (`queries`), so a test knows the exact window
 * (start, end, step) the recommender read and can ask kubeha for the same one.
 * Resolves once its metrics endpoint answers; `runs()` counts its finished main loops
 * (vpa_recommender_execution_latency_seconds_count{step="total"}).
 */
export async function startRecommender(o) {
  if (!existsSync(RECOMMENDER)) throw new Error(`no recommender at ${RECOMMENDER}: run 'npm run vpa:build'`);
  const proxy = await startRecordingProxy(o.prometheusUrl);
  const port = await freePort();
  const args = recommenderArgs({ ...o, prometheusUrl: proxy.url, port });
  const logFile = o.logFile ?? join(here, '..', '..', 'reports', `vpa-recommender-${port}.log`);
  const proc = spawnLogged(RECOMMENDER, args, logFile);
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;

  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  for (;;) {
    const exited = proc.exited();
    if (exited) {
      await proxy.close();
      throw new Error(`the recommender exited (${exited.code ?? exited.signal}) at start; log: ${logFile}`);
    }
    if ((await fetchText(metricsUrl)) !== undefined) break;
    if (Date.now() > deadline) {
      await proc.stop();
      await proxy.close();
      throw new Error(
        `the recommender's metrics did not answer within ${o.startTimeoutMs ?? 30_000} ms; log: ${logFile}`,
      );
    }
    await sleep(200);
  }

  return {
    args,
    logFile,
    metricsUrl,
    queries: proxy.queries,
    pid: proc.pid,
    async runs() {
      const text = await fetchText(metricsUrl);
      const m = text?.match(/^vpa_recommender_execution_latency_seconds_count\{step="total"\} (\S+)$/m);
      return m ? Number(m[1]) : 0;
    },
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      await proc.stop();
      await proxy.close();
    },
  };
}

/**
 * Starts the real admission controller (pkg/admission-controller; every flag checked in its
 * config/config.go and common/flags.go). It registers itself by URL, https://127.0.0.1:<port>,
 * with a CA made here (tools/cluster/certs.mjs) and failure policy Ignore, after its own 10 s
 * delay; it reads only `namespace`'s VPAs. Its webhook listens on every interface (its --port takes
 * no address); its metrics on 127.0.0.1. Resolves once the configuration is registered;
 * `admissions(resource)` counts the requests the API server sent it ('Pod' or 'VPA'). stop() also
 * deletes the configuration, so that later pods go through no webhook.
 */
export async function startAdmissionController(o) {
  if (!existsSync(ADMISSION_CONTROLLER))
    throw new Error(`no admission controller at ${ADMISSION_CONTROLLER}: run 'npm run vpa:build'`);
  const certs = makeCerts({ caName: 'kubeha-vpa-webhook-ca' });
  const [port, metricsPort] = [await freePort(), await freePort()];
  const args = [
    `--kubeconfig=${o.kubeconfig}`,
    `--client-ca-file=${join(certs.dir, 'ca.pem')}`,
    `--tls-cert-file=${certs.cert}`,
    `--tls-private-key=${certs.key}`,
    `--port=${port}`,
    `--address=127.0.0.1:${metricsPort}`,
    '--register-webhook=true',
    '--register-by-url=true',
    '--webhook-address=https://127.0.0.1',
    `--webhook-port=${port}`,
    `--vpa-object-namespace=${o.namespace}`,
  ];
  const logFile = o.logFile ?? join(here, '..', '..', 'reports', `vpa-admission-${port}.log`);
  const proc = spawnLogged(ADMISSION_CONTROLLER, args, logFile);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const configPath = `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${WEBHOOK_CONFIG}`;
  const stop = async () => {
    await proc.stop();
    await kubeCall(o.kc, 'DELETE', configPath, undefined, undefined, [404]);
  };

  const deadline = Date.now() + (o.startTimeoutMs ?? 60_000);
  for (;;) {
    const exited = proc.exited();
    if (exited) {
      await stop();
      throw new Error(
        `the admission controller exited (${exited.code ?? exited.signal}) at start; log: ${logFile}`,
      );
    }
    const r = await kubeCall(o.kc, 'GET', configPath, undefined, undefined, [404]);
    if (r.status === 200 && r.body.webhooks?.[0]?.clientConfig?.url === `https://127.0.0.1:${port}`) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the admission controller registered no webhook within ${o.startTimeoutMs ?? 60_000} ms; log: ${logFile}`,
      );
    }
    await sleep(500);
  }
  return {
    args,
    logFile,
    metricsUrl,
    async admissions(resource) {
      const text = (await fetchText(metricsUrl)) ?? '';
      let n = 0;
      for (const m of text.matchAll(
        /^vpa_admission_controller_admission_latency_seconds_count\{([^}]*)\} (\S+)$/gm,
      ))
        if (m[1].includes(`resource="${resource}"`)) n += Number(m[2]);
      return n;
    },
    log: () => readFileSync(logFile, 'utf8'),
    stop,
  };
}

/**
 * Starts the real updater (pkg/updater; flags checked in its config/config.go): every `interval`
 * (default 5s; VPA's is 1m) it evicts the pods of `namespace` whose requests are off their VPA's
 * recommendation, with VPA's defaults for everything that decides which and how many
 * (--min-replicas=2, --eviction-tolerance=0.5, the admission controller's status required, so start
 * that first). Metrics on 127.0.0.1; `loops()` counts its finished loops, `evicted()` the pods it
 * evicted (vpa_updater_evicted_pods_total).
 */
export async function startUpdater(o) {
  if (!existsSync(UPDATER)) throw new Error(`no updater at ${UPDATER}: run 'npm run vpa:build'`);
  const port = await freePort();
  const args = [
    `--kubeconfig=${o.kubeconfig}`,
    `--updater-interval=${o.interval ?? '5s'}`,
    `--vpa-object-namespace=${o.namespace}`,
    `--address=127.0.0.1:${port}`,
    '--leader-elect=false',
  ];
  const logFile = o.logFile ?? join(here, '..', '..', 'reports', `vpa-updater-${port}.log`);
  const proc = spawnLogged(UPDATER, args, logFile);
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  for (;;) {
    const exited = proc.exited();
    if (exited)
      throw new Error(`the updater exited (${exited.code ?? exited.signal}) at start; log: ${logFile}`);
    if ((await fetchText(metricsUrl)) !== undefined) break;
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(
        `the updater's metrics did not answer within ${o.startTimeoutMs ?? 30_000} ms; log: ${logFile}`,
      );
    }
    await sleep(200);
  }
  const sum = async (pattern) => {
    const text = (await fetchText(metricsUrl)) ?? '';
    let n = 0;
    for (const m of text.matchAll(pattern)) n += Number(m[1]);
    return n;
  };
  return {
    args,
    logFile,
    metricsUrl,
    loops: () => sum(/^vpa_updater_execution_latency_seconds_count\{step="total"\} (\S+)$/gm),
    evicted: () => sum(/^vpa_updater_evicted_pods_total(?:\{[^}]*\})? (\S+)$/gm),
    log: () => readFileSync(logFile, 'utf8'),
    stop: () => proc.stop(),
  };
}

/**
 * A pass-through HTTP proxy on 127.0.0.1: forwards every request to `target` unchanged and records
 * its path and parameters (query string and form body), e.g. to see which window a Prometheus
 * client read.
 */
export async function startRecordingProxy(target) {
  const upstream = new URL(target);
  const queries = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url, upstream);
      const params = new URLSearchParams(url.search);
      if (req.headers['content-type']?.includes('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
      }
      queries.push({ path: url.pathname, params: Object.fromEntries(params), at: Date.now() / 1000 });
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e.message));
      });
      forward.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The body of a GET answered 200 within 2 s, else undefined. */
function fetchText(url) {
  return new Promise((resolveText) => {
    const req = httpRequest(url, { timeout: 2_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolveText(res.statusCode === 200 ? text : undefined));
      res.on('error', () => resolveText(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveText(undefined));
    req.end();
  });
}
