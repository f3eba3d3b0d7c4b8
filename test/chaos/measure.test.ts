import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Measure, type WorkloadMeasure } from '../../src/chaos/measure.js';
import type { TargetPod, WatchedWorkload } from '../../src/chaos/plan.js';
import type { JsonObject } from '../../src/model/types.js';
import type { WatchEventType } from '../../src/chaos/watch.js';

// Recorded on the tools/cluster control plane (test/chaos/fixtures/*.json): every watch event chaos
// received (a list's items as ADDED, flagged `list`) and every DELETE it sent, in ms since the start.
interface Recorded {
  plan: { pods: TargetPod[]; workloads: WatchedWorkload[]; zones: Record<string, string> };
  events: {
    ms: number;
    kind?: string;
    type?: WatchEventType;
    list?: boolean;
    object?: JsonObject;
    request?: string;
    end?: boolean;
  }[];
}

const fixture = (name: string): Recorded =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as Recorded;

/** Feeds a recording to a Measure as runExperiment does: the lists, the baseline, then the rest. */
function replay(r: Recorded): {
  measure: Measure;
  settledAtBaseline: boolean;
  results: Map<string, WorkloadMeasure>;
} {
  const measure = new Measure(r.plan.workloads);
  let baselined = false;
  let settledAtBaseline = false;
  const baseline = (ms: number): void => {
    if (baselined) return;
    measure.baseline(ms);
    baselined = true;
    settledAtBaseline = measure.allSettled();
  };
  for (const e of r.events) {
    if (e.end) {
      baseline(e.ms);
      return { measure, settledAtBaseline, results: measure.results(e.ms, (n) => r.plan.zones[n]) };
    }
    if (e.request !== undefined) {
      baseline(e.ms);
      const name = e.request.split('/').at(-1);
      const pod = r.plan.pods.find((p) => p.name === name)!;
      measure.disrupt(pod.uid!, pod.workload, e.ms);
      continue;
    }
    if (!e.list) baseline(e.ms);
    measure.apply(e.kind!, e.type!, e.object!, e.ms);
  }
  throw new Error('the recording has no end');
}

describe('Measure, on recorded watch events', () => {
  it('node-loss: the one-replica Deployment is an outage, though its replacement was Ready in 130 ms', () => {
    const r = fixture('node-loss');
    const { results } = replay(r);
    expect(results.get('rec/Deployment/single')).toMatchObject({
      verdict: 'outage',
      readyBefore: 1,
      minReady: 0,
      readyAfter: 1,
      secondsDown: 0.2, // 130 ms, rounded up to the tenth
      recoveredAfter: 0.4,
      notWaited: undefined,
      spreadLost: [],
    });
    // What reading the Deployment's status once a second saw: 1 ready at every reading, the dip
    // between two of them missed (the ✔ ok … min 1 of 1 ready that chaos used to report).
    const statusAt = (ms: number): unknown => {
      let ready: unknown;
      for (const e of r.events)
        if (
          e.ms <= ms &&
          e.kind === 'Deployment' &&
          e.object?.['metadata'] &&
          (e.object['metadata'] as JsonObject)['name'] === 'single'
        )
          ready = (e.object['status'] as JsonObject | undefined)?.['readyReplicas'] ?? 0;
      return ready;
    };
    const first = r.events.find((e) => e.kind === 'Deployment')!.ms;
    const end = r.events.at(-1)!.ms;
    const readings = Array.from({ length: Math.floor((end - first) / 1000) + 1 }, (_, i) =>
      statusAt(first + i * 1000),
    );
    expect(readings.length).toBeGreaterThan(1);
    expect(new Set(readings)).toEqual(new Set([1]));
  });

  it('node-loss: the two-replica Deployment keeps its floor, and its spread over two nodes is not back', () => {
    const { results } = replay(fixture('node-loss'));
    expect(results.get('rec/Deployment/pair')).toMatchObject({
      verdict: 'ok',
      readyBefore: 2,
      minReady: 1,
      secondsDown: 0,
      spreadLost: [
        {
          topology: 'node',
          domain: 'b-a-2',
          before: 1,
          after: 2,
          replicas: 2,
          domainsBefore: 2,
          domainsAfter: 1,
        },
      ],
    });
  });

  it('a workload below its floor before is its own verdict, and the run has nothing to wait for from it', () => {
    const { results, settledAtBaseline } = replay(fixture('degraded'));
    expect(settledAtBaseline).toBe(true);
    expect(results.get('before/Deployment/short')).toMatchObject({
      verdict: 'degraded-before',
      readyBefore: 1,
      desired: 3,
      minReady: 0,
      notWaited: 'already below its floor before the experiment (1 of 3 ready)',
    });
  });
});

