// Usage history of known shape, as cAdvisor and kube-state-metrics would have exported it, for a
// real Prometheus to serve (start.mjs backfills it with promtool). Every value is a pure function of
// the workload specs, the window and the seed, so a test knows exactly what Prometheus must answer
// and a recommender's result can be checked against the distribution that produced it.
//
// The window is a grid of `step` seconds ending at `end` (default: now, rounded down to the step),
// because the VPA recommender reads the last days relative to the present. A series has a value at
// each grid point where its pod was alive, NaN elsewhere.
import { closeSync, openSync, writeSync } from 'node:fs';

export const DEFAULT_STEP_SECONDS = 60;
export const DEFAULT_CADVISOR_JOB = 'kubernetes-cadvisor'; // the VPA recommender's default job name
export const DEFAULT_KSM_JOB = 'kube-state-metrics';
export const KSM_INSTANCE = 'kube-state-metrics.kube-system.svc:8080';
const DEFAULT_NODES = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];

/** The metric families, in the order a file lists them (OpenMetrics keeps a family's samples together). */
export const FAMILIES = [
  {
    family: 'container_cpu_usage_seconds',
    name: 'container_cpu_usage_seconds_total',
    type: 'counter',
    help: 'Cumulative cpu time consumed in seconds.',
  },
  {
    family: 'container_memory_working_set_bytes',
    name: 'container_memory_working_set_bytes',
    type: 'gauge',
    help: 'Current working set of the container in bytes',
  },
  { family: 'kube_pod_info', name: 'kube_pod_info', type: 'gauge', help: 'Information about pod.' },
  {
    family: 'kube_pod_labels',
    name: 'kube_pod_labels',
    type: 'gauge',
    help: 'Kubernetes labels converted to Prometheus labels.',
  },
  {
    family: 'kube_pod_owner',
    name: 'kube_pod_owner',
    type: 'gauge',
    help: "Information about the Pod's owner.",
  },
  {
    family: 'kube_replicaset_owner',
    name: 'kube_replicaset_owner',
    type: 'gauge',
    help: "Information about the ReplicaSet's owner.",
  },
  {
    family: 'kube_pod_container_resource_requests',
    name: 'kube_pod_container_resource_requests',
    type: 'gauge',
    help: 'The number of requested request resource by a container.',
  },
  {
    family: 'kube_pod_container_resource_limits',
    name: 'kube_pod_container_resource_limits',
    type: 'gauge',
    help: 'The number of requested limit resource by a container.',
  },
  {
    family: 'kube_pod_container_status_restarts',
    name: 'kube_pod_container_status_restarts_total',
    type: 'counter',
    help: 'The number of container restarts per container.',
  },
  {
    family: 'kube_pod_container_status_last_terminated_reason',
    name: 'kube_pod_container_status_last_terminated_reason',
    type: 'gauge',
    help: 'Describes the last reason the container was in terminated state.',
  },
];
const FAMILY_OF = new Map(FAMILIES.map((f) => [f.name, f]));

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: one stream per (seed, key), so a series does not change when another
// workload is added or the families are generated in another order.

