// Generated, seeded mutations of the valid base objects: each one changes one thing the API server
// has an opinion about. The same seed always gives the same items (mulberry32), so a disagreement
// found once can be found again.
import { stringify } from 'yaml';
import { DEPRECATED_APIS } from '../../src/model/deprecated-apis.js';
import type { JsonObject, JsonValue } from '../../src/model/types.js';
import { baseObjects, NAMESPACE } from './bases.js';
import type { CorpusItem } from './corpus.js';

export const MUTATION_CLASSES = [
  'base',
  'wrong-type',
  'unknown-field',
  'yaml-1.1-scalar',
  'out-of-range',
  'removed-version',
  'cross-field',
] as const;
export type MutationClass = (typeof MUTATION_CLASSES)[number];

/** A scalar written into the YAML text exactly as given, unquoted: `yes`, `0777`, `1e308`. */
class Plain {
  constructor(readonly token: string) {}
}
type Value = JsonValue | Plain | Value[] | { [k: string]: Value };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * YAML as kubectl will read it: strings that YAML 1.1 would read as something else (`yes`, `0777`,
 * `12:30`) are quoted, and Plain tokens are written bare, which is the point of the mutations that use them.
 */
export function toYaml(value: Value): string {
  const plains: string[] = [];
  const replace = (v: Value): JsonValue => {
    if (v instanceof Plain) {
      plains.push(v.token);
      return `__PLAIN_${plains.length - 1}__`;
    }
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    return v;
  };
  const text = stringify(replace(value), { version: '1.1', lineWidth: 0 });
  return text.replace(/__PLAIN_(\d+)__/g, (_, i: string) => plains[Number(i)]!);
}

type Path = (string | number)[];

function clone<T>(v: T): T {
  return structuredClone(v);
}

function getAt(o: Value, path: Path): Value | undefined {
  let cur: Value | undefined = o;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || cur instanceof Plain) return undefined;
    cur = (cur as Record<string | number, Value>)[k];
  }
  return cur;
}

function setAt(o: Value, path: Path, v: Value): void {
  const parent = getAt(o, path.slice(0, -1)) as Record<string | number, Value>;
  parent[path[path.length - 1]!] = v;
}

function deleteAt(o: Value, path: Path): void {
  const parent = getAt(o, path.slice(0, -1)) as Record<string, Value>;
  delete parent[String(path[path.length - 1])];
}

/** Every path to a scalar leaf, and every path to a mapping, below the object (apiVersion and kind excluded). */
function walk(
  o: JsonValue,
  path: Path = [],
  leaves: Path[] = [],
  maps: Path[] = [],
): { leaves: Path[]; maps: Path[] } {
  if (Array.isArray(o)) o.forEach((x, i) => walk(x, [...path, i], leaves, maps));
  else if (o !== null && typeof o === 'object') {
    maps.push(path);
    for (const [k, v] of Object.entries(o)) {
      if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
      walk(v, [...path, k], leaves, maps);
    }
  } else leaves.push(path);
  return { leaves, maps };
}

const show = (p: Path): string =>
  p
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .slice(1);

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

