import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { verdictOf } from '../simulate/verdict.js';
import type { Verdict } from '../simulate/types.js';
import type { WatchedWorkload } from './plan.js';
import { spreadLost, type SpreadLoss } from './spread.js';
import type { WatchEventType } from './watch.js';

/**
 * The simulator's verdicts, and one of chaos's own: a workload already below its floor before the
 * experiment is reported as it was, not blamed on the experiment.
 */
export type ChaosVerdict = Verdict | 'degraded-before';

/** What was measured of one workload, from the watch events alone. */
export interface WorkloadMeasure {
  /** Its Ready pods when the experiment started (before anything was changed). */
  readyBefore: number;
  /** spec.replicas when the experiment started (1 for a bare pod). */
  desired: number;
  verdict: ChaosVerdict;
  minReady: number;
  readyAfter: number;
  /** Seconds with fewer ready replicas than the floor, and with none. */
  secondsBelowFloor: number;
  secondsDown: number;
  /** Seconds from the start until it was back to its replicas; undefined when it was not by the end. */
  recoveredAfter: number | undefined;
  /** Why the run did not wait for it to come back, when it did not. */
  notWaited: string | undefined;
  /** Nodes or zones that hold more of its replicas than before, now that it runs in fewer. */
  spreadLost: SpreadLoss[];
}

interface PodFacts {
  node: string | undefined;
  ready: boolean;
  terminating: boolean;
}

interface Track {
  w: WatchedWorkload;
  desired: number;
  /** The controller's status.readyReplicas (undefined for a bare pod). */
  statusReady: number | undefined;
  pods: Map<string, PodFacts>;
  ready: number;
  readyBefore: number;
  belowBefore: boolean;
  placedBefore: string[];
  minReady: number;
  belowMs: number;
  downMs: number;
  /** When `ready` last changed (or was last accounted for), in ms. */
  since: number;
  /** Its pods the experiment deleted or evicted. */
  disrupted: number;
  recoveredAt: number | undefined;
  /** An eviction of one of its pods is being refused (a PDB allows no disruption now). */
  refused: boolean;
}

/**
 * Measures each watched workload's ready replicas from watch events on its pods and on its
 * controller. Pure: events and times in, measurements out (tested with recorded event sequences).
 *
 * A workload's ready count is its pods whose Ready condition is True, not being deleted, and not
 * deleted or evicted by the experiment (counted down from the moment the request is sent, whatever
 * the watch or the controller's status says in between), so a replacement made Ready within
 * milliseconds still leaves the dip it closed. Time is accounted between events: the count is
 * constant in between, so the time below the floor is exact to the watch's delivery.
 */
export class Measure {
  private readonly tracks = new Map<string, Track>();
  /** `namespace/replicaset` → the watched workload it belongs to (its Deployment, or itself). */
  private readonly rsOwner = new Map<string, string>();
  private readonly podWorkload = new Map<string, string>();
  private readonly disruptedPods = new Set<string>();
  private baselineAt: number | undefined;
  /** Watch events received since the baseline (the lists before it are not counted). */
  events = 0;

  constructor(workloads: readonly WatchedWorkload[]) {
    for (const w of workloads)
      this.tracks.set(w.id, {
        w,
        desired: w.desired,
        statusReady: undefined,
        pods: new Map(),
        ready: 0,
        readyBefore: 0,
        belowBefore: false,
        placedBefore: [],
        minReady: 0,
        belowMs: 0,
        downMs: 0,
        since: 0,
        disrupted: 0,
        recoveredAt: undefined,
        refused: false,
      });
  }