function hash32(text) {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform [0, 1) stream (mulberry32) for a seed and a key. */
export function randomStream(seed, key) {
  let a = hash32(`${seed}\u0000${key}`);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand) {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

// Kubernetes' rand.SafeEncodeString alphabet (no vowels, no confusable digits), as in pod names.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function nameSuffix(seed, key, length) {
  const rand = randomStream(seed, key);
  let s = '';
  for (let i = 0; i < length; i++) s += NAME_ALPHABET[Math.floor(rand() * NAME_ALPHABET.length)];
  return s;
}

function uid(seed, key) {
  const hex = [0, 1, 2, 3].map((i) => hash32(`${seed}/${key}/${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// The window.

/** The sample grid: `count` points `stepMs` apart, the last at `endMs` (a multiple of the step). */
export function windowGrid(options = {}) {
  const stepSeconds = options.stepSeconds ?? DEFAULT_STEP_SECONDS;
  if (!(stepSeconds > 0) || !Number.isInteger(stepSeconds * 1000)) {
    throw new Error(`step must be a positive number of milliseconds, got ${stepSeconds} s`);
  }
  const stepMs = stepSeconds * 1000;
  const endRaw = options.end === undefined ? Date.now() : new Date(options.end).getTime();
  if (!Number.isFinite(endRaw)) throw new Error(`end is not a time: ${String(options.end)}`);
  const endMs = Math.floor(endRaw / stepMs) * stepMs;
  const days = options.days ?? 8;
  if (!(days > 0)) throw new Error(`days must be positive, got ${days}`);
  const count = Math.floor((days * 86_400_000) / stepMs) + 1;
  return { startMs: endMs - (count - 1) * stepMs, endMs, stepMs, count };
}

function stepAt(grid, at, what) {
  if (!(at > 0 && at < 1))
    throw new Error(`${what}: 'at' is a fraction of the window between 0 and 1, got ${at}`);
  return Math.max(1, Math.min(grid.count - 1, Math.round(at * (grid.count - 1))));
}

// ---------------------------------------------------------------------------------------------
// Shapes: the usage of one container in one pod replica, at every grid point. CPU in cores (the
// average over the step that ends at the point), memory in bytes.

const SHAPES = ['steady', 'spiky', 'growing', 'daily', 'oom'];

function jittered(value, jitter, rand) {
  return jitter ? Math.max(0, value * (1 + jitter * normal(rand))) : value;
}

/**
 * Fills `out` with a shape's values over the grid. `life` gives, per point, the steps since the
 * container (re)started, which only the OOM shape uses; `onKill(i)` is told of each OOM kill.
 */
function fillShape(shape, grid, rand, out, what) {
  if (!shape || !SHAPES.includes(shape.kind)) {
    throw new Error(`${what}: unknown shape ${JSON.stringify(shape?.kind)} (one of ${SHAPES.join(', ')})`);
  }
  const jitter = shape.jitter ?? 0;
  const n = grid.count;
  switch (shape.kind) {
    case 'steady':
      for (let i = 0; i < n; i++) out[i] = jittered(shape.mean, jitter, rand);
      return;
    case 'growing':
      for (let i = 0; i < n; i++) {
        out[i] = jittered(shape.from + ((shape.to - shape.from) * i) / Math.max(1, n - 1), jitter, rand);
      }
      return;
    case 'daily': {
      const peakHour = shape.peakHour ?? 14;
      for (let i = 0; i < n; i++) {
        const hour = ((grid.startMs + i * grid.stepMs) % 86_400_000) / 3_600_000;
        const wave = (1 + Math.cos((2 * Math.PI * (hour - peakHour)) / 24)) / 2;
        out[i] = jittered(shape.low + (shape.high - shape.low) * wave, jitter, rand);
      }
      return;
    }
    case 'spiky': {
      const perDay = shape.spikesPerDay ?? 4;
      const spikeSteps = Math.max(1, Math.round(((shape.spikeMinutes ?? 10) * 60_000) / grid.stepMs));
      const chance = (perDay * grid.stepMs) / 86_400_000;
      let left = 0;
      for (let i = 0; i < n; i++) {
        if (left === 0 && rand() < chance) left = spikeSteps;
        out[i] = jittered(left > 0 ? shape.peak : shape.base, jitter, rand);
        if (left > 0) left--;
      }
      return;
    }
    case 'oom':
      throw new Error(`${what}: the oom shape is for memory only`);
  }
}

// ---------------------------------------------------------------------------------------------
// Workloads → pods over time.

function workloadKind(w) {
  const kind = w.kind ?? 'Deployment';
  if (kind !== 'Deployment' && kind !== 'StatefulSet') {
    throw new Error(`${w.namespace}/${w.name}: kind ${kind} is not generated (Deployment or StatefulSet)`);
  }
  return kind;
}

/**
 * The pods of a workload over the window: every pod replacement (churn) and every container rename
 * (a new pod template, so a rollout to a new ReplicaSet) starts a new epoch with new pods.
 */
function podEpochs(w, grid, seed) {
  const id = `${w.namespace}/${w.name}`;
  const kind = workloadKind(w);
  const cuts = new Map(); // step → does it roll out a new template?
  for (const at of w.churn ?? []) {
    const step = stepAt(grid, at, `${id} churn`);
    cuts.set(step, cuts.get(step) ?? false);
  }
  for (const c of w.containers) {
    if (c.renamedTo !== undefined)
      cuts.set(stepAt(grid, c.renameAt ?? 0.5, `${id} container ${c.name} renameAt`), true);
  }
  const starts = [0, ...[...cuts.keys()].sort((a, b) => a - b)];
  let template = 0;
  const replicas = w.replicas ?? 1;
  return starts.map((from, e) => {
    if (e > 0 && cuts.get(from)) template++;
    const to = starts[e + 1] ?? grid.count;
    const rsHash = nameSuffix(seed, `${id}#template${template}`, 10);
    const pods = [];
    for (let r = 0; r < replicas; r++) {
      const pod =
        kind === 'StatefulSet'
          ? `${w.name}-${r}`
          : `${w.name}-${rsHash}-${nameSuffix(seed, `${id}#epoch${e}#replica${r}`, 5)}`;
      const nodes = w.nodes ?? DEFAULT_NODES;
      pods.push({
        pod,
        replica: r,
        uid: uid(seed, `${id}#epoch${e}#replica${r}`),
        node: nodes[hash32(`${seed}/${pod}/${e}`) % nodes.length],
      });
    }
    return {
      from,
      to,
      fresh: e > 0,
      replicaSet: kind === 'Deployment' ? `${w.name}-${rsHash}` : undefined,
      pods,
      containerName: (c) =>
        c.renamedTo !== undefined && from >= stepAt(grid, c.renameAt ?? 0.5, '') ? c.renamedTo : c.name,
    };
  });
}

/**
 * One container of one replica over the whole window: usage, and for the OOM shape the kills,
 * restarts and memory sawtooth, which start again in each new pod.
 */
function containerUsage(w, c, replica, grid, seed, epochs) {
  const key = `${w.namespace}/${w.name}/${replica}/${c.name}`;
  const what = `${w.namespace}/${w.name} container ${c.name}`;
  const cores = new Float64Array(grid.count);
  fillShape(c.cpu, grid, randomStream(seed, `${key}/cpu`), cores, `${what} cpu`);
  const memory = new Float64Array(grid.count);
  const restarts = new Float64Array(grid.count);
  const oomKilled = new Uint8Array(grid.count); // 1 from the first OOM kill of the pod on
  if (c.memory?.kind === 'oom') {
    const { from, limit } = c.memory;
    if (!(limit > from)) throw new Error(`${what}: an oom shape climbs from 'from' to a higher 'limit'`);
    const climb = Math.max(1, Math.round(((c.memory.climbMinutes ?? 120) * 60_000) / grid.stepMs));
    for (const epoch of epochs) {
      let age = 0;
      let count = 0;
      for (let i = epoch.from; i < epoch.to; i++) {
        memory[i] = Math.round(from + ((limit - from) * age) / climb);
        restarts[i] = count;
        oomKilled[i] = count > 0 ? 1 : 0;
        // The working set reached the limit at this point: the kernel kills the container, the
        // kubelet restarts it, and the next point sees a fresh one.
        if (age === climb) {
          age = 0;
          count++;
        } else age++;
      }
    }
  } else {
    fillShape(c.memory, grid, randomStream(seed, `${key}/memory`), memory, `${what} memory`);
    for (let i = 0; i < grid.count; i++) memory[i] = Math.round(memory[i]);
  }
  // The CPU counter: cumulative seconds, from an uptime before the window for a pod that was
  // already running, from zero for a pod or container that started inside it.
  const counter = new Float64Array(grid.count);
  const stepSeconds = grid.stepMs / 1000;
  const uptimeRand = randomStream(seed, `${key}/uptime`);
  for (const epoch of epochs) {
    let total = epoch.fresh ? 0 : Math.round(cores[0] * 86_400 * (1 + 29 * uptimeRand()) * 1000) / 1000;
    for (let i = epoch.from; i < epoch.to; i++) {
      if (i > epoch.from && restarts[i] > restarts[i - 1]) total = 0;
      total += cores[i] * stepSeconds;
      counter[i] = total;
    }
  }
  return { cores, memory, counter, restarts, oomKilled };
}

function masked(values, from, to) {
  const out = new Float64Array(values.length).fill(NaN);
  out.set(values.subarray(from, to), from);
  return out;
}

function constant(value, grid, from, to) {
  const out = new Float64Array(grid.count).fill(NaN);
  out.fill(value, from, to);
  return out;
}

function seriesOf(name, labels, grid, values, extra) {
  const f = FAMILY_OF.get(name);
  return {
    name,
    family: f.family,
    type: f.type,
    help: f.help,
    labels,
    startMs: grid.startMs,
    stepMs: grid.stepMs,
    values,
    ...extra,
  };
}

/**
 * Every series of one workload: cAdvisor's per container (and per pod cgroup, container="", unless
 * `podCgroup: false`), kube-state-metrics' per pod and container. CPU series carry `cores`, the
 * usage each point's counter increase stands for, which is what rate() must return.
 */
export function seriesOfWorkload(w, options = {}) {
  const grid = options.grid ?? windowGrid(options);
  const seed = options.seed ?? 1;
  const cadvisorJob = options.cadvisorJob ?? DEFAULT_CADVISOR_JOB;
  const ksmJob = options.ksmJob ?? DEFAULT_KSM_JOB;
  const podCgroup = options.podCgroup ?? true;
  if (!w?.namespace || !w.name || !Array.isArray(w.containers) || w.containers.length === 0) {
    throw new Error(`a workload needs a namespace, a name and containers: ${JSON.stringify(w)}`);
  }
  const kind = workloadKind(w);
  const epochs = podEpochs(w, grid, seed);
  const out = [];
  const replicaSets = new Set();
  const replicas = w.replicas ?? 1;
  for (let r = 0; r < replicas; r++) {
    const usage = w.containers.map((c) => containerUsage(w, c, r, grid, seed, epochs));
    for (const epoch of epochs) {
      const { pod, uid: podUid, node } = epoch.pods[r];
      const { from, to } = epoch;
      const base = { namespace: w.namespace, pod };
      const cadvisor = { job: cadvisorJob, instance: node, node, ...base };
      const ksm = { job: ksmJob, instance: KSM_INSTANCE, ...base, uid: podUid };
      w.containers.forEach((c, k) => {
        const u = usage[k];
        const container = epoch.containerName(c);
        const image = c.image ?? `registry.local/${w.name}/${container}:1.0`;
        const labels = { ...cadvisor, container, image };
        out.push(
          seriesOf('container_cpu_usage_seconds_total', labels, grid, masked(u.counter, from, to), {
            cores: masked(u.cores, from, to),
          }),
          seriesOf('container_memory_working_set_bytes', labels, grid, masked(u.memory, from, to)),
        );
        const cl = { ...ksm, container };
        const limits = { ...c.limits };
        if (c.memory?.kind === 'oom' && limits.memory === undefined) limits.memory = c.memory.limit;
        for (const [family, amounts] of [
          ['kube_pod_container_resource_requests', c.requests ?? {}],
          ['kube_pod_container_resource_limits', limits],
        ]) {
          if (amounts.cpu !== undefined) {
            out.push(
              seriesOf(
                family,
                { ...cl, node, resource: 'cpu', unit: 'core' },
                grid,
                constant(amounts.cpu, grid, from, to),
              ),
            );
          }
          if (amounts.memory !== undefined) {
            out.push(
              seriesOf(
                family,
                { ...cl, node, resource: 'memory', unit: 'byte' },
                grid,
                constant(amounts.memory, grid, from, to),
              ),
            );
          }
        }
        out.push(
          seriesOf('kube_pod_container_status_restarts_total', cl, grid, masked(u.restarts, from, to)),
        );
        const firstKill = u.oomKilled.subarray(from, to).indexOf(1);
        if (firstKill >= 0) {
          out.push(
            seriesOf(
              'kube_pod_container_status_last_terminated_reason',
              { ...cl, reason: 'OOMKilled' },
              grid,
              constant(1, grid, from + firstKill, to),
            ),
          );
        }
      });
      if (podCgroup) {
        // The pod's own cgroup holds all its containers: its counter never resets on a container
        // restart, its working set is the sum.
        const cpu = new Float64Array(grid.count).fill(NaN);
        const mem = new Float64Array(grid.count).fill(NaN);
        const cores = new Float64Array(grid.count).fill(NaN);
        let total = epoch.fresh
          ? 0
          : Math.round(usage.reduce((s, u) => s + u.counter[from], 0) * 1000) / 1000;
        for (let i = from; i < to; i++) {
          let c = 0;
          let m = 0;
          for (const u of usage) {
            c += u.cores[i];
            m += u.memory[i];
          }
          if (i > from || epoch.fresh) total += (c * grid.stepMs) / 1000;
          cpu[i] = total;
          mem[i] = m;
          cores[i] = c;
        }
        const labels = { ...cadvisor, container: '' };
        out.push(
          seriesOf('container_cpu_usage_seconds_total', labels, grid, cpu, { cores }),
          seriesOf('container_memory_working_set_bytes', labels, grid, mem),
        );
      }
      const podLabels = { app: w.name, ...w.labels };
      if (epoch.replicaSet) podLabels['pod-template-hash'] = epoch.replicaSet.slice(w.name.length + 1);
      const promLabels = Object.fromEntries(
        Object.entries(podLabels).map(([k, v]) => [`label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`, v]),
      );
      const ownerKind = kind === 'Deployment' ? 'ReplicaSet' : 'StatefulSet';
      const ownerName = epoch.replicaSet ?? w.name;
      out.push(
        seriesOf(
          'kube_pod_info',
          { ...ksm, node, created_by_kind: ownerKind, created_by_name: ownerName, priority_class: '' },
          grid,
          constant(1, grid, from, to),
        ),
        seriesOf('kube_pod_labels', { ...ksm, ...promLabels }, grid, constant(1, grid, from, to)),
        seriesOf(
          'kube_pod_owner',
          { ...ksm, owner_kind: ownerKind, owner_name: ownerName, owner_is_controller: 'true' },
          grid,
          constant(1, grid, from, to),
        ),
      );
      if (epoch.replicaSet && !replicaSets.has(epoch.replicaSet)) {
        replicaSets.add(epoch.replicaSet);
        out.push(
          seriesOf(
            'kube_replicaset_owner',
            {
              job: ksmJob,
              instance: KSM_INSTANCE,
              namespace: w.namespace,
              replicaset: epoch.replicaSet,
              owner_kind: 'Deployment',
              owner_name: w.name,
              owner_is_controller: 'true',
            },
            grid,
            constant(1, grid, from, grid.count), // the old ReplicaSet stays, scaled to zero
          ),
        );
      }
    }
  }
  return out;
}

/** Every series of every workload, grouped by metric family (the order OpenMetrics needs). */
export function generateSeries(workloads, options = {}) {
  const grid = options.grid ?? windowGrid(options);
  const all = workloads.flatMap((w) => seriesOfWorkload(w, { ...options, grid }));
  const order = new Map(FAMILIES.map((f, i) => [f.name, i]));
  return all.sort((a, b) => order.get(a.name) - order.get(b.name)); // stable: workload order kept
}

/**
 * `count` workloads cycling through `shapes`, each with `containers` containers of that shape
 * (sizes varied per workload, so no two are alike). The fleet the e2e tests and the benchmark use.
 */
export function workloadsOfShapes(count, options = {}) {
  const shapes = options.shapes ?? SHAPES;
  const unknown = shapes.filter((s) => !SHAPES.includes(s));
  if (unknown.length || shapes.length === 0) {
    throw new Error(`unknown shape ${JSON.stringify(unknown[0] ?? '')} (one of ${SHAPES.join(', ')})`);
  }
  const containers = options.containers ?? 1;
  const namespace = options.namespace ?? 'rightsize';
  const seed = options.seed ?? 1;
  const out = [];
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length];
    const name = `${options.prefix ?? 'app'}-${shape}-${i}`;
    const rand = randomStream(seed, `fleet/${name}`);
    const spec = [];
    for (let k = 0; k < containers; k++) {
      const cpu = 0.05 + rand() * 1.5; // cores
      const mem = (64 + Math.floor(rand() * 1024)) * 2 ** 20; // bytes
      spec.push({
        name: k === 0 ? 'app' : `sidecar-${k}`,
        cpu: cpuShape(shape, cpu),
        memory: memoryShape(shape, mem),
        requests: { cpu: Math.round(cpu * 1000) / 1000, memory: mem },
      });
    }
    out.push({ namespace, name, containers: spec });
  }
  return out;
}

