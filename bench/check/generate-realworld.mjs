#!/usr/bin/env node
// Generates a deterministic corpus shaped like the manifests people actually have, for `kubeha check`
// benchmarks: 15 projects, 169 files, about 11 MiB, most of it CustomResourceDefinitions.
//
//   node bench/check/generate-realworld.mjs [--seed 1] [--out bench/out/corpus-realworld]
//
// The projects (one folder each), in the proportions of kinds and sizes a sample of public projects
// showed (169 files, 11 MB, from 15 projects):
//   - 5 operators. operator-bundle-a/install.yaml is one 2 MiB install file whose 3 CRDs are 1.84 MiB of
//     it (bench/check/run.mjs times that file alone as "the 2 MB CRD-heavy bundle"); operator-bundle-b
//     has 8 CRDs in one install.yaml; operator-bundle-c keeps controller-gen's source layout
//     (config/crd/bases/*.yaml one CRD a file, config/rbac, config/manager, config/webhook);
//     operator-bundle-d ships 12 small CRDs and 3 controllers in one file; operator-bundle-e splits
//     crds.yaml (two 600 KB CRDs that embed a pod template's schema) from operator.yaml. Each has
//     its Namespace, ServiceAccount, RBAC, Services (metrics, webhook), a controller Deployment
//     (often one replica with leader election, as operators ship) and webhook configurations.
//     CRD schemas are what controller-gen emits: openAPIV3Schema properties nested up to 9 levels,
//     each with a description (multi-line `|-` blocks), types, formats, enums, int-or-string anyOfs,
//     x-kubernetes-* markers and required lists; some CRDs repeat the schema for 2 served versions.
//   - 5 Helm charts rendered with `helm template`: `---` then `# Source: <chart>/templates/<x>.yaml`
//     before each document; 2 as one file, 3 with --output-dir (one file per template). Long
//     ConfigMaps embed config files (nginx.conf, prometheus.yml, application.properties, Grafana
//     dashboards as JSON), Secrets carry base64 data (certificates, keys), and the workloads,
//     Services, PDBs, HPAs, Ingresses, NetworkPolicies and hook Jobs a chart renders.
//   - 2 Kustomize builds: one big file each, kinds in kustomize's order (Namespace, CRDs,
//     ServiceAccounts, RBAC, ConfigMaps, Secrets, Services, Deployments, StatefulSets, …, webhooks
//     last), keys sorted, no comments.
//   - 3 repositories of many small files (GitOps folders, examples, platform set-up): one object per
//     file, a few KB each, some workloads with HA defects (single replica, no probes, no PDB).
// The same seed always gives the same bytes. A summary (files, objects and bytes per kind and per
// project, the 2 MB bundle's path and size, a digest) is written beside the folder as <out>.meta.json.

import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { prng, REPO_ROOT } from './generate.mjs';

/** The one file bench/check/run.mjs times alone: a 2 MiB operator install whose 3 CRDs are 1.84 MiB. */
export const BUNDLE = join('operator-bundle-a', 'install.yaml');

const WORDS = (
  'the a of to and is in for that be this are an on by field if it not when with must as from ' +
  'which may or defines specifies value default used set will name object should resource ' +
  'reference pod container port selector label annotation secret key namespace cluster node ' +
  'controller status condition time duration seconds replicas template volume mount path ' +
  'policy rule endpoint service account token certificate issuer request limit quantity ' +
  'scheduling affinity toleration priority image pull strategy probe handler lifecycle hook ' +
  'config map data entry list item type kind version api group resources subresource scale ' +
  'observed generation phase reason message last transition ready available progressing ' +
  'deprecated optional required immutable empty omitted means ignored cannot updated'
).split(' ');
const FIELD_PARTS = (
  'name namespace selector labels annotations port target path host image pull policy secret ' +
  'ref key value timeout period seconds replicas template volume mount claim storage class ' +
  'size retention interval endpoint scheme tls config ca cert server client auth token ' +
  'bearer basic header query limit request cpu memory affinity toleration priority node ' +
  'pod container init sidecar probe handler exec command args env from field resource ' +
  'scrape relabel metric rule alert route receiver group match regex action replacement ' +
  'source separator modulus shard log level format output buffer flush retry backoff max ' +
  'min count window threshold ratio weight enabled disabled mode strategy type kind version'
).split(' ');

/** Writes documents into files and counts them; files are rendered in path order. */
class Corpus {
  constructor() {
    this.files = new Map(); // relative path → text
    this.kinds = {}; // kind → { objects, bytes }
    this.projects = {}; // project → { files, objects, bytes }
  }
  /** Appends text to a file (creating it); kind, when given, counts one object of that many bytes. */
  write(file, text, kind) {
    this.files.set(file, (this.files.get(file) ?? '') + text);
    const project = file.split('/')[0];
    const p = (this.projects[project] ??= { files: new Set(), objects: 0, bytes: 0 });
    p.files.add(file);
    p.bytes += Buffer.byteLength(text);
    if (kind) {
      p.objects++;
      const k = (this.kinds[kind] ??= { objects: 0, bytes: 0 });
      k.objects++;
      k.bytes += Buffer.byteLength(text);
    }
  }
}

const kindOf = (doc) => /^kind: (\S+)$/m.exec(doc)?.[1];

