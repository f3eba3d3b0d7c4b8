// The benchmark's fleet: 1 000 Deployments of 3 containers over 10 namespaces, every usage shape
// of tools/prometheus/series.mjs, 14 days at 1-minute resolution ending now; its history written
// straight into TSDB blocks under bench/out/rightsize/tsdb (tools/prometheus/blocks.mjs: promtool
// would need the whole history as tens of GB of OpenMetrics text in memory), and its manifests
// under bench/out/rightsize/manifests for `kubeha rightsize -f`.
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { workloadsOfShapes } from '../../tools/prometheus/series.mjs';
import { writeBlocks } from '../../tools/prometheus/blocks.mjs';

export const SHAPES = ['steady', 'spiky', 'growing', 'daily', 'oom'];

/** `workloads` workloads of `containers` containers, spread over `namespaces` namespaces. */
export function fleet({ workloads = 1000, containers = 3, namespaces = 10, seed = 1 } = {}) {
  const out = [];
  const perNamespace = Math.ceil(workloads / namespaces);
  for (let n = 0; n < namespaces && out.length < workloads; n++) {
    const count = Math.min(perNamespace, workloads - out.length);
    out.push(
      ...workloadsOfShapes(count, {
        shapes: SHAPES,
        containers,
        namespace: `team-${n}`,
        prefix: `svc${n}`,
        seed,
      }),
    );
  }
  return out;
}

function quantityCpu(cores) {
  return `${Math.max(1, Math.round(cores * 1000))}m`;
}
function quantityMemory(bytes) {
  return `${Math.max(1, Math.round(bytes / 2 ** 20))}Mi`;
}

/** The Deployments the fleet's pods belong to: selector app=<name>, today's requests and limits. */
export function manifests(workloads) {
  return workloads.map((w) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace },
    spec: {
      replicas: w.replicas ?? 1,
      selector: { matchLabels: { app: w.name } },
      template: {
        metadata: { labels: { app: w.name } },
        spec: {
          containers: w.containers.map((c) => {
            const limit = c.memory.kind === 'oom' ? c.memory.limit : undefined;
            return {
              name: c.renamedTo ?? c.name,
              image: `registry.local/${w.name}/${c.renamedTo ?? c.name}:1.0`,
              resources: {
                requests: { cpu: quantityCpu(c.requests.cpu), memory: quantityMemory(c.requests.memory) },
                ...(limit ? { limits: { memory: quantityMemory(limit) } } : {}),
              },
            };
          }),
        },
      },
    },
  }));
}

/**
 * Writes the fleet's TSDB and manifests under `dir` unless a fleet of the same size is there and
 * ends less than `maxAgeHours` ago (the history must end near now: the window is read back from now).
 */
export async function prepareFleet(dir, options = {}) {
  const { workloads = 1000, containers = 3, days = 14, stepSeconds = 60, maxAgeHours = 6 } = options;
  const metaPath = join(dir, 'meta.json');
  const want = { workloads, containers, days, stepSeconds };
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    const same = Object.entries(want).every(([k, v]) => meta[k] === v);
    if (same && Date.now() - meta.endMs < maxAgeHours * 3_600_000) return { ...meta, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'manifests'), { recursive: true });
  const specs = fleet({ workloads, containers });
  const byNamespace = new Map();
  for (const m of manifests(specs)) {
    const list = byNamespace.get(m.metadata.namespace) ?? [];
    list.push(m);
    byNamespace.set(m.metadata.namespace, list);
  }
  for (const [ns, list] of byNamespace) {
    writeFileSync(join(dir, 'manifests', `${ns}.yaml`), list.map((m) => stringify(m)).join('---\n'));
  }
  const started = Date.now();
  const written = await writeBlocks(join(dir, 'tsdb'), specs, { days, stepSeconds });
  const meta = {
    ...want,
    endMs: written.grid.endMs,
    startMs: written.grid.startMs,
    series: written.series,
    samples: written.samples,
    writeSeconds: (Date.now() - started) / 1000,
    tsdbwrite: written.log.split('\n').pop(),
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { ...meta, reused: false };
}