  /** One watch event (a list's items come as ADDED), received at `t` ms. */
  apply(kind: string, type: WatchEventType, object: JsonObject, t: number): void {
    if (this.baselineAt !== undefined) this.events++;
    const meta = isJsonObject(object['metadata']) ? object['metadata'] : {};
    const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const touched = new Set<string>();
    if (kind === 'Pod') {
      const uid = typeof meta['uid'] === 'string' ? meta['uid'] : `${namespace}/${name}`;
      const before = this.podWorkload.get(uid);
      const after = type === 'DELETED' ? undefined : this.workloadOfPod(namespace, name, object);
      if (before !== undefined && before !== after) {
        this.tracks.get(before)?.pods.delete(uid);
        touched.add(before);
      }
      if (after !== undefined) {
        this.tracks.get(after)!.pods.set(uid, podFacts(object));
        this.podWorkload.set(uid, after);
        touched.add(after);
      } else this.podWorkload.delete(uid);
    } else {
      if (kind === 'ReplicaSet') {
        const owner = controllerOf(object);
        this.rsOwner.set(
          `${namespace}/${name}`,
          owner?.kind === 'Deployment'
            ? `${namespace}/Deployment/${owner.name}`
            : `${namespace}/ReplicaSet/${name}`,
        );
      }
      const track = this.tracks.get(`${namespace}/${kind}/${name}`);
      if (track) {
        const replicas = getAt(object, '/spec/replicas');
        const ready = getAt(object, '/status/readyReplicas');
        if (type !== 'DELETED' && typeof replicas === 'number') track.desired = replicas;
        track.statusReady = type === 'DELETED' ? 0 : typeof ready === 'number' ? ready : 0;
        touched.add(track.w.id);
      }
    }
    for (const id of touched) this.settle(this.tracks.get(id)!, t);
  }

  /** The state before the experiment, at `t` ms: every list has been applied, nothing changed yet. */
  baseline(t: number): void {
    this.baselineAt = t;
    for (const s of this.tracks.values()) {
      s.ready = this.count(s);
      s.readyBefore = s.ready;
      s.minReady = s.ready;
      s.since = t;
      s.belowBefore = s.desired > 0 && s.ready < s.w.floor;
      s.placedBefore = placed(s, this.disruptedPods);
    }
  }

  /** Workloads below their floor before the experiment (each with its ready count then). */
  belowBefore(): { w: WatchedWorkload; ready: number; desired: number }[] {
    return [...this.tracks.values()]
      .filter((s) => s.belowBefore)
      .map((s) => ({ w: s.w, ready: s.readyBefore, desired: s.desired }));
  }

  /** The experiment is deleting or has evicted this pod (by uid): it is down from `t` ms on. */
  disrupt(uid: string, workload: string, t: number): void {
    if (this.disruptedPods.has(uid)) return;
    this.disruptedPods.add(uid);
    const s = this.tracks.get(this.podWorkload.get(uid) ?? workload);
    if (!s) return;
    s.disrupted++;
    s.recoveredAt = undefined;
    this.settle(s, t);
  }

  /** A refused eviction (true) or the last of them let through (false). */
  refused(workload: string, refused: boolean): void {
    const s = this.tracks.get(workload);
    if (s) s.refused = refused;
  }

  /** Whether the run has nothing more to wait for from this workload. */
  settled(id: string): boolean {
    const s = this.tracks.get(id);
    return s === undefined || notWaited(s) !== undefined || s.disrupted === 0 || s.recoveredAt !== undefined;
  }

  allSettled(): boolean {
    return [...this.tracks.keys()].every((id) => this.settled(id));
  }

  /** The measurements at the end of the run (`t` ms); `zoneOf` places nodes for the spread. */
  results(t: number, zoneOf: (node: string) => string | undefined): Map<string, WorkloadMeasure> {
    const out = new Map<string, WorkloadMeasure>();
    for (const s of this.tracks.values()) {
      this.settle(s, t);
      const why = notWaited(s);
      const stuck = s.refused || (why === undefined && s.disrupted > 0 && s.recoveredAt === undefined);
      out.set(s.w.id, {
        readyBefore: s.readyBefore,
        desired: s.desired,
        verdict: s.belowBefore
          ? 'degraded-before'
          : verdictOf({ desired: s.desired, floor: s.w.floor, minReady: s.minReady, stuck }),
        minReady: s.minReady,
        readyAfter: s.ready,
        secondsBelowFloor: tenthsUp(s.belowMs),
        secondsDown: tenthsUp(s.downMs),
        recoveredAfter: s.recoveredAt === undefined ? undefined : round(s.recoveredAt / 1000),
        notWaited: why,
        spreadLost: spreadLost(s.placedBefore, placed(s, this.disruptedPods), zoneOf),
      });
    }
    return out;
  }

