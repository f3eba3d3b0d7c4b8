#!/usr/bin/env node
// Generates a deterministic corpus of Kubernetes manifests for `kubeha check` benchmarks.
//
//   node bench/check/generate.mjs [--objects 10000] [--seed 1] [--out bench/out/corpus-10000] [--one-per-file]
//
// The corpus looks like a platform repository: one folder per team (namespace), one folder per
// application, and in it either one multi-document file or one file per kind. Applications are
// stateless services (Deployment + Service + PDB + HPA + ConfigMap), stateful sets (StatefulSet +
// headless Service + PDB + ConfigMap) and queue workers (Deployment + ConfigMap, some with an HPA).
// About a third of the workloads carry one or more HA defects from the rule catalog (single
// replica, missing probes, PDB that blocks eviction, deprecated API, spread selector mismatch, …)
// so the rules have work to do. The same seed and object count always give the same bytes.
// A summary (object counts per kind, defects, a digest of the content) is written beside the
// corpus folder as <out>.meta.json, outside the corpus so that no tool reads it as a manifest.
// --one-per-file writes the same objects one per file (default folder bench/out/corpus-<N>-files):
// `--objects 100000 --one-per-file` is the 100 000-small-files case of bench/check/run.mjs.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');

/** mulberry32: small, fast, seeded; enough for a reproducible corpus. Shared with generate-realworld.mjs. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ['payments', 'checkout', 'search', 'catalog', 'identity', 'media', 'growth', 'data'];
const NOUNS = [
  'api',
  'web',
  'gateway',
  'orders',
  'billing',
  'ledger',
  'auth',
  'profile',
  'cart',
  'pricing',
  'inventory',
  'notify',
  'mailer',
  'report',
  'ingest',
  'index',
  'render',
  'thumbs',
  'session',
  'feed',
];
const IMAGES = [
  ['nginx', ['1.25.4', '1.27.0-alpine']],
  ['ghcr.io/acme/service', ['v2.14.1', 'v2.15.0', 'v3.0.2']],
  ['registry.example.com/platform/app', ['2024.06.1', '2024.07.3']],
  ['eclipse-temurin', ['21-jre']],
  ['python', ['3.12-slim']],
];
const DBS = [
  ['postgres', '16.3', 5432, 'postgres'],
  ['redis', '7.2.5', 6379, 'redis'],
  ['bitnami/kafka', '3.7.0', 9092, 'kafka'],
];

/** The HA defects a workload may carry; each maps to the kubeha rule it should trigger. */
export const DEFECTS = {
  singleReplica: 'single-replica',
  noReadiness: 'missing-readiness-probe',
  noLiveness: 'missing-liveness-probe',
  identicalProbes: 'identical-probes',
  slowStart: 'slow-start-without-startup-probe',
  probePortName: 'probe-port-mismatch',
  noRequests: 'missing-resource-requests',
  recreate: 'recreate-strategy',
  allUnavailable: 'rollout-all-unavailable',
  noHistory: 'no-rollback-history',
  noSpread: 'no-node-spread',
  deprecatedKey: 'deprecated-topology-key',
  spreadMismatch: 'spread-selector-mismatch',
  noPdb: 'missing-pdb',
  pdbBlocks: 'pdb-blocks-eviction',
  pdbV1beta1: 'deprecated-api',
  pdbOrphan: 'pdb-matches-nothing',
  hpaMin1: 'hpa-min-replicas',
  hpaReplicas: 'hpa-replicas-conflict',
  noPreStop: 'no-graceful-shutdown',
};

class Writer {
  constructor() {
    this.files = new Map(); // relative path → array of documents
    this.kinds = {};
    this.defects = {};
    this.objects = 0;
  }
  add(file, kind, doc) {
    let docs = this.files.get(file);
    if (!docs) this.files.set(file, (docs = []));
    docs.push(doc);
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
    this.objects++;
  }
  defect(name) {
    this.defects[name] = (this.defects[name] ?? 0) + 1;
  }
}

const q = (s) => JSON.stringify(String(s)); // a YAML double-quoted scalar is a JSON string

