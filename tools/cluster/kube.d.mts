/// <reference types="node" />
// Types for kube.mjs, so that the TypeScript end-to-end tests can use it.

export interface Kubeconfig {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure: boolean;
}

export interface KubeResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API server
  body: any;
}

export function loadKubeconfig(path: string): Kubeconfig;

export function kubeRequest(
  kc: Kubeconfig,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<KubeResponse>;

export function kubeCall(
  kc: Kubeconfig,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
  allow?: number[],
): Promise<KubeResponse>;