function cpuShape(shape, level) {
  switch (shape) {
    case 'spiky':
      return {
        kind: 'spiky',
        base: level / 4,
        peak: level * 2,
        spikesPerDay: 6,
        spikeMinutes: 15,
        jitter: 0.1,
      };
    case 'growing':
      return { kind: 'growing', from: level / 2, to: level * 1.5, jitter: 0.05 };
    case 'daily':
      return { kind: 'daily', low: level / 5, high: level, jitter: 0.05 };
    default:
      return { kind: 'steady', mean: level, jitter: 0.1 };
  }
}

function memoryShape(shape, level) {
  switch (shape) {
    case 'spiky':
      return { kind: 'spiky', base: level / 2, peak: level, spikesPerDay: 6, spikeMinutes: 15, jitter: 0.02 };
    case 'growing':
      return { kind: 'growing', from: level / 2, to: level * 1.5, jitter: 0.02 };
    case 'daily':
      return { kind: 'daily', low: level / 2, high: level, jitter: 0.02 };
    case 'oom':
      return { kind: 'oom', from: level / 4, limit: level, climbMinutes: 360 };
    default:
      return { kind: 'steady', mean: level, jitter: 0.02 };
  }
}

// ---------------------------------------------------------------------------------------------
// OpenMetrics text, as promtool's `tsdb create-blocks-from openmetrics` reads it.