/** Helpers bound to one random stream. */
function tools(rnd) {
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;
  const sentence = () => {
    const n = int(6, 22);
    const ws = [];
    for (let i = 0; i < n; i++) ws.push(pick(WORDS));
    if (chance(0.15)) ws.splice(int(1, n - 1), 0, `\`${pick(FIELD_PARTS)}${cap(pick(FIELD_PARTS))}\``);
    const s = ws.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  /** A description as controller-gen writes it: Go doc comment lines wrapped near 80 columns. */
  const description = (lines) => {
    const out = [];
    for (let i = 0; i < lines; i++) {
      let line = sentence();
      while (line.length < 60 && chance(0.6)) line += ' ' + sentence();
      out.push(line);
    }
    if (chance(0.1)) out.push(`More info: https://kubernetes.io/docs/concepts/${pick(FIELD_PARTS)}/`);
    return out;
  };
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
    return s;
  };
  const base64 = (bytes) => {
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) b[i] = Math.floor(rnd() * 256);
    return b.toString('base64');
  };
  return { int, pick, chance, sentence, description, hex, base64 };
}

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const q = (s) => JSON.stringify(String(s));
/** A scalar as sigs.k8s.io/yaml would print it: plain when that is unambiguous, else quoted. */
const scalar = (s) =>
  /^[A-Za-z][\w./ -]*$/.test(s) && !/: | #|^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : q(s);

/** `description:` at an indent: one line plain or quoted, several as a `|-` block. */
function descriptionLines(pad, lines) {
  if (lines.length === 1) return `${pad}description: ${scalar(lines[0])}\n`;
  return `${pad}description: |-\n${lines.map((l) => `${pad}  ${l}`).join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// CustomResourceDefinitions

/**
 * One openAPIV3Schema property tree, written at `indent`, until about `budget` bytes. Returns the text.
 * Objects nest up to maxDepth; leaves are strings, integers, booleans, int-or-strings, arrays and maps.
 */
function schemaProperties(t, indent, depth, maxDepth, budget) {
  const pad = ' '.repeat(indent);
  let text = '';
  const names = new Set();
  const required = [];
  while (text.length < budget) {
    let name = t.pick(FIELD_PARTS) + cap(t.pick(FIELD_PARTS));
    if (t.chance(0.3)) name = t.pick(FIELD_PARTS);
    if (names.has(name)) name += cap(t.pick(FIELD_PARTS));
    if (names.has(name)) continue;
    names.add(name);
    if (t.chance(0.15)) required.push(name);
    text += `${pad}${name}:\n`;
    const inner = ' '.repeat(indent + 2);
    const desc = descriptionLines(inner, t.description(t.int(1, 6)));
    const r = t.rnd();
    const left = budget - text.length;
    if (depth < maxDepth && r < 0.28 && left > 2000) {
      // A nested object, sometimes a list of them.
      const child = Math.min(left, t.int(1500, Math.max(1600, Math.floor(budget / (2 + t.int(0, 3))))));
      if (t.chance(0.35)) {
        text +=
          desc +
          `${inner}items:\n${inner}  description: ${scalar(t.sentence())}\n${inner}  properties:\n` +
          schemaProperties(t, indent + 6, depth + 1, maxDepth, child) +
          `${inner}  type: object\n` +
          (t.chance(0.5) ? `${inner}maxItems: ${t.int(8, 64)}\n` : '') +
          `${inner}type: array\n` +
          (t.chance(0.4) ? `${inner}x-kubernetes-list-type: atomic\n` : '');
      } else {
        text +=
          desc +
          `${inner}properties:\n` +
          schemaProperties(t, indent + 4, depth + 1, maxDepth, child) +
          `${inner}type: object\n` +
          (t.chance(0.15) ? `${inner}x-kubernetes-map-type: atomic\n` : '');
      }
    } else if (r < 0.5) {
      const fmt = t.chance(0.2) ? `${inner}format: ${t.pick(['date-time', 'byte', 'uri'])}\n` : '';
      const en = t.chance(0.15)
        ? `${inner}enum:\n${Array.from({ length: t.int(2, 5) }, () => `${inner}- ${cap(t.pick(FIELD_PARTS))}\n`).join('')}`
        : '';
      const pat = t.chance(0.08) ? `${inner}pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$\n` : '';
      text += desc + en + fmt + pat + `${inner}type: string\n`;
    } else if (r < 0.65) {
      const f = t.pick(['int32', 'int64']);
      text +=
        desc +
        `${inner}format: ${f}\n` +
        (t.chance(0.3) ? `${inner}minimum: 0\n` : '') +
        `${inner}type: integer\n`;
    } else if (r < 0.75) {
      text += desc + `${inner}type: boolean\n`;
    } else if (r < 0.83) {
      text +=
        `${inner}anyOf:\n${inner}- type: integer\n${inner}- type: string\n` +
        desc +
        (t.chance(0.5)
          ? `${inner}pattern: ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$\n`
          : '') +
        `${inner}x-kubernetes-int-or-string: true\n`;
    } else if (r < 0.93) {
      text +=
        desc +
        `${inner}items:\n${inner}  type: string\n${inner}type: array\n` +
        (t.chance(0.5) ? `${inner}x-kubernetes-list-type: ${t.pick(['atomic', 'set'])}\n` : '');
    } else {
      text += desc + `${inner}additionalProperties:\n${inner}  type: string\n${inner}type: object\n`;
    }
  }
  // controller-gen sorts properties by name; required comes after properties, at the parent's level.
  // The names go behind a marker that placeRequired turns into `required:` beside the parent's type.
  return sortProperties(text, indent) + (required.length ? `⟪${required.sort().join(',')}⟫` : '');
}

/** Splits the properties written at `indent` and sorts them by name (what controller-gen prints). */
function sortProperties(text, indent) {
  const head = new RegExp(`^ {${indent}}(?! )`);
  const blocks = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (head.test(line)) blocks.push([line]);
    else blocks[blocks.length - 1].push(line);
  }
  blocks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return blocks.map((b) => b.join('\n') + '\n').join('');
}

/** Turns each "\0a,b\1" marker, right before its object's `type: object`, into a `required:` list. */
function placeRequired(text) {
  return text.replace(/⟪([^⟫]*)⟫( *)type: object\n/g, (_, names, pad) => {
    const list = names
      .split(',')
      .map((n) => `${pad}- ${n}\n`)
      .join('');
    return `${pad}required:\n${list}${pad}type: object\n`;
  });
}

function crd(t, { group, kind, bytes, versions = 1, printerColumns = true }) {
  const plural = kind.toLowerCase() + 's';
  const std = `          apiVersion:
            description: |-
              APIVersion defines the versioned schema of this representation of an object.
              Servers should convert recognized schemas to the latest internal value, and
              may reject unrecognized values.
              More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources
            type: string
          kind:
            description: |-
              Kind is a string value representing the REST resource this object represents.
              Servers may infer this from the endpoint the client submits requests to.
              Cannot be updated.
              In CamelCase.
              More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds
            type: string
          metadata:
            type: object
`;
  const perVersion = Math.floor(bytes / versions);
  const specBudget = Math.floor(perVersion * 0.8);
  const statusBudget = Math.floor(perVersion * 0.17);
  // Served versions repeat one schema, as controller-gen prints them when the Go types are shared.
  const schemaText = placeRequired(
    std +
      `          spec:\n${descriptionLines('            ', t.description(t.int(2, 4)))}            properties:\n` +
      schemaProperties(t, 14, 0, 8, specBudget).replace(/⟪[^⟫]*⟫$/, '') +
      `            type: object\n` +
      `          status:\n${descriptionLines('            ', t.description(2))}            properties:\n` +
      `              conditions:\n                description: Conditions of the ${kind}.\n                items:\n` +
      `                  description: Condition contains details for one aspect of the current state of this API Resource.\n` +
      `                  properties:\n` +
      `                    lastTransitionTime:\n                      format: date-time\n                      type: string\n` +
      `                    message:\n                      maxLength: 32768\n                      type: string\n` +
      `                    observedGeneration:\n                      format: int64\n                      minimum: 0\n                      type: integer\n` +
      `                    reason:\n                      maxLength: 1024\n                      minLength: 1\n                      pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\n                      type: string\n` +
      `                    status:\n                      enum:\n                      - "True"\n                      - "False"\n                      - Unknown\n                      type: string\n` +
      `                    type:\n                      maxLength: 316\n                      type: string\n` +
      `                  required:\n                  - lastTransitionTime\n                  - message\n                  - reason\n                  - status\n                  - type\n` +
      `                  type: object\n                type: array\n                x-kubernetes-list-map-keys:\n                - type\n                x-kubernetes-list-type: map\n` +
      schemaProperties(t, 14, 1, 5, statusBudget).replace(/⟪[^⟫]*⟫$/, '') +
      `            type: object\n` +
      `        required:\n        - spec\n        type: object\n`,
  );
  const names = ['v1alpha1', 'v1beta1', 'v1'].slice(3 - versions);
  let vs = '';
  for (const [i, v] of names.entries()) {
    vs +=
      (printerColumns
        ? `  - additionalPrinterColumns:\n    - jsonPath: .status.conditions[?(@.type=="Ready")].status\n      name: Ready\n      type: string\n    - jsonPath: .metadata.creationTimestamp\n      name: Age\n      type: date\n    name: ${v}\n`
        : `  - name: ${v}\n`) +
      `    schema:\n      openAPIV3Schema:\n        description: ${kind} is the Schema for the ${plural} API.\n        properties:\n` +
      schemaText +
      `    served: true\n    storage: ${i === names.length - 1}\n    subresources:\n      status: {}\n`;
  }
  return (
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.16.4\n  name: ${plural}.${group}\nspec:\n` +
    `  group: ${group}\n  names:\n    kind: ${kind}\n    listKind: ${kind}List\n    plural: ${plural}\n    singular: ${kind.toLowerCase()}\n  scope: Namespaced\n  versions:\n` +
    vs
  );
}

