/**
 * Generators of Kubernetes-shaped input for the property tests: workloads, autoscalers, budgets and
 * Services with random but plausible fields that refer to each other (a small pool of names and
 * labels, so that HPAs find their targets and PDBs select pods), junk put at any path, and YAML text
 * with the mutations careless users and attackers make (truncation, random bytes, anchors and
 * aliases, tabs, duplicate keys, huge numbers, deep nesting).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export const NAMES = ['web', 'api', 'db', 'cache', 'worker'] as const;
const LABEL_KEYS = ['app', 'tier', 'app.kubernetes.io/name', 'team'];
const LABEL_VALUES = ['web', 'api', 'db', 'cache', 'worker', 'backend', 'x'];
export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const HOST_KEY = 'kubernetes.io/hostname';
const TOPOLOGY_KEYS = [
  HOST_KEY,
  ZONE_KEY,
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'rack',
];
const IMAGES = [
  'nginx:1.27',
  'ghcr.io/acme/api:2.1.0',
  'postgres:16',
  'redis:7',
  'mongo:7',
  'rabbitmq:3-management',
  'busybox',
  'registry.local:5000/app@sha256:abc',
];

/** Numbers a manifest may hold, the bad ones included: negative, fractional, out of int32, not finite. */
export const number: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, 0.5, 2.5, 100, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 53 + 2, 1e308),
  },
);

/** Any JSON value, the junk put at random paths: plausible-looking strings, wrong types, huge numbers. */
export const junk: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 31,
      1e308,
      -1e308,
      '',
      '25%',
      '0%',
      '150%',
      'abc%',
      '1Gi',
      '100m',
      '-5',
      '0x10',
      'web',
      'app',
      'null',
      '~',
      '{{ .Values.replicas }}',
    ),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'app', 'spec', 'replicas', 'port', 'matchLabels', 'x'),
      tie('value'),
      {
        maxKeys: 3,
      },
    ),
  ),
})).value;

const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.string() },
);
const labels: fc.Arbitrary<JsonMap> = fc.dictionary(
  fc.constantFrom(...LABEL_KEYS),
  fc.constantFrom(...LABEL_VALUES),
  {
    minKeys: 1,
    maxKeys: 2,
  },
);
const quantityCpu = fc.constantFrom<Json>('100m', '250m', '1', '2', 0.5, '1500m', '0');
const quantityMemory = fc.constantFrom<Json>('64Mi', '128Mi', '1Gi', '2G', '512M', '0');
const intOrPercent = fc.oneof(
  number as fc.Arbitrary<Json>,
  fc.constantFrom<Json>('0%', '25%', '50%', '100%', '30%'),
);

/** Optional fields: present or not, as a partial record (fc.record with requiredKeys: []). */
function some<T extends Record<string, fc.Arbitrary<unknown>>>(model: T) {
  return fc.record(model, { requiredKeys: [] });
}

const probe: fc.Arbitrary<JsonMap> = fc.record(
  {
    httpGet: some({
      path: fc.constantFrom('/healthz', '/ready', '/'),
      port: fc.oneof(number, fc.constantFrom('http', 'metrics')),
    }),
    tcpSocket: fc.record({ port: fc.oneof(number, fc.constantFrom('http')) }),
    exec: fc.record({ command: fc.constant(['true']) }),
    initialDelaySeconds: number,
    periodSeconds: number,
    failureThreshold: number,
    timeoutSeconds: number,
  },
  { requiredKeys: [] },
) as fc.Arbitrary<JsonMap>;

const container: fc.Arbitrary<JsonMap> = fc.record(
  {
    name: fc.constantFrom('app', 'sidecar', 'web'),
    image: fc.constantFrom(...IMAGES),
    ports: fc.array(
      some({
        containerPort: number,
        name: fc.constantFrom('http', 'metrics', 'grpc'),
        protocol: fc.constant('TCP'),
      }),
      {
        maxLength: 2,
      },
    ),
    resources: some({
      requests: some({ cpu: quantityCpu, memory: quantityMemory }),
      limits: some({ cpu: quantityCpu, memory: quantityMemory }),
    }),
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    lifecycle: fc.constant({ preStop: { exec: { command: ['sleep', '5'] } } }),
    volumeMounts: fc.constant([{ name: 'data', mountPath: '/data' }]),
  },
  { requiredKeys: ['name', 'image'] },
) as fc.Arbitrary<JsonMap>;

