import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { applyPatches } from '../../src/fix/apply.js';
import { fixSources } from '../../src/fix/run.js';
import type { Patch, PatchOp } from '../../src/fix/types.js';
import { parseManifests } from '../../src/sources/parse.js';

/** `helm template` output: indented sequences in one template, compact `- name:` items at the key's column in another. */
const env = (n: number, indent: string): string =>
  Array.from({ length: n }, (_, i) => `${indent}- name: VAR_${i}\n${indent}  value: "${i}"`).join('\n');
const HELM = `---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
      app.kubernetes.io/instance: shop
  template:
    metadata:
      annotations:
        checksum/config: 0b1c2d3e
      labels:
        app.kubernetes.io/name: web
        app.kubernetes.io/instance: shop
    spec:
      serviceAccountName: shop-web
      securityContext:
        fsGroup: 2000
      initContainers:
      - name: migrate
        image: "registry.example.com/shop/web:1.4.2"
        args:
        - migrate
        - --wait
      containers:
      - name: web
        securityContext:
          readOnlyRootFilesystem: true
          runAsNonRoot: true
        image: "registry.example.com/shop/web:1.4.2"
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        env:
${env(40, '          ')}
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
        readinessProbe:
          httpGet:
            path: /ready
            port: http
        resources:
          limits:
            memory: 256Mi
          requests:
            cpu: 100m
            memory: 128Mi
        volumeMounts:
        - name: tmp
          mountPath: /tmp
      - name: log-shipper
        image: "fluent/fluent-bit:3.0"
        args:
          - --config
          - /fluent-bit/etc/fluent-bit.conf
        resources:
          requests:
            cpu: 10m
            memory: 32Mi
      volumes:
      - name: tmp
        emptyDir: {}
      tolerations:
        - key: dedicated
          operator: Equal
          value: web
          effect: NoSchedule
`;

/** The lines of `after` that are not lines of `before`, and the lines of `before` that are gone. */
function changes(before: string, after: string): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.added) added.push(...lines);
    if (part.removed) removed.push(...lines);
  }
  return { added, removed };
}

describe('an edit of a file that mixes sequence styles changes only the lines it adds', () => {
  it('inserts into compact `- name:` items and the pod spec of a Helm-rendered file without re-indenting a line', () => {
    const run = fixSources([{ file: 'shop.yaml', text: HELM }], {
      rules: ['no-graceful-shutdown', 'no-node-spread', 'no-zone-spread'],
    });
    const after = run.files[0]!.after;
    const { added, removed } = changes(HELM, after);
    expect(removed).toEqual([]);
    // The preStop hook lines up with the keys of the compact item it joins (8 columns), the spread
    // constraints with the pod spec's keys (6).
    expect(added.join('\n')).toContain(
      '        lifecycle:\n          preStop:\n            sleep:\n              seconds: 5',
    );
    expect(
      added.filter((l) => /^\S/.test(l.trimEnd()) || l.startsWith('      topologySpreadConstraints:')),
    ).toEqual(['      topologySpreadConstraints:']);
    const { objects, problems } = parseManifests(after, 'shop.yaml');
    expect(problems).toEqual([]);
    const pod = objects.find((o) => o.kind === 'Deployment')!.raw as {
      spec: {
        template: { spec: { containers: { lifecycle?: unknown }[]; topologySpreadConstraints: unknown[] } };
      };
    };
    expect(pod.spec.template.spec.containers[0]!.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
  });

  const patch = (ops: PatchOp[]): Patch => ({
    rule: 'test',
    description: 'test',
    file: 'f.yaml',
    doc: 1,
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'shop-web' },
    ops,
  });

  it('adds keys to an indented sequence item of a file whose first sequences are compact, and appends items to both', () => {
    const compactFirst = HELM.replace(
      '  ports:\n    - port: 80\n      targetPort: http\n      protocol: TCP\n      name: http\n',
      '  ports:\n  - port: 80\n    targetPort: http\n    protocol: TCP\n    name: http\n',
    );
    const out = applyPatches(compactFirst, 'f.yaml', [
      patch([
        {
          op: 'add',
          path: '/spec/template/spec/containers/1/env',
          value: [{ name: 'LEVEL', value: 'info' }],
        },
        { op: 'add', path: '/spec/template/spec/containers/1/args/-', value: '--quiet' },
        { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'LAST', value: 'x' } },
        { op: 'add', path: '/spec/template/spec/tolerations/0/tolerationSeconds', value: 60 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
      ]),
    ]);
    expect(out.skipped).toEqual([]);
    const { added, removed } = changes(compactFirst, out.text);
    expect(removed).toEqual(['  replicas: 3']);
    expect(added).toEqual([
      '  replicas: 4',
      '          - name: LAST',
      '            value: x',
      '          - --quiet',
      '        env:',
      '        - name: LEVEL',
      '          value: info',
      '          tolerationSeconds: 60',
    ]);
  });
});
