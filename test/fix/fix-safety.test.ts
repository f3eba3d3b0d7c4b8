import { describe, expect, it } from 'vitest';
import { fixSources } from '../../src/fix/run.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { imageRepository, statefulEvidence, statefulProduct } from '../../src/rules/fixes/stateful.js';
import { yaml } from '../rule-tester.js';

/** A Deployment of one replica running `image`, with `extra` pod spec YAML (volumes) under the containers. */
function deployment(name: string, image: string, container = '', podSpec = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    ...(container ? [container] : []),
    ...(podSpec ? [podSpec] : []),
    '',
  ].join('\n');
}

const emptyDirAt = (path: string): [string, string] => [
  `          volumeMounts:\n            - name: data\n              mountPath: ${path}`,
  '      volumes:\n        - name: data\n          emptyDir: {}',
];

function evidenceOf(text: string) {
  const { objects } = parseManifests(text, 'f.yaml');
  const index = new ObjectIndex(objects);
  return statefulEvidence(index, index.workloads[0]!);
}

describe('which workloads keep state (the judgement every replica-raising fix asks)', () => {
  it('reads the repository name of an image, whatever its registry, tag and digest', () => {
    expect(imageRepository('redis:7.2')).toBe('redis');
    expect(imageRepository('docker.io/bitnami/postgresql:16.4.0@sha256:abc')).toBe('postgresql');
    expect(imageRepository('registry.local:5000/team/mongo')).toBe('mongo');
    expect(imageRepository('Quay.io/Org/RabbitMQ:3-management')).toBe('rabbitmq');
  });

  it('knows databases, queues and caches by whole repository names, not by substrings', () => {
    for (const [image, product] of [
      ['postgres:17', 'PostgreSQL'],
      ['bitnami/postgresql:16', 'PostgreSQL'],
      ['mongo:7', 'MongoDB'],
      ['rabbitmq:3.13-management', 'RabbitMQ'],
      ['redis:7.2', 'Redis'],
      ['confluentinc/cp-kafka:7.6.0', 'Kafka'],
      ['memcached:1.6', 'Memcached'],
      ['quay.io/coreos/etcd:v3.5.9', 'etcd'],
    ])
      expect(statefulProduct(image), image).toBe(product);
    for (const image of [
      'oliver006/redis_exporter:v1.58.0',
      'prometheuscommunity/postgres-exporter:v0.15.0',
      'rediscommander/redis-commander:latest',
      'nginx:1.27',
      'natsio/nats-box:0.14',
      'mongo-express:1.0',
      'my-redisish-app:1',
    ])
      expect(statefulProduct(image), image).toBeUndefined();
  });

  it('counts a StatefulSet, a claimed volume and an emptyDir holding data; not scratch emptyDirs', () => {
    expect(evidenceOf(deployment('web', 'nginx:1.27'))).toBeUndefined();
    expect(evidenceOf(deployment('web', 'nginx:1.27', ...emptyDirAt('/tmp')))).toBeUndefined();
    expect(evidenceOf(deployment('web', 'nginx:1.27', ...emptyDirAt('/var/cache/nginx')))).toBeUndefined();
    expect(evidenceOf(deployment('web', 'nginx:1.27', ...emptyDirAt('/data')))).toEqual({
      data: 'emptyDir data (volume data)',
    });
    expect(evidenceOf(deployment('cache', 'redis:7.2', ...emptyDirAt('/data')))).toEqual({
      product: 'a Redis',
      data: 'emptyDir data (volume data)',
    });
    expect(
      evidenceOf(
        deployment(
          'files',
          'busybox:1.36',
          '          volumeMounts:\n            - name: files\n              mountPath: /srv',
          '      volumes:\n        - name: files\n          persistentVolumeClaim:\n            claimName: files',
        ),
      ),
    ).toEqual({ data: 'persistent data (volume files)' });
    expect(
      evidenceOf(
        deployment('web', 'nginx:1.27').replace('kind: Deployment', 'kind: StatefulSet') +
          '  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { accessModes: [ReadWriteOnce] }\n',
      ),
    ).toEqual({ data: 'a volume per replica (volumeClaimTemplates)' });
  });
});