const selectorOf = (l: fc.Arbitrary<JsonMap>): fc.Arbitrary<Json> =>
  fc.oneof(
    { weight: 5, arbitrary: l.map((m) => ({ matchLabels: m })) },
    {
      weight: 1,
      arbitrary: fc.record({
        matchExpressions: fc.array(
          fc.record({
            key: fc.constantFrom(...LABEL_KEYS),
            operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'),
            values: fc.array(fc.constantFrom(...LABEL_VALUES), { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      }),
    },
  );

const term = (l: fc.Arbitrary<JsonMap>) =>
  fc.record({ labelSelector: selectorOf(l), topologyKey: fc.constantFrom(...TOPOLOGY_KEYS) });

const affinity = (l: fc.Arbitrary<JsonMap>): fc.Arbitrary<JsonMap> =>
  some({
    podAntiAffinity: some({
      requiredDuringSchedulingIgnoredDuringExecution: fc.array(term(l), { maxLength: 2 }),
      preferredDuringSchedulingIgnoredDuringExecution: fc.array(
        fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: term(l) }),
        { maxLength: 2 },
      ),
    }),
    podAffinity: some({
      requiredDuringSchedulingIgnoredDuringExecution: fc.array(term(l), { maxLength: 1 }),
    }),
    nodeAffinity: some({
      requiredDuringSchedulingIgnoredDuringExecution: fc.record({
        nodeSelectorTerms: fc.array(
          fc.record({
            matchExpressions: fc.array(
              fc.record({
                key: fc.constantFrom(ZONE_KEY, HOST_KEY, 'disk'),
                operator: fc.constantFrom('In', 'NotIn', 'Exists', 'Gt'),
                values: fc.array(fc.constantFrom('zone-a', 'zone-b', 'node-1', 'ssd', '3'), { maxLength: 2 }),
              }),
              { maxLength: 2 },
            ),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
    }),
  }) as fc.Arbitrary<JsonMap>;

const podSpec = (l: fc.Arbitrary<JsonMap>): fc.Arbitrary<JsonMap> =>
  fc.record(
    {
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      affinity: affinity(l),
      topologySpreadConstraints: fc.array(
        some({
          maxSkew: number,
          topologyKey: fc.constantFrom(...TOPOLOGY_KEYS),
          whenUnsatisfiable: fc.constantFrom('DoNotSchedule', 'ScheduleAnyway'),
          labelSelector: selectorOf(l),
          minDomains: number,
          nodeTaintsPolicy: fc.constantFrom('Honor', 'Ignore'),
        }),
        { maxLength: 2 },
      ),
      terminationGracePeriodSeconds: number,
      nodeSelector: fc.dictionary(fc.constantFrom(ZONE_KEY, 'disk'), fc.constantFrom('zone-a', 'ssd'), {
        maxKeys: 1,
      }),
      tolerations: fc.array(
        some({
          key: fc.constantFrom('dedicated', 'node.kubernetes.io/unreachable'),
          operator: fc.constantFrom('Exists', 'Equal'),
          effect: fc.constantFrom('NoSchedule', 'NoExecute'),
          tolerationSeconds: number,
        }),
        { maxLength: 2 },
      ),
      volumes: fc.array(
        fc.oneof(
          fc.constant({ name: 'data', emptyDir: {} }),
          fc.constant({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }),
        ),
        { maxLength: 1 },
      ),
      priorityClassName: fc.constantFrom('system-cluster-critical', 'high', 'none'),
    },
    { requiredKeys: ['containers'] },
  ) as fc.Arbitrary<JsonMap>;

const meta = (l: fc.Arbitrary<JsonMap>) =>
  fc.record(
    {
      name,
      namespace: fc.constantFrom('default', 'shop', ''),
      labels: l,
      annotations: fc.dictionary(
        fc.constantFrom('kubeha.io/ignore', 'note'),
        fc.constantFrom('single-replica', 'all', 'x'),
        {
          maxKeys: 1,
        },
      ),
    },
    { requiredKeys: ['name'] },
  );

/** The pod template and selector of a workload: usually matching, sometimes not. */
const podTemplate = fc.tuple(labels, fc.boolean()).chain(([l, mismatch]) =>
  fc.record({
    selector: fc.constant<Json>({ matchLabels: l }),
    template: fc.record({
      metadata: fc.constant({ labels: mismatch ? { app: 'other' } : l }),
      spec: podSpec(fc.constant(l)),
    }),
  }),
);

export const deployment: fc.Arbitrary<JsonMap> = fc
  .record({
    apiVersion: fc.constantFrom('apps/v1', 'apps/v1', 'apps/v1', 'extensions/v1beta1', 'apps/v1beta2'),
    kind: fc.constant('Deployment'),
    metadata: meta(labels),
    spec: fc.tuple(
      podTemplate,
      some({
        replicas: number,
        strategy: fc.oneof(
          fc.constant({ type: 'Recreate' }),
          fc.record({
            type: fc.constant('RollingUpdate'),
            rollingUpdate: some({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }),
          }),
        ),
        revisionHistoryLimit: number,
        minReadySeconds: number,
        progressDeadlineSeconds: number,
      }),
    ),
  })
  .map(({ spec: [t, rest], ...o }) => ({ ...o, spec: { ...rest, ...t } }) as JsonMap);

export const statefulSet: fc.Arbitrary<JsonMap> = fc
  .record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('StatefulSet'),
    metadata: meta(labels),
    spec: fc.tuple(
      podTemplate,
      some({
        replicas: number,
        serviceName: fc.constantFrom(...NAMES),
        podManagementPolicy: fc.constantFrom('OrderedReady', 'Parallel'),
        updateStrategy: fc.oneof(
          fc.constant({ type: 'OnDelete' }),
          fc.record({
            type: fc.constant('RollingUpdate'),
            rollingUpdate: some({ partition: number, maxUnavailable: intOrPercent }),
          }),
        ),
        volumeClaimTemplates: fc.constant([
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ]),
      }),
    ),
  })
  .map(({ spec: [t, rest], ...o }) => ({ ...o, spec: { ...rest, ...t } }) as JsonMap);

const simpleWorkload = (kind: 'DaemonSet' | 'Pod' | 'Job' | 'Rollout'): fc.Arbitrary<JsonMap> =>
  fc.record({
    apiVersion: fc.constant(
      kind === 'Pod'
        ? 'v1'
        : kind === 'Job'
          ? 'batch/v1'
          : kind === 'Rollout'
            ? 'argoproj.io/v1alpha1'
            : 'apps/v1',
    ),
    kind: fc.constant(kind),
    metadata: meta(labels),
    spec: kind === 'Pod' ? podSpec(labels) : podTemplate.map((t) => t as JsonMap),
  }) as fc.Arbitrary<JsonMap>;

export const hpa: fc.Arbitrary<JsonMap> = fc.record({
  apiVersion: fc.constantFrom('autoscaling/v2', 'autoscaling/v2', 'autoscaling/v1', 'autoscaling/v2beta2'),
  kind: fc.constant('HorizontalPodAutoscaler'),
  metadata: meta(labels),
  spec: some({
    scaleTargetRef: some({
      apiVersion: fc.constantFrom('apps/v1', 'argoproj.io/v1alpha1'),
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'Rollout', 'ReplicaSet'),
      name,
    }),
    minReplicas: number,
    maxReplicas: number,
    metrics: fc.array(
      fc.record({
        type: fc.constantFrom('Resource', 'Pods', 'External'),
        resource: fc.record({
          name: fc.constantFrom('cpu', 'memory'),
          target: fc.record({ type: fc.constant('Utilization'), averageUtilization: number }),
        }),
      }),
      { maxLength: 2 },
    ),
    targetCPUUtilizationPercentage: number,
  }),
}) as fc.Arbitrary<JsonMap>;

export const pdb: fc.Arbitrary<JsonMap> = fc.record({
  apiVersion: fc.constantFrom('policy/v1', 'policy/v1', 'policy/v1beta1'),
  kind: fc.constant('PodDisruptionBudget'),
  metadata: meta(labels),
  spec: fc
    .tuple(
      some({
        selector: selectorOf(labels),
        unhealthyPodEvictionPolicy: fc.constantFrom('AlwaysAllow', 'IfHealthyBudget'),
      }),
      fc.oneof(
        fc.record({ minAvailable: intOrPercent }),
        fc.record({ maxUnavailable: intOrPercent }),
        fc.record({ minAvailable: intOrPercent, maxUnavailable: intOrPercent }),
        fc.constant({}),
      ),
    )
    .map(([a, b]) => ({ ...a, ...b }) as JsonMap),
}) as fc.Arbitrary<JsonMap>;

export const service: fc.Arbitrary<JsonMap> = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: meta(labels),
  spec: some({
    selector: labels,
    type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
    ports: fc.array(
      some({
        port: number,
        targetPort: fc.oneof(number, fc.constantFrom('http', 'grpc')),
        name: fc.constantFrom('http', 'grpc'),
      }),
      {
        maxLength: 2,
      },
    ),
  }),
}) as fc.Arbitrary<JsonMap>;

const vpa: fc.Arbitrary<JsonMap> = fc.record({
  apiVersion: fc.constant('autoscaling.k8s.io/v1'),
  kind: fc.constant('VerticalPodAutoscaler'),
  metadata: meta(labels),
  spec: some({
    targetRef: some({
      apiVersion: fc.constant('apps/v1'),
      kind: fc.constantFrom('Deployment', 'StatefulSet'),
      name,
    }),
    updatePolicy: some({ updateMode: fc.constantFrom('Auto', 'Off', 'Recreate', 'InPlaceOrRecreate') }),
  }),
}) as fc.Arbitrary<JsonMap>;

const mesh: fc.Arbitrary<JsonMap> = fc.record({
  apiVersion: fc.constantFrom('networking.istio.io/v1', 'networking.istio.io/v1beta1'),
  kind: fc.constantFrom('VirtualService', 'DestinationRule'),
  metadata: meta(labels),
  spec: some({
    host: name,
    hosts: fc.array(name, { maxLength: 2 }),
    http: fc.array(some({ timeout: fc.constantFrom('5s', 'x'), retries: some({ attempts: number }) }), {
      maxLength: 1,
    }),
    trafficPolicy: some({ outlierDetection: some({ consecutive5xxErrors: number }) }),
  }),
}) as fc.Arbitrary<JsonMap>;

export const node: fc.Arbitrary<JsonMap> = fc
  .record({
    index: fc.integer({ min: 1, max: 6 }),
    zone: fc.option(fc.constantFrom('zone-a', 'zone-b', 'zone-c'), { freq: 6 }),
    cpu: fc.constantFrom('2', '4', '8', '500m', '0'),
    memory: fc.constantFrom('4Gi', '16Gi', '512Mi'),
    pods: fc.constantFrom('110', '3', '0'),
    taints: fc.array(
      some({
        key: fc.constantFrom('dedicated', 'node.kubernetes.io/unschedulable'),
        effect: fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule'),
        value: fc.constant('x'),
      }),
      {
        maxLength: 1,
      },
    ),
    unschedulable: fc.boolean(),
  })
  .map(
    (n) =>
      ({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: `node-${n.index}`,
          labels: { [HOST_KEY]: `node-${n.index}`, ...(n.zone !== null ? { [ZONE_KEY]: n.zone } : {}) },
        },
        spec: { taints: n.taints, ...(n.unschedulable ? { unschedulable: true } : {}) },
        status: { allocatable: { cpu: n.cpu, memory: n.memory, pods: n.pods } },
      }) as JsonMap,
  );

/** One Kubernetes-shaped object, clean. */
export const cleanObject: fc.Arbitrary<JsonMap> = fc.oneof(
  { weight: 5, arbitrary: deployment },
  { weight: 2, arbitrary: statefulSet },
  { weight: 3, arbitrary: hpa },
  { weight: 3, arbitrary: pdb },
  { weight: 2, arbitrary: service },
  { weight: 1, arbitrary: simpleWorkload('DaemonSet') },
  { weight: 1, arbitrary: simpleWorkload('Pod') },
  { weight: 1, arbitrary: simpleWorkload('Job') },
  { weight: 1, arbitrary: simpleWorkload('Rollout') },
  { weight: 1, arbitrary: vpa },
  { weight: 1, arbitrary: mesh },
  { weight: 1, arbitrary: node },
);

/** Where junk goes: replace the value at a path, add a key beside it, or delete it. */
interface Damage {
  at: number;
  how: 'replace' | 'add' | 'delete';
  key: string;
  value: Json;
}

const damage: fc.Arbitrary<Damage> = fc.record({
  at: fc.nat(),
  how: fc.constantFrom('replace', 'add', 'delete'),
  key: fc.constantFrom(
    'replicas',
    'name',
    'spec',
    'x-junk',
    'matchLabels',
    'containers',
    'kind',
    'apiVersion',
    'minAvailable',
    '<<',
  ),
  value: junk,
});

/** Every container (object or array) in a JSON value, with its path, in a stable order. */
function containersOf(value: Json, out: (JsonMap | Json[])[] = []): (JsonMap | Json[])[] {
  if (Array.isArray(value)) {
    out.push(value);
    for (const v of value) containersOf(v, out);
  } else if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const v of Object.values(value)) containersOf(v, out);
  }
  return out;
}

