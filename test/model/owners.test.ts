import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import { controllerRef, ownerOf, owningWorkload, podsOf, topOwner } from '../../src/model/owners.js';
import type { K8sObject } from '../../src/model/types.js';
import singleReplica from '../../src/rules/single-replica.js';
import singletonPod from '../../src/rules/singleton-pod.js';
import { parseManifests } from '../../src/sources/parse.js';

function load(text: string): { objects: K8sObject[]; index: ObjectIndex } {
  const objects = parseManifests(text, 'live.yaml').objects;
  return { objects, index: new ObjectIndex(objects) };
}

function byName(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

const owner = (kind: string, name: string, uid: string, apiVersion = 'apps/v1') =>
  `ownerReferences: [{ apiVersion: ${apiVersion}, kind: ${kind}, name: ${name}, uid: ${uid}, controller: true, blockOwnerDeletion: true }]`;

// A cluster as `kubectl get -o yaml` shows it: a Deployment in mid-rollout (the old ReplicaSet scaled down
// to 1, its pod already gone),
// a CronJob's Job, a StatefulSet, an Argo Rollout, and one bare Pod.
const cluster = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop, uid: d-web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-new, namespace: shop, uid: rs-new, ${owner('Deployment', 'web', 'd-web')} }
spec:
  replicas: 2
  selector: { matchLabels: { app: web, pod-template-hash: new } }
  template: { metadata: { labels: { app: web, pod-template-hash: new } }, spec: { containers: [{ name: web, image: nginx }] } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-old, namespace: shop, uid: rs-old, ${owner('Deployment', 'web', 'd-web')} }
spec:
  replicas: 1
  selector: { matchLabels: { app: web, pod-template-hash: old } }
  template: { metadata: { labels: { app: web, pod-template-hash: old } }, spec: { containers: [{ name: web, image: nginx }] } }
---
apiVersion: v1
kind: Pod
metadata: { name: web-new-a, namespace: shop, uid: p1, labels: { app: web }, ${owner('ReplicaSet', 'web-new', 'rs-new')} }
spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-new-b, namespace: shop, uid: p2, labels: { app: web }, ${owner('ReplicaSet', 'web-new', 'rs-new')} }
spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop, uid: cj }
spec:
  schedule: "0 * * * *"
  jobTemplate: { spec: { template: { spec: { restartPolicy: Never, containers: [{ name: r, image: r }] } } } }
