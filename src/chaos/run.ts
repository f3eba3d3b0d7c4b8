import { isPodReady } from '../model/live.js';
import { verdictOf } from '../simulate/verdict.js';
import type { Verdict } from '../simulate/types.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { ApiError, type ClusterWriter } from '../sources/cluster-client.js';
import { listPath } from '../sources/cluster-reader.js';
import type { ExperimentPlan, WatchedWorkload } from './plan.js';

/** The experiment could not give a node back: the message says which, and the command that does. */
export class RestoreFailed extends Error {}

export interface RunOptions {
  /** How long the lost nodes stay lost (cordoned) before they come back, in ms. */
  holdMs: number;
  /** How long to wait, in all, for every workload to be back to its replicas, in ms. */
  timeoutMs: number;
  /** Time between two readings of the workloads' readiness, in ms. */
  intervalMs: number;
  /** Ends the experiment early (Ctrl-C): the nodes are still given back. */
  signal?: AbortSignal;
  /** Each step, as it happens (seconds since the start, what was done). */
  onStep?: (seconds: number, step: string) => void;
  now?: () => number;
}

export interface WorkloadResult extends WatchedWorkload {
  verdict: Verdict;
  minReady: number;
  /** Seconds with fewer ready replicas than the floor, and with none. */
  secondsBelowFloor: number;
  secondsDown: number;
  /** Seconds from the start until it was back to its replicas; undefined when it was not by the end. */
  recoveredAfter: number | undefined;
  /** Why an eviction was refused, when one was (drain). */
  blocked: string | undefined;
}

export interface ExperimentResult {
  plan: ExperimentPlan;
  workloads: WorkloadResult[];
  steps: { seconds: number; step: string }[];
  /** Readings taken of the workloads' readiness. */
  readings: number;
  seconds: number;
}

/**
 * Runs a planned experiment on a live cluster: cordons the nodes, deletes (node-loss, zone-loss) or
 * evicts (drain, through PDBs) their pods, holds, gives the nodes back, and measures each watched
 * workload's ready replicas throughout, until every one is back or the timeout. The nodes it cordoned
 * are always uncordoned, whatever happens.
 */
export async function runExperiment(
  client: ClusterWriter,
  plan: ExperimentPlan,
  options: RunOptions,
): Promise<ExperimentResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const seconds = (): number => (now() - started) / 1000;
  const steps: ExperimentResult['steps'] = [];
  const step = (text: string): void => {
    const s = Math.round(seconds() * 10) / 10;
    steps.push({ seconds: s, step: text });
    options.onStep?.(s, text);
  };
  const track = new Map(
    plan.workloads.map((w) => [
      w.id,
      {
        w,
        minReady: w.readyBefore,
        below: 0,
        down: 0,
        recoveredAt: undefined as number | undefined,
        blocked: undefined as string | undefined,
        last: w.readyBefore,
      },
    ]),
  );
  let readings = 0;
  // Recovery counts from the moment the pods went.
  let disrupted = false;
  let lastReading = now();
  const read = async (): Promise<void> => {
    const ready = await readiness(client, plan.workloads);
    const t = now();
    const dt = (t - lastReading) / 1000;
    lastReading = t;
    readings++;
    for (const s of track.values()) {
      const r = ready.get(s.w.id) ?? 0;
      // The time since the last reading counts at the worse of the two readings.
      const worst = Math.min(r, s.last);
      if (worst < s.w.floor) s.below += dt;
      if (worst === 0 && s.w.desired > 0) s.down += dt;
      s.minReady = Math.min(s.minReady, r);
      s.last = r;
      if (r >= s.w.desired && s.recoveredAt === undefined && disrupted) s.recoveredAt = (t - started) / 1000;
      if (r < s.w.desired) s.recoveredAt = undefined;
    }
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (options.signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  const cordoned: string[] = [];
  let error: unknown;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await read().catch(() => undefined);
      await sleep(options.intervalMs);
    }
  })();
  // The sampler stops however the experiment ends (an error included), or the process would not.
  const stopSampler = async (): Promise<void> => {
    sampling = false;
    await sampler;
  };

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
    disrupted = true;
    if (plan.experiment.kind === 'drain') await evictAll(client, plan, track, options, now, step, sleep);
    else {
      await Promise.all(
        plan.pods.map((p) =>
          client
            .send('DELETE', `/api/v1/namespaces/${enc(p.namespace)}/pods/${enc(p.name)}`, {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              gracePeriodSeconds: 0,
            })
            .catch((e: unknown) => {
              if (!(e instanceof ApiError && e.status === 404)) throw e;
            }),
        ),
      );
      step(
        `deleted ${plan.pods.length} pod${plan.pods.length === 1 ? '' : 's'} at once (the ${plan.experiment.kind === 'zone-loss' ? 'zone' : 'node'} is lost)`,
      );
    }
    await sleep(options.holdMs);
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
  if (stuck.length || error !== undefined) await stopSampler();
  if (stuck.length)
    throw new RestoreFailed(
      `could not uncordon ${stuck.join(', ')}: run kubectl uncordon ${cordoned.join(' ')}`,
    );
  if (error !== undefined) throw error;
  if (cordoned.length) step(`uncordoned ${cordoned.join(', ')} (the nodes are back)`);
  // Until every workload is back to its replicas, or the time is up.
  while (!options.signal?.aborted && now() - started < options.timeoutMs) {
    await read().catch(() => undefined);
    if ([...track.values()].every((s) => s.recoveredAt !== undefined)) break;
    await sleep(options.intervalMs);
  }
  await stopSampler();
  const done = [...track.values()].every((s) => s.recoveredAt !== undefined);
  step(
    done
      ? 'every workload is back to its replicas'
      : options.signal?.aborted
        ? 'stopped'
        : 'timed out waiting for the workloads to recover',
  );
  return {
    plan,
    workloads: [...track.values()].map((s) => ({
      ...s.w,
      verdict: verdictOf({
        desired: s.w.desired,
        floor: s.w.floor,
        minReady: s.minReady,
        stuck: s.recoveredAt === undefined,
      }),
      minReady: s.minReady,
      secondsBelowFloor: round(s.below),
      secondsDown: round(s.down),
      recoveredAfter: s.recoveredAt === undefined ? undefined : round(s.recoveredAt),
      blocked: s.blocked,
    })),
    steps,
    readings,
    seconds: round(seconds()),
  };
}