// ---------------------------------------------------------------------------------------------
// The objects around them

const labels = (pad, m) =>
  Object.entries(m)
    .map(([k, v]) => `${pad}${k}: ${scalar(v)}\n`)
    .join('');

function rbac(t, ns, name, cluster) {
  const rules = Array.from(
    { length: t.int(6, 24) },
    () =>
      `- apiGroups:\n  - ${q(t.pick(['', 'apps', 'batch', 'coordination.k8s.io', 'policy', 'networking.k8s.io']))}\n  resources:\n  - ${t.pick(FIELD_PARTS)}s\n  - ${t.pick(FIELD_PARTS)}s/status\n  verbs:\n  - get\n  - list\n  - watch\n${t.chance(0.5) ? '  - create\n  - update\n  - patch\n  - delete\n' : ''}`,
  ).join('');
  const kind = cluster ? 'ClusterRole' : 'Role';
  return [
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}-manager-role\n${cluster ? '' : `  namespace: ${ns}\n`}rules:\n${rules}`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}Binding\nmetadata:\n  name: ${name}-manager-rolebinding\n${cluster ? '' : `  namespace: ${ns}\n`}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${kind}\n  name: ${name}-manager-role\nsubjects:\n- kind: ServiceAccount\n  name: ${name}\n  namespace: ${ns}\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}-leader-election-role\n  namespace: ${ns}\nrules:\n- apiGroups:\n  - coordination.k8s.io\n  resources:\n  - leases\n  verbs:\n  - get\n  - list\n  - watch\n  - create\n  - update\n  - patch\n  - delete\n- apiGroups:\n  - ""\n  resources:\n  - events\n  verbs:\n  - create\n  - patch\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${name}-leader-election-rolebinding\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ${name}-leader-election-role\nsubjects:\n- kind: ServiceAccount\n  name: ${name}\n  namespace: ${ns}\n`,
  ];
}

