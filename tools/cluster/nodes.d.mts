// Types for nodes.mjs, so that the TypeScript end-to-end tests can use it.
import type { Kubeconfig } from './kube.mjs';

export interface KwokNode {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
  status: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export const FIELD_MANAGER: string;
export const KWOK_ANNOTATION: string;
export const DEFAULT_KUBECONFIG: string;
export function kubeconfigPath(explicit?: string): string;
export function readTopology(text: string, source?: string): KwokNode[];
export function applyNodes(kc: Kubeconfig, nodes: KwokNode[]): Promise<void>;
export function deleteNodes(kc: Kubeconfig, names: string[]): Promise<void>;
export function waitNodesReady(kc: Kubeconfig, names: string[], timeoutMs?: number): Promise<void>;
