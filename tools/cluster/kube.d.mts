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
  /** Admission warnings arrive as `warning` headers (RFC 7234 format: 299 - "text"). */
  headers: Record<string, string | string[] | undefined>;
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

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API server
  object: any;
}

export interface Watch {
  stop(): void;
  /** Settles when the stream ends. */
  done: Promise<void>;
}

export function kubeWatch(
  kc: Kubeconfig,
  path: string,
  resourceVersion: string,
  onEvent: (event: WatchEvent) => void,
): Watch;