/** A workload as operators and charts ship it; `ha` false gives one replica and fewer probes. */
function workload(t, { kind = 'Deployment', ns, name, image, replicas, ha, extraLabels = {}, port = 8080 }) {
  const sel = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': ns };
  const all = {
    ...sel,
    'app.kubernetes.io/version': `v${t.int(0, 3)}.${t.int(0, 30)}.${t.int(0, 9)}`,
    ...extraLabels,
  };
  const probes =
    ha || t.chance(0.5)
      ? `        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: 8081\n          initialDelaySeconds: 15\n          periodSeconds: 20\n` +
        (ha || t.chance(0.5)
          ? `        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: 8081\n          initialDelaySeconds: 5\n          periodSeconds: 10\n`
          : '')
      : '';
  const spread = ha
    ? `      topologySpreadConstraints:\n      - labelSelector:\n          matchLabels:\n${labels('            ', sel)}        maxSkew: 1\n        topologyKey: topology.kubernetes.io/zone\n        whenUnsatisfiable: ScheduleAnyway\n`
    : '';
  const args = Array.from(
    { length: t.int(2, 8) },
    () =>
      `        - --${t.pick(FIELD_PARTS)}-${t.pick(FIELD_PARTS)}=${t.pick(['true', '30s', 'info', ':8080', '0.0.0.0:9443'])}\n`,
  ).join('');
  return (
    `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  labels:\n${labels('    ', all)}  name: ${name}\n  namespace: ${ns}\nspec:\n` +
    (kind === 'DaemonSet' ? '' : `  replicas: ${replicas}\n`) +
    (kind === 'StatefulSet' ? `  serviceName: ${name}-headless\n` : '') +
    `  selector:\n    matchLabels:\n${labels('      ', sel)}  template:\n    metadata:\n      annotations:\n        kubectl.kubernetes.io/default-container: manager\n      labels:\n${labels('        ', all)}    spec:\n` +
    `      containers:\n      - args:\n        - --leader-elect\n${args}        command:\n        - /manager\n        image: ${image}\n        imagePullPolicy: IfNotPresent\n` +
    probes +
    `        name: manager\n        ports:\n        - containerPort: ${port}\n          name: http\n          protocol: TCP\n        - containerPort: 9443\n          name: webhook-server\n          protocol: TCP\n` +
    `        resources:\n          limits:\n            cpu: 500m\n            memory: ${t.pick(['128Mi', '256Mi', '512Mi'])}\n` +
    (ha || t.chance(0.6) ? `          requests:\n            cpu: 10m\n            memory: 64Mi\n` : '') +
    `        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop:\n            - ALL\n` +
    `        volumeMounts:\n        - mountPath: /tmp/k8s-webhook-server/serving-certs\n          name: cert\n          readOnly: true\n` +
    `      securityContext:\n        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n      serviceAccountName: ${name}\n      terminationGracePeriodSeconds: 10\n` +
    spread +
    `      volumes:\n      - name: cert\n        secret:\n          secretName: ${name}-webhook-server-cert\n`
  );
}

function service(ns, name, port, targetPort, extra = '') {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}  ports:\n  - name: ${targetPort === 9443 ? 'webhook' : 'http'}\n    port: ${port}\n    protocol: TCP\n    targetPort: ${targetPort}\n  selector:\n    app.kubernetes.io/name: ${name.replace(/-(webhook|metrics)-service$/, '')}\n`;
}

function webhooks(t, ns, name, group, kinds) {
  const hooks = (type) =>
    kinds
      .map(
        (k) =>
          `- admissionReviewVersions:\n  - v1\n  clientConfig:\n    service:\n      name: ${name}-webhook-service\n      namespace: ${ns}\n      path: /${type}-${group.replace(/\./g, '-')}-v1-${k.toLowerCase()}\n  failurePolicy: Fail\n  name: ${type[0]}${k.toLowerCase()}.${group}\n  rules:\n  - apiGroups:\n    - ${group}\n    apiVersions:\n    - v1\n    operations:\n    - CREATE\n    - UPDATE\n    resources:\n    - ${k.toLowerCase()}s\n  sideEffects: None\n`,
      )
      .join('');
  return [
    `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  annotations:\n    cert-manager.io/inject-ca-from: ${ns}/${name}-serving-cert\n  name: ${name}-mutating-webhook-configuration\nwebhooks:\n${hooks('mutate')}`,
    `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  annotations:\n    cert-manager.io/inject-ca-from: ${ns}/${name}-serving-cert\n  name: ${name}-validating-webhook-configuration\nwebhooks:\n${hooks('validate')}`,
  ];
}

/** An operator: its CRDs (kind, bytes, versions), then everything else, as a list of documents. */
function operator(t, { name, group, crds, controllers = 1, haControllers = false, configBytes = 0 }) {
  const ns = `${name}-system`;
  const defs = crds.map(([kind, bytes, versions]) => crd(t, { group, kind, bytes, versions }));
  const rest = [
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    control-plane: controller-manager\n  name: ${ns}\n`,
  ];
  for (let i = 0; i < controllers; i++) {
    const cname = i === 0 ? `${name}-controller-manager` : `${name}-${t.pick(FIELD_PARTS)}-controller`;
    rest.push(...rbac(t, ns, cname, true));
    rest.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${cname}-config\n  namespace: ${ns}\ndata:\n  controller_manager_config.yaml: |\n    apiVersion: controller-runtime.sigs.k8s.io/v1alpha1\n    kind: ControllerManagerConfig\n    health:\n      healthProbeBindAddress: :8081\n    metrics:\n      bindAddress: 127.0.0.1:8080\n    webhook:\n      port: 9443\n    leaderElection:\n      leaderElect: true\n      resourceName: ${t.hex(8)}.${group}\n`,
    );
    rest.push(service(ns, `${cname}-metrics-service`, 8443, 8443));
    rest.push(
      workload(t, {
        ns,
        name: cname,
        image: `ghcr.io/${name}/${cname}:v${t.int(0, 2)}.${t.int(1, 20)}.${t.int(0, 9)}`,
        replicas: haControllers ? 2 : 1,
        ha: haControllers,
        extraLabels: { 'control-plane': 'controller-manager' },
      }),
    );
  }
  if (configBytes) {
    // The default monitoring queries some operators ship in a ConfigMap (tens to hundreds of KB).
    let queries = '';
    while (queries.length < configBytes)
      queries += `    ${t.pick(FIELD_PARTS)}_${t.pick(FIELD_PARTS)}_${t.hex(4)}:\n      query: |\n        SELECT ${t.pick(FIELD_PARTS)}, count(*) AS ${t.pick(FIELD_PARTS)}, sum(${t.pick(FIELD_PARTS)}) AS total\n        FROM pg_stat_${t.pick(FIELD_PARTS)} WHERE ${t.pick(FIELD_PARTS)} > now() - interval '${t.int(1, 60)} minutes'\n        GROUP BY 1\n      metrics:\n        - ${t.pick(FIELD_PARTS)}:\n            usage: GAUGE\n            description: ${q(t.sentence())}\n`;
    rest.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    ${group}/reload: ""\n  name: ${name}-default-monitoring\n  namespace: ${ns}\ndata:\n  queries: |\n${queries}`,
    );
  }
  rest.push(service(ns, `${name}-controller-manager-webhook-service`, 443, 9443));
  rest.push(
    ...webhooks(
      t,
      ns,
      `${name}-controller-manager`,
      group,
      crds.map(([k]) => k),
    ),
  );
  return { defs, rest };
}