function escapeLabel(value) {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function seriesPrefix(s) {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`)
    .join(',');
  return `${s.name}{${labels}} `;
}

/** Writes series (grouped by family, as generateSeries returns them) to `write`, in chunks. */
export function writeOpenMetrics(series, write) {
  let buffer = '';
  let family;
  for (const s of series) {
    if (s.family !== family) {
      family = s.family;
      buffer += `# HELP ${s.family} ${s.help}\n# TYPE ${s.family} ${s.type}\n`;
    }
    const prefix = seriesPrefix(s);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (Number.isNaN(v)) continue;
      buffer += `${prefix}${v} ${(s.startMs + i * s.stepMs) / 1000}\n`;
      if (buffer.length > 1 << 20) {
        write(buffer);
        buffer = '';
      }
    }
  }
  write(`${buffer}# EOF\n`);
}

/** The OpenMetrics text of a few series (a test's worth: large sets go to a file). */
export function toOpenMetrics(series) {
  const parts = [];
  writeOpenMetrics(series, (chunk) => parts.push(chunk));
  return parts.join('');
}

/**
 * Writes the OpenMetrics file for workloads without holding all their series: one family at a
 * time, regenerating each workload's series (they are deterministic, so that is cheap and exact).
 */
export function writeOpenMetricsFile(path, workloads, options = {}) {
  const grid = options.grid ?? windowGrid(options);
  const fd = openSync(path, 'w');
  try {
    const families = new Set(FAMILIES.map((f) => f.name));
    const perFamily = function* () {
      for (const name of families) {
        for (const w of workloads) {
          for (const s of seriesOfWorkload(w, { ...options, grid })) if (s.name === name) yield s;
        }
      }
    };
    writeOpenMetrics(perFamily(), (chunk) => writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
  return grid;
}