---
apiVersion: batch/v1
kind: Job
metadata: { name: report-2900, namespace: shop, uid: job, ${owner('CronJob', 'report', 'cj', 'batch/v1')} }
spec: { template: { spec: { restartPolicy: Never, containers: [{ name: r, image: r }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: report-2900-x, namespace: shop, uid: p3, ${owner('Job', 'report-2900', 'job', 'batch/v1')} }
spec: { restartPolicy: Never, containers: [{ name: r, image: r }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop, uid: sts }
spec:
  replicas: 1
  selector: { matchLabels: { app: db } }
  template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: pg }] } }
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: shop, uid: p4, ${owner('StatefulSet', 'db', 'sts')} }
spec: { containers: [{ name: db, image: pg }] }
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: api, namespace: shop, uid: ro }
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: api }] } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: api-1, namespace: shop, uid: rs-api, ${owner('Rollout', 'api', 'ro', 'argoproj.io/v1alpha1')} }
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: api }] } }
---
apiVersion: v1
kind: Pod
metadata: { name: api-1-a, namespace: shop, uid: p5, ${owner('ReplicaSet', 'api-1', 'rs-api')} }
spec: { containers: [{ name: api, image: api }] }
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: shop, uid: p6 }
spec: { containers: [{ name: sh, image: busybox }] }
`;

describe('owner chains', () => {
  const { objects, index } = load(cluster);
  const get = (kind: string, name: string) => byName(objects, kind, name);

  it('reads the controller reference and finds the owner by uid', () => {
    expect(controllerRef(get('Pod', 'web-new-a'))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-new',
      uid: 'rs-new',
    });
    expect(ownerOf(index, get('Pod', 'web-new-a'))).toBe(get('ReplicaSet', 'web-new'));
    expect(ownerOf(index, get('Deployment', 'web'))).toBeUndefined();
  });

  it('walks to the top owner: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod → ReplicaSet → Rollout', () => {
    expect(topOwner(index, get('Pod', 'web-new-b'))).toBe(get('Deployment', 'web'));
    expect(topOwner(index, get('Pod', 'report-2900-x'))).toBe(get('CronJob', 'report'));
    expect(topOwner(index, get('Pod', 'api-1-a'))).toBe(get('Rollout', 'api'));
    expect(topOwner(index, get('Pod', 'db-0'))).toBe(get('StatefulSet', 'db'));
    expect(topOwner(index, get('Pod', 'debug'))).toBe(get('Pod', 'debug'));
  });

  it('gives every object on the chain its pods', () => {
    const names = (o: K8sObject) => podsOf(index, o).map((p) => p.name);
    expect(names(get('Deployment', 'web'))).toEqual(['web-new-a', 'web-new-b']);
    expect(names(get('ReplicaSet', 'web-new'))).toEqual(['web-new-a', 'web-new-b']);
    expect(names(get('ReplicaSet', 'web-old'))).toEqual([]);
    expect(names(get('CronJob', 'report'))).toEqual(['report-2900-x']);
    expect(names(get('Rollout', 'api'))).toEqual(['api-1-a']);
    const web = index.workload('shop', 'Deployment', 'web')!;
    expect(podsOf(index, web)).toBe(podsOf(index, web.object));
  });

  it('leaves the parts of a workload out of the workloads: ReplicaSets, Jobs and Pods that a workload here controls', () => {
    expect(index.workloads.map((w) => w.id)).toEqual([
      'shop/Deployment/web',
      'shop/CronJob/report',
      'shop/StatefulSet/db',
      'shop/Rollout/api',
      'shop/Pod/debug',
    ]);
    // Still found by name: an HPA may name a ReplicaSet.
    expect(index.workload('shop', 'ReplicaSet', 'web-old')).toBeDefined();
  });

  it('so single-replica does not fire on the half-scaled old ReplicaSet, and singleton-pod only on the bare Pod', () => {
    const result = check(objects, { rules: [singleReplica, singletonPod] });
    const found = result.findings.map((f) => `${f.rule} ${f.object?.kind}/${f.object?.name}`);
    expect(found.sort()).toEqual(['single-replica StatefulSet/db', 'singleton-pod Pod/debug']);
    expect(result.summary.workloads).toBe(5);
  });
});

describe('owner matching', () => {
  it('a uid decides: an object of the owner name with another uid is a later incarnation, not the owner', () => {
    const { objects, index } = load(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-1, namespace: shop, uid: second }
spec: { replicas: 2, template: { spec: { containers: [{ name: c, image: i }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: orphan, namespace: shop, ${owner('ReplicaSet', 'web-1', 'first')} }
spec: { containers: [{ name: c, image: i }] }
`);
    expect(ownerOf(index, byName(objects, 'Pod', 'orphan'))).toBeUndefined();
    expect(index.workloads.map((w) => w.object.name)).toEqual(['web-1', 'orphan']);
  });

  it('without uids (manifests), kind and name in the same namespace decide', () => {
    const { objects, index } = load(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { replicas: 2, template: { spec: { containers: [{ name: c, image: i }] } } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-1
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, controller: true }]
spec: { replicas: 2, template: { spec: { containers: [{ name: c, image: i }] } } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-2
  namespace: other
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, controller: true }]
spec: { replicas: 2, template: { spec: { containers: [{ name: c, image: i }] } } }
`);
    expect(ownerOf(index, byName(objects, 'ReplicaSet', 'web-1'))?.name).toBe('web');
    // Owners never cross namespaces.
    expect(ownerOf(index, byName(objects, 'ReplicaSet', 'web-2'))).toBeUndefined();
    expect(index.workloads.map((w) => w.id)).toEqual(['shop/Deployment/web', 'other/ReplicaSet/web-2']);
  });

  it('an owner that is not a workload (an operator custom resource) keeps the StatefulSet a workload', () => {
    const { objects, index } = load(`
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata: { name: events, namespace: data, uid: k }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: events-kafka, namespace: data, uid: s, ${owner('Kafka', 'events', 'k', 'kafka.strimzi.io/v1beta2')} }
spec: { replicas: 3, template: { spec: { containers: [{ name: c, image: i }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: events-kafka-0, namespace: data, ${owner('StatefulSet', 'events-kafka', 's')} }
spec: { containers: [{ name: c, image: i }] }
`);
    expect(index.workloads.map((w) => w.id)).toEqual(['data/StatefulSet/events-kafka']);
    expect(topOwner(index, byName(objects, 'Pod', 'events-kafka-0')).kind).toBe('Kafka');
    expect(podsOf(index, byName(objects, 'StatefulSet', 'events-kafka')).map((p) => p.name)).toEqual([
      'events-kafka-0',
    ]);
  });

  it('a hand-made owner loop ends instead of spinning', () => {
    const { objects, index } = load(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: a, namespace: x, ownerReferences: [{ kind: ReplicaSet, name: b, controller: true }] }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: b, namespace: x, ownerReferences: [{ kind: ReplicaSet, name: a, controller: true }] }
`);
    expect(topOwner(index, byName(objects, 'ReplicaSet', 'a')).name).toBe('b');
  });
});

describe('owningWorkload', () => {
  it('is the highest workload above the object, past owners that make no pods', () => {
    const { objects, index } = load(`${cluster}
---
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata: { name: events, namespace: shop, uid: k }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: events-kafka, namespace: shop, uid: s, ${owner('Kafka', 'events', 'k', 'kafka.strimzi.io/v1beta2')} }
spec: { replicas: 3, template: { spec: { containers: [{ name: c, image: i }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: events-kafka-0, namespace: shop, ${owner('StatefulSet', 'events-kafka', 's')} }
spec: { containers: [{ name: c, image: i }] }
`);
    const of = (kind: string, name: string) => owningWorkload(index, byName(objects, kind, name))?.id;
    expect(of('Pod', 'web-new-a')).toBe('shop/Deployment/web');
    expect(of('Pod', 'report-2900-x')).toBe('shop/CronJob/report');
    expect(of('Pod', 'events-kafka-0')).toBe('shop/StatefulSet/events-kafka');
    expect(of('Pod', 'debug')).toBeUndefined();
    expect(of('Deployment', 'web')).toBeUndefined();
  });
});