// ---------------------------------------------------------------------------------------------
// Helm charts

function configFile(t, type, bytes) {
  let s = '';
  if (type === 'nginx.conf') {
    s =
      'worker_processes auto;\nevents {\n  worker_connections 1024;\n}\nhttp {\n  sendfile on;\n  keepalive_timeout 65;\n';
    while (s.length < bytes)
      s += `  server {\n    listen ${t.int(8000, 9000)};\n    server_name ${t.pick(FIELD_PARTS)}.example.com;\n    location /${t.pick(FIELD_PARTS)}/ {\n      proxy_pass http://${t.pick(FIELD_PARTS)}:${t.int(8000, 9000)};\n      proxy_set_header Host $host;\n      proxy_set_header X-Real-IP $remote_addr;\n    }\n  }\n`;
    s += '}\n';
  } else if (type === 'prometheus.yml') {
    s = 'global:\n  scrape_interval: 30s\n  evaluation_interval: 30s\nscrape_configs:\n';
    while (s.length < bytes)
      s += `- job_name: ${t.pick(FIELD_PARTS)}-${t.hex(4)}\n  kubernetes_sd_configs:\n  - role: ${t.pick(['pod', 'endpoints', 'service', 'node'])}\n  relabel_configs:\n  - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]\n    action: keep\n    regex: "true"\n  - source_labels: [__meta_kubernetes_namespace]\n    target_label: namespace\n  - regex: __meta_kubernetes_pod_label_(.+)\n    action: labelmap\n`;
  } else if (type === 'application.properties') {
    while (s.length < bytes)
      s += `${t.pick(FIELD_PARTS)}.${t.pick(FIELD_PARTS)}.${t.pick(FIELD_PARTS)}=${t.pick(['true', 'false', String(t.int(1, 65535)), `http://${t.pick(FIELD_PARTS)}:8080`, t.sentence()])}\n`;
  } else {
    // A Grafana dashboard, JSON pretty-printed the way charts ship them.
    const panels = [];
    let size = 0;
    let id = 1;
    while (size < bytes) {
      const p = {
        datasource: { type: 'prometheus', uid: '${datasource}' },
        description: t.sentence(),
        fieldConfig: { defaults: { unit: t.pick(['s', 'bytes', 'percentunit', 'reqps']) }, overrides: [] },
        gridPos: { h: 8, w: 12, x: (id % 2) * 12, y: Math.floor(id / 2) * 8 },
        id: id++,
        targets: Array.from({ length: t.int(1, 3) }, (_, i) => ({
          expr: `sum(rate(${t.pick(FIELD_PARTS)}_${t.pick(FIELD_PARTS)}_total{namespace=~"$namespace", ${t.pick(FIELD_PARTS)}!=""}[$__rate_interval])) by (${t.pick(FIELD_PARTS)})`,
          legendFormat: `{{${t.pick(FIELD_PARTS)}}}`,
          refId: 'ABC'[i],
        })),
        title: cap(t.pick(FIELD_PARTS)) + ' ' + t.pick(FIELD_PARTS),
        type: t.pick(['timeseries', 'stat', 'table', 'gauge']),
      };
      const text = JSON.stringify(p, null, 2);
      size += text.length;
      panels.push(p);
    }
    s =
      JSON.stringify(
        {
          annotations: { list: [] },
          editable: true,
          panels,
          schemaVersion: 39,
          title: 'Overview',
          uid: t.hex(9),
        },
        null,
        2,
      ) + '\n';
  }
  return s;
}