/** `n` distinct elements, in a seeded order. */
function sample<T>(rand: () => number, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

interface Mutation {
  cls: MutationClass;
  what: string;
  object: Value;
}

function wrongType(rand: () => number, base: JsonObject, leaves: Path[], n: number): Mutation[] {
  return sample(rand, leaves, n).map((p) => {
    const o = clone(base) as Value;
    const old = getAt(o, p);
    let v: Value;
    if (typeof old === 'string') v = pick(rand, [42, true, { value: old }, [old]] as Value[]);
    else if (typeof old === 'number') v = pick(rand, [`n${old}`, true, [old], { value: old }] as Value[]);
    else v = pick(rand, ['enabled', 1, [old ?? null]] as Value[]);
    setAt(o, p, v);
    return {
      cls: 'wrong-type',
      what: `${show(p)}: ${JSON.stringify(old)} → ${JSON.stringify(v)}`,
      object: o,
    };
  });
}

const UNKNOWN_NAMES = ['replica', 'extra', 'enabled', 'spec', 'labels', 'timeoutSecond', 'image'];

function unknownField(rand: () => number, base: JsonObject, maps: Path[], n: number): Mutation[] {
  const out: Mutation[] = [];
  const top = clone(base) as Record<string, Value>;
  top['status2'] = { ready: true };
  out.push({ cls: 'unknown-field', what: 'top level: status2', object: top });
  if (base['spec']) {
    const o = clone(base) as Value;
    setAt(o, ['spec', 'replica'], 3);
    out.push({ cls: 'unknown-field', what: 'spec.replica (a misspelling)', object: o });
  }
  const metaUnknown = clone(base) as Value;
  setAt(metaUnknown, ['metadata', 'label'], { app: 'web' });
  out.push({ cls: 'unknown-field', what: 'metadata.label (a misspelling)', object: metaUnknown });
  // Nested, at random mappings: a name the schema does not have there.
  for (const p of sample(
    rand,
    maps.filter(
      (m) =>
        m.length >= 2 &&
        !m.some(
          (k) =>
            k === 'labels' ||
            k === 'annotations' ||
            k === 'data' ||
            k === 'matchLabels' ||
            k === 'nodeSelector' ||
            k === 'requests' ||
            k === 'limits' ||
            (k === 'selector' && m.length === 2 && base['kind'] === 'Service'),
        ),
    ),
    n,
  )) {
    const o = clone(base) as Value;
    const name = pick(rand, UNKNOWN_NAMES);
    const target = getAt(o, p) as Record<string, Value>;
    const key = name in target ? `${name}X` : name;
    target[key] = pick(rand, [1, 'x', true, { a: 1 }] as Value[]);
    out.push({ cls: 'unknown-field', what: `${show([...p, key])}`, object: o });
  }
  // Misplaced: a real field moved one level up or down, where the schema does not have it.
  const leafParents = maps.filter((m) => m.length >= 2);
  for (const p of sample(rand, leafParents, 4)) {
    const o = clone(base) as Value;
    const target = getAt(o, p) as Record<string, Value>;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = pick(rand, keys);
    const value = target[key]!;
    const up = p.slice(0, -1);
    const parent = getAt(o, up);
    if (!parent || typeof parent !== 'object' || Array.isArray(parent) || parent instanceof Plain) continue;
    if (key in (parent as Record<string, Value>)) continue;
    delete target[key];
    (parent as Record<string, Value>)[key] = value;
    out.push({
      cls: 'unknown-field',
      what: `misplaced: ${show([...p, key])} moved to ${show([...up, key])}`,
      object: o,
    });
  }
  return out;
}

const STRING_TOKENS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Yes',
  'OFF',
  'true',
  '0777',
  '0x1F',
  '1e3',
  '12:30',
  '~',
  '1_000',
];
const INT_TOKENS = ['0777', '0x10', '1_000', 'yes', 'on', '1e3', '0o17', '+12', '12:30', '~'];

function yamlScalar(rand: () => number, base: JsonObject, leaves: Path[], n: number): Mutation[] {
  const strings = leaves.filter((p) => typeof getAt(base as Value, p) === 'string');
  const ints = leaves.filter((p) => typeof getAt(base as Value, p) === 'number');
  const chosen = [...sample(rand, strings, n), ...sample(rand, ints, n)];
  return chosen.map((p) => {
    const o = clone(base) as Value;
    const old = getAt(o, p);
    const token = pick(rand, typeof old === 'number' ? INT_TOKENS : STRING_TOKENS);
    setAt(o, p, new Plain(token));
    return {
      cls: 'yaml-1.1-scalar',
      what: `${show(p)}: ${JSON.stringify(old)} → ${token} (plain)`,
      object: o,
    };
  });
}

const RANGE_TOKENS = [
  '2147483648',
  '-2147483649',
  '-1',
  '1e308',
  '1.5',
  '9223372036854775808',
  '65536',
  '0',
  '-0.5',
  '4294967296',
];

/**
 * Given to every integer field: just past int32, negative, past float64's integers, not an integer,
 * and YAML 1.1's infinity and not-a-number (kubectl's sigs.k8s.io/yaml reads them as floats that
 * it cannot convert to JSON, so it refuses the file before the API server sees it).
 */
