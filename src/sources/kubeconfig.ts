import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterUnreachable } from './cluster-errors.js';

/** Where an in-cluster pod finds its service account's token (the kubelet mounts it there). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** No kubeconfig was given and none was found where kubectl looks: the message says where. */
export class KubeconfigMissing extends ClusterUnreachable {}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loads the kubeconfig as kubectl finds it: the file given, else the files $KUBECONFIG lists (those
 * that exist, merged in order), else ~/.kube/config, else the in-cluster service account. The
 * client library would fall back to http://localhost:8080 instead, and the user would read an error
 * about TLS settings when what is missing is the kubeconfig itself.
 */
export async function loadKubeconfig(file: string | undefined, env: Env): Promise<KubeConfig> {
  // Loaded here, not at the top: `check` never pays for the client library.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (file !== undefined) {
    kc.loadFromFile(file);
    return kc;
  }
  const listed = (env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f !== '');
  if (listed.length > 0) {
    const found = listed.filter((f) => existsSync(f));
    if (found.length === 0)
      throw new KubeconfigMissing(
        `no kubeconfig: KUBECONFIG names ${listed.join(', ')}, and ${listed.length === 1 ? 'it does not exist' : 'none of them exists'}; ${HOW}`,
      );
    kc.loadFromFile(found[0]!);
    for (const more of found.slice(1)) {
      const next = new KubeConfig();
      next.loadFromFile(more);
      kc.mergeConfig(next);
    }
    return kc;
  }
  const home = env['HOME'] ?? env['USERPROFILE'];
  const inHome = home !== undefined && home !== '' ? join(home, '.kube', 'config') : undefined;
  if (inHome !== undefined && existsSync(inHome)) {
    kc.loadFromFile(inHome);
    return kc;
  }
  if (existsSync(SERVICE_ACCOUNT_TOKEN) && env['KUBERNETES_SERVICE_HOST']) {
    kc.loadFromCluster();
    return kc;
  }
  const looked = [
    'KUBECONFIG is not set',
    inHome !== undefined ? `${inHome} does not exist` : 'HOME is not set (no ~/.kube/config)',
    env['KUBERNETES_SERVICE_HOST']
      ? `no service account token at ${SERVICE_ACCOUNT_TOKEN} (in-cluster)`
      : 'not in a cluster (KUBERNETES_SERVICE_HOST is not set)',
  ];
  throw new KubeconfigMissing(`no kubeconfig: ${looked.join(', ')}; ${HOW}`);
}

const HOW = 'point at one with --kubeconfig <file> or KUBECONFIG=<file>';

/** A context of the kubeconfig: its name, its cluster's name and API server. */
export interface KubeconfigContext {
  name: string;
  cluster: string;
  server?: string;
}

/** The contexts of a loaded kubeconfig, in its order (what `kubectl config get-contexts` lists). */
export function kubeconfigContexts(kc: KubeConfig): KubeconfigContext[] {
  return kc.getContexts().map((c) => {
    const server = kc.getCluster(c.cluster)?.server;
    return { name: c.name, cluster: c.cluster, ...(server !== undefined ? { server } : {}) };
  });
}
