import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { formatNumber } from '../../src/model/number-text.js';
import { parseManifests } from '../../src/sources/parse.js';

/**
 * Integers out of their Kubernetes range, fed to every rule of the catalog through `check`: each is
 * an invalid-object finding that names the field and its range, and no message of any rule prints
 * a number as JavaScript writes it ("1e+308", "Infinity", "NaN") or a missing one ("(null)",
 * "undefined"). The values are written as YAML scalars, as a user writes them; `.inf` and `.nan`
 * are YAML 1.1 floats, which kubectl's sigs.k8s.io/yaml reads as floats it cannot send.
 *
 * The real API server (tools/cluster, v1.36, `kubectl apply --dry-run=server`) refuses exactly these:
 * replicas 2147483648, 1e308 and 1.5 ("cannot unmarshal number … of type int32"), -1 (validation),
 * .inf and .nan (kubectl: "json: unsupported value: +Inf"), and takes 2147483647 and an int64
 * terminationGracePeriodSeconds of 2147483648. The conformance suite (docs/conformance.md, class
 * out-of-range) gives every integer field of 16 kinds 2^31, -1, 1e308, 1.5, .inf and .nan and
 * checks kubeha's verdict against the API server's.
 */
const manifests = (v: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${v}
  revisionHistoryLimit: ${v}
  minReadySeconds: ${v}
  progressDeadlineSeconds: ${v}
  selector: { matchLabels: { app: web } }
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: ${v}, maxUnavailable: ${v} } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: ${v}
      topologySpreadConstraints:
        - { maxSkew: ${v}, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: web } } }
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: ${v}
              podAffinityTerm: { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: web } } }
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: ${v} }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
          readinessProbe: { httpGet: { path: /ready, port: ${v} }, periodSeconds: ${v}, initialDelaySeconds: ${v}, failureThreshold: ${v} }
          livenessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: ${v}, successThreshold: ${v} }
          startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: ${v}, failureThreshold: ${v} }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  replicas: ${v}
  serviceName: db
  selector: { matchLabels: { app: db } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: ${v}, partition: ${v} } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres:16, ports: [{ containerPort: 5432 }] }]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop }
spec:
  selector: { matchLabels: { app: agent } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: ${v} } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: agent, image: agent:1 }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: ${v}
  maxReplicas: ${v}
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: ${v} } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: shop }
spec:
  minAvailable: ${v}
  selector: { matchLabels: { app: web } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: db, namespace: shop }
spec:
  maxUnavailable: ${v}
  selector: { matchLabels: { app: db } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: ${v}, targetPort: ${v} }]