function labelsBlock(labels, indent) {
  const pad = ' '.repeat(indent);
  return Object.entries(labels)
    .map(([k, v]) => `${pad}${k}: ${q(v)}`)
    .join('\n');
}

/** One application bundle. `budget` is how many objects may still be written. */
function genApp(w, rnd, ctx, budget) {
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;
  const { team, name, dir } = ctx;
  const split = chance(0.5); // one file per kind, or one multi-document file
  // --one-per-file: every object in a file of its own (an application has one object of each kind);
  // the draw above still happens, so the objects are the same as without the option.
  const file = (kind) => (split || ctx.onePerFile ? join(dir, `${kind}.yaml`) : join(dir, `${name}.yaml`));
  const r = rnd();
  const shape = r < 0.6 ? 'service' : r < 0.8 ? 'stateful' : 'worker';
  const defective = chance(0.35);
  const d = new Set();
  if (defective) {
    const keys = Object.keys(DEFECTS);
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) d.add(pick(keys));
  }
  for (const x of d) w.defect(x);

  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': `${name}-prod` };
  const labels = {
    ...selector,
    'app.kubernetes.io/part-of': team,
    'app.kubernetes.io/version': `1.${Math.floor(rnd() * 40)}.${Math.floor(rnd() * 10)}`,
    'app.kubernetes.io/managed-by': 'kustomize',
  };
  const hasHpa = shape === 'service' ? !d.has('singleReplica') : shape === 'worker' && chance(0.5);
  const replicas = d.has('singleReplica') ? 1 : shape === 'stateful' ? 3 : 2 + Math.floor(rnd() * 5);
  const writeReplicas = !hasHpa || d.has('hpaReplicas');
  let left = budget;

  // ConfigMap first: it is what a real app's kustomization lists first.
  if (left > 0) {
    const entries = 2 + Math.floor(rnd() * 6);
    let data = '';
    for (let i = 0; i < entries; i++)
      data += `  ${pick(NOUNS).toUpperCase()}_${i}_URL: ${q(`http://${pick(NOUNS)}.${team}.svc:8080/v${i}`)}\n`;
    data += `  LOG_LEVEL: ${q(pick(['info', 'debug', 'warn']))}\n`;
    data += `  application.yaml: |\n    server:\n      port: 8080\n      shutdown: graceful\n    management:\n      endpoints: [health, metrics]\n`;
    w.add(
      file('configmap'),
      'ConfigMap',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n  namespace: ${team}\n  labels:\n${labelsBlock(labels, 4)}\ndata:\n${data}`,
    );
    left--;
  }

  // The workload.
  if (left > 0) {
    const stateful = shape === 'stateful';
    const [image, tags, port, portName] = stateful
      ? [
          DBS[ctx.i % DBS.length][0],
          [DBS[ctx.i % DBS.length][1]],
          DBS[ctx.i % DBS.length][2],
          DBS[ctx.i % DBS.length][3],
        ]
      : [...pick(IMAGES), 8080, 'http'];
    const kind = stateful ? 'StatefulSet' : 'Deployment';
    const probePort = d.has('probePortName') ? 'healthz' : portName;
    const probe = (path, period) =>
      stateful
        ? `tcpSocket:\n              port: ${probePort}\n            periodSeconds: ${period}`
        : `httpGet:\n              path: ${path}\n              port: ${probePort}\n            periodSeconds: ${period}`;
    let probes = '';
    if (!d.has('noReadiness'))
      probes += `          readinessProbe:\n            ${probe('/ready', 5)}\n            failureThreshold: 3\n`;
    if (!d.has('noLiveness')) {
      const delay = d.has('slowStart') ? 90 : 0;
      const live =
        d.has('identicalProbes') && !d.has('noReadiness') ? probe('/ready', 5) : probe('/live', 10);
      const wait = delay
        ? `            initialDelaySeconds: ${delay} # the JVM takes a while to start\n`
        : '';
      probes += `          livenessProbe:\n${wait}            ${live}\n            failureThreshold: 3\n`;
      if (!delay && !stateful && chance(0.3))
        probes += `          startupProbe:\n            ${probe('/live', 2)}\n            failureThreshold: 30\n`;
    }
    const requests = d.has('noRequests')
      ? ''
      : `            requests:\n              cpu: ${pick(['100m', '250m', '500m', '1'])}\n              memory: ${pick(['128Mi', '256Mi', '512Mi', '1Gi'])}\n`;
    const limits = `            limits:\n              memory: ${pick(['512Mi', '1Gi', '2Gi'])}\n`;
    const preStop = d.has('noPreStop')
      ? ''
      : `          lifecycle:\n            preStop:\n              exec:\n                command: ["sh", "-c", "sleep 10"]\n`;
    const env =
      `          env:\n            - name: POD_NAME\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n` +
      `            - name: JAVA_TOOL_OPTIONS\n              value: ${q('-XX:MaxRAMPercentage=75')}\n` +
      `          envFrom:\n            - configMapRef:\n                name: ${name}-config\n`;

    // Spreading: anti-affinity on hostname, a zone spread constraint, or nothing.
    let spread = '';
    const ownSel = d.has('spreadMismatch')
      ? { ...selector, 'app.kubernetes.io/name': `${name}-old` }
      : selector;
    const zoneKey = d.has('deprecatedKey')
      ? 'failure-domain.beta.kubernetes.io/zone'
      : 'topology.kubernetes.io/zone';
    if (!d.has('noSpread') && replicas > 1) {
      const style = rnd();
      if (style < 0.5) {
        spread =
          `      topologySpreadConstraints:\n` +
          `        - maxSkew: 1\n          topologyKey: ${zoneKey}\n          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n            matchLabels:\n${labelsBlock(ownSel, 14)}\n` +
          `        - maxSkew: 1\n          topologyKey: kubernetes.io/hostname\n          whenUnsatisfiable: DoNotSchedule\n          labelSelector:\n            matchLabels:\n${labelsBlock(ownSel, 14)}\n`;
      } else {
        spread =
          `      affinity:\n        podAntiAffinity:\n` +
          `          requiredDuringSchedulingIgnoredDuringExecution:\n            - topologyKey: kubernetes.io/hostname\n              labelSelector:\n                matchExpressions:\n                  - key: app.kubernetes.io/name\n                    operator: In\n                    values: [${q(ownSel['app.kubernetes.io/name'])}]\n` +
          `          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 100\n              podAffinityTerm:\n                topologyKey: ${zoneKey}\n                labelSelector:\n                  matchLabels:\n${labelsBlock(ownSel, 20)}\n`;
      }
    }
    let strategy = '';
    if (!stateful) {
      if (d.has('recreate')) strategy = `  strategy:\n    type: Recreate\n`;
      else {
        const mu = d.has('allUnavailable') ? "'100%'" : pick(['0', '1', "'25%'"]);
        strategy = `  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: ${pick(['1', "'25%'"])}\n      maxUnavailable: ${mu}\n`;
      }
    }
    const history = d.has('noHistory')
      ? `  revisionHistoryLimit: 0\n`
      : chance(0.5)
        ? `  revisionHistoryLimit: 5\n`
        : '';
    const grace = d.has('noPreStop') && chance(0.5) ? 0 : stateful ? 60 : 30;
    const volumes = stateful
      ? `  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [ReadWriteOnce]\n        storageClassName: gp3\n        resources:\n          requests:\n            storage: ${pick(['10Gi', '50Gi', '200Gi'])}\n`
      : '';
    const mounts = stateful
      ? `          volumeMounts:\n            - name: data\n              mountPath: /var/lib/data\n`
      : '';
    const sidecar =
      !stateful && chance(0.2)
        ? `        - name: envoy\n          image: envoyproxy/envoy:v1.30.2\n          ports:\n            - name: admin\n              containerPort: 9901\n          resources:\n            requests:\n              cpu: 50m\n              memory: 64Mi\n`
        : '';
    w.add(
      file(kind.toLowerCase()),
      kind,
      `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${team}\n  labels:\n${labelsBlock(labels, 4)}\n` +
        `  annotations:\n    owner: ${q(`${team}@example.com`)}\n    runbook: ${q(`https://runbooks.example.com/${team}/${name}`)}\n` +
        `spec:\n` +
        (writeReplicas ? `  replicas: ${replicas}\n` : '') +
        (stateful ? `  serviceName: ${name}-headless\n  podManagementPolicy: Parallel\n` : '') +
        history +
        strategy +
        `  selector:\n    matchLabels:\n${labelsBlock(selector, 6)}\n` +
        `  template:\n    metadata:\n      labels:\n${labelsBlock(labels, 8)}\n      annotations:\n        prometheus.io/scrape: "true"\n        prometheus.io/port: "${port}"\n` +
        `    spec:\n      serviceAccountName: ${name}\n      terminationGracePeriodSeconds: ${grace}\n` +
        `      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        fsGroup: 10001\n` +
        spread +
        `      containers:\n        - name: ${stateful ? portName : 'app'}\n          image: ${image}:${pick(tags)}\n          imagePullPolicy: IfNotPresent\n` +
        `          ports:\n            - name: ${portName}\n              containerPort: ${port}\n              protocol: TCP\n` +
        env +
        probes +
        `          resources:\n${requests}${limits}` +
        preStop +
        mounts +
        `          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n` +
        sidecar +
        volumes,
    );
    left--;
    ctx.workloadKind = kind;
    ctx.port = port;
    ctx.portName = portName;
  }

  // Service (stateless and stateful; a worker has none).
  if (left > 0 && shape !== 'worker') {
    const headless = shape === 'stateful';
    w.add(
      file('service'),
      'Service',
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${headless ? `${name}-headless` : name}\n  namespace: ${team}\n  labels:\n${labelsBlock(labels, 4)}\n` +
        `spec:\n  type: ClusterIP\n${headless ? '  clusterIP: None\n' : ''}  selector:\n${labelsBlock(selector, 4)}\n` +
        `  ports:\n    - name: ${ctx.portName}\n      port: ${headless ? ctx.port : 80}\n      targetPort: ${ctx.portName}\n      protocol: TCP\n`,
    );
    left--;
  }

  // PodDisruptionBudget (not for workers, not when the defect is a missing one).
  if (left > 0 && shape !== 'worker' && !d.has('noPdb')) {
    const api = d.has('pdbV1beta1') ? 'policy/v1beta1' : 'policy/v1';
    const budgetSpec = d.has('pdbBlocks')
      ? `  minAvailable: ${replicas}\n`
      : shape === 'stateful'
        ? `  maxUnavailable: 1\n`
        : pick([`  minAvailable: 1\n`, `  maxUnavailable: 1\n`, `  maxUnavailable: '25%'\n`]);
    const pdbSel = d.has('pdbOrphan') ? { 'app.kubernetes.io/name': `${name}-legacy` } : selector;
    w.add(
      file('pdb'),
      'PodDisruptionBudget',
      `apiVersion: ${api}\nkind: PodDisruptionBudget\nmetadata:\n  name: ${name}\n  namespace: ${team}\n  labels:\n${labelsBlock(labels, 4)}\n` +
        `spec:\n${budgetSpec}  selector:\n    matchLabels:\n${labelsBlock(pdbSel, 6)}\n`,
    );
    left--;
  }

  // HorizontalPodAutoscaler.
  if (left > 0 && hasHpa) {
    const min = d.has('hpaMin1') ? 1 : Math.max(2, replicas);
    const max = min + 2 + Math.floor(rnd() * 10);
    const memory = chance(0.4)
      ? `    - type: Resource\n      resource:\n        name: memory\n        target:\n          type: Utilization\n          averageUtilization: 80\n`
      : '';
    w.add(
      file('hpa'),
      'HorizontalPodAutoscaler',
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\n  namespace: ${team}\n  labels:\n${labelsBlock(labels, 4)}\n` +
        `spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: ${ctx.workloadKind ?? 'Deployment'}\n    name: ${name}\n  minReplicas: ${min}\n  maxReplicas: ${max}\n` +
        `  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 300\n` +
        `  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: ${pick([60, 70, 75])}\n` +
        memory,
    );
    left--;
  }
  return budget - left;
}