function applyDamage(object: JsonMap, damages: readonly Damage[]): JsonMap {
  const copy = structuredClone(object);
  for (const d of damages) {
    const targets = containersOf(copy);
    const target = targets[d.at % targets.length]!;
    if (Array.isArray(target)) {
      const i = target.length === 0 ? 0 : d.at % target.length;
      if (d.how === 'delete') target.splice(i, 1);
      else if (d.how === 'add') target.splice(i, 0, d.value);
      else target[i] = d.value;
    } else {
      const keys = Object.keys(target);
      const key = d.how === 'add' || keys.length === 0 ? d.key : keys[d.at % keys.length]!;
      if (d.how === 'delete') delete target[key];
      else target[key] = d.value;
    }
  }
  return copy;
}

/** One object, with junk at random paths in about a third of the cases. */
export const object: fc.Arbitrary<JsonMap> = fc
  .tuple(
    cleanObject,
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(damage, { minLength: 1, maxLength: 3 }) },
    ),
  )
  .map(([o, d]) => (d.length ? applyDamage(o, d) : o));

/** A namespace's worth of objects. */
export const objects: fc.Arbitrary<JsonMap[]> = fc.array(object, { minLength: 1, maxLength: 8 });

/** How a set of objects is written out: YAML in one of its styles, or JSON. */
const style = fc.constantFrom('block', 'flow', 'indent4', 'json', 'list');