/** Evicts every pod through the Eviction API; a 429 (a PDB allows no disruption now) is retried each second. */
async function evictAll(
  client: ClusterWriter,
  plan: ExperimentPlan,
  track: Map<string, { blocked: string | undefined }>,
  options: RunOptions,
  now: () => number,
  step: (text: string) => void,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const deadline = now() + options.timeoutMs;
  let evicted = 0;
  const left: string[] = [];
  await Promise.all(
    plan.pods.map(async (p) => {
      for (;;) {
        try {
          await client.send('POST', `/api/v1/namespaces/${enc(p.namespace)}/pods/${enc(p.name)}/eviction`, {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: p.name, namespace: p.namespace },
          });
          evicted++;
          return;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return;
          if (!(e instanceof ApiError && e.status === 429)) throw e;
          const t = track.get(p.workload);
          if (t) t.blocked = e.message;
          if (now() > deadline || options.signal?.aborted) {
            left.push(`${p.namespace}/${p.name}`);
            return;
          }
          await sleep(1000);
        }
      }
    }),
  );
  step(
    `evicted ${evicted} pod${evicted === 1 ? '' : 's'} through their PDBs${left.length ? `; ${left.length} still refused: ${left.join(', ')}` : ''}`,
  );
}

/** Ready replicas of each watched workload, from the controllers' status (a bare pod: its own readiness). */
async function readiness(
  client: ClusterWriter,
  workloads: readonly WatchedWorkload[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const lists = new Map<string, Promise<JsonObject>>();
  const list = (path: string): Promise<JsonObject> => {
    let p = lists.get(path);
    if (!p) lists.set(path, (p = client.get(path)));
    return p;
  };
  for (const w of workloads) {
    const body = await list(listPath(w.kind, w.namespace)!);
    const items = Array.isArray(body['items']) ? body['items'] : [];
    const item = items.find(
      (i) => isJsonObject(i) && isJsonObject(i['metadata']) && i['metadata']['name'] === w.name,
    );
    if (!isJsonObject(item)) out.set(w.id, 0);
    else if (w.kind === 'Pod')
      out.set(
        w.id,
        isPodReady({
          apiVersion: 'v1',
          kind: 'Pod',
          name: w.name,
          namespace: w.namespace,
          id: w.id,
          raw: item,
        })
          ? 1
          : 0,
      );
    else {
      const status = item['status'];
      const ready = isJsonObject(status) ? status['readyReplicas'] : undefined;
      out.set(w.id, typeof ready === 'number' ? ready : 0);
    }
  }
  return out;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