/**
 * Writes the corpus and returns its summary. Deterministic: the same options give the same bytes.
 * @param {{objects?: number, seed?: number, out?: string, onePerFile?: boolean}} options
 */
export function generate(options = {}) {
  const total = options.objects ?? 10000;
  const seed = options.seed ?? 1;
  const onePerFile = options.onePerFile === true;
  const out = resolve(
    options.out ?? join(REPO_ROOT, 'bench', 'out', `corpus-${total}${onePerFile ? '-files' : ''}`),
  );
  const rnd = prng(seed);
  const w = new Writer();
  let written = 0;
  let i = 0;
  const used = new Set();
  while (written < total) {
    const team = TEAMS[i % TEAMS.length];
    const first = Math.floor(rnd() * NOUNS.length);
    const second = (first + 1 + Math.floor(rnd() * (NOUNS.length - 1))) % NOUNS.length;
    let name = `${NOUNS[first]}-${NOUNS[second]}`;
    while (used.has(`${team}/${name}`)) name += `-${Math.floor(rnd() * 36).toString(36)}`;
    used.add(`${team}/${name}`);
    const dir = join(`team-${team}`, name);
    written += genApp(w, rnd, { team, name, dir, i, onePerFile }, total - written);
    i++;
  }

  // Render every file first: the digest says whether the corpus on disk is already this one.
  const header = `# generated by bench/check/generate.mjs (seed ${seed}, ${total} objects): do not edit\n`;
  const rendered = [...w.files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, docs]) => [file, header + docs.join('---\n')]);
  const hash = createHash('sha256');
  let bytes = 0;
  for (const [file, text] of rendered) {
    hash.update(file).update('\0').update(text);
    bytes += Buffer.byteLength(text);
  }
  const sha256 = hash.digest('hex');
  const metaFile = `${out}.meta.json`;
  const reused = existsSync(out) && readDigest(metaFile) === sha256;
  if (!reused) {
    rmSync(out, { recursive: true, force: true });
    const dirs = new Set();
    for (const [file, text] of rendered) {
      const full = join(out, file);
      const parent = dirname(full);
      if (!dirs.has(parent)) {
        mkdirSync(parent, { recursive: true });
        dirs.add(parent);
      }
      writeFileSync(full, text);
    }
  }
  const meta = {
    seed,
    objects: w.objects,
    applications: i,
    files: rendered.length,
    bytes,
    sha256,
    kinds: w.kinds,
    defects: Object.fromEntries(Object.entries(w.defects).map(([k, v]) => [`${k} (${DEFECTS[k]})`, v])),
    out: relative(REPO_ROOT, out),
    ...(onePerFile ? { onePerFile } : {}),
  };
  if (!reused) writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { ...meta, dir: out, reused };
}

function readDigest(metaFile) {
  try {
    return JSON.parse(readFileSync(metaFile, 'utf8')).sha256;
  } catch {
    return undefined;
  }
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--objects' || a === '--seed') {
      opts[a.slice(2)] = Number(v);
      i++;
    } else if (a === '--out') {
      opts.out = v;
      i++;
    } else if (a === '--one-per-file') {
      opts.onePerFile = true;
    } else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node bench/check/generate.mjs [--objects 10000] [--seed 1] [--out DIR] [--one-per-file]',
      );
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (opts.objects !== undefined && !(Number.isInteger(opts.objects) && opts.objects > 0)) {
    console.error('--objects must be a whole number > 0');
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const meta = generate(parseArgs(process.argv.slice(2)));
  const ms = performance.now() - t0;
  console.log(
    `${meta.objects} objects (${meta.applications} applications) in ${meta.files} files, ${(meta.bytes / 2 ** 20).toFixed(1)} MiB, in ${meta.out} (${meta.reused ? 'unchanged, kept' : 'written'} in ${ms.toFixed(0)} ms)`,
  );
  console.log(JSON.stringify(meta.kinds));
}