// Hand-written sequences for what the recordings do not show.
const pod = (
  name: string,
  uid: string,
  ready: boolean,
  owner: { kind: string; name: string } | undefined,
  extra: JsonObject = {},
): JsonObject => ({
  metadata: {
    name,
    namespace: 'ns',
    uid,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...owner, controller: true }] } : {}),
    ...extra,
  },
  spec: { nodeName: 'n1' },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const workload = (kind: string, name: string, desired: number, floor: number): WatchedWorkload => ({
  id: `ns/${kind}/${name}`,
  kind,
  namespace: 'ns',
  name,
  desired,
  floor,
  floorSource: 'test',
  readyBefore: desired,
});
const controller = (kind: string, name: string, replicas: number, ready: number): JsonObject => ({
  metadata: { name, namespace: 'ns', uid: `${kind}-${name}` },
  spec: { replicas },
  status: { readyReplicas: ready },
});

describe('Measure', () => {
  it("a StatefulSet's replacement has the same name: the deleted pod is down until the new one is Ready", () => {
    const m = new Measure([workload('StatefulSet', 'db', 1, 1)]);
    const sts = { kind: 'StatefulSet', name: 'db' };
    m.apply('StatefulSet', 'ADDED', controller('StatefulSet', 'db', 1, 1), 0);
    m.apply('Pod', 'ADDED', pod('db-0', 'old', true, sts), 0);
    m.baseline(10);
    m.disrupt('old', 'ns/StatefulSet/db', 100);
    // The old pod's MODIFIED (still Ready, the watch lagging) does not bring it back.
    m.apply('Pod', 'MODIFIED', pod('db-0', 'old', true, sts), 120);
    m.apply('Pod', 'DELETED', pod('db-0', 'old', true, sts), 130);
    m.apply('Pod', 'ADDED', pod('db-0', 'new', false, sts), 150);
    m.apply('StatefulSet', 'MODIFIED', controller('StatefulSet', 'db', 1, 0), 200);
    expect(m.allSettled()).toBe(false);
    m.apply('Pod', 'MODIFIED', pod('db-0', 'new', true, sts), 900);
    // Back only when the controller's status says so too.
    expect(m.allSettled()).toBe(false);
    m.apply('StatefulSet', 'MODIFIED', controller('StatefulSet', 'db', 1, 1), 950);
    expect(m.allSettled()).toBe(true);
    expect(m.results(2000, () => undefined).get('ns/StatefulSet/db')).toMatchObject({
      verdict: 'outage',
      minReady: 0,
      secondsDown: 0.8,
      recoveredAfter: 1,
    });
  });

  it('an outage shorter than a tenth of a second still shows as time down (rounded up, not to 0)', () => {
    const m = new Measure([workload('StatefulSet', 'db', 1, 1)]);
    const sts = { kind: 'StatefulSet', name: 'db' };
    m.apply('StatefulSet', 'ADDED', controller('StatefulSet', 'db', 1, 1), 0);
    m.apply('Pod', 'ADDED', pod('db-0', 'old', true, sts), 0);
    m.baseline(0);
    m.disrupt('old', 'ns/StatefulSet/db', 100);
    // What a CI control plane did: the replacement Ready 30 ms after the pod went.
    m.apply('Pod', 'ADDED', pod('db-0', 'new', true, sts), 130);
    const r = m.results(300, () => undefined).get('ns/StatefulSet/db')!;
    expect(r).toMatchObject({ verdict: 'outage', minReady: 0, secondsDown: 0.1, secondsBelowFloor: 0.1 });
    // Exact tenths stay what they are (no float drift to the next tenth).
    const exact = new Measure([workload('StatefulSet', 'db', 1, 1)]);
    exact.apply('StatefulSet', 'ADDED', controller('StatefulSet', 'db', 1, 1), 0);
    exact.apply('Pod', 'ADDED', pod('db-0', 'old', true, sts), 0);
    exact.baseline(0);
    exact.disrupt('old', 'ns/StatefulSet/db', 100);
    exact.apply('Pod', 'ADDED', pod('db-0', 'new', true, sts), 400);
    expect(exact.results(500, () => undefined).get('ns/StatefulSet/db')).toMatchObject({ secondsDown: 0.3 });
  });

  it("a pod of a ReplicaSet the watch has not shown yet is its Deployment's, by the ReplicaSet's name", () => {
    const m = new Measure([workload('Deployment', 'web', 2, 1)]);
    m.apply('Deployment', 'ADDED', controller('Deployment', 'web', 2, 2), 0);
    const rs = { kind: 'ReplicaSet', name: 'web-abc12' };
    const labels = { labels: { 'pod-template-hash': 'abc12' } };
    m.apply('Pod', 'ADDED', pod('web-abc12-x', 'x', true, rs, labels), 0);
    m.apply('Pod', 'ADDED', pod('web-abc12-y', 'y', true, rs, labels), 0);
    m.baseline(0);
    // Someone else deletes a pod: it stops counting as soon as it is Terminating.
    m.apply(
      'Pod',
      'MODIFIED',
      pod('web-abc12-x', 'x', true, rs, { ...labels, deletionTimestamp: 'now' }),
      500,
    );
    m.apply('Pod', 'MODIFIED', pod('web-abc12-y', 'y', false, rs, labels), 1500);
    m.apply('Pod', 'MODIFIED', pod('web-abc12-y', 'y', true, rs, labels), 2500);
    const r = m.results(3000, () => undefined).get('ns/Deployment/web')!;
    expect(r).toMatchObject({ readyBefore: 2, minReady: 0, secondsBelowFloor: 1, secondsDown: 1 });
  });

  it('a deleted bare pod is an outage the run does not wait for: nothing recreates it', () => {
    const m = new Measure([workload('Pod', 'debug', 1, 1)]);
    m.apply('Pod', 'ADDED', pod('debug', 'd', true, undefined), 0);
    m.baseline(0);
    m.disrupt('d', 'ns/Pod/debug', 100);
    m.apply('Pod', 'DELETED', pod('debug', 'd', true, undefined), 150);
    expect(m.allSettled()).toBe(true);
    expect(m.results(1100, () => undefined).get('ns/Pod/debug')).toMatchObject({
      verdict: 'outage',
      secondsDown: 1,
      recoveredAfter: undefined,
      notWaited: 'a bare pod: nothing recreates it',
    });
  });

  it('a drain whose eviction is still refused at the end is stuck, as simulate says', () => {
    const m = new Measure([workload('Deployment', 'web', 1, 1)]);
    m.apply('Deployment', 'ADDED', controller('Deployment', 'web', 1, 1), 0);
    m.apply(
      'ReplicaSet',
      'ADDED',
      {
        metadata: {
          name: 'web-1',
          namespace: 'ns',
          ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
        },
      },
      0,
    );
    m.apply('Pod', 'ADDED', pod('web-1-a', 'a', true, { kind: 'ReplicaSet', name: 'web-1' }), 0);
    m.baseline(0);
    m.refused('ns/Deployment/web', true);
    expect(m.results(5000, () => undefined).get('ns/Deployment/web')).toMatchObject({
      verdict: 'stuck',
      minReady: 1,
    });
  });
});
