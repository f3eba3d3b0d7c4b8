import { getAt } from '../model/json-path.js';
import { zoneOf } from '../model/live.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { ApiError, type ClusterWriter } from '../sources/cluster-client.js';
import { Informer, type Feed } from './informer.js';
import { Measure, type WorkloadMeasure } from './measure.js';
import type { ExperimentPlan, TargetPod, WatchedWorkload } from './plan.js';
import { delay, Waker } from './wait.js';
import type { WatchSource } from './watch.js';

/** The experiment could not give a node back: the message says which, and the command that does. */
export class RestoreFailed extends Error {}

/** The experiment could not start (its watches were refused): nothing was changed. */
export class NotStarted extends Error {}

/** What an experiment does to a cluster (cordon, delete, evict) and how it sees what follows (watches). */
export interface ChaosCluster {
  writer: ClusterWriter;
  watch: WatchSource;
}

export interface RunOptions {
  /** How long the lost nodes stay lost (cordoned) before they come back, in ms. */
  holdMs: number;
  /** How long to wait, in all, for every workload to be back to its replicas, in ms. */
  timeoutMs: number;
  /** Ends the experiment early (Ctrl-C): the nodes are still given back. */
  signal?: AbortSignal;
  /** Each step, as it happens (seconds since the start, what was done). */
  onStep?: (seconds: number, step: string) => void;
  now?: () => number;
}

export interface WorkloadResult extends WatchedWorkload, WorkloadMeasure {
  /** Why an eviction was refused, when one was (drain). */
  blocked: string | undefined;
}

export interface ExperimentResult {
  plan: ExperimentPlan;
  workloads: WorkloadResult[];
  steps: { seconds: number; step: string }[];
  /** Watch events received about the workloads and their pods. */
  events: number;
  seconds: number;
}

/**
 * Runs a planned experiment on a live cluster: watches the workloads and their pods, takes their
 * state before, cordons the nodes, deletes (node-loss, zone-loss) or evicts (drain, through PDBs)
 * their pods, holds, gives the nodes back, and waits until every workload is back to its replicas
 * (those already below their floor before are not waited for), or the timeout. The nodes it
 * cordoned are always uncordoned, whatever happens.
 */
export async function runExperiment(
  cluster: ChaosCluster,
  plan: ExperimentPlan,
  options: RunOptions,
): Promise<ExperimentResult> {
  const client = cluster.writer;
  const now = options.now ?? Date.now;
  const started = now();
  const elapsed = (): number => now() - started;
  const steps: ExperimentResult['steps'] = [];
  const step = (text: string): void => {
    const s = Math.round(elapsed() / 100) / 10;
    steps.push({ seconds: s, step: text });
    options.onStep?.(s, text);
  };
  const measure = new Measure(plan.workloads);
  const waker = new Waker();
  const informer = new Informer(
    cluster.watch,
    feedsFor(plan),
    (kind, type, object) => {
      measure.apply(kind, type, object, elapsed());
      waker.wake();
    },
    step,
  );
  try {
    await informer.start();
  } catch (e) {
    throw new NotStarted(
      `the experiment did not start (nothing was changed): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  measure.baseline(elapsed());
  for (const b of measure.belowBefore())
    step(
      `${b.w.id} is already below its floor: ${b.ready} of ${b.desired} ready (floor ${b.w.floor}); reported as it is, not waited for`,
    );

  const blocked = new Map<string, string>();
  const cordoned: string[] = [];
  let error: unknown;
  try {
    for (const n of plan.nodes.filter((n) => !n.cordoned)) {
      await client.send(
        'PATCH',
        `/api/v1/nodes/${enc(n.name)}`,
        { spec: { unschedulable: true } },
        'application/merge-patch+json',
      );
      cordoned.push(n.name);
    }
    step(`cordoned ${plan.nodes.map((n) => n.name).join(', ')}`);
    if (plan.experiment.kind === 'drain') {
      const left = await evictAll(client, plan, measure, blocked, options, elapsed, step);
      for (const w of plan.workloads)
        measure.refused(
          w.id,
          left.some((p) => p.workload === w.id),
        );
    } else {
      await Promise.all(
        plan.pods.map((p) => {
          // Down from the moment it is asked, not from when the watch or a controller says so.
          measure.disrupt(podKey(p), p.workload, elapsed());
          return client
            .send('DELETE', `/api/v1/namespaces/${enc(p.namespace)}/pods/${enc(p.name)}`, {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              gracePeriodSeconds: 0,
              ...(p.uid !== undefined ? { preconditions: { uid: p.uid } } : {}),
            })
            .catch((e: unknown) => {
              if (!gone(e)) throw e;
            });
        }),
      );
      step(
        `deleted ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'} at once (the ${plan.experiment.kind === 'zone-loss' ? 'zone' : 'node'} is lost)`,
      );
    }
    await delay(options.holdMs, options.signal);
  } catch (e) {
    error = e;
  }
  // Whatever happened above, the nodes are given back; one that cannot be is said, loudly.
  const stuck: string[] = [];
  for (const name of cordoned) {
    await client
      .send(
        'PATCH',
        `/api/v1/nodes/${enc(name)}`,
        { spec: { unschedulable: false } },
        'application/merge-patch+json',
      )
      .catch((e: unknown) => stuck.push(`${name} (${e instanceof Error ? e.message : String(e)})`));
  }
  if (stuck.length || error !== undefined) await informer.stop();
  if (stuck.length)
    throw new RestoreFailed(
      `could not uncordon ${stuck.join(', ')}: run kubectl uncordon ${cordoned.join(' ')}`,
    );
  if (error !== undefined) throw error;
  if (cordoned.length) step(`uncordoned ${cordoned.join(', ')} (the nodes are back)`);
  // Until every workload is back to its replicas (each watch event wakes this), or the time is up.
  const done = await waker.until(() => measure.allSettled(), options.timeoutMs - elapsed(), options.signal);
  const zones = await currentZones(client, plan.zones);
  await informer.stop();
  const measured = measure.results(elapsed(), (node) => zones.get(node));
  const notWaited = [...measured.values()].filter((m) => m.notWaited !== undefined).length;
  step(
    done
      ? `every workload is back to its replicas${notWaited ? ` (${notWaited} not waited for)` : ''}`
      : options.signal?.aborted
        ? 'stopped'
        : 'timed out waiting for the workloads to recover',
  );
  return {
    plan,
    workloads: plan.workloads.map((w) => ({ ...w, ...measured.get(w.id)!, blocked: blocked.get(w.id) })),
    steps,
    events: measure.events,
    seconds: Math.round(elapsed() / 100) / 10,
  };
}

