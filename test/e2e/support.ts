// What the scan end-to-end tests do to the real control plane: create objects, wait for controllers,
// mint a ServiceAccount token and write a kubeconfig for it. Plain HTTPS (tools/cluster/kube.mjs).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubeCall, kubeRequest, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { applyNodes, kubeconfigPath, waitNodesReady, type KwokNode } from '../../tools/cluster/nodes.mjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API server
export type Obj = any;

/**
 * The test control plane's kubeconfig (KUBEHA_E2E_KUBECONFIG, else cluster:up's), loaded; without one,
 * the error says how to get it.
 */
export function e2eKubeconfig(path: string = kubeconfigPath()): { kubeconfig: string; kc: Kubeconfig } {
  if (!existsSync(path))
    throw new Error(`no kubeconfig at ${path}: run 'npm run cluster:up' or set KUBEHA_E2E_KUBECONFIG`);
  return { kubeconfig: path, kc: loadKubeconfig(path) };
}

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'Node']);

/** The collection an object is created in: /api/v1/… for the core group, /apis/<group>/<version>/… else. */
export function collectionPath(o: Obj): string {
  const root = o.apiVersion === 'v1' ? '/api/v1' : `/apis/${o.apiVersion}`;
  const plural = `${String(o.kind).toLowerCase()}s`;
  return CLUSTER_SCOPED.has(o.kind)
    ? `${root}/${plural}`
    : `${root}/namespaces/${o.metadata.namespace}/${plural}`;
}

/**
 * Creates every document of a YAML stream (409 Already Exists is fine: tests may share cluster objects).
 * Roles and cluster roles that exist are replaced: deploy/*.yaml may have granted less on a cluster
 * kept from an earlier run, and the tests judge what the files grant now.
 */
export async function createAll(kc: Kubeconfig, yamlText: string, namespace?: string): Promise<Obj[]> {
  const objects = parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Obj)
    .filter((o) => o && o.kind);
  for (const o of objects) {
    if (namespace !== undefined && !CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = namespace;
    const created = await kubeCall(kc, 'POST', collectionPath(o), o, undefined, [409]);
    if (created.status === 409 && RBAC_RULES.has(o.kind)) {
      const path = `${collectionPath(o)}/${o.metadata.name}`;
      const { body } = await kubeCall(kc, 'GET', path);
      const replaced = { ...o, metadata: { ...o.metadata, resourceVersion: body.metadata.resourceVersion } };
      await kubeCall(kc, 'PUT', path, replaced);
    }
  }
  return objects;
}

const RBAC_RULES = new Set(['ClusterRole', 'Role']);

export const isPodReady = (p: Obj): boolean =>
  p.status?.phase === 'Running' &&
  (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

/** Waits until `count` pods of a namespace are Running and Ready (kwok plays their kubelet). */
export async function waitPodsReady(kc: Kubeconfig, namespace: string, count: number): Promise<Obj[]> {
  return until(`${count} Ready pods in ${namespace}`, 120_000, async () => {
    const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${namespace}/pods`);
    const ready = (body.items as Obj[]).filter(isPodReady);
    return ready.length >= count ? ready : undefined;
  });
}

/**
 * A kubeconfig that authenticates as a ServiceAccount with a short-lived token (TokenRequest API),
 * against the same API server and CA as `admin`'s: what a CI job or an in-cluster CronJob would use.
 */
export async function serviceAccountKubeconfig(
  kc: Kubeconfig,
  namespace: string,
  name: string,
): Promise<string> {
  const { body } = await kubeCall(
    kc,
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-e2e-'));
  const file = join(dir, `${name}.kubeconfig`);
  const cluster: Record<string, string> = { server: kc.server };
  if (kc.ca) cluster['certificate-authority-data'] = kc.ca.toString('base64');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster }],
      users: [{ name, user: { token: body.status.token } }],
      contexts: [{ name, context: { cluster: 'e2e', user: name, namespace } }],
      'current-context': name,
    }),
  );
  return file;
}

/**
 * A kwok node of an e2e topology: zone and hostname labels (as the kubelet and the cloud provider
 * set them), a `kubeha-e2e` label naming the test file that owns it (so its pods can select it),
 * and its capacity.
 */
export function kwokNode(
  name: string,
  zone: string,
  owner: string | undefined,
  capacity: { cpu: string; memory: string } = { cpu: '8', memory: '32Gi' },
): KwokNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'topology.kubernetes.io/zone': zone,
        'kubernetes.io/hostname': name,
        ...(owner === undefined ? {} : { 'kubeha-e2e': owner }),
      },
      annotations: {},
    },
    spec: {},
    status: { capacity: { ...capacity, pods: '110' } },
  };
}

/**
 * The nodes are applied, Ready, and schedulable: the node lifecycle controller lifts the not-ready
 * taints a moment after Ready, and a pod created before then is placed as if the node were not there.
 */
export async function schedulableNodes(kc: Kubeconfig, nodes: KwokNode[]): Promise<void> {
  const names = nodes.map((n) => n.metadata.name);
  await applyNodes(kc, nodes);
  await waitNodesReady(kc, names);
  await until('the new nodes to lose their not-ready taints', 60_000, async () => {
    const specs = await Promise.all(
      names.map(async (n) => (await kubeCall(kc, 'GET', `/api/v1/nodes/${n}`)).body.spec as Obj),
    );
    return specs.every((s: Obj) => !(s.taints ?? []).length) ? true : undefined;
  });
}

/** A namespace created new: one left by an earlier run is deleted first (deletion is asynchronous). */
export async function freshNamespace(kc: Kubeconfig, name: string): Promise<void> {
  await kubeCall(kc, 'DELETE', `/api/v1/namespaces/${name}`, undefined, undefined, [404]);
  await until(`the old namespace ${name} to go`, 120_000, async () =>
    (await kubeRequest(kc, 'GET', `/api/v1/namespaces/${name}`)).status === 404 ? true : undefined,
  );
  await kubeCall(kc, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
}

/** Deletes a namespace and does not wait (clean-up: a failure here must not hide the test's own). */
export const dropNamespace = (kc: Kubeconfig, name: string): Promise<unknown> =>
  kubeCall(kc, 'DELETE', `/api/v1/namespaces/${name}`, undefined, undefined, [404]).catch(() => undefined);