export function render(docs: readonly JsonMap[], how: string): string {
  // Infinity and NaN have no JSON spelling: JSON.stringify writes null, as a JSON document would hold.
  if (how === 'json') return docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n') + '\n';
  if (how === 'list') return stringify({ apiVersion: 'v1', kind: 'List', items: docs });
  const options =
    how === 'flow' ? { collectionStyle: 'flow' as const } : how === 'indent4' ? { indent: 4 } : {};
  return docs.map((d) => stringify(d, options)).join('---\n');
}

/** What is done to a manifest's text. */
type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate-line'; at: number }
  | { op: 'tab-indent'; at: number }
  | { op: 'huge-number'; at: number; number: string }
  | { op: 'anchor'; at: number; other: number }
  | { op: 'alias-bomb'; width: number; depth: number }
  | { op: 'deep-nesting'; depth: number; open: string }
  | { op: 'crlf' }
  | { op: 'bom' }
  | { op: 'bytes'; at: number; bytes: Uint8Array };

const INSERTS = [
  ':',
  ': ',
  '- ',
  '  ',
  '\t',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '\n',
  '\n---\n',
  '\n...\n',
  '%YAML 1.1\n',
  '!!binary ',
  '!custom ',
  '? ',
  '<<: *a\n',
  '&a ',
  '*a',
  '*missing',
  '#',
  '|',
  '>-',
  '\u0000',
  '\ufeff',
  '\u2028',
  '\ud800',
  'yes',
  'on',
  '0777',
  '.inf',
  '.nan',
];

