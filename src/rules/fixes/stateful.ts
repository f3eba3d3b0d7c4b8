import { getAt } from '../../model/json-path.js';
import type { ObjectIndex } from '../../model/object-index.js';
import { isJsonObject, type JsonValue } from '../../model/types.js';
import type { Workload } from '../../model/workload.js';
import { SAFE } from './build.js';
import type { Applicability } from './types.js';

/*
 * Whether more replicas of a workload would split its state. A stateless pod can be copied; a database,
 * queue or cache copied by raising spec.replicas gives each copy its own data (a second Postgres that
 * does not replicate the first, two Redis caches that disagree), and a client sees one or the other at
 * random. Replicating state is the application's job (its operator, its chart's cluster mode), never a
 * count in the manifest: every fix that raises replicas asks this first.
 */

/**
 * Image repositories (the last path segment, as docker.io/library/<name> or bitnami/<name> name them) of
 * software that keeps state in the pod, by the name a person knows it by. Whole names only: a
 * redis-exporter or a postgres-operator is stateless.
 */
const STATEFUL_IMAGES: Readonly<Record<string, readonly string[]>> = {
  PostgreSQL: [
    'postgres',
    'postgresql',
    'postgresql-repmgr',
    'postgis',
    'timescaledb',
    'timescaledb-ha',
    'spilo',
  ],
  MySQL: ['mysql', 'mysql-server', 'percona-server', 'percona-xtradb-cluster'],
  MariaDB: ['mariadb', 'mariadb-galera'],
  MongoDB: ['mongo', 'mongodb', 'mongodb-community-server', 'percona-server-mongodb'],
  Redis: ['redis', 'redis-cluster', 'redis-stack', 'redis-stack-server', 'valkey', 'valkey-cluster', 'keydb'],
  RabbitMQ: ['rabbitmq'],
  Kafka: ['kafka', 'cp-kafka', 'cp-server'],
  ZooKeeper: ['zookeeper', 'cp-zookeeper'],
  Elasticsearch: ['elasticsearch', 'opensearch'],
  etcd: ['etcd'],
  Cassandra: ['cassandra', 'scylla'],
  Memcached: ['memcached'],
  NATS: ['nats', 'nats-streaming'],
  CockroachDB: ['cockroach'],
  ClickHouse: ['clickhouse-server'],
  InfluxDB: ['influxdb'],
  MinIO: ['minio'],
  CouchDB: ['couchdb'],
  Neo4j: ['neo4j'],
};

const PRODUCT_BY_REPOSITORY = new Map(
  Object.entries(STATEFUL_IMAGES).flatMap(([product, names]) => names.map((n) => [n, product] as const)),
);

/**
 * emptyDir mount paths that hold scratch files, not the application's data: a pod that only writes
 * there loses nothing a second replica would need.
 */
const SCRATCH_PATHS = /^\/(tmp|var\/tmp|run|var\/run|var\/cache|var\/log|dev\/shm|\.cache|cache)(\/|$)/;

/** "redis:7.2", "docker.io/bitnami/postgresql:16@sha256:…" → "redis", "postgresql". */
export function imageRepository(image: string): string {
  const name = image.split('@')[0]!;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0]!.toLowerCase();
}

/** The stateful software a container image runs ("Redis"), by its repository name; undefined if none known. */
export function statefulProduct(image: JsonValue | undefined): string | undefined {
  return typeof image === 'string' ? PRODUCT_BY_REPOSITORY.get(imageRepository(image)) : undefined;
}

/** What makes a workload stateful, in words a review line can use. */
export interface StatefulEvidence {
  /** The stateful software its image runs: "a Redis", "an etcd"; absent when no image says it. */
  product?: string;
  /** The data each pod keeps: "emptyDir data (volume data)"; absent when only the kind or image says it. */
  data?: string;
}