const ALWAYS_RANGE_TOKENS = ['2147483648', '-1', '1e308', '1.5', '.inf', '.nan'];

function outOfRange(rand: () => number, base: JsonObject, leaves: Path[], n: number): Mutation[] {
  const ints = leaves.filter((p) => typeof getAt(base as Value, p) === 'number');
  const out: Mutation[] = [];
  const cases = sample(rand, ints, n).flatMap((p) =>
    [
      ...ALWAYS_RANGE_TOKENS,
      pick(
        rand,
        RANGE_TOKENS.filter((t) => !ALWAYS_RANGE_TOKENS.includes(t)),
      ),
    ].map((token) => [p, token] as const),
  );
  for (const [p, token] of cases) {
    const o = clone(base) as Value;
    setAt(o, p, new Plain(token));
    out.push({
      cls: 'out-of-range',
      what: `${show(p)}: ${String(getAt(base as Value, p))} → ${token}`,
      object: o,
    });
  }
  return out;
}

/** Every version of the base's kind that Kubernetes removed or leaves off, and a few that never existed. */
function removedVersions(base: JsonObject): Mutation[] {
  const kind = base['kind'] as string;
  const out: Mutation[] = [];
  for (const api of DEPRECATED_APIS) {
    if (api.kind !== kind || api.component !== 'kubernetes') continue;
    const o = clone(base) as Record<string, Value>;
    o['apiVersion'] = api.apiVersion;
    out.push({ cls: 'removed-version', what: `apiVersion ${api.apiVersion}`, object: o });
  }
  const group = (base['apiVersion'] as string).includes('/')
    ? (base['apiVersion'] as string).split('/')[0]
    : '';
  for (const v of ['v1beta3', 'v3']) {
    const o = clone(base) as Record<string, Value>;
    o['apiVersion'] = group ? `${group}/${v}` : v;
    out.push({
      cls: 'removed-version',
      what: `apiVersion ${String(o['apiVersion'])} (never served)`,
      object: o,
    });
  }
  return out;
}

type Edit = [what: string, change: (o: Record<string, Value>) => void];

const podTemplateEdits = (at: Path): Edit[] => {
  const c = [...at, 'containers', 0];
  return [
    ['container name with upper case', (o) => setAt(o, [...c, 'name'], 'Web')],
    [
      'two containers with the same name',
      (o) => (getAt(o, [...at, 'containers']) as Value[]).push(clone(getAt(o, c)!)),
    ],
    ['no containers', (o) => setAt(o, [...at, 'containers'], [])],
    ['container without image', (o) => deleteAt(o, [...c, 'image'])],
    ['port name longer than 15 characters', (o) => setAt(o, [...c, 'ports', 0, 'name'], 'http-metrics-port')],
    ['port name with an underscore', (o) => setAt(o, [...c, 'ports', 0, 'name'], 'http_1')],
    ['containerPort 0', (o) => setAt(o, [...c, 'ports', 0, 'containerPort'], 0)],
    [
      'cpu request above its limit',
      (o) => setAt(o, [...c, 'resources', 'limits'], { cpu: '50m', memory: '256Mi' }),
    ],
    ['negative memory request', (o) => setAt(o, [...c, 'resources', 'requests', 'memory'], '-128Mi')],
    [
      'cpu request that is not a quantity',
      (o) => setAt(o, [...c, 'resources', 'requests', 'cpu'], 'two cores'),
    ],
    [
      'probe port name that no port declares',
      (o) => setAt(o, [...c, 'readinessProbe', 'httpGet', 'port'], 'metrics'),
    ],
    ['probe on port 0', (o) => setAt(o, [...c, 'livenessProbe', 'tcpSocket', 'port'], 0)],
    [
      'probe with two handlers',
      (o) => setAt(o, [...c, 'livenessProbe', 'httpGet'], { path: '/', port: 8080 }),
    ],
    ['env var without a name', (o) => setAt(o, [...c, 'env', 0], { value: 'x' })],
    ['maxSkew 0', (o) => setAt(o, [...at, 'topologySpreadConstraints', 0, 'maxSkew'], 0)],
    [
      'whenUnsatisfiable Maybe',
      (o) => setAt(o, [...at, 'topologySpreadConstraints', 0, 'whenUnsatisfiable'], 'Maybe'),
    ],
    [
      'minDomains with ScheduleAnyway',
      (o) => {
        setAt(o, [...at, 'topologySpreadConstraints', 0, 'whenUnsatisfiable'], 'ScheduleAnyway');
        setAt(o, [...at, 'topologySpreadConstraints', 0, 'minDomains'], 2);
      },
    ],
    [
      'anti-affinity weight 0',
      (o) =>
        setAt(
          o,
          [
            ...at,
            'affinity',
            'podAntiAffinity',
            'preferredDuringSchedulingIgnoredDuringExecution',
            0,
            'weight',
          ],
          0,
        ),
    ],
    [
      'operator In without values',
      (o) =>
        setAt(
          o,
          [
            ...at,
            'affinity',
            'podAntiAffinity',
            'preferredDuringSchedulingIgnoredDuringExecution',
            0,
            'podAffinityTerm',
            'labelSelector',
            'matchExpressions',
            0,
            'values',
          ],
          [],
        ),
    ],
    [
      'operator Equals',
      (o) =>
        setAt(
          o,
          [
            ...at,
            'affinity',
            'podAntiAffinity',
            'preferredDuringSchedulingIgnoredDuringExecution',
            0,
            'podAffinityTerm',
            'labelSelector',
            'matchExpressions',
            0,
            'operator',
          ],
          'Equals',
        ),
    ],
    ['toleration Exists with a value', (o) => setAt(o, [...at, 'tolerations', 0, 'operator'], 'Exists')],
    ['toleration effect Sometimes', (o) => setAt(o, [...at, 'tolerations', 0, 'effect'], 'Sometimes')],
    ['negative terminationGracePeriodSeconds', (o) => setAt(o, [...at, 'terminationGracePeriodSeconds'], -5)],
    [
      'nodeSelector value with a space',
      (o) => setAt(o, [...at, 'nodeSelector', 'kubernetes.io/os'], 'linux os'),
    ],
  ];
};