const HUGE_NUMBERS = [
  '1e308',
  '1e400',
  '-1e400',
  '99999999999999999999999',
  '2147483648',
  '2147483647',
  '-2147483649',
  '9007199254740993',
  '0x7fffffff',
  '0o777',
  '.inf',
  '-.Inf',
  '.NaN',
  '1_000',
  '+12',
  '0b101',
  '6.0e+3',
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('tab-indent' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('huge-number' as const),
    at: fc.nat(),
    number: fc.constantFrom(...HUGE_NUMBERS),
  }),
  fc.record({ op: fc.constant('anchor' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({
    op: fc.constant('alias-bomb' as const),
    width: fc.integer({ min: 2, max: 10 }),
    depth: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({
    op: fc.constant('deep-nesting' as const),
    depth: fc.integer({ min: 1, max: 3000 }),
    open: fc.constantFrom('[', '{a: ', '- '),
  }),
  fc.constant({ op: 'crlf' as const }),
  fc.constant({ op: 'bom' as const }),
  fc.record({
    op: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
);

function lineBounds(text: string, at: number): [number, number] {
  const i = text.length === 0 ? 0 : at % text.length;
  const start = text.lastIndexOf('\n', i - 1) + 1;
  const end = text.indexOf('\n', i);
  return [start, end < 0 ? text.length : end];
}

export function mutate(text: string, m: Mutation): string {
  const at =
    m.op === 'crlf' || m.op === 'bom' || m.op === 'alias-bomb' || m.op === 'deep-nesting'
      ? 0
      : m.at % (text.length + 1);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicate-line': {
      const [start, end] = lineBounds(text, at);
      return text.slice(0, end) + '\n' + text.slice(start, end) + text.slice(end);
    }
    case 'tab-indent': {
      const [start] = lineBounds(text, at);
      return text.slice(0, start) + text.slice(start).replace(/^ +/, '\t');
    }
    case 'huge-number': {
      // The next number after `at`, or the next value after a colon.
      const rest = text.slice(at);
      const found = /(?<=: ?)-?\d+(?:\.\d+)?/.exec(rest) ?? /(?<=: )\S+/.exec(rest);
      if (!found) return text + `\nreplicas: ${m.number}\n`;
      const start = at + found.index;
      return text.slice(0, start) + m.number + text.slice(start + found[0].length);
    }
    case 'anchor': {
      // Anchor one value and refer to it from another value (an alias to a scalar, a map or a sequence).
      const values = [...text.matchAll(/: (?=\S)/g)].map((v) => v.index + 2);
      if (values.length < 2) return text;
      const a = values[m.at % values.length]!;
      const b = values[m.other % values.length]!;
      const withAnchor = text.slice(0, a) + '&a ' + text.slice(a);
      const bAt = b > a ? b + 3 : b;
      const [, end] = lineBounds(withAnchor, bAt);
      return withAnchor.slice(0, bAt) + '*a' + withAnchor.slice(end);
    }
    case 'alias-bomb': {
      // The billion laughs: each level refers `width` times to the one before.
      const lines = ['a0: &a0 "lol"'];
      for (let i = 1; i <= m.depth; i++)
        lines.push(`a${i}: &a${i} [${Array.from({ length: m.width }, () => `*a${i - 1}`).join(', ')}]`);
      return `${text}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    }
    case 'deep-nesting': {
      const close = m.open === '[' ? ']' : m.open === '- ' ? '' : '}';
      const body =
        m.open === '- '
          ? Array.from({ length: Math.min(m.depth, 300) }, (_, i) => `${' '.repeat(2 * i)}- `).join('\n') +
            'x'
          : m.open.repeat(m.depth) + '1' + close.repeat(m.depth);
      return `${text}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: deep}\nspec:\n  replicas: ${body}\n`;
    }
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'bom':
      return '\ufeff' + text;
    case 'bytes':
      return text.slice(0, at) + Buffer.from(m.bytes).toString('latin1') + text.slice(at);
  }
}

/** Text of generated objects, in one of the styles, with up to four mutations. */
export const manifestText: fc.Arbitrary<string> = fc
  .tuple(objects, style, fc.array(mutation, { maxLength: 4 }))
  .map(([docs, how, mutations]) => mutations.reduce(mutate, render(docs, how)));

/** Text that still parses more often than not: clean objects in one style, few mutations. */
export const mostlyValidText: fc.Arbitrary<string> = fc
  .tuple(
    objects,
    style,
    fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(mutation, { maxLength: 1 }) },
    ),
  )
  .map(([docs, how, mutations]) => mutations.reduce(mutate, render(docs, how)));

/** Bytes as a file would hold them: generated text with random bytes flipped, or bytes alone, read as UTF-8. */
export const byteString: fc.Arbitrary<string> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc
    .tuple(
      manifestText,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
    )
    .map(([text, flips]) => {
      const bytes = Buffer.from(text, 'utf8');
      for (const [at, value] of flips) if (bytes.length) bytes[at % bytes.length] = value;
      return bytes.toString('utf8');
    }),
);