describe('fix never raises the replicas of a stateful workload unasked', () => {
  const stateful = [
    deployment('db', 'postgres:17'),
    deployment('docs', 'mongo:7'),
    deployment('queue', 'rabbitmq:3.13-management'),
    deployment('cache', 'redis:7.2', ...emptyDirAt('/data')),
  ];

  it('leaves Postgres, MongoDB, RabbitMQ and Redis with emptyDir at 1 replica, with a review line that says why', () => {
    for (const text of stateful) {
      const run = fixSources([{ file: 'f.yaml', text }], { rules: ['single-replica'] });
      expect(run.files[0]!.after, text).toBe(text);
      expect(run.notFixed).toEqual([
        expect.objectContaining({
          rule: 'single-replica',
          unsafe: true,
          reason: expect.stringMatching(
            /^an unsafe fix \(--unsafe-fixes applies it\): raise spec.replicas from 1 to 2; raises Deployment \w+, a (PostgreSQL|MongoDB|RabbitMQ|Redis)( with emptyDir data \(volume data\))?, to 2 replicas: each replica has its own data/,
          ) as unknown,
        }),
      ]);
    }
  });

  it('raises them with --unsafe-fixes, listed to review', () => {
    const text = stateful[3]!;
    const run = fixSources([{ file: 'f.yaml', text }], { rules: ['single-replica'], unsafe: true });
    expect(run.files[0]!.after).toBe(text.replace('replicas: 1', 'replicas: 2'));
    expect(run.review.map((p) => p.unsafe)).toEqual([
      'raises Deployment cache, a Redis with emptyDir data (volume data), to 2 replicas: each replica has its own data, which the others do not see; apply it only once the application replicates its state (its operator or cluster mode), or keep 1 replica and silence the finding',
    ]);
  });

  it('names a StatefulSet by its kind when nothing else says why', () => {
    const text = deployment('queue', 'example/queue-worker:1').replace(
      'kind: Deployment',
      'kind: StatefulSet',
    );
    const run = fixSources([{ file: 'f.yaml', text }], { rules: ['single-replica'] });
    expect(run.files[0]!.after).toBe(text);
    expect(run.notFixed.map((n) => n.reason)).toEqual([
      expect.stringContaining(
        '; raises StatefulSet queue to 2 replicas: each replica has its own data',
      ) as unknown,
    ]);
  });

  it('still raises a stateless workload by default', () => {
    const text = deployment('web', 'nginx:1.27', ...emptyDirAt('/tmp'));
    const run = fixSources([{ file: 'f.yaml', text }], { rules: ['single-replica'] });
    expect(run.files[0]!.after).toBe(text.replace('replicas: 1', 'replicas: 2'));
    expect(run.review).toEqual([]);
  });

  it('does not raise the minReplicas of an HPA that scales a StatefulSet', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: search }
      spec:
        serviceName: search
        selector: { matchLabels: { app: search } }
        template:
          metadata: { labels: { app: search } }
          spec: { containers: [{ name: es, image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0 }] }
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: search }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: search }
        maxReplicas: 5
    `;
    const safe = fixSources([{ file: 'f.yaml', text }], { rules: ['hpa-min-replicas'] });
    expect(safe.files[0]!.after).toBe(text);
    expect(safe.notFixed.map((n) => n.reason)).toEqual([
      expect.stringContaining('raises StatefulSet search, an Elasticsearch, to 2 replicas') as unknown,
    ]);
    const unsafe = fixSources([{ file: 'f.yaml', text }], { rules: ['hpa-min-replicas'], unsafe: true });
    expect(unsafe.files[0]!.after).toContain('minReplicas: 2');
  });

  it('says that a stateful bare Pod turned Deployment splits its state', () => {
    const text = yaml`
      apiVersion: v1
      kind: Pod
      metadata: { name: cache }
      spec:
        containers: [{ name: redis, image: redis:7.2 }]
    `;
    const run = fixSources([{ file: 'f.yaml', text }], { rules: ['singleton-pod'] });
    expect(run.notFixed.map((n) => n.reason)).toEqual([
      expect.stringContaining(
        'it also raises Pod cache, a Redis, to 2 replicas: each replica has its own data',
      ) as unknown,
    ]);
  });
});