  /** Accounts the time since the last change at the old count, then takes the new count. */
  private settle(s: Track, t: number): void {
    const ready = this.count(s);
    if (this.baselineAt === undefined) {
      s.ready = ready;
      return;
    }
    const dt = Math.max(0, t - s.since);
    if (s.desired > 0 && s.ready < s.w.floor) s.belowMs += dt;
    if (s.desired > 0 && s.ready === 0) s.downMs += dt;
    s.since = Math.max(s.since, t);
    s.ready = ready;
    s.minReady = Math.min(s.minReady, ready);
    const back = ready >= s.desired && (s.statusReady === undefined || s.statusReady >= s.desired);
    if (!back) s.recoveredAt = undefined;
    else if (s.disrupted > 0 && s.recoveredAt === undefined) s.recoveredAt = t;
  }

  private count(s: Track): number {
    let n = 0;
    for (const [uid, p] of s.pods) if (p.ready && !this.disruptedPods.has(uid)) n++;
    return n;
  }

  /** The watched workload a pod belongs to, by its controller (a ReplicaSet's by its Deployment). */
  private workloadOfPod(namespace: string, name: string, pod: JsonObject): string | undefined {
    const ref = controllerOf(pod);
    let id: string;
    if (!ref) id = `${namespace}/Pod/${name}`;
    else if (ref.kind === 'ReplicaSet') {
      // A ReplicaSet the watch has not shown yet (a rollout's new one): the Deployment controller
      // names it `<deployment>-<pod-template-hash>`.
      const hash = getAt(pod, '/metadata/labels/pod-template-hash');
      const byName =
        typeof hash === 'string' && ref.name.endsWith(`-${hash}`)
          ? `${namespace}/Deployment/${ref.name.slice(0, -hash.length - 1)}`
          : undefined;
      id =
        this.rsOwner.get(`${namespace}/${ref.name}`) ??
        (byName !== undefined && this.tracks.has(byName) ? byName : `${namespace}/ReplicaSet/${ref.name}`);
    } else id = `${namespace}/${ref.kind}/${ref.name}`;
    return this.tracks.has(id) ? id : undefined;
  }
}

function notWaited(s: Track): string | undefined {
  if (s.belowBefore)
    return `already below its floor before the experiment (${s.readyBefore} of ${s.desired} ready)`;
  if (s.w.kind === 'Pod' && s.disrupted > 0) return 'a bare pod: nothing recreates it';
  return undefined;
}

/** The nodes of its pods that run somewhere and are not going away. */
function placed(s: Track, disrupted: ReadonlySet<string>): string[] {
  const nodes: string[] = [];
  for (const [uid, p] of s.pods)
    if (p.node !== undefined && !p.terminating && !disrupted.has(uid)) nodes.push(p.node);
  return nodes;
}

function podFacts(pod: JsonObject): PodFacts {
  const terminating = getAt(pod, '/metadata/deletionTimestamp') !== undefined;
  const conditions = getAt(pod, '/status/conditions');
  const readyCondition = Array.isArray(conditions)
    ? conditions.find((c) => isJsonObject(c) && c['type'] === 'Ready')
    : undefined;
  const node = getAt(pod, '/spec/nodeName');
  return {
    node: typeof node === 'string' && node !== '' ? node : undefined,
    // Ready as endpoints and the disruption controller see it: the condition, and not being deleted.
    ready: !terminating && isJsonObject(readyCondition) && readyCondition['status'] === 'True',
    terminating,
  };
}

function controllerOf(o: JsonObject): { kind: string; name: string } | undefined {
  const refs = getAt(o, '/metadata/ownerReferences');
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs)
    if (
      isJsonObject(r) &&
      r['controller'] === true &&
      typeof r['kind'] === 'string' &&
      typeof r['name'] === 'string'
    )
      return { kind: r['kind'], name: r['name'] };
  return undefined;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * A time spent down (ms) in seconds, tenths of a second rounded up: on a fast control plane a replacement can
 * be Ready 30 ms after its pod went, and "0 s with none ready" would hide an outage that happened.
 */
function tenthsUp(ms: number): number {
  return Math.ceil(Math.round(ms) / 100) / 10;
}
