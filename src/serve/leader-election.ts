import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { ApiError, type ClusterWriter } from '../sources/cluster-client.js';

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with the semantics of Kubernetes' own
 * controllers (client-go's leaderelection package), so that of serve's replicas exactly one runs the
 * periodic scan while all of them answer admission reviews.
 *
 * - A candidate never trusts another machine's clock: a lease is held while the candidate has seen
 *   its record change within the last `leaseDurationSeconds` (measured on its own clock from when it
 *   saw the change), never by comparing `renewTime` with its own time.
 * - Every write carries the resourceVersion that was read: of two candidates that saw the same
 *   expired lease, the API server lets one write and answers the other 409 Conflict.
 * - The leader renews every `retryPeriod`; when it has not renewed for `renewDeadline` (shorter than
 *   the lease duration) it stops leading before anyone else may take over.
 * - On shutdown the leader releases the lease (client-go's ReleaseOnCancel): an empty holder and a
 *   1 s duration, so that another candidate takes over at its next try instead of after the lease
 *   duration. A leader that dies without releasing is replaced once the lease expires.
 *
 * The decisions are pure functions of what was read and the local clock (tested with a fake clock);
 * the API calls sit behind LeaseStore.
 */

/** The spec of a Lease as leader election writes it. Times are MicroTime strings (RFC 3339, microseconds). */
export interface LeaseSpec {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export interface LeaseRecord {
  spec: LeaseSpec;
  resourceVersion: string;
}

/** The three calls leader election makes. Writes reject on a conflict (409), never overwrite. */
export interface LeaseStore {
  /** namespace/name, for logs. */
  readonly description: string;
  /** The lease, or undefined when there is none (404). */
  get(): Promise<LeaseRecord | undefined>;
  create(spec: LeaseSpec): Promise<LeaseRecord>;
  /** Replaces the spec only if the lease is still at `resourceVersion`. */
  update(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord>;
}

export interface ElectionTimings {
  /** How long followers wait, from the last change they saw, before they may take the lease over. */
  leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it stops leading. */
  renewDeadlineMs: number;
  /** How often candidates try to acquire and the leader renews. */
  retryPeriodMs: number;
}

/** client-go's defaults, which kube-scheduler and kube-controller-manager use. */
export const DEFAULT_TIMINGS: ElectionTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** Followers wait retryPeriod × (1 + up to this) between tries, so they do not all try at once. */
export const JITTER_FACTOR = 1.2;

/** Why a set of timings cannot work; undefined when it can (client-go's own checks). */
export function timingsProblem(t: ElectionTimings): string | undefined {
  if (t.leaseDurationMs < 1000 || t.leaseDurationMs % 1000 !== 0)
    return 'the lease duration must be whole seconds (the Lease stores leaseDurationSeconds)';
  if (t.renewDeadlineMs >= t.leaseDurationMs)
    return 'the renew deadline must be shorter than the lease duration, or two replicas may both scan';
  if (t.retryPeriodMs <= 0 || t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs)
    return `the renew deadline must be longer than ${JITTER_FACTOR} × the retry period`;
  return undefined;
}

/** Kubernetes' MicroTime: RFC 3339 with six fractional digits (the API server refuses fewer). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** What a candidate knows of the lease: the last record it read or wrote, and when it saw it change. */
export interface Observation {
  lease: LeaseRecord | undefined;
  /** Local time at which `lease.spec` was first seen as it is. */
  observedAt: number;
}

export const NOTHING_OBSERVED: Observation = { lease: undefined, observedAt: 0 };

/** The observation after reading `lease` at `now`: the clock restarts only when the record changed. */
export function observe(previous: Observation, lease: LeaseRecord | undefined, now: number): Observation {
  const same =
    previous.lease !== undefined &&
    lease !== undefined &&
    JSON.stringify(previous.lease.spec) === JSON.stringify(lease.spec);
  return { lease, observedAt: same ? previous.observedAt : now };
}

/** Whether the observed lease binds others at `now`: it has a holder and has changed within its duration. */
export function leaseHeld(o: Observation, now: number): boolean {
  if (!o.lease || o.lease.spec.holderIdentity === '') return false;
  return o.observedAt + o.lease.spec.leaseDurationSeconds * 1000 > now;
}

export const holdsLease = (o: Observation, identity: string): boolean =>
  o.lease !== undefined && o.lease.spec.holderIdentity === identity;

export type Step =
  | { action: 'create'; spec: LeaseSpec }
  | { action: 'update'; spec: LeaseSpec; resourceVersion: string }
  | { action: 'wait'; holder: string };

/**
 * What a candidate does with the lease it has just read (`o`, already observed at `now`): create it
 * when there is none; wait while another holds it; else write itself as the holder: a renewal keeps
 * acquireTime and leaseTransitions, a takeover starts a new term and counts a transition.
 */
export function nextStep(identity: string, o: Observation, now: number, leaseDurationSeconds: number): Step {
  const at = microTime(now);
  if (!o.lease)
    return {
      action: 'create',
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: at,
        renewTime: at,
        leaseTransitions: 0,
      },
    };
  const old = o.lease.spec;
  if (old.holderIdentity !== identity && leaseHeld(o, now))
    return { action: 'wait', holder: old.holderIdentity };
  const renewal = old.holderIdentity === identity;
  return {
    action: 'update',
    resourceVersion: o.lease.resourceVersion,
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: renewal ? old.acquireTime : at,
      renewTime: at,
      leaseTransitions: renewal ? old.leaseTransitions : old.leaseTransitions + 1,
    },
  };
}

/** The record a leader writes to give the lease up: no holder, a 1 s duration, the transitions kept. */
export function releasedSpec(held: LeaseSpec, now: number): LeaseSpec {
  const at = microTime(now);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: at,
    renewTime: at,
    leaseTransitions: held.leaseTransitions,
  };
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: Date.now,
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface ElectorOptions {
  store: LeaseStore;
  identity: string;
  timings?: ElectionTimings;
  clock?: Clock;
  /** In [0, 1): the jitter of followers' tries. */
  random?: () => number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log: (line: string) => void;
}

/** One candidate: tries to acquire the lease, renews it while it leads, releases it when stopped. */
export class LeaderElector {
  private observation: Observation = NOTHING_OBSERVED;
  private leading = false;
  private lastRenewal = 0;
  private lastHolder: string | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private pending: Promise<boolean> | undefined;
  private readonly timings: ElectionTimings;
  private readonly clock: Clock;

  constructor(private readonly options: ElectorOptions) {
    this.timings = options.timings ?? DEFAULT_TIMINGS;
    this.clock = options.clock ?? realClock;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts trying at once; returns without waiting. */
  start(): void {
    this.loop ??= this.run();
  }

  /**
   * One try, and what it means for leadership: a follower that wins starts leading; a leader that has
   * not renewed for renewDeadline stops (also when a request hangs: the try is not waited for past
   * the deadline).
   */
  async step(): Promise<void> {
    if (!this.leading) {
      // A renewal abandoned at the deadline finishes first: one request at a time moves the record.
      await this.pending;
      if ((await this.attempt()) && !this.stopping.signal.aborted) this.becomeLeader();
      return;
    }
    const deadline = this.lastRenewal + this.timings.renewDeadlineMs;
    // The deadline's timer ends with the try (or with stop()), so none is left behind per renewal.
    const timer = new AbortController();
    const onStop = (): void => timer.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const renewed = await Promise.race([
      this.attempt(),
      this.clock.sleep(Math.max(0, deadline - this.clock.now()), timer.signal).then(() => false),
    ]);
    timer.abort();
    this.stopping.signal.removeEventListener('abort', onStop);
    if (renewed) this.lastRenewal = this.clock.now();
    else if (this.clock.now() >= deadline)
      this.stepDown(`could not renew the lease for ${this.timings.renewDeadlineMs / 1000} s`);
  }

  /** Stops trying; a leader stops leading and releases the lease, so a follower takes over at once. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    // A renewal still under way must land before the release, which must be the last write.
    await this.pending;
    if (this.leading) this.stepDown('shutting down');
    // Released by what was last written, not by `leading`: a try that won as stop() began wrote us in.
    const held = this.observation.lease;
    if (!held || held.spec.holderIdentity !== this.options.identity) return;
    try {
      const now = this.clock.now();
      this.observation = observe(
        this.observation,
        await this.options.store.update(releasedSpec(held.spec, now), held.resourceVersion),
        now,
      );
      this.options.log(`kubeha serve: leader election: released the lease ${this.options.store.description}`);
    } catch (e) {
      this.options.log(
        `kubeha serve: leader election: could not release the lease ${this.options.store.description}: ${message(e)}`,
      );
    }
  }

  private async run(): Promise<void> {
    const { retryPeriodMs } = this.timings;
    while (!this.stopping.signal.aborted) {
      await this.step();
      if (this.stopping.signal.aborted) break;
      // The leader renews on the period; followers spread their tries over it.
      const wait = this.leading
        ? retryPeriodMs
        : retryPeriodMs * (1 + (this.options.random ?? Math.random)() * JITTER_FACTOR);
      await this.clock.sleep(wait, this.stopping.signal);
    }
  }

  private attempt(): Promise<boolean> {
    const p: Promise<boolean> = this.tryAcquireOrRenew().finally(() => {
      if (this.pending === p) this.pending = undefined;
    });
    this.pending = p;
    return p;
  }

  /** True when this candidate holds the lease after the try. Errors count as a failed try. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { store, identity } = this.options;
    const seconds = this.timings.leaseDurationMs / 1000;
    try {
      // The leader's fast path: write over the record it last saw, without reading first.
      const known = this.observation;
      if (this.leading && known.lease && holdsLease(known, identity) && leaseHeld(known, this.clock.now())) {
        const step = nextStep(identity, known, this.clock.now(), seconds);
        if (step.action === 'update') {
          try {
            return this.wrote(await store.update(step.spec, step.resourceVersion));
          } catch {
            // Someone else wrote it, or the request failed: read it and decide again.
          }
        }
      }
      const now = this.clock.now();
      this.observation = observe(this.observation, await store.get(), now);
      this.noteHolder();
      const step = nextStep(identity, this.observation, now, seconds);
      // Stopped meanwhile: take nothing (the release may already be written).
      if (step.action === 'wait' || this.stopping.signal.aborted) return false;
      return this.wrote(
        step.action === 'create'
          ? await store.create(step.spec)
          : await store.update(step.spec, step.resourceVersion),
      );
    } catch (e) {
      // A conflict is another candidate winning the same race: not worth a log line.
      if (!(e instanceof ApiError && e.status === 409))
        this.options.log(`kubeha serve: leader election: ${store.description}: ${message(e)}`);
      return false;
    }
  }

  private wrote(lease: LeaseRecord): true {
    this.observation = observe(this.observation, lease, this.clock.now());
    this.noteHolder();
    return true;
  }

  private becomeLeader(): void {
    this.leading = true;
    this.lastRenewal = this.clock.now();
    this.options.log(
      `kubeha serve: leader election: ${this.options.identity} leads (lease ${this.options.store.description}, ${this.observation.lease?.spec.leaseTransitions ?? 0} transitions): the periodic scan runs here`,
    );
    this.options.onStartedLeading();
  }

  private stepDown(why: string): void {
    this.leading = false;
    this.options.log(
      `kubeha serve: leader election: ${this.options.identity} stops leading (${why}): the periodic scan stops here`,
    );
    this.options.onStoppedLeading();
  }

  private noteHolder(): void {
    const holder = this.observation.lease?.spec.holderIdentity ?? '';
    if (holder === this.lastHolder) return;
    this.lastHolder = holder;
    if (holder !== '' && holder !== this.options.identity)
      this.options.log(
        `kubeha serve: leader election: the lease ${this.options.store.description} is held by ${holder}`,
      );
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const LEASES = '/apis/coordination.k8s.io/v1/namespaces';

/**
 * The Lease through kubeha's cluster client. Creation is a POST; an update is a JSON merge patch that
 * carries metadata.resourceVersion, which the API server treats as a precondition (409 when the lease
 * moved on), as client-go's PUT does.
 */
export function clusterLeaseStore(client: ClusterWriter, namespace: string, name: string): LeaseStore {
  const path = `${LEASES}/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(name)}`;
  return {
    description: `${namespace}/${name}`,
    get: async () => {
      try {
        return leaseRecord(await client.get(path));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      }
    },
    create: async (spec) =>
      leaseRecord(
        await client.send('POST', `${LEASES}/${encodeURIComponent(namespace)}/leases`, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'kubeha' } },
          spec,
        }),
      ),
    update: async (spec, resourceVersion) =>
      leaseRecord(
        await client.send(
          'PATCH',
          path,
          { metadata: { resourceVersion }, spec },
          'application/merge-patch+json',
        ),
      ),
  };
}

/** A Lease as the API server returns it, read defensively (an absent field is empty). */
export function leaseRecord(o: JsonObject): LeaseRecord {
  const metadata = isJsonObject(o['metadata']) ? o['metadata'] : {};
  const spec = isJsonObject(o['spec']) ? o['spec'] : {};
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const count = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return {
    resourceVersion: text(metadata['resourceVersion']),
    spec: {
      holderIdentity: text(spec['holderIdentity']),
      leaseDurationSeconds: count(spec['leaseDurationSeconds']),
      acquireTime: text(spec['acquireTime']),
      renewTime: text(spec['renewTime']),
      leaseTransitions: count(spec['leaseTransitions']),
    },
  };
}

/** This replica's name in the lease: the pod's name (downward API), else host name and process id. */
export function defaultIdentity(env: NodeJS.ProcessEnv = process.env): string {
  return env['POD_NAME'] || `${hostname()}_${process.pid}`;
}

const IN_CLUSTER_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** serve's own namespace: POD_NAMESPACE, else the service account's namespace file, else the kubeconfig's. */
export async function defaultNamespace(
  kubeconfigNamespace: string,
  env: NodeJS.ProcessEnv = process.env,
  file = IN_CLUSTER_NAMESPACE,
): Promise<string> {
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  const inCluster = await readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  return inCluster || kubeconfigNamespace || 'default';
}