/**
 * Why more replicas of `w` would each keep their own state, or undefined for a workload that can be
 * copied: a StatefulSet, an image of stateful software (STATEFUL_IMAGES), or a pod that mounts data
 * volumes (a PersistentVolumeClaim, a generic ephemeral volume, volumeClaimTemplates, an emptyDir
 * outside scratch paths).
 */
export function statefulEvidence(index: ObjectIndex, w: Workload): StatefulEvidence | undefined {
  const template = index.templateOf(w);
  const product = template.containers.map((c) => statefulProduct(c.raw['image'])).find((p) => p);
  const data = dataVolumes(w, template);
  if (!product && !data && w.kind !== 'StatefulSet') return undefined;
  return {
    ...(product ? { product: `${/^[aeiou]/i.test(product) ? 'an' : 'a'} ${product}` } : {}),
    ...(data ? { data } : {}),
  };
}

/** The pod's volumes that hold data, described ("emptyDir data (volume data)"), or undefined. */
function dataVolumes(w: Workload, template: Workload): string | undefined {
  const found: string[] = [];
  const claimTemplates = getAt(w.object.raw, '/spec/volumeClaimTemplates');
  if (w.kind === 'StatefulSet' && Array.isArray(claimTemplates) && claimTemplates.length > 0)
    found.push('a volume per replica (volumeClaimTemplates)');
  const mounts = new Map<string, string[]>();
  for (const c of template.containers) {
    const list = c.raw['volumeMounts'];
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (!isJsonObject(m) || typeof m['name'] !== 'string' || m['readOnly'] === true) continue;
      const path = typeof m['mountPath'] === 'string' ? m['mountPath'] : '';
      mounts.set(m['name'], [...(mounts.get(m['name']) ?? []), path]);
    }
  }
  const volumes = template.podSpec['volumes'];
  for (const v of Array.isArray(volumes) ? volumes : []) {
    if (!isJsonObject(v) || typeof v['name'] !== 'string') continue;
    const name = v['name'];
    if (isJsonObject(v['persistentVolumeClaim'])) found.push(`persistent data (volume ${name})`);
    else if (isJsonObject(v['ephemeral'])) found.push(`a volume claim per pod (ephemeral volume ${name})`);
    else if (isJsonObject(v['emptyDir'])) {
      const paths = mounts.get(name) ?? [];
      if (paths.some((p) => !SCRATCH_PATHS.test(p))) found.push(`emptyDir data (volume ${name})`);
    }
  }
  return found.length ? found.join(', ') : undefined;
}

/**
 * What to review before `w` runs `replicas` copies, when they would split its state: the line an
 * unsafe fix carries ("raises Deployment cache, a Redis with emptyDir data (volume data), to 2
 * replicas: each replica has its own data, …"). Undefined when copies are safe.
 */
export function stateSplitReview(index: ObjectIndex, w: Workload, replicas: number): string | undefined {
  const evidence = statefulEvidence(index, w);
  if (!evidence) return undefined;
  // A StatefulSet with no more to say is named by its kind alone.
  const what = [evidence.product, evidence.data && `with ${evidence.data}`].filter(Boolean).join(' ');
  return `raises ${w.kind} ${w.object.name}${what ? `, ${what},` : ''} to ${replicas} replicas: each replica has its own data, which the others do not see; apply it only once the application replicates its state (its operator or cluster mode), or keep 1 replica and silence the finding`;
}

/** The fix safety a rule declares when its fix raises replicas (docs/rules/<id>.md says the same). */
export const STATE_SPLIT_REASON =
  'raising the replicas of a stateless workload is safe; of a stateful one (a StatefulSet, a database, queue or cache image, a pod with persistent or emptyDir data) it is unsafe, since each replica would keep its own data';

/** The applicability of an edit that makes `w` run `replicas` pods: unsafe when that splits its state. */
export function raiseReplicasApplicability(
  index: ObjectIndex,
  w: Workload | undefined,
  replicas: number,
): Applicability {
  const review = w ? stateSplitReview(index, w, replicas) : undefined;
  return review ? { kind: 'unsafe', review } : SAFE;
}