const labelEdits = (at: Path): Edit[] => [
  ['label value of 64 characters', (o) => setAt(o, [...at, 'labels', 'tier'], 'f'.repeat(64))],
  ['label value with a space', (o) => setAt(o, [...at, 'labels', 'tier'], 'front end')],
  ['label value starting with a dash', (o) => setAt(o, [...at, 'labels', 'tier'], '-frontend')],
  ['label value with dots and dashes inside', (o) => setAt(o, [...at, 'labels', 'tier'], 'front.end-1_a')],
  ['empty label value', (o) => setAt(o, [...at, 'labels', 'tier'], '')],
  ['label key with two slashes', (o) => setAt(o, [...at, 'labels', 'a/b/c'], 'x')],
  ['label key with an upper-case prefix', (o) => setAt(o, [...at, 'labels', 'Example.com/team'], 'x')],
  ['label key name of 64 characters', (o) => setAt(o, [...at, 'labels', 'k'.repeat(64)], 'x')],
  ['label key with an empty name', (o) => setAt(o, [...at, 'labels', 'example.com/'], 'x')],
  ['annotation key with a space', (o) => setAt(o, [...at, 'annotations', 'owner team'], 'x')],
];

const nameEdits: Edit[] = [
  ['name with upper case', (o) => setAt(o, ['metadata', 'name'], 'Web')],
  ['name with an underscore', (o) => setAt(o, ['metadata', 'name'], 'web_1')],
  ['name starting with a digit', (o) => setAt(o, ['metadata', 'name'], '1web')],
  ['name with a dot', (o) => setAt(o, ['metadata', 'name'], 'web.v2')],
  ['name of 254 characters', (o) => setAt(o, ['metadata', 'name'], 'w'.repeat(254))],
  ['name of 64 characters', (o) => setAt(o, ['metadata', 'name'], 'w'.repeat(64))],
  ['name ending with a dash', (o) => setAt(o, ['metadata', 'name'], 'web-')],
  ['no name', (o) => deleteAt(o, ['metadata', 'name'])],
  ['namespace with upper case', (o) => setAt(o, ['metadata', 'namespace'], 'Conformance')],
];

