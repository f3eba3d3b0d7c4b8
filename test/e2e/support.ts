// What the scan end-to-end tests do to the real control plane: create objects, wait for controllers,
// mint a ServiceAccount token and write a kubeconfig for it. Plain HTTPS (tools/cluster/kube.mjs).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubeCall, type Kubeconfig } from '../../tools/cluster/kube.mjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API server
export type Obj = any;

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

/** Creates every document of a YAML stream (409 Already Exists is fine: tests may share cluster objects). */
export async function createAll(kc: Kubeconfig, yamlText: string, namespace?: string): Promise<Obj[]> {
  const objects = parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Obj)
    .filter((o) => o && o.kind);
  for (const o of objects) {
    if (namespace !== undefined && !CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = namespace;
    await kubeCall(kc, 'POST', collectionPath(o), o, undefined, [409]);
  }
  return objects;
}

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