/**
 * The collections to watch: the pods, and the controllers of the watched workloads (their replicas
 * and status), with ReplicaSets for Deployments (which pod is whose). Listed in this order, so a
 * pod's ReplicaSet is known when the pod is. One namespace's collections, or the whole cluster's
 * when the workloads are in many.
 */
export function feedsFor(plan: ExperimentPlan): Feed[] {
  const namespaces = [...new Set(plan.workloads.map((w) => w.namespace))].sort();
  const kinds = new Set(plan.workloads.map((w) => w.kind));
  if (kinds.has('Deployment')) kinds.add('ReplicaSet');
  const scopes: (string | undefined)[] = namespaces.length <= 3 ? namespaces : [undefined];
  const feeds: Feed[] = [];
  for (const [kind, group, plural] of [
    ['Deployment', '/apis/apps/v1', 'deployments'],
    ['StatefulSet', '/apis/apps/v1', 'statefulsets'],
    ['ReplicaSet', '/apis/apps/v1', 'replicasets'],
    ['Pod', '/api/v1', 'pods'],
  ] as const) {
    if (kind !== 'Pod' && !kinds.has(kind)) continue;
    if (kind === 'Pod' && plan.workloads.length === 0) continue;
    for (const ns of scopes)
      feeds.push({ kind, path: `${group}${ns === undefined ? '' : `/namespaces/${enc(ns)}`}/${plural}` });
  }
  return feeds;
}

/**
 * Evicts every pod through the Eviction API; a 429 (a PDB allows no disruption now) is retried each
 * second until the timeout. Returns the pods still refused.
 */
async function evictAll(
  client: ClusterWriter,
  plan: ExperimentPlan,
  measure: Measure,
  blocked: Map<string, string>,
  options: RunOptions,
  elapsed: () => number,
  step: (text: string) => void,
): Promise<TargetPod[]> {
  let evicted = 0;
  const left: TargetPod[] = [];
  await Promise.all(
    plan.pods.map(async (p) => {
      for (;;) {
        try {
          await client.send('POST', `/api/v1/namespaces/${enc(p.namespace)}/pods/${enc(p.name)}/eviction`, {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: p.name, namespace: p.namespace },
            ...(p.uid !== undefined ? { deleteOptions: { preconditions: { uid: p.uid } } } : {}),
          });
          measure.disrupt(podKey(p), p.workload, elapsed());
          evicted++;
          return;
        } catch (e) {
          if (gone(e)) return;
          if (!(e instanceof ApiError && e.status === 429)) throw e;
          if (!blocked.has(p.workload)) blocked.set(p.workload, e.message);
          if (elapsed() > options.timeoutMs || options.signal?.aborted) {
            left.push(p);
            return;
          }
          await delay(1000, options.signal);
        }
      }
    }),
  );
  step(
    `evicted ${evicted} pod${evicted === 1 ? '' : 's'} through their PDBs${left.length ? `; ${left.length} still refused: ${left.map((p) => `${p.namespace}/${p.name}`).join(', ')}` : ''}`,
  );
  return left;
}

/** The zone of each node now (a node may have joined since the plan); the plan's when the list fails. */
async function currentZones(
  client: ClusterWriter,
  known: Record<string, string>,
): Promise<Map<string, string>> {
  const zones = new Map(Object.entries(known));
  const body = await client.get('/api/v1/nodes').catch((): JsonObject => ({}));
  for (const raw of Array.isArray(body['items']) ? body['items'].filter(isJsonObject) : []) {
    const name = getAt(raw, '/metadata/name');
    if (typeof name !== 'string') continue;
    const zone = zoneOf({ apiVersion: 'v1', kind: 'Node', name, namespace: '', id: `Node/${name}`, raw });
    if (zone !== undefined) zones.set(name, zone);
  }
  return zones;
}

/** The pod is gone already, or is not the one planned (replaced under the same name). */
function gone(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 409);
}

function podKey(p: TargetPod): string {
  return p.uid ?? `${p.namespace}/${p.name}`;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