function chart(t, { chart, files, bytesConfig, secrets, components }) {
  const ns = chart;
  const rel = `${chart}-release`;
  const meta = (name, extra = '') =>
    `metadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    helm.sh/chart: ${chart}-${t.int(1, 60)}.${t.int(0, 9)}.${t.int(0, 9)}\n    app.kubernetes.io/name: ${chart}\n    app.kubernetes.io/instance: ${rel}\n    app.kubernetes.io/managed-by: Helm\n${extra}`;
  const docs = []; // [template, doc]
  docs.push(['serviceaccount.yaml', `apiVersion: v1\nkind: ServiceAccount\n${meta(rel)}`]);
  const [sa, cr, crb] = rbac(t, ns, rel, true);
  void sa;
  docs.push(['clusterrole.yaml', cr], ['clusterrolebinding.yaml', crb]);
  for (const [type, bytes] of bytesConfig) {
    const body = configFile(t, type, bytes)
      .split('\n')
      .map((l) => (l ? `    ${l}` : ''))
      .join('\n');
    const key = type === 'dashboard' ? `${t.pick(FIELD_PARTS)}-${t.hex(4)}.json` : type;
    docs.push([
      type === 'dashboard' ? `dashboards/${key.replace('.json', '')}.yaml` : 'configmap.yaml',
      `apiVersion: v1\nkind: ConfigMap\n${meta(`${rel}-${key.replace(/\./g, '-')}`, type === 'dashboard' ? '    grafana_dashboard: "1"\n' : '')}data:\n  ${key}: |-\n${body.replace(/\n*$/, '')}\n`,
    ]);
  }
  for (let i = 0; i < secrets; i++) {
    const pem = (bytes) =>
      Buffer.from(
        `-----BEGIN CERTIFICATE-----\n${(t.base64(bytes).match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`,
      ).toString('base64');
    docs.push([
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\n${meta(`${rel}-tls-${i}`)}type: kubernetes.io/tls\ndata:\n  ca.crt: ${pem(t.int(900, 1400))}\n  tls.crt: ${pem(t.int(1200, 1800))}\n  tls.key: ${t.base64(t.int(1600, 2400))}\n`,
    ]);
  }
  for (const [comp, kind, ha] of components) {
    const name = `${rel}-${comp}`;
    const replicas = ha ? t.int(2, 3) : 1;
    docs.push([
      `${comp}/${kind.toLowerCase()}.yaml`,
      workload(t, {
        kind,
        ns,
        name,
        image: `docker.io/${chart}/${comp}:${t.int(1, 9)}.${t.int(0, 30)}.${t.int(0, 9)}`,
        replicas,
        ha,
      }).replace(/^metadata:\n/m, `metadata:\n  annotations:\n    checksum/config: ${t.hex(64)}\n`),
    ]);
    docs.push([`${comp}/service.yaml`, service(ns, name, 80, 8080)]);
    if (kind === 'StatefulSet')
      docs.push([
        `${comp}/service-headless.yaml`,
        service(ns, `${name}-headless`, 8080, 8080, '  clusterIP: None\n'),
      ]);
    if (ha && kind !== 'DaemonSet')
      docs.push([
        `${comp}/pdb.yaml`,
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\n${meta(name)}spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n      app.kubernetes.io/instance: ${ns}\n`,
      ]);
    if (ha && kind === 'Deployment' && t.chance(0.5))
      docs.push([
        `${comp}/hpa.yaml`,
        `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta(name)}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${name}\n  minReplicas: 2\n  maxReplicas: ${t.int(4, 20)}\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 80\n`,
      ]);
    if (t.chance(0.4))
      docs.push([
        `${comp}/ingress.yaml`,
        `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta(name)}spec:\n  ingressClassName: nginx\n  rules:\n  - host: ${comp}.example.com\n    http:\n      paths:\n      - backend:\n          service:\n            name: ${name}\n            port:\n              number: 80\n        path: /\n        pathType: Prefix\n  tls:\n  - hosts:\n    - ${comp}.example.com\n    secretName: ${rel}-tls-0\n`,
      ]);
    if (t.chance(0.3))
      docs.push([
        `${comp}/networkpolicy.yaml`,
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta(name)}spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - namespaceSelector: {}\n    ports:\n    - port: 8080\n      protocol: TCP\n`,
      ]);
  }
  docs.push([
    'hooks/job-migrate.yaml',
    `apiVersion: batch/v1\nkind: Job\n${meta(`${rel}-migrate`)}  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation\nspec:\n  backoffLimit: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: migrate\n        image: docker.io/${chart}/migrate:1.0.0\n        args: ["migrate", "--to", "latest"]\n`,
  ]);
  // Either one stream (helm template > file) or --output-dir (one file per template).
  const out = [];
  if (files === 1) {
    out.push([
      `rendered.yaml`,
      docs.map(([tpl, d]) => `---\n# Source: ${chart}/templates/${tpl}\n${d}`).join(''),
    ]);
  } else {
    const byTemplate = new Map();
    for (const [tpl, d] of docs)
      byTemplate.set(tpl, (byTemplate.get(tpl) ?? '') + `---\n# Source: ${chart}/templates/${tpl}\n${d}`);
    for (const [tpl, text] of byTemplate) out.push([`${chart}/templates/${tpl}`, text]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kustomize builds and small files

const KUSTOMIZE_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const KUSTOMIZE_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
function kustomizeRank(kind) {
  const f = KUSTOMIZE_FIRST.indexOf(kind);
  if (f >= 0) return [0, f, ''];
  const l = KUSTOMIZE_LAST.indexOf(kind);
  return l >= 0 ? [2, l, ''] : [1, 0, kind];
}

/** Sorts a document's top-level keys by name and its metadata's (what kustomize's kyaml prints). */
function sortTopKeys(doc) {
  const blocks = [];
  for (const line of doc.split('\n')) {
    if (!line) continue;
    if (!/^ /.test(line) && !/^- /.test(line)) blocks.push([line]);
    else blocks[blocks.length - 1].push(line);
  }
  blocks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return blocks.map((b) => b.join('\n') + '\n').join('');
}

function kustomize(t, { name, apps, crds }) {
  const docs = [];
  const op = operator(t, { name, group: `${name}.example.io`, crds, controllers: 1, haControllers: true });
  docs.push(...op.defs, ...op.rest);
  for (let i = 0; i < apps; i++) {
    const app = `${t.pick(FIELD_PARTS)}-${t.pick(FIELD_PARTS)}-${i}`;
    const ha = t.chance(0.6);
    docs.push(
      workload(t, {
        ns: name,
        name: app,
        image: `registry.example.com/${name}/${app}:${t.hex(7)}`,
        replicas: ha ? 3 : 1,
        ha,
      }),
    );
    docs.push(service(name, app, 80, 8080));
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-env-${t.hex(10)}\n  namespace: ${name}\ndata:\n  application.properties: |\n${configFile(
        t,
        'application.properties',
        t.int(800, 6000),
      )
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    );
    if (ha)
      docs.push(
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${app}\n  namespace: ${name}\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n`,
      );
  }
  const ranked = docs.map((d) => {
    const kind = kindOf(d);
    const nm = /^ {2}name: (\S+)$/m.exec(d)?.[1] ?? '';
    return { d: sortTopKeys(d), r: [...kustomizeRank(kind), nm] };
  });
  ranked.sort((a, b) => {
    for (let i = 0; i < 4; i++) if (a.r[i] !== b.r[i]) return a.r[i] < b.r[i] ? -1 : 1;
    return 0;
  });
  return ranked.map((x) => x.d);
}

function smallFiles(t, { project, count }) {
  const out = [];
  let i = 0;
  while (out.length < count) {
    const team = t.pick(['payments', 'search', 'identity', 'media', 'platform']);
    const app = `${t.pick(FIELD_PARTS)}-${t.pick(FIELD_PARTS)}-${i++}`;
    const dir = `${project}/apps/${team}/${app}`;
    const ha = t.chance(0.55);
    const candidates = [
      [
        'deployment.yaml',
        workload(t, {
          ns: team,
          name: app,
          image: `ghcr.io/acme/${app}:${t.int(1, 9)}.${t.int(0, 9)}`,
          replicas: ha ? t.int(2, 4) : 1,
          ha,
        }),
      ],
      ['service.yaml', service(team, app, 80, 8080)],
      [
        'configmap.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\n  namespace: ${team}\ndata:\n  LOG_LEVEL: info\n  ${t.pick(FIELD_PARTS).toUpperCase()}_URL: http://${t.pick(FIELD_PARTS)}.${team}.svc:8080\n`,
      ],
    ];
    if (ha)
      candidates.push([
        'pdb.yaml',
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${app}\n  namespace: ${team}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n`,
      ]);
    if (t.chance(0.3))
      candidates.push([
        'serviceaccount.yaml',
        `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${app}\n  namespace: ${team}\n`,
      ]);
    for (const [file, doc] of candidates) if (out.length < count) out.push([`${dir}/${file}`, doc]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const KIB = 1024;

/**
 * Writes the corpus and returns its summary. Deterministic: the same seed gives the same bytes.
 * @param {{seed?: number, out?: string}} options
 */
export function generateRealworld(options = {}) {
  const seed = options.seed ?? 1;
  const out = resolve(options.out ?? join(REPO_ROOT, 'bench', 'out', 'corpus-realworld'));
  const r = prng(seed);
  const t = { ...tools(r), rnd: r };
  const c = new Corpus();
  const header = `# generated by bench/check/generate-realworld.mjs (seed ${seed}): do not edit\n`;
  const oneFile = (file, docs) => {
    c.write(file, header);
    docs.forEach((d, i) => c.write(file, (i ? '---\n' : '') + d, kindOf(d)));
  };
  const helmFile = (file, text) => {
    c.write(file, header);
    for (const part of text.split(/(?=^---\n)/m)) c.write(file, part, kindOf(part));
  };

  // 1. The 2 MiB bundle: 3 CRDs of 1.84 MiB together, then the controller's objects.
  const a = operator(t, {
    name: 'operator-bundle-a',
    group: 'stack.example.io',
    crds: [
      ['Cluster', 915 * KIB, 1],
      ['Backup', 530 * KIB, 1],
      ['Pooler', 465 * KIB, 1],
    ],
    controllers: 2,
    configBytes: 140 * KIB,
  });
  oneFile(BUNDLE, [...a.defs, ...a.rest]);

  // 2. Eight CRDs of 80–350 KB in one install.yaml.
  const b = operator(t, {
    name: 'operator-bundle-b',
    group: 'mesh.example.io',
    crds: ['Gateway', 'Route', 'Policy', 'Listener', 'Upstream', 'Certificate', 'Tenant', 'Quota'].map(
      (k) => [k, t.int(150, 360) * KIB, 1],
    ),
  });
  oneFile('operator-bundle-b/install.yaml', [...b.defs, ...b.rest]);

  // 3. controller-gen's source layout: one CRD a file, RBAC, manager and webhooks in files of their own.
  const cOp = operator(t, {
    name: 'operator-bundle-c',
    group: 'data.example.io',
    crds: [
      ['Database', 380 * KIB, 2],
      ['Snapshot', 180 * KIB, 1],
      ['User', 90 * KIB, 1],
      ['Schema', 210 * KIB, 1],
      ['Replica', 240 * KIB, 1],
    ],
  });
  for (const d of cOp.defs)
    oneFile(`operator-bundle-c/config/crd/bases/data.example.io_${/plural: (\S+)/.exec(d)[1]}.yaml`, [d]);
  for (const d of cOp.rest) {
    const kind = kindOf(d);
    const nm = /^ {2}name: (\S+)$/m.exec(d)[1];
    const folder = /Role|ServiceAccount/.test(kind) ? 'rbac' : /Webhook/.test(kind) ? 'webhook' : 'manager';
    oneFile(`operator-bundle-c/config/${folder}/${kind.toLowerCase()}_${nm}.yaml`, [d]);
  }

  // 4. Twelve small CRDs, three controllers.
  const d = operator(t, {
    name: 'operator-bundle-d',
    group: 'certs.example.io',
    crds: [
      'Issuer',
      'ClusterIssuer',
      'Certificate',
      'CertificateRequest',
      'Order',
      'Challenge',
      'Trust',
      'Bundle',
      'Policy',
      'Approval',
      'Secretstore',
      'Rotation',
    ].map((k) => [k, t.int(25, 140) * KIB, 1]),
    controllers: 3,
    haControllers: true,
  });
  oneFile('operator-bundle-d/install.yaml', [...d.defs, ...d.rest]);

  // 5. CRDs that embed a pod template (600 KB each) in crds.yaml; the operator in operator.yaml.
  const e = operator(t, {
    name: 'operator-bundle-e',
    group: 'monitoring.example.io',
    crds: [
      ['Prometheus', 680 * KIB, 1],
      ['Alertmanager', 650 * KIB, 1],
      ['ServiceMonitor', 60 * KIB, 1],
      ['PodMonitor', 55 * KIB, 1],
    ],
  });
  oneFile('operator-bundle-e/crds.yaml', e.defs);
  oneFile('operator-bundle-e/operator.yaml', e.rest);

  // 6–10. Helm charts.
  const charts = [
    {
      chart: 'monitoring-stack',
      files: 1,
      bytesConfig: [
        ['prometheus.yml', 40 * KIB],
        ...Array.from({ length: 9 }, () => ['dashboard', t.int(40, 110) * KIB]),
      ],
      secrets: 3,
      components: [
        ['server', 'StatefulSet', true],
        ['grafana', 'Deployment', false],
        ['kube-state-metrics', 'Deployment', false],
        ['pushgateway', 'Deployment', false],
      ],
    },
    {
      chart: 'ingress-gateway',
      files: 1,
      bytesConfig: [
        ['nginx.conf', 180 * KIB],
        ['dashboard', 120 * KIB],
      ],
      secrets: 4,
      components: [
        ['controller', 'Deployment', true],
        ['default-backend', 'Deployment', false],
      ],
    },
    {
      chart: 'message-queue',
      files: 2,
      bytesConfig: [
        ['application.properties', 90 * KIB],
        ['dashboard', 150 * KIB],
        ['dashboard', 110 * KIB],
      ],
      secrets: 6,
      components: [
        ['broker', 'StatefulSet', true],
        ['zookeeper', 'StatefulSet', true],
        ['exporter', 'Deployment', false],
      ],
    },
    {
      chart: 'web-platform',
      files: 2,
      bytesConfig: [
        ['nginx.conf', 40 * KIB],
        ['application.properties', 60 * KIB],
        ['dashboard', 130 * KIB],
      ],
      secrets: 4,
      components: [
        ['frontend', 'Deployment', true],
        ['api', 'Deployment', true],
        ['worker', 'Deployment', false],
        ['cache', 'StatefulSet', false],
      ],
    },
    {
      chart: 'logging',
      files: 2,
      bytesConfig: [
        ['application.properties', 60 * KIB],
        ['dashboard', 160 * KIB],
      ],
      secrets: 2,
      components: [
        ['collector', 'DaemonSet', true],
        ['aggregator', 'StatefulSet', true],
      ],
    },
  ];
  for (const spec of charts)
    for (const [file, text] of chart(t, spec)) helmFile(`helm-${spec.chart}/${file}`, text);

  // 11–12. Kustomize builds.
  oneFile(
    'kustomize-platform/build.yaml',
    kustomize(t, {
      name: 'platform',
      apps: 30,
      crds: [
        ['Tenant', 120 * KIB, 1],
        ['Environment', 90 * KIB, 1],
      ],
    }),
  );
  oneFile(
    'kustomize-shop/build.yaml',
    kustomize(t, { name: 'shop', apps: 18, crds: [['Promotion', 60 * KIB, 1]] }),
  );

  // 13–15. Many small files, up to 169 files in all.
  const sofar = c.files.size;
  const left = 169 - sofar;
  const split = [Math.round(left * 0.5), Math.round(left * 0.3)];
  split.push(left - split[0] - split[1]);
  ['gitops-fleet', 'examples-catalog', 'platform-setup'].forEach((project, i) => {
    for (const [file, doc] of smallFiles(t, { project, count: split[i] })) oneFile(file, [doc]);
  });

  const rendered = [...c.files].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const hash = createHash('sha256');
  let bytes = 0;
  for (const [file, text] of rendered) {
    hash.update(file).update('\0').update(text);
    bytes += Buffer.byteLength(text);
  }
  const sha256 = hash.digest('hex');
  const metaFile = `${out}.meta.json`;
  const reused = existsSync(out) && readDigest(metaFile) === sha256;
  if (!reused) {
    rmSync(out, { recursive: true, force: true });
    for (const [file, text] of rendered) {
      mkdirSync(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file), text);
    }
  }
  const kinds = Object.fromEntries(Object.entries(c.kinds).sort((x, y) => y[1].bytes - x[1].bytes));
  const meta = {
    seed,
    projects: Object.keys(c.projects).length,
    files: rendered.length,
    objects: Object.values(c.kinds).reduce((n, k) => n + k.objects, 0),
    bytes,
    sha256,
    kinds,
    perProject: Object.fromEntries(
      Object.entries(c.projects).map(([p, v]) => [
        p,
        { files: v.files.size, objects: v.objects, bytes: v.bytes },
      ]),
    ),
    bundle: {
      file: BUNDLE,
      bytes: Buffer.byteLength(c.files.get(BUNDLE)),
      crdBytes: a.defs.reduce((n, x) => n + Buffer.byteLength(x), 0),
    },
    out: relative(REPO_ROOT, out),
  };
  if (!reused) writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { ...meta, dir: out, reused };
}

function readDigest(metaFile) {
  try {
    return JSON.parse(readFileSync(metaFile, 'utf8')).sha256;
  } catch {
    return undefined;
  }
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node bench/check/generate-realworld.mjs [--seed 1] [--out bench/out/corpus-realworld]',
      );
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) {
    console.error('--seed must be a whole number');
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const meta = generateRealworld(parseArgs(process.argv.slice(2)));
  console.log(
    `${meta.objects} objects in ${meta.files} files of ${meta.projects} projects, ${(meta.bytes / 2 ** 20).toFixed(1)} MiB, in ${meta.out} (${meta.reused ? 'unchanged, kept' : 'written'} in ${(performance.now() - t0).toFixed(0)} ms)`,
  );
  console.log(
    `bundle ${meta.bundle.file}: ${(meta.bundle.bytes / 2 ** 20).toFixed(2)} MiB, CRDs ${(meta.bundle.crdBytes / 2 ** 20).toFixed(2)} MiB`,
  );
  console.log(JSON.stringify(Object.fromEntries(Object.entries(meta.kinds).map(([k, v]) => [k, v.objects]))));
}