function crossField(base: JsonObject): Mutation[] {
  const kind = base['kind'] as string;
  const edits: Edit[] = [...nameEdits, ...labelEdits(['metadata'])];
  const workload = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind);
  if (workload) {
    edits.push(
      [
        'selector that does not select the template',
        (o) => setAt(o, ['spec', 'selector', 'matchLabels', 'app'], 'api'),
      ],
      ['empty selector', (o) => setAt(o, ['spec', 'selector'], {})],
      ['no selector', (o) => deleteAt(o, ['spec', 'selector'])],
      [
        'selector with a label the template lacks',
        (o) => setAt(o, ['spec', 'selector', 'matchLabels', 'track'], 'stable'),
      ],
      [
        'template label value changed',
        (o) => setAt(o, ['spec', 'template', 'metadata', 'labels', 'tier'], 'backend'),
      ],
      ...labelEdits(['spec', 'template', 'metadata']),
      ...podTemplateEdits(['spec', 'template', 'spec']),
    );
  }
  if (kind === 'Deployment')
    edits.push(
      [
        'maxSurge 0 and maxUnavailable 0',
        (o) => setAt(o, ['spec', 'strategy', 'rollingUpdate'], { maxSurge: 0, maxUnavailable: 0 }),
      ],
      [
        'maxSurge 0% and maxUnavailable 0%',
        (o) => setAt(o, ['spec', 'strategy', 'rollingUpdate'], { maxSurge: '0%', maxUnavailable: '0%' }),
      ],
      [
        'maxUnavailable 150%',
        (o) => setAt(o, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], '150%'),
      ],
      [
        'maxSurge "2" (a string, not a percentage)',
        (o) => setAt(o, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], '2'),
      ],
      ['Recreate with rollingUpdate', (o) => setAt(o, ['spec', 'strategy', 'type'], 'Recreate')],
      ['strategy type Rolling', (o) => setAt(o, ['spec', 'strategy', 'type'], 'Rolling')],
      [
        'progressDeadlineSeconds not above minReadySeconds',
        (o) => setAt(o, ['spec', 'progressDeadlineSeconds'], 5),
      ],
      ['negative replicas', (o) => setAt(o, ['spec', 'replicas'], -1)],
    );
  if (kind === 'DaemonSet')
    edits.push(
      [
        'maxSurge 1 with maxUnavailable 1',
        (o) => setAt(o, ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'], 1),
      ],
      [
        'maxSurge 0 with maxUnavailable 0',
        (o) => setAt(o, ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], 0),
      ],
    );
  if (kind === 'StatefulSet')
    edits.push(
      ['podManagementPolicy Random', (o) => setAt(o, ['spec', 'podManagementPolicy'], 'Random')],
      ['negative partition', (o) => setAt(o, ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], -1)],
      ['maxUnavailable 0', (o) => setAt(o, ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], 0)],
      [
        'volumeClaimTemplate without accessModes',
        (o) => deleteAt(o, ['spec', 'volumeClaimTemplates', 0, 'spec', 'accessModes']),
      ],
    );
  if (kind === 'PodDisruptionBudget')
    edits.push(
      ['minAvailable and maxUnavailable', (o) => setAt(o, ['spec', 'maxUnavailable'], 1)],
      ['minAvailable 150%', (o) => setAt(o, ['spec', 'minAvailable'], '150%')],
      ['minAvailable -1', (o) => setAt(o, ['spec', 'minAvailable'], -1)],
      ['minAvailable "two"', (o) => setAt(o, ['spec', 'minAvailable'], 'two')],
      ['empty selector (selects every pod in policy/v1)', (o) => setAt(o, ['spec', 'selector'], {})],
      ['unhealthyPodEvictionPolicy Never', (o) => setAt(o, ['spec', 'unhealthyPodEvictionPolicy'], 'Never')],
    );
  if (kind === 'HorizontalPodAutoscaler')
    edits.push(
      ['minReplicas above maxReplicas', (o) => setAt(o, ['spec', 'minReplicas'], 20)],
      ['minReplicas 0', (o) => setAt(o, ['spec', 'minReplicas'], 0)],
      ['maxReplicas 0', (o) => setAt(o, ['spec', 'maxReplicas'], 0)],
      ['scaleTargetRef without a kind', (o) => deleteAt(o, ['spec', 'scaleTargetRef', 'kind'])],
    );
  if (kind === 'HorizontalPodAutoscaler' && base['apiVersion'] === 'autoscaling/v2')
    edits.push(
      [
        'Utilization target without averageUtilization',
        (o) => setAt(o, ['spec', 'metrics', 0, 'resource', 'target'], { type: 'Utilization' }),
      ],
      ['metric type Cpu', (o) => setAt(o, ['spec', 'metrics', 0, 'type'], 'Cpu')],
      [
        'scale-down policy value 0',
        (o) => setAt(o, ['spec', 'behavior', 'scaleDown', 'policies', 0, 'value'], 0),
      ],
      [
        'stabilizationWindowSeconds above an hour',
        (o) => setAt(o, ['spec', 'behavior', 'scaleDown', 'stabilizationWindowSeconds'], 3601),
      ],
    );
  if (kind === 'CronJob')
    edits.push(
      ['schedule "every minute"', (o) => setAt(o, ['spec', 'schedule'], 'every minute')],
      ['schedule with six fields', (o) => setAt(o, ['spec', 'schedule'], '0 */5 * * * *')],
      ['time zone Mars/Olympus', (o) => setAt(o, ['spec', 'timeZone'], 'Mars/Olympus')],
      ['concurrencyPolicy Sometimes', (o) => setAt(o, ['spec', 'concurrencyPolicy'], 'Sometimes')],
      [
        'restartPolicy Always in a job',
        (o) => setAt(o, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'restartPolicy'], 'Always'),
      ],
    );
  if (kind === 'Job')
    edits.push(
      ['restartPolicy Always', (o) => setAt(o, ['spec', 'template', 'spec', 'restartPolicy'], 'Always')],
      ['negative backoffLimit', (o) => setAt(o, ['spec', 'backoffLimit'], -1)],
      ['activeDeadlineSeconds 0', (o) => setAt(o, ['spec', 'activeDeadlineSeconds'], 0)],
      ...podTemplateEdits(['spec', 'template', 'spec']).slice(0, 6),
    );
  if (kind === 'Pod')
    edits.push(
      ['restartPolicy Sometimes', (o) => setAt(o, ['spec', 'restartPolicy'], 'Sometimes')],
      ...podTemplateEdits(['spec']).slice(0, 10),
    );
  if (kind === 'Service')
    edits.push(
      ['port 0', (o) => setAt(o, ['spec', 'ports', 0, 'port'], 0)],
      ['nodePort outside the range', (o) => setAt(o, ['spec', 'ports', 0, 'nodePort'], 80)],
      ['nodePort on a ClusterIP Service', (o) => setAt(o, ['spec', 'type'], 'ClusterIP')],
      [
        'two ports with one name',
        (o) => (getAt(o, ['spec', 'ports']) as Value[]).push({ name: 'http', port: 81, targetPort: 8081 }),
      ],
      ['two ports without names', (o) => setAt(o, ['spec', 'ports'], [{ port: 80 }, { port: 81 }])],
      [
        'targetPort name longer than 15 characters',
        (o) => setAt(o, ['spec', 'ports', 0, 'targetPort'], 'http-metrics-port'),
      ],
      ['protocol HTTP', (o) => setAt(o, ['spec', 'ports', 0, 'protocol'], 'HTTP')],
      ['type Internal', (o) => setAt(o, ['spec', 'type'], 'Internal')],
      [
        'sessionAffinity timeout above a day',
        (o) => setAt(o, ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], 86401),
      ],
      ['selector value with a space', (o) => setAt(o, ['spec', 'selector', 'tier'], 'front end')],
    );
  if (kind === 'Ingress')
    edits.push(
      ['path without pathType', (o) => deleteAt(o, ['spec', 'rules', 0, 'http', 'paths', 0, 'pathType'])],
      ['relative path with Prefix', (o) => setAt(o, ['spec', 'rules', 0, 'http', 'paths', 0, 'path'], 'api')],
      [
        'host with a wildcard in the middle',
        (o) => setAt(o, ['spec', 'rules', 0, 'host'], 'web.*.example.com'),
      ],
      [
        'backend with both port name and number',
        (o) =>
          setAt(o, ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port'], {
            number: 80,
            name: 'http',
          }),
      ],
      [
        'v1beta1 backend fields in v1',
        (o) =>
          setAt(o, ['spec', 'rules', 0, 'http', 'paths', 0, 'backend'], {
            serviceName: 'web',
            servicePort: 80,
          }),
      ],
    );
  if (kind === 'PriorityClass')
    edits.push(
      ['value above one billion', (o) => setAt(o, ['value'], 2000000000)],
      ['name with the system- prefix', (o) => setAt(o, ['metadata', 'name'], 'system-web')],
      ['preemptionPolicy Always', (o) => setAt(o, ['preemptionPolicy'], 'Always')],
    );
  if (kind === 'ConfigMap')
    edits.push(
      ['data key with a slash', (o) => setAt(o, ['data', 'a/b'], 'x')],
      ['data and binaryData with one key', (o) => setAt(o, ['binaryData'], { mode: 'eA==' })],
      ['binaryData that is not base64', (o) => setAt(o, ['binaryData'], { blob: 'not base64!' })],
    );
  if (kind === 'NetworkPolicy')
    edits.push(
      ['policyType Both', (o) => setAt(o, ['spec', 'policyTypes'], ['Both'])],
      ['port 70000', (o) => setAt(o, ['spec', 'ingress', 0, 'ports', 0, 'port'], 70000)],
      [
        'ipBlock with a bad cidr',
        (o) => setAt(o, ['spec', 'ingress', 0, 'from'], [{ ipBlock: { cidr: '10.0.0.0/33' } }]),
      ],
    );
  if (kind === 'Role')
    edits.push(
      ['rule without verbs', (o) => setAt(o, ['rules', 0, 'verbs'], [])],
      ['rule without apiGroups', (o) => deleteAt(o, ['rules', 0, 'apiGroups'])],
    );
  return edits.flatMap(([what, change]) => {
    const o = clone(base) as Record<string, Value>;
    try {
      change(o);
    } catch {
      return []; // the base has no such field: nothing to mutate
    }
    return [{ cls: 'cross-field' as const, what, object: o }];
  });
}