`;

/** How a number is never to be shown to a person. */
const BAD_NUMBER = /\(null\)|\bundefined\b|e\+\d|Infinity|NaN/;
/** kubectl's own error for .nan, quoted word for word by the loader's finding. */
const KUBECTL_NAN_ERROR = '"json: unsupported value: NaN"';

function run(
  value: string,
): { rule: string; kind?: string; message: string; detail: string; path?: string }[] {
  const { objects, problems } = parseManifests(manifests(value), 'numbers.yaml');
  return check(objects, { problems }).findings.map((f) => ({
    rule: f.rule,
    ...(f.object ? { kind: f.object.kind } : {}),
    message: f.message,
    detail: f.detail,
    ...(f.path !== undefined ? { path: f.path } : {}),
  }));
}

describe('invalid-object: integers out of their Kubernetes range, through every rule', () => {
  // Out of the int32 range (1e308 is also out of int64's), not numbers at all, and not integers.
  for (const value of ['1e308', '-1e308', '2147483648', '-2147483649', '.inf', '-.inf', '.nan', '1.5']) {
    it(`${value}: no message prints a number as JavaScript writes it`, () => {
      const findings = run(value);
      const bad = findings.filter(
        (f) =>
          BAD_NUMBER.test(f.message.replace(KUBECTL_NAN_ERROR, '')) ||
          // invalid-object's details carry the value and the range too.
          (f.rule === 'invalid-object' && BAD_NUMBER.test(f.detail.replace(KUBECTL_NAN_ERROR, ''))),
      );
      expect(bad).toEqual([]);
    });
  }

  for (const [value, shown] of [
    ['1e308', '1e308'],
    ['2147483648', '2147483648'],
  ] as const) {
    it(`${value}: every int32 field is an invalid-object finding that names the field and the range`, () => {
      const found = run(value).filter((f) => f.rule === 'invalid-object');
      // The headline names the object and the value; the kind is the object's, the range the detail's.
      const messages = found.map((f) => `${f.kind} ${f.message}`);
      for (const field of [
        'Deployment web: spec.replicas',
        'Deployment web: spec.revisionHistoryLimit',
        'Deployment web: spec.strategy.rollingUpdate.maxSurge',
        'Deployment web: spec.template.spec.topologySpreadConstraints[0].maxSkew',
        'Deployment web: spec.template.spec.containers[0].ports[0].containerPort',
        'Deployment web: spec.template.spec.containers[0].readinessProbe.periodSeconds',
        'StatefulSet db: spec.replicas',
        'HorizontalPodAutoscaler web: spec.minReplicas',
        'HorizontalPodAutoscaler web: spec.maxReplicas',
        'PodDisruptionBudget web: spec.minAvailable',
        'PodDisruptionBudget db: spec.maxUnavailable',
        'Service web: spec.ports[0].port',
      ])
        expect(messages).toContain(`${field} is ${shown}, out of range`);
      // The range and what to do are the detail's.
      expect(found.find((f) => f.message === `web: spec.replicas is ${shown}, out of range`)?.detail).toBe(
        'It is outside the int32 range (-2147483648 to 2147483647): the API server cannot decode it and rejects the object. Use a value from -2147483648 to 2147483647.',
      );
    });
  }

  it('1e308 is out of the int64 range too: terminationGracePeriodSeconds names it', () => {
    const finding = run('1e308').find(
      (f) => f.message === 'web: spec.template.spec.terminationGracePeriodSeconds is 1e308, out of range',
    );
    expect(finding?.kind).toBe('Deployment');
    expect(finding?.detail).toBe(
      'It is outside the int64 range (-9223372036854775808 to 9223372036854775807): the API server cannot decode it and rejects the object. Use a value from -9223372036854775808 to 9223372036854775807.',
    );
  });

  it('2147483648 is in int64 range: terminationGracePeriodSeconds takes it', () => {
    const paths = run('2147483648')
      .filter((f) => f.rule === 'invalid-object')
      .map((f) => f.path);
    expect(paths).not.toContain('/spec/template/spec/terminationGracePeriodSeconds');
  });

  it('an HPA bound the API server cannot decode is not read as a bound (a Deployment without replicas)', () => {
    for (const value of ['1e308', '.inf', '-.inf', '.nan', '2147483648']) {
      const text = manifests(value).replace(/^ {2}replicas: .*\n/m, '');
      const { objects, problems } = parseManifests(text, 'numbers.yaml');
      const messages = check(objects, { problems }).findings.map((f) =>
        f.rule === 'invalid-object' ? `${f.message}\n${f.detail}` : f.message,
      );
      expect(messages.filter((m) => BAD_NUMBER.test(m.replace(KUBECTL_NAN_ERROR, '')))).toEqual([]);
      expect(messages.filter((m) => /up to \S+ replicas \(HPA/.test(m))).toEqual([]);
    }
  });

  it('a replica count the API server cannot decode is not read as a count by the other rules', () => {
    // 1e308 is an integer to JavaScript: rules that quote spec.replicas printed "runs 1e+308 replicas".
    const others = run('1e308').filter((f) => f.rule !== 'invalid-object');
    expect(others.filter((f) => /(keeps|runs) \S+ replicas/.test(f.message) && /1e/.test(f.message))).toEqual(
      [],
    );
  });
});

describe('one integer out of range, the others valid: no rule but invalid-object quotes it', () => {
  /** Fields the API server decodes as int64, which take values outside int32. */
  const INT64_FIELD = /terminationGracePeriodSeconds: $/;
  const INT64_RANGE = ['2147483648', '-2147483649'];
  // Rules that quote a count or a bound once a workload, an HPA or a PDB status has one.
  const scenarios = (v: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: all, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: all } }
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 0, maxUnavailable: "100%" } }
  template:
    metadata: { labels: { app: all } }
    spec: { containers: [{ name: all, image: nginx:1.27 }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: all, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: all }
  minReplicas: ${v}
  maxReplicas: 5
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: all, namespace: shop }
spec: { minAvailable: 3, selector: { matchLabels: { app: all } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: batch, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: batch } }
  strategy: { type: Recreate }
  template:
    metadata: { labels: { app: batch } }
    spec: { containers: [{ name: batch, image: nginx:1.27 }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: batch, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: batch }
  minReplicas: 1
  maxReplicas: ${v}
`;
  const quoting = (text: string, v: string): string[] => {
    const { objects, problems } = parseManifests(text, 'numbers.yaml');
    const shown = [v, formatNumber(Number(v)), String(Number(v))];
    return check(objects, { problems })
      .findings.filter((f) => f.rule !== 'invalid-object' && shown.some((s) => f.message.includes(s)))
      .map((f) => `${f.rule}: ${f.message}`);
  };

  for (const value of ['1e308', '-1e308', '2147483648', '-2147483649', '1.5']) {
    it(`${value}, in each field of every kind in turn`, () => {
      const parts = manifests('\u0001').split('\u0001');
      const quoted: string[] = [];
      for (let at = 0; at < parts.length - 1; at++) {
        if (INT64_RANGE.includes(value) && INT64_FIELD.test(parts[at]!)) continue;
        const text = parts
          .map((p, i) => (i === parts.length - 1 ? p : p + (i === at ? value : '3')))
          .join('');
        quoted.push(...quoting(text, value).map((q) => `field ${at}: ${q}`));
      }
      expect(quoted).toEqual([]);
    });

    it(`${value} as an HPA's minReplicas or maxReplicas`, () => {
      expect(quoting(scenarios(value), value)).toEqual([]);
    });
  }

  it('the same scenarios with int32 values are reported, quoting them', () => {
    const rules = (v: string) => {
      const { objects, problems } = parseManifests(scenarios(v), 'numbers.yaml');
      return check(objects, { problems }).findings.map((f) => f.rule);
    };
    expect(rules('3')).toEqual(expect.arrayContaining(['rollout-all-unavailable', 'pdb-blocks-eviction']));
    expect(quoting(scenarios('7'), '7').some((q) => q.startsWith('recreate-strategy'))).toBe(true);
  });
});