/**
 * How many fields of each base a random class mutates: all of them (every field a value of another
 * type, every mapping an unknown field, every string and integer a YAML 1.1 scalar, every integer
 * 2^31, -1, 1e308, 1.5, .inf, .nan and one more out-of-range value); the seed draws the values.
 */
const PER_BASE = {
  'wrong-type': Number.POSITIVE_INFINITY,
  'unknown-field': Number.POSITIVE_INFINITY,
  'yaml-1.1-scalar': Number.POSITIVE_INFINITY,
  'out-of-range': Number.POSITIVE_INFINITY,
} as const;

/** The base objects themselves and every mutation of them, as suite items. */
export function mutationCorpus(seed = 1): CorpusItem[] {
  const rand = prng(seed);
  const items: CorpusItem[] = [];
  const seen = new Set<string>();
  const add = (base: JsonObject, m: Mutation): void => {
    const text = toYaml(m.object);
    if (seen.has(text)) return;
    seen.add(text);
    const n = String(items.length + 1).padStart(4, '0');
    items.push({
      id: `m${n}-${m.cls}-${String(base['kind']).toLowerCase()}`,
      group: `mutation:${m.cls}`,
      origin: `${String(base['apiVersion'])} ${String(base['kind'])} ${NAMESPACE}/${String((base['metadata'] as JsonObject)['name'])}: ${m.what}`,
      text,
    });
  };
  for (const base of baseObjects()) {
    const { leaves, maps } = walk(base);
    add(base, { cls: 'base', what: 'as written', object: base as Value });
    for (const m of [
      ...wrongType(rand, base, leaves, PER_BASE['wrong-type']),
      ...unknownField(rand, base, maps, PER_BASE['unknown-field']),
      ...yamlScalar(rand, base, leaves, PER_BASE['yaml-1.1-scalar']),
      ...outOfRange(rand, base, leaves, PER_BASE['out-of-range']),
      ...removedVersions(base),
      ...crossField(base),
    ])
      add(base, m);
  }
  return items;
}
